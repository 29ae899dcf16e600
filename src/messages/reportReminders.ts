// The texts of the report-deadline and exercise reminders (issue 16), in the recipient's language.
import { formatDate, formatDateTime } from "../domain/dates.ts";
import type { ExtraReminder } from "../domain/reportReminders.ts";
import type { Locale } from "../domain/types.ts";
import type { OutboundMessage } from "../port.ts";
import { translator } from "./i18n/catalogue.ts";

export function extraReminderMessage(r: ExtraReminder, facts: { kpbName?: string }, locale: Locale): OutboundMessage {
  const t = translator(locale);
  let text =
    r.rule === "report.deadline"
      ? t("reminder.reportDeadline", { year: r.year, previous: r.year - 1, deadline: formatDate(`${r.year}-08-31`, locale) })
      : t("reminder.exerciseMissing", { year: r.year, kpb: facts.kpbName ?? "" });
  if (r.late) text += `\n${t("reminder.late", { due: formatDateTime(r.dueAt, locale) })}`;
  return { text, locale, kind: "reminder" };
}
