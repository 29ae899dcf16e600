// The reminder policy: which reminders are due, to whom, and when. Pure: the scheduler passes the
// facts and a window (since, now], claims the returned instances by their dedup keys in the outbox,
// and moves `since` on. A reminder whose slot passed while the bot was down comes back here (its slot
// is still in the window) and is marked late; one whose condition no longer holds at `now` does not.
import * as z from "zod";
import type { ConferenceFacts, InvitationFacts, KpbFacts } from "./conference.ts";
import { tracksOf } from "./conference.ts";
import type { Track } from "./types.ts";
import { DEFAULT_FIRST_THRESHOLD, parseMonthDay, summariseInto, type YearSummary } from "./annualMinimum.ts";
import { DEFAULT_EXERCISE_THRESHOLD } from "./exercises.ts";
import {
  addDays,
  berlinDateOf,
  berlinInstant,
  berlinYearOf,
  berlinYearStart,
  isoDate,
  isoWeekday,
  nextWorkingDayOnOrAfter,
  previousWorkingDayOnOrBefore,
} from "./holidays.ts";

export const REMINDER_RULES = [
  "annual.organisers",
  "annual.leaders",
  "annual.escalation",
  "annual.overdue",
  "record.prompt",
  "rsvp.nudge",
  "rsvp.deadline",
] as const;
export type ReminderRule = (typeof REMINDER_RULES)[number];

export type ReminderAudience = "organisers" | "leaders" | "leaders+reporters" | "contact";

export interface ReminderPolicy {
  /** Berlin wall-clock time ("HH:MM") of every reminder slot; slots fall on NRW working days only. */
  sendAt: string;
  /** A reminder whose slot is more than this many minutes before `now` is marked late. */
  lateAfterMinutes: number;
  annual: {
    /** "MM-DD": nothing held or planned by then: notice to the organisers. null disables. */
    organisers: string | null;
    /** "MM-DD": still nothing: notice to the leaders (role leader/leitung). null disables. */
    leaders: string | null;
    /** "MM-DD" dates of escalations to the leaders. */
    escalations: string[];
    /** Months (1–12) in which every Monday brings another escalation to the leaders. */
    escalationMondaysInMonths: number[];
    /** "MM-DD" of the FOLLOWING year: "overdue for <year>" to the leaders and the reporters (LZPD). null disables. */
    overdue: string | null;
  };
  record: {
    /** Calendar days after the conference's Berlin date on which the organisers are asked to record the outcome. */
    promptDaysAfter: number[];
  };
  rsvp: {
    /** Calendar days before the conference's Berlin date on which silent invitees are nudged. */
    nudgeDaysBefore: number[];
  };
  report: {
    /** "MM-DD" dates on which the LZPD is reminded that the annual report is due by 31 August (decree §5). */
    lzpdReminders: string[];
    /** The years `bericht` covers when no year is given: the previous calendar year and/or the current one to date. */
    period: "previous+current" | "previous" | "current";
  };
  exercise: {
    /** "MM-DD" dates on which the organisers of a KPB without a crisis-staff exercise attended that year are reminded; the first is also where the exercise track turns "at risk". */
    reminders: string[];
  };
}

/**
 * The defaults (issue 5). Every nominal date that is not a working day moves to the next working day,
 * except RSVP nudges, which move to the working day before: a nudge must arrive before the conference.
 */
export const DEFAULT_REMINDER_POLICY: ReminderPolicy = {
  sendAt: "09:00",
  lateAfterMinutes: 60,
  annual: {
    organisers: "07-01",
    leaders: "09-01",
    escalations: ["10-01", "11-01"],
    escalationMondaysInMonths: [12],
    overdue: "01-02",
  },
  record: {
    // The next day, and again a week after that.
    promptDaysAfter: [1, 8],
  },
  rsvp: {
    nudgeDaysBefore: [14, 3],
  },
  report: {
    lzpdReminders: ["08-01", "08-24"],
    period: "previous+current",
  },
  exercise: {
    reminders: ["10-01"],
  },
};

const monthDay = z.string().refine(
  (s) => {
    try {
      parseMonthDay(s);
      return true;
    } catch {
      return false;
    }
  },
  { message: "expected MM-DD (a day every year has, so not 02-29)" },
);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "expected HH:MM");
const days = z.array(z.number().int().min(1).max(366));
const D = DEFAULT_REMINDER_POLICY;

