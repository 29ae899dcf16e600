// What the conference commands share beyond the messages (../../messages/conference.ts) and the queueing
// (../../delivery/notify.ts): refusals about dates and about conferences that can no longer change.
import type { Clock } from "../../domain/clock.ts";
import { formatDateTime, type DateTimeError } from "../../domain/dates.ts";
import type { Locale } from "../../domain/types.ts";
import type { ConferenceRow } from "../../db/schema.ts";
import { titleOf } from "../../messages/conference.ts";
import { dateErrorMessage } from "../../messages/dates.ts";
import type { Translator } from "../../messages/i18n/catalogue.ts";
import { UserError } from "../command.ts";

export function dateError(e: DateTimeError): UserError {
  const m = dateErrorMessage(e);
  return new UserError(m.key, m.params);
}

/** Refuses changes to a conference that is cancelled, recorded as held, or already under way. */
export function requireChangeable(conf: ConferenceRow, t: Translator, locale: Locale, clock: Clock): void {
  if (conf.status === "cancelled" || conf.status === "held")
    throw new UserError("conference.notOpen", { title: titleOf(conf, t), status: t(`status.${conf.status}`) });
  if (conf.startsAt.getTime() <= clock.now().getTime())
    throw new UserError("conference.alreadyStarted", { title: titleOf(conf, t), when: formatDateTime(conf.startsAt, locale) });
}
