// What a reminder says, in the reader's language: what is missing, by when, and what to type next.
// Pure apart from the catalogue; the scheduler hands in the facts it already loaded.
import { titleOf, rsvpButtons } from "./conference.ts";
import { translator, type Translator } from "./i18n/catalogue.ts";
import type { ConferenceFacts } from "../domain/conference.ts";
import { formatDate as formatDateRaw, formatDateTime as formatDateTimeRaw } from "../domain/dates.ts";
import { addDays, berlinDateOf, isWorkingDay } from "../domain/holidays.ts";
import type { Locale, Track } from "../domain/types.ts";
import type { OutboundMessage } from "../port.ts";
import type { DueReminder } from "../domain/reminderPolicy.ts";

/** Why an address receives a reminder (the LZPD reads the overdue notices in one digest instead). */
export type RecipientRole = "organiser" | "room" | "leader" | "contact";

const DAY_MS = 86_400_000;

// A sweep formats the same few dates thousands of times; a lookup costs a fifth of writing one (even without
// luxon, domain/dates.ts), so the results are kept.
const formatted = new Map<string, string>();
function memo(key: string, f: () => string): string {
  let v = formatted.get(key);
  if (v === undefined) {
    if (formatted.size > 10_000) formatted.clear();
    formatted.set(key, (v = f()));
  }
  return v;
}
const formatDate = (d: Date | string, locale: Locale) => memo(`d:${locale}:${typeof d === "string" ? d : d.getTime()}`, () => formatDateRaw(d, locale));
const formatDateTime = (d: Date, locale: Locale) => memo(`t:${locale}:${d.getTime()}`, () => formatDateTimeRaw(d, locale));
/** How far ahead a suggested date lies: partners need time to arrange for their head of office to attend. */
export const SUGGEST_NOTICE_DAYS = 14;

export interface PlanSuggestion {
  /** A working day of the year at stake, "YYYY-MM-DD". */
  date: string;
  /** Less than 14 days ahead: the last chance the year still offers. */
  shortNotice: boolean;
}

/**
 * The date a reminder suggests for `planen`: a working day inside `year`, because only a SiKo in the year counts
 * for it. The first working day at least 14 days after `today` if the year still has it; otherwise the last
 * working day still ahead, before Christmas Eve if possible (24 and 31 December are half days in most offices),
 * marked as short notice; null when no working day of the year is left: the year can no longer be met.
 */
export function suggestPlanDate(today: string, year: number): PlanSuggestion | null {
  let soon = addDays(today, SUGGEST_NOTICE_DAYS);
  while (!isWorkingDay(soon)) soon = addDays(soon, 1);
  if (Number(soon.slice(0, 4)) <= year) return { date: soon, shortNotice: false };
  for (const last of [`${year}-12-23`, `${year}-12-30`])
    for (let d = last; d > today; d = addDays(d, -1)) if (isWorkingDay(d) && !d.endsWith("-12-24")) return { date: d, shortNotice: true };
  return null;
}

export function planCommand(t: Translator, track: Track, date: string): string {
  return t("reminder.cmd.plan", { date, track: track === "siko-ap" ? t("reminder.cmd.trackFlag") : "" });
}

/**
 * What to suggest for a year that still needs a conference: `planen` on a date inside it, with a note when it
 * is short notice; or, when the year has no working day left, a plain statement that it can no longer be met
 * and `planen` for the next year.
 */
export function planAdvice(t: Translator, track: Track, today: string, year: number): { plan: string; note: string; lost: boolean } {
  const s = suggestPlanDate(today, year);
  if (s) return { plan: planCommand(t, track, s.date), note: s.shortNotice ? t("reminder.shortNotice", { year }) : "", lost: false };
  const next = suggestPlanDate(today, year + 1)!;
  return { plan: planCommand(t, track, next.date), note: t("reminder.yearLost", { year, next: year + 1, track: t(`track.${track}`) }), lost: true };
}

