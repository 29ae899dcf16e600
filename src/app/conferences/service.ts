// What the conference commands share beyond the messages (../../messages/conference.ts) and the queueing
// (../../delivery/notify.ts): refusals about dates and about conferences that can no longer change, warnings about odd dates.
import { and, eq, inArray, ne } from "drizzle-orm";
import type { Clock } from "../../domain/clock.ts";
import { formatDate, formatDateTime, formatRange, formatWeekday, type DateTimeError } from "../../domain/dates.ts";
import { DAY_ENDS_HOUR, DAY_STARTS_HOUR, schedulingWarnings } from "../../domain/scheduling.ts";
import type { Tx } from "../../db/client.ts";
import * as s from "../../db/schema.ts";
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

/**
 * The warnings for a conference's new time (weekend, holiday, night, another conference of the KPB then), one line
 * each, and how to move it; empty when nothing is odd.
 */
export function schedulingNotes(tx: Tx, t: Translator, locale: Locale, conf: Pick<ConferenceRow, "id" | "kpbId" | "number" | "startsAt" | "endsAt">): string {
  const c = s.conferences;
  const others = tx
    .select()
    .from(c)
    .where(and(eq(c.kpbId, conf.kpbId), ne(c.id, conf.id), inArray(c.status, ["planned", "invited"])))
    .all();
  const lines = schedulingWarnings(conf, others).map((w) => {
    switch (w.code) {
      case "weekend":
        return t("plan.warn.weekend", { date: formatDate(w.date, locale), weekday: formatWeekday(w.date, locale) });
      case "holiday":
        return t("plan.warn.holiday", { date: formatDate(w.date, locale), name: w.name });
      case "night":
        return t("plan.warn.night", { range: formatRange(conf.startsAt, conf.endsAt, locale), from: `${String(DAY_STARTS_HOUR).padStart(2, "0")}:00`, to: `${DAY_ENDS_HOUR}:00` });
      case "overlap":
        return t("plan.warn.overlap", { title: titleOf(w.with, t), range: formatRange(w.with.startsAt, w.with.endsAt, locale) });
    }
  });
  return lines.length ? `\n${[...lines, t("plan.warn.anyway", { id: conf.number })].join("\n")}` : "";
}

/** Refuses changes to a conference that is cancelled, recorded as held, or already under way. */
export function requireChangeable(conf: ConferenceRow, t: Translator, locale: Locale, clock: Clock): void {
  if (conf.status === "cancelled" || conf.status === "held")
    throw new UserError("conference.notOpen", { title: titleOf(conf, t), status: t(`status.${conf.status}`) });
  if (conf.startsAt.getTime() <= clock.now().getTime())
    throw new UserError("conference.alreadyStarted", { title: titleOf(conf, t), when: formatDateTime(conf.startsAt, locale) });
}
