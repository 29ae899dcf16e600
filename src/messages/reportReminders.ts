// The texts of the report-deadline and exercise reminders (issue 16), in the recipient's language.
import { formatDate } from "../domain/dates.ts";
import { berlinDateOf } from "../domain/holidays.ts";
import type { ExtraReminder } from "../domain/reportReminders.ts";
import type { Locale } from "../domain/types.ts";
import type { OutboundMessage } from "../port.ts";
import { translator } from "./i18n/catalogue.ts";
import { lateNote } from "./reminders.ts";

/** `now`: when it is written (a late one may come after the report's deadline); `clockMoved`: why it is late. */
export function extraReminderMessage(r: ExtraReminder, facts: { kpbName?: string; now: Date; clockMoved: boolean }, locale: Locale): OutboundMessage {
  const t = translator(locale);
  const deadline = `${r.year}-08-31`;
  let text =
    r.rule === "report.deadline"
      ? t(berlinDateOf(facts.now) > deadline ? "reminder.reportDeadlinePassed" : "reminder.reportDeadline", { year: r.year, previous: r.year - 1, deadline: formatDate(deadline, locale) })
      : t("reminder.exerciseMissing", { year: r.year, kpb: facts.kpbName ?? "" });
  if (r.late) text += `\n${lateNote(t, r.dueAt, locale, facts.clockMoved)}`;
  return { text, locale, kind: "reminder" };
}