/** An operator file may override any part; what it leaves out keeps the default. */
export const reminderPolicySchema = z.object({
  sendAt: hhmm.default(D.sendAt),
  lateAfterMinutes: z.number().int().min(0).default(D.lateAfterMinutes),
  annual: z
    .object({
      organisers: monthDay.nullable().default(D.annual.organisers),
      leaders: monthDay.nullable().default(D.annual.leaders),
      escalations: z.array(monthDay).default(() => [...D.annual.escalations]),
      escalationMondaysInMonths: z
        .array(z.number().int().min(1).max(12))
        .default(() => [...D.annual.escalationMondaysInMonths]),
      overdue: monthDay.nullable().default(D.annual.overdue),
    })
    .prefault({}),
  record: z.object({ promptDaysAfter: days.default(() => [...D.record.promptDaysAfter]) }).prefault({}),
  rsvp: z.object({ nudgeDaysBefore: days.default(() => [...D.rsvp.nudgeDaysBefore]) }).prefault({}),
  report: z
    .object({
      lzpdReminders: z.array(monthDay).default(() => [...D.report.lzpdReminders]),
      period: z.enum(["previous+current", "previous", "current"]).default(D.report.period),
    })
    .prefault({}),
  exercise: z.object({ reminders: z.array(monthDay).default(() => [...D.exercise.reminders]) }).prefault({}),
});

export type AnnualReminderContext = {
  kind: "annual";
  track: Track;
  year: number;
  /** Last Berlin day by which a conference must be held. */
  deadline: string;
};
export type RecordReminderContext = {
  kind: "record";
  /** Berlin date of the conference. */
  conferenceDate: string;
  startsAt: Date;
  daysAfter: number;
};
export type RsvpReminderContext = {
  kind: "rsvp";
  conferenceDate: string;
  startsAt: Date;
  daysBefore: number;
};
export type DeadlineReminderContext = {
  kind: "deadline";
  /** The answer deadline that passed, "YYYY-MM-DD". */
  deadline: string;
  startsAt: Date;
  /** The invited agencies still without an answer at `now`. */
  silentPartnerAgencyIds: number[];
};
export type ReminderContext = AnnualReminderContext | RecordReminderContext | RsvpReminderContext | DeadlineReminderContext;

export interface DueReminder {
  /** Deterministic and unique per instance; the outbox's unique key. */
  dedupKey: string;
  rule: ReminderRule;
  kpbId: number;
  track: Track;
  /** The calendar year the reminder is about (for conference rules: the conference's Berlin year). */
  year: number;
  conferenceId?: number;
  contactId?: number;
  audience: ReminderAudience;
  /** The UTC instant of the slot (policy.sendAt, Europe/Berlin, on a working day). */
  dueAt: Date;
  /** The slot's Berlin date, "YYYY-MM-DD". */
  dueDate: string;
  /** The slot lies more than policy.lateAfterMinutes before `now` (the bot was down or behind). */
  late: boolean;
  context: ReminderContext;
}

export interface DueRemindersInput {
  kpbs: readonly KpbFacts[];
  conferences: readonly ConferenceFacts[];
  invitations: readonly InvitationFacts[];
  /** Exclusive lower bound of the window: the previous sweep's `now`. */
  since: Date;
  /** Inclusive upper bound; conditions are judged at this instant. */
  now: Date;
  policy?: ReminderPolicy;
}

const DAY_MS = 86_400_000;
// Generous bound on how far a working-day shift can move a date (longest NRW run of days off is 4).
const SHIFT_SLACK_DAYS = 10;

interface AnnualSlot {
  rule: ReminderRule;
  audience: ReminderAudience;
  dueDate: string;
  dueAt: Date;
  /** The rule is about the running year: pointless once the year is over (the overdue notice takes over). */
  onlyDuringYear: boolean;
}