/** Whole days from the Berlin day `today` to `deadline` ("YYYY-MM-DD"), never negative. */
export function daysUntil(today: string, deadline: string): number {
  return Math.max(0, Math.round((Date.parse(deadline) - Date.parse(today)) / DAY_MS));
}

export interface ReminderFacts {
  kpbName: string;
  /** The KPB's short name, which a typed answer names (`zusage koeln#1`). */
  kpbSlug: string;
  /** The conference of a record prompt or RSVP nudge. */
  conference?: ConferenceFacts;
  /** The invited agency of an RSVP nudge. */
  partnerName?: string;
  partnerAgencyId?: number;
  /** Overdue notices: the conference of the year that took place but was never recorded as held. */
  unrecorded?: ConferenceFacts;
  /** Answer-deadline notices: the agencies still silent. */
  silentPartners?: string[];
  /** Of those, the ones none of whose invited contacts has an address on an active platform: nobody reminds them. */
  unreachablePartners?: string[];
  /** A record prompt after the first one ("second request"). */
  repeated?: boolean;
  now: Date;
  /** Late because the clock was moved past the slot (the simulated clock), not because the bot was down. */
  clockMoved?: boolean;
  /** Overdue notices: the LZPD was sent the digest, so the leaders may be told so. */
  lzpdTold?: boolean;
}

export function reminderMessage(r: DueReminder, role: RecipientRole, facts: ReminderFacts, locale: Locale): OutboundMessage {
  const t = translator(locale);
  const today = berlinDateOf(facts.now);
  const track = t(`track.${r.track}`);
  const base = { kpb: facts.kpbName, year: r.year, track };
  let text: string;
  let buttons: OutboundMessage["buttons"];
  let rsvp: OutboundMessage["rsvp"];
  switch (r.rule) {
    case "annual.organisers":
    case "annual.leaders":
    case "annual.escalation": {
      const deadline = `${r.year}-12-31`;
      const advice = planAdvice(t, r.track, today, r.year);
      text =
        t(`reminder.${r.rule}`, {
          ...base,
          deadline: formatDate(deadline, locale),
          daysLeft: daysUntil(today, deadline),
          plan: advice.plan,
          ack: t("reminder.cmd.ack", { track: r.track, year: r.year }),
        }) + (advice.note ? `\n${advice.note}` : "");
      break;
    }
    case "annual.overdue": {
      const deadline = formatDate(`${r.year}-12-31`, locale);
      // The year is over: the next conference can only count for the running year.
      const plan = planAdvice(t, r.track, today, Number(today.slice(0, 4))).plan;
      const lzpd = facts.lzpdTold ? t("reminder.lzpdTold") : "";
      const u = facts.unrecorded;
      text = u
        ? t("reminder.annual.overdue.leaderUnrecorded", {
            ...base,
            deadline,
            lzpd,
            title: titleOf(u, t),
            when: formatDateTime(u.startsAt, locale),
            held: t("reminder.cmd.held", { id: u.number }),
            plan,
          })
        : t("reminder.annual.overdue.leader", { ...base, deadline, lzpd, plan });
      break;
    }
    case "record.prompt": {
      const c = facts.conference!;
      text = t("reminder.record", {
        ...base,
        again: facts.repeated ? t("reminder.record.again") : "",
        title: titleOf(c, t),
        when: formatDateTime(c.startsAt, locale),
        held: t("reminder.cmd.held", { id: c.number }),
      });
      break;
    }
    case "rsvp.nudge": {
      const c = facts.conference!;
      text = t("reminder.rsvp", {
        ...base,
        title: titleOf(c, t),
        when: formatDateTime(c.startsAt, locale),
        partner: facts.partnerName ?? "–",
      });
      buttons = rsvpButtons(c, { slug: facts.kpbSlug }, t);
      // The answer state is filled in when the nudge is sent, and kept current by edits afterwards.
      if (facts.partnerAgencyId !== undefined)
        rsvp = { conferenceId: c.id, partnerAgencyId: facts.partnerAgencyId, startsAt: c.startsAt.toISOString(), state: "open", answer: [] };
      break;
    }
    case "rsvp.deadline": {
      const c = facts.conference!;
      const deadline = r.context.kind === "deadline" ? r.context.deadline : r.dueDate;
      text = t("reminder.deadline", {
        ...base,
        title: titleOf(c, t),
        when: formatDateTime(c.startsAt, locale),
        deadline: formatDate(deadline, locale),
        silent: (facts.silentPartners ?? []).map((n) => `- ${n}${facts.unreachablePartners?.includes(n) ? t("reminder.deadline.noAddress") : ""}`).join("\n"),
        id: c.number,
      });
      break;
    }
  }
  if (r.late) text += `\n${lateNote(t, r.dueAt, locale, facts.clockMoved === true)}`;
  return { text, locale, kind: "reminder", ...(buttons ? { buttons } : {}), ...(rsvp ? { rsvp } : {}) };
}

