// Two reminders of issue 16, computed like the others from the data and a window (since, now]:
// - report.deadline: the LZPD is reminded that the annual report is due by 31 August (decree §5), on the
//   policy's dates (default 1 and 24 August), moved to the next working day;
// - exercise.missing: the organisers of a connected KPB that has attended no crisis-staff exercise in the
//   year (decree §4), on the policy's exercise dates (default 1 October).
// Pure: facts in, due reminders out; the sweep enqueues them under their keys, so each goes out once.
import { berlinDateOf, berlinInstant, berlinYearOf, nextWorkingDayOnOrAfter } from "./holidays.ts";
import { parseMonthDay } from "./annualMinimum.ts";
import { attendedIn } from "./exercises.ts";
import type { ReminderPolicy } from "./reminderPolicy.ts";

export interface ExtraReminder {
  dedupKey: string;
  rule: "report.deadline" | "exercise.missing";
  /** exercise.missing: the KPB; report.deadline: null (state-wide). */
  kpbId: number | null;
  year: number;
  dueAt: Date;
  dueDate: string;
  late: boolean;
}

export interface ExtraRemindersInput {
  /** Connected KPBs with the Berlin dates of the exercises they attended in the current year. */
  kpbs: ReadonlyArray<{ id: number; exerciseDates: readonly string[] }>;
  since: Date;
  now: Date;
  policy: ReminderPolicy;
}

export function extraReminders(input: ExtraRemindersInput): ExtraReminder[] {
  const { since, now, policy } = input;
  const out: ExtraReminder[] = [];
  if (!(now.getTime() > since.getTime())) return out;
  const year = berlinYearOf(now);
  const lateMs = policy.lateAfterMinutes * 60_000;
  const slots = (monthDays: readonly string[]) => {
    const seen = new Set<string>();
    const list: Array<{ dueDate: string; dueAt: Date }> = [];
    for (const md of monthDays) {
      const dueDate = nextWorkingDayOnOrAfter(`${year}-${parseMonthDay(md)}`);
      // Both the slot and its working-day shift stay in the year the reminder is about.
      if (seen.has(dueDate) || !dueDate.startsWith(`${year}-`)) continue;
      seen.add(dueDate);
      const dueAt = berlinInstant(dueDate, policy.sendAt);
      if (dueAt.getTime() > since.getTime() && dueAt.getTime() <= now.getTime()) list.push({ dueDate, dueAt });
    }
    // Slots that all passed in one window (the bot was down, the clock moved) are one reminder, the latest:
    // the same text twice says nothing more.
    list.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
    return list.slice(-1);
  };
  const late = (dueAt: Date) => now.getTime() - dueAt.getTime() > lateMs;
  for (const s of slots(policy.report.lzpdReminders))
    out.push({ dedupKey: `report.deadline:${year}:${s.dueDate}`, rule: "report.deadline", kpbId: null, year, dueAt: s.dueAt, dueDate: s.dueDate, late: late(s.dueAt) });
  const exerciseSlots = slots(policy.exercise.reminders);
  if (exerciseSlots.length > 0) {
    // Judged at `now`: an exercise recorded before the sweep stops the reminder.
    const today = berlinDateOf(now);
    for (const k of input.kpbs) {
      if (attendedIn(k.exerciseDates, year, today)) continue;
      for (const s of exerciseSlots)
        out.push({ dedupKey: `exercise.missing:kpb=${k.id}:${year}:${s.dueDate}`, rule: "exercise.missing", kpbId: k.id, year, dueAt: s.dueAt, dueDate: s.dueDate, late: late(s.dueAt) });
    }
  }
  return out;
}