/** Every annual slot of a year, in time order, one per (rule, due date). */
export function annualSlots(year: number, policy: ReminderPolicy = DEFAULT_REMINDER_POLICY): AnnualSlot[] {
  const slots: AnnualSlot[] = [];
  const seen = new Set<string>();
  const add = (rule: ReminderRule, audience: ReminderAudience, nominal: string, onlyDuringYear: boolean): void => {
    const dueDate = nextWorkingDayOnOrAfter(nominal);
    // Two nominal dates that shift onto the same working day make one reminder, not two.
    const key = `${rule}:${dueDate}`;
    if (seen.has(key)) return;
    seen.add(key);
    slots.push({ rule, audience, dueDate, dueAt: berlinInstant(dueDate, policy.sendAt), onlyDuringYear });
  };
  const a = policy.annual;
  if (a.organisers !== null) add("annual.organisers", "organisers", `${year}-${parseMonthDay(a.organisers)}`, true);
  if (a.leaders !== null) add("annual.leaders", "leaders", `${year}-${parseMonthDay(a.leaders)}`, true);
  const escalations = a.escalations.map((md) => `${year}-${parseMonthDay(md)}`);
  for (const month of a.escalationMondaysInMonths) {
    const first = isoDate(year, month, 1);
    let day = addDays(first, (8 - isoWeekday(first)) % 7);
    while (Number(day.slice(5, 7)) === month) {
      escalations.push(day);
      day = addDays(day, 7);
    }
  }
  for (const nominal of escalations.sort()) add("annual.escalation", "leaders", nominal, true);
  if (a.overdue !== null) add("annual.overdue", "leaders+reporters", `${year + 1}-${parseMonthDay(a.overdue)}`, false);
  return slots.sort((x, y) => x.dueAt.getTime() - y.dueAt.getTime());
}

const TRACK_INDEX: Record<Track, number> = { siko: 0, "siko-ap": 1 };

/**
 * The Berlin years with annual slots due in the window (since, now], and those slots. A year's slots run from
 * its first threshold to early in the next year, so only the current and the previous Berlin year can have
 * one in the window (longer outages lose the older years on purpose). Empty in most sweeps: the sweep then
 * needs no year's conferences, only those near the window.
 */
export function annualSlotsInWindow(since: Date, now: Date, policy: ReminderPolicy = DEFAULT_REMINDER_POLICY): Array<{ year: number; slots: AnnualSlot[] }> {
  const sinceMs = since.getTime();
  const nowMs = now.getTime();
  const nowYear = berlinYearOf(now);
  const firstYear = Math.max(nowYear - 1, berlinYearOf(since) - 1);
  const years: Array<{ year: number; slots: AnnualSlot[] }> = [];
  for (let year = firstYear; year <= nowYear; year++) {
    const yearOver = nowMs >= berlinYearStart(year + 1).getTime();
    const slots = annualSlots(year, policy).filter((s) => s.dueAt.getTime() > sinceMs && s.dueAt.getTime() <= nowMs && !(s.onlyDuringYear && yearOver));
    if (slots.length > 0) years.push({ year, slots });
  }
  return years;
}

/**
 * Every reminder instance whose slot lies in (since, now] and whose condition still holds at `now`.
 * Linear in kpbs + conferences + invitations: facts are grouped once in Maps, and only the years and
 * conferences that can have a slot in the window are looked at. Output order: annual reminders by KPB
 * (input order) and slot, then record prompts and RSVP nudges in conference/invitation input order.
 *
 * Annual rules (per KPB and applicable track, for the current Berlin year and the previous one):
 * organisers/leaders/escalation need "nothing held and nothing planned/invited in that year" at `now`
 * and are dropped once the year is over; the overdue notice needs "nothing recorded held".
 * record.prompt: a planned/invited conference whose start passed (not held, not cancelled).
 * rsvp.nudge: an invitation without an answer to a planned/invited conference still ahead at `now`,
 * and the slot itself lies before the start.
 * rsvp.deadline: the working day after an answer deadline (`einladen --frist`), the organisers get the list
 * of agencies that are still silent, if any, while the conference is still ahead.
 */