/** Why a reminder comes late: the bot was down, or the (simulated) clock was moved past its slot. */
export function lateNote(t: Translator, dueAt: Date, locale: Locale, clockMoved: boolean): string {
  return t(clockMoved ? "reminder.lateClock" : "reminder.late", { due: formatDateTime(dueAt, locale) });
}

export interface OverdueDigestRow {
  kpb: string;
  track: Track;
  /** A conference of the year took place by its date but was never recorded as held. */
  unrecorded: boolean;
  /** The KPB uses the bot (domain/connection.ts); one that does not is listed apart, not as overdue. */
  connected: boolean;
  /** A message went to at least one of the KPB's leaders in the same run. */
  leadersTold: boolean;
}

export interface OverdueDigest {
  year: number;
  dueDate: string;
  dueAt: Date;
  late: boolean;
  rows: OverdueDigestRow[];
}

/**
 * The LZPD's overdue notice: every KPB concerned in one message, a line per KPB with its tracks and whether its
 * leadership was told (only where a message went to a leader), and the KPBs that do not use the bot apart.
 * States only, no dates of conferences (R9).
 */
export function overdueDigestMessage(d: OverdueDigest, locale: Locale, facts: { clockMoved: boolean }): OutboundMessage {
  const t = translator(locale);
  const byKpb = new Map<string, OverdueDigestRow[]>();
  for (const row of d.rows) byKpb.set(row.kpb, [...(byKpb.get(row.kpb) ?? []), row]);
  const kpbs = [...byKpb.keys()].sort((a, b) => a.localeCompare(b, "de"));
  const overdue = kpbs.filter((k) => byKpb.get(k)!.some((r) => r.connected));
  const apart = kpbs.filter((k) => !overdue.includes(k));
  const lines = [t("reminder.digest.title", { year: d.year, deadline: formatDate(`${d.year}-12-31`, locale) })];
  if (overdue.length === 0) lines.push(t("reminder.digest.allHeld", { year: d.year }));
  else {
    lines.push(t("reminder.digest.overdue", { count: overdue.length, year: d.year }), t("reminder.digest.header"));
    for (const kpb of overdue) {
      const rows = byKpb.get(kpb)!;
      const tracks = rows.map((r) => t(`track.${r.track}`) + (r.unrecorded ? t("reminder.digest.unrecorded") : "")).join(", ");
      lines.push(t("reminder.digest.row", { kpb, tracks, told: t(rows.some((r) => r.leadersTold) ? "reminder.digest.told" : "reminder.digest.notTold") }));
    }
  }
  if (apart.length > 0) lines.push(t("reminder.digest.notConnected", { count: apart.length, kpbs: apart.join(", ") }));
  lines.push(t("reminder.digest.footer", { year: d.year }));
  if (d.late) lines.push(lateNote(t, d.dueAt, locale, facts.clockMoved));
  return { text: lines.join("\n"), locale };
}
