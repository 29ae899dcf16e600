// What `uebersicht` and `quittieren` share: the annual-minimum state of a KPB's tracks from the database,
// the latest acknowledgement, and the next step to suggest.
import { and, desc, eq, gte, lt } from "drizzle-orm";
import { evaluateTrack, type TrackEvaluation } from "../../domain/annualMinimum.ts";
import type { Clock } from "../../domain/clock.ts";
import type { ConferenceFacts } from "../../domain/conference.ts";
import { berlinDateOf, berlinYearOf, berlinYearStart, nextWorkingDayOnOrAfter } from "../../domain/holidays.ts";
import type { Track } from "../../domain/types.ts";
import type { Tx } from "../../db/client.ts";
import { connectionFacts } from "../../db/directory.ts";
import { firstWatchedYear } from "../../db/meta.ts";
import { isConnected } from "../../domain/connection.ts";
import * as s from "../../db/schema.ts";
import { planAdvice, planCommand } from "../../messages/reminders.ts";
import { annualThreshold, type ReminderPolicy } from "../../domain/reminderPolicy.ts";
import type { KpbRow } from "../../db/schema.ts";
import type { Translator } from "../../messages/i18n/catalogue.ts";

export type AckRow = typeof s.escalationAcks.$inferSelect;

const facts = {
  id: s.conferences.id,
  number: s.conferences.number,
  kpbId: s.conferences.kpbId,
  track: s.conferences.track,
  startsAt: s.conferences.startsAt,
  endsAt: s.conferences.endsAt,
  status: s.conferences.status,
};

/** Conferences of one Berlin year, of one KPB or (kpbId undefined) of all. */
export function conferencesOfYear(tx: Tx, year: number, kpbId?: number): ConferenceFacts[] {
  const inYear = and(gte(s.conferences.startsAt, berlinYearStart(year)), lt(s.conferences.startsAt, berlinYearStart(year + 1)));
  return tx
    .select(facts)
    .from(s.conferences)
    .where(kpbId === undefined ? inYear : and(eq(s.conferences.kpbId, kpbId), inYear))
    .orderBy(s.conferences.startsAt)
    .all();
}

/** What the state of a track depends on besides its conferences: whether the KPB uses the bot, since when it watches. */
export interface Watch {
  connected: boolean;
  watchedFrom: number | undefined;
}

/** The watch facts of every KPB, read once: connected ones by isConnected, the first watched year from meta. */
export function watchOf(tx: Tx): (kpbId: number) => Watch {
  const connections = connectionFacts(tx);
  const watchedFrom = firstWatchedYear(tx);
  return (kpbId) => ({ connected: isConnected(connections.get(kpbId)), watchedFrom });
}

export function evaluate(
  kpb: Pick<KpbRow, "hasMotorwayPolice">,
  track: Track,
  year: number,
  conferences: readonly ConferenceFacts[],
  clock: Clock,
  policy: ReminderPolicy,
  watch: Watch,
): TrackEvaluation {
  return evaluateTrack({ track, year, conferences, hasMotorwayPolice: kpb.hasMotorwayPolice, ...watch, policy: { firstThreshold: annualThreshold(policy) } }, clock);
}

/** The most recent acknowledgement per track of a KPB and year. */
export function latestAcks(tx: Tx, year: number, kpbId?: number): Map<string, AckRow> {
  const a = s.escalationAcks;
  const rows = tx
    .select()
    .from(a)
    .where(kpbId === undefined ? eq(a.year, year) : and(eq(a.year, year), eq(a.kpbId, kpbId)))
    .orderBy(desc(a.dueDate), desc(a.id))
    .all();
  const out = new Map<string, AckRow>();
  for (const r of rows) if (!out.has(`${r.kpbId}:${r.track}`)) out.set(`${r.kpbId}:${r.track}`, r);
  return out;
}

/** The `planen` to suggest when a year still needs a conference, and a note when the year is tight or lost. */
export function suggestionFor(year: number, track: Track, t: Translator, clock: Clock): { plan: string; note: string } {
  const now = clock.now();
  const nowYear = berlinYearOf(now);
  // A future year: spring, the usual season; a past year cannot be helped, so plan for the running one.
  if (year > nowYear) return { plan: planCommand(t, track, nextWorkingDayOnOrAfter(`${year}-03-01`)), note: "" };
  return planAdvice(t, track, berlinDateOf(now), Math.max(year, nowYear));
}

/** The command that moves a track on (with a note when the year is tight or lost), or null when nothing is to do. */
export function nextStep(
  ev: TrackEvaluation,
  track: Track,
  year: number,
  conferences: readonly ConferenceFacts[],
  t: Translator,
  clock: Clock,
): { command: string; note?: string } | null {
  const conf = conferences.find((c) => c.id === ev.reason.conferenceId);
  switch (ev.reason.code) {
    case "held":
    case "no-motorway-police":
    case "before-watch":
    case "not-connected":
      return null;
    case "upcoming":
      return { command: conf?.status === "planned" ? t("reminder.cmd.invite", { id: conf.number }) : t("reminder.cmd.status", { id: conf?.number ?? "" }) };
    case "awaiting-record":
    case "unrecorded":
      return { command: t("reminder.cmd.held", { id: conf?.number ?? "" }) };
    case "before-threshold":
    case "nothing-planned":
    case "none-held": {
      const s = suggestionFor(year, track, t, clock);
      return { command: s.plan, note: s.note };
    }
  }
}