export function dueReminders(input: DueRemindersInput): DueReminder[] {
  const policy = input.policy ?? DEFAULT_REMINDER_POLICY;
  const sinceMs = input.since.getTime();
  const nowMs = input.now.getTime();
  const out: DueReminder[] = [];
  if (!(nowMs > sinceMs)) return out;

  const lateMs = policy.lateAfterMinutes * 60_000;
  const inWindow = (dueAt: Date): boolean => dueAt.getTime() > sinceMs && dueAt.getTime() <= nowMs;
  const isLate = (dueAt: Date): boolean => nowMs - dueAt.getTime() > lateMs;

  // ---- annual rules -------------------------------------------------------------------------------
  const years = annualSlotsInWindow(input.since, input.now, policy);

  if (years.length > 0) {
    const yearLo = years[0]!.year;
    const loMs = berlinYearStart(yearLo).getTime();
    const hiMs = berlinYearStart(years[years.length - 1]!.year + 1).getTime();
    // Numeric keys: ((kpbId * 2 + track) * 4 + year offset); at most two years are ever relevant.
    const keyOf = (kpbId: number, track: Track, year: number): number => (kpbId * 2 + TRACK_INDEX[track]) * 4 + (year - yearLo);
    const summaries = new Map<number, YearSummary>();
    for (const c of input.conferences) {
      const t = c.startsAt.getTime();
      if (t < loMs || t >= hiMs) continue;
      const key = keyOf(c.kpbId, c.track, berlinYearOf(c.startsAt));
      let summary = summaries.get(key);
      if (!summary) summaries.set(key, (summary = {}));
      summariseInto(summary, c, nowMs);
    }
    for (const kpb of input.kpbs) {
      for (const track of tracksOf(kpb)) {
        for (const { year, slots } of years) {
          const s = summaries.get(keyOf(kpb.id, track, year));
          if (s?.held) continue;
          const planned = s !== undefined && (s.upcoming !== undefined || s.awaitingRecord !== undefined);
          for (const slot of slots) {
            if (slot.rule !== "annual.overdue" && planned) continue;
            out.push({
              dedupKey: `${slot.rule}:kpb=${kpb.id}:${track}:${year}:${slot.dueDate}`,
              rule: slot.rule,
              kpbId: kpb.id,
              track,
              year,
              audience: slot.audience,
              dueAt: slot.dueAt,
              dueDate: slot.dueDate,
              late: isLate(slot.dueAt),
              context: { kind: "annual", track, year, deadline: isoDate(year, 12, 31) },
            });
          }
        }
      }
    }
  }

  // ---- conference rules ---------------------------------------------------------------------------
  const maxAfter = Math.max(0, ...policy.record.promptDaysAfter);
  const maxBefore = Math.max(0, ...policy.rsvp.nudgeDaysBefore);
  // Cheap instant bounds first; the Berlin date is only worked out for conferences that can qualify.
  const recordFromMs = sinceMs - (maxAfter + SHIFT_SLACK_DAYS) * DAY_MS;
  const nudgeUntilMs = nowMs + (maxBefore + SHIFT_SLACK_DAYS) * DAY_MS;
  const nudgeSlots = new Map<number, Array<{ conference: ConferenceFacts; conferenceDate: string; daysBefore: number; dueDate: string; dueAt: Date }>>();

  for (const c of input.conferences) {
    if (c.status !== "planned" && c.status !== "invited") continue;
    const t = c.startsAt.getTime();
    if (t <= nowMs && t >= recordFromMs && policy.record.promptDaysAfter.length > 0) {
      const conferenceDate = berlinDateOf(c.startsAt);
      const seen = new Set<string>();
      for (const daysAfter of policy.record.promptDaysAfter) {
        const dueDate = nextWorkingDayOnOrAfter(addDays(conferenceDate, daysAfter));
        if (seen.has(dueDate)) continue;
        seen.add(dueDate);
        const dueAt = berlinInstant(dueDate, policy.sendAt);
        if (!inWindow(dueAt) || dueAt.getTime() <= t) continue;
        out.push({
          dedupKey: `record.prompt:conf=${c.id}:${conferenceDate}:+${daysAfter}d`,
          rule: "record.prompt",
          kpbId: c.kpbId,
          track: c.track,
          year: berlinYearOf(c.startsAt),
          conferenceId: c.id,
          audience: "organisers",
          dueAt,
          dueDate,
          late: isLate(dueAt),
          context: { kind: "record", conferenceDate, startsAt: c.startsAt, daysAfter },
        });
      }
    } else if (t > nowMs && t <= nudgeUntilMs && policy.rsvp.nudgeDaysBefore.length > 0) {
      const conferenceDate = berlinDateOf(c.startsAt);
      const seen = new Set<string>();
      for (const daysBefore of policy.rsvp.nudgeDaysBefore) {
        // A nudge after the date is useless, so a day off moves it to the working day BEFORE.
        const dueDate = previousWorkingDayOnOrBefore(addDays(conferenceDate, -daysBefore));
        if (seen.has(dueDate)) continue;
        seen.add(dueDate);
        const dueAt = berlinInstant(dueDate, policy.sendAt);
        if (!inWindow(dueAt) || dueAt.getTime() >= t) continue;
        let list = nudgeSlots.get(c.id);
        if (!list) nudgeSlots.set(c.id, (list = []));
        list.push({ conference: c, conferenceDate, daysBefore, dueDate, dueAt });
      }
    }
  }

  // Answer deadlines: the slot is the first working day after the deadline, so the whole day counts.
  const deadlineSlots = new Map<number, { conference: ConferenceFacts; deadline: string; dueDate: string; dueAt: Date }>();
  for (const c of input.conferences) {
    if ((c.status !== "planned" && c.status !== "invited") || !c.rsvpDeadline || c.startsAt.getTime() <= nowMs) continue;
    const dueDate = nextWorkingDayOnOrAfter(addDays(c.rsvpDeadline, 1));
    const dueAt = berlinInstant(dueDate, policy.sendAt);
    if (inWindow(dueAt) && dueAt.getTime() < c.startsAt.getTime()) deadlineSlots.set(c.id, { conference: c, deadline: c.rsvpDeadline, dueDate, dueAt });
  }
  if (deadlineSlots.size > 0) {
    const silent = new Map<number, Set<number>>();
    for (const inv of input.invitations) {
      if (inv.answer !== null || !deadlineSlots.has(inv.conferenceId)) continue;
      let set = silent.get(inv.conferenceId);
      if (!set) silent.set(inv.conferenceId, (set = new Set()));
      set.add(inv.partnerAgencyId);
    }
    for (const [id, d] of deadlineSlots) {
      const agencies = silent.get(id);
      if (!agencies) continue;
      const c = d.conference;
      out.push({
        dedupKey: `rsvp.deadline:conf=${c.id}:${d.deadline}`,
        rule: "rsvp.deadline",
        kpbId: c.kpbId,
        track: c.track,
        year: berlinYearOf(c.startsAt),
        conferenceId: c.id,
        audience: "organisers",
        dueAt: d.dueAt,
        dueDate: d.dueDate,
        late: isLate(d.dueAt),
        context: { kind: "deadline", deadline: d.deadline, startsAt: c.startsAt, silentPartnerAgencyIds: [...agencies].sort((a, b) => a - b) },
      });
    }
  }

  if (nudgeSlots.size > 0) {
    for (const inv of input.invitations) {
      if (inv.answer !== null) continue;
      const list = nudgeSlots.get(inv.conferenceId);
      if (!list) continue;
      for (const n of list) {
        const c = n.conference;
        out.push({
          dedupKey: `rsvp.nudge:conf=${c.id}:contact=${inv.contactId}:${n.conferenceDate}:${n.daysBefore}d`,
          rule: "rsvp.nudge",
          kpbId: c.kpbId,
          track: c.track,
          year: berlinYearOf(c.startsAt),
          conferenceId: c.id,
          contactId: inv.contactId,
          audience: "contact",
          dueAt: n.dueAt,
          dueDate: n.dueDate,
          late: isLate(n.dueAt),
          context: { kind: "rsvp", conferenceDate: n.conferenceDate, startsAt: c.startsAt, daysBefore: n.daysBefore },
        });
      }
    }
  }
  return out;
}

/** "MM-DD" from which a year without a conference counts as at risk: the day the organisers are first reminded. */
export function annualThreshold(policy: ReminderPolicy): string {
  return policy.annual.organisers ?? DEFAULT_FIRST_THRESHOLD;
}

/** "MM-DD" from which a year without a crisis-staff exercise counts as at risk: the first exercise reminder. */
export function exerciseThreshold(policy: ReminderPolicy): string {
  return policy.exercise.reminders[0] ?? DEFAULT_EXERCISE_THRESHOLD;
}

/** What an operator file may contain: any subset of the policy. */
export type ReminderPolicyInput = z.input<typeof reminderPolicySchema>;
// Compile-time check that the schema's output is exactly the documented policy type.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesPolicy: Same<z.output<typeof reminderPolicySchema>, ReminderPolicy> = true;
void schemaMatchesPolicy;
