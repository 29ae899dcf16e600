// What the conference commands share beyond the messages (../../messages/conference.ts) and the queueing
// (../../delivery/notify.ts): refusals about dates and about conferences that can no longer change.
import type { Clock } from "../../domain/clock.ts";
import { formatDateTime, type DateTimeError } from "../../domain/dates.ts";
import type { Locale } from "../../domain/types.ts";
import type { ConferenceRow } from "../../db/schema.ts";
import { titleOf } from "../../messages/conference.ts";
import type { Translator } from "../../messages/i18n/catalogue.ts";
import { UserError } from "../command.ts";

export function dateError(e: DateTimeError): UserError {
  switch (e.code) {
    case "date-format":
      return new UserError("date.format", { input: e.input });
    case "time-format":
      return new UserError("date.timeFormat", { input: e.input });
    case "date-impossible":
      return new UserError("date.impossible", { input: e.input });
    case "time-gap":
      return new UserError("date.gap", { date: e.date, time: e.time });
    case "in-past":
      return new UserError("date.past", { when: e.when });
  }
}

/** Refuses changes to a conference that is cancelled, recorded as held, or already under way. */
export function requireChangeable(conf: ConferenceRow, t: Translator, locale: Locale, clock: Clock): void {
  if (conf.status === "cancelled" || conf.status === "held")
    throw new UserError("conference.notOpen", { title: titleOf(conf, t), status: t(`status.${conf.status}`) });
  if (conf.startsAt.getTime() <= clock.now().getTime())
    throw new UserError("conference.alreadyStarted", { title: titleOf(conf, t), when: formatDateTime(conf.startsAt, locale) });
}
