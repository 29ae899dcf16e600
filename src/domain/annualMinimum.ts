// The annual minimum (decree §2, rules R1 and R2): every KPB holds a SiKo at least once per calendar
// year, KPBs with motorway police also a SiKo-AP. This module says, for one KPB, track and year, where
// it stands at the clock's time. Pure: it takes facts and a Clock.
import type { Clock } from "./clock.ts";
import type { ConferenceFacts } from "./conference.ts";
import type { Track } from "./types.ts";
import { berlinInstant, berlinYearOf, berlinYearStart, isoDate } from "./holidays.ts";

export const TRACK_STATES = ["held", "scheduled", "at-risk", "overdue", "pending", "not-connected", "untracked", "not-applicable"] as const;
export type TrackState = (typeof TRACK_STATES)[number];

export type TrackReasonCode =
  /** held: a conference of the year is recorded as held. */
  | "held"
  /** scheduled: a planned or invited conference of the year starts in the future. */
  | "upcoming"
  /** scheduled: its date passed but nobody recorded it as held yet (see below). */
  | "awaiting-record"
  /** pending: before the first threshold, nothing planned yet; no alarm. */
  | "before-threshold"
  /** at-risk: past the threshold, the year runs, nothing held or planned. */
  | "nothing-planned"
  /** overdue: the year ended; a conference took place by its date but was never recorded as held. */
  | "unrecorded"
  /** overdue: the year ended without any conference held. */
  | "none-held"
  /** not-connected: the KPB does not use the bot (no organiser, no bound room; domain/connection.ts). */
  | "not-connected"
  /** untracked: the year ended before the bot began watching; whether a conference took place it cannot know. */
  | "before-watch"
  /** not-applicable: SiKo-AP for a KPB without motorway police. */
  | "no-motorway-police";

export interface TrackReason {
  code: TrackReasonCode;
  /** The conference the state rests on (held, upcoming, awaiting-record, unrecorded). */
  conferenceId?: number;
  startsAt?: Date;
  /** Berlin date from which nothing planned counts as at risk ("YYYY-MM-DD"). */
  threshold?: string;
  /** Last Berlin day of the year, by which a conference must be held ("YYYY-MM-DD"). */
  deadline?: string;
}

export interface TrackEvaluation {
  state: TrackState;
  reason: TrackReason;
}

export const DEFAULT_FIRST_THRESHOLD = "07-01";

export interface EvaluateTrackInput {
  track: Track;
  year: number;
  /** May hold other KPBs' tracks and years too; only this track and Berlin year count. Pass one KPB's list. */
  conferences: readonly ConferenceFacts[];
  hasMotorwayPolice: boolean;
  /** Whether the KPB uses the bot (isConnected); default true. A KPB that does not is never at risk or overdue. */
  connected?: boolean;
  /** The first Berlin year the bot watched; an earlier year without a recorded conference is untracked, not overdue. */
  watchedFrom?: number;
  policy?: {
    /** "MM-DD": from this Berlin day on, a year with nothing held or planned is at risk. Default "07-01". */
    firstThreshold?: string;
  };
}

/** What the conferences of one (KPB, track, year) amount to; shared with the reminder sweep. */
export interface YearSummary {
  held?: ConferenceFacts;
  /** The earliest planned/invited conference still ahead at `now`. */
  upcoming?: ConferenceFacts;
  /** The latest planned/invited conference whose start already passed at `now`. */
  awaitingRecord?: ConferenceFacts;
}

/** Adds one conference (already known to belong to the year) to a summary. */
export function summariseInto(summary: YearSummary, c: ConferenceFacts, nowMs: number): void {
  switch (c.status) {
    case "held":
      if (!summary.held || c.startsAt < summary.held.startsAt) summary.held = c;
      return;
    case "cancelled":
      return;
    case "planned":
    case "invited":
      if (c.startsAt.getTime() > nowMs) {
        if (!summary.upcoming || c.startsAt < summary.upcoming.startsAt) summary.upcoming = c;
      } else if (!summary.awaitingRecord || c.startsAt > summary.awaitingRecord.startsAt) {
        summary.awaitingRecord = c;
      }
      return;
  }
}

/**
 * The state of one KPB track in one calendar year (Europe/Berlin).
 *
 * Decision on a conference whose date passed without being recorded as held: it most likely took
 * place, so during the year it counts as `scheduled` ("awaiting-record"; the organisers get record
 * prompts, not escalations). Once the year is over the decree wants proof: unless it is recorded as
 * held, the year is `overdue` ("unrecorded"). Recording it later turns the year `held`.
 */
export function evaluateTrack(input: EvaluateTrackInput, clock: Clock): TrackEvaluation {
  const { track, year } = input;
  if (track === "siko-ap" && !input.hasMotorwayPolice) {
    return { state: "not-applicable", reason: { code: "no-motorway-police" } };
  }
  const nowMs = clock.now().getTime();
  const summary: YearSummary = {};
  for (const c of input.conferences) {
    if (c.track === track && berlinYearOf(c.startsAt) === year) summariseInto(summary, c, nowMs);
  }
  const threshold = `${year}-${parseMonthDay(input.policy?.firstThreshold ?? DEFAULT_FIRST_THRESHOLD)}`;
  const ev = stateOf(summary, year, threshold, nowMs);
  if (ev.state === "held" || ev.state === "scheduled") return ev;
  if (input.watchedFrom !== undefined && year < input.watchedFrom) return { state: "untracked", reason: { code: "before-watch", deadline: ev.reason.deadline } };
  if (input.connected === false) return { state: "not-connected", reason: { code: "not-connected", deadline: ev.reason.deadline } };
  return ev;
}

/** The decision table, given a summary; `threshold` is the Berlin date "YYYY-MM-DD" of the year. */
export function stateOf(summary: YearSummary, year: number, threshold: string, nowMs: number): TrackEvaluation {
  const deadline = isoDate(year, 12, 31);
  if (summary.held) {
    return { state: "held", reason: { code: "held", conferenceId: summary.held.id, startsAt: summary.held.startsAt } };
  }
  const yearEnded = nowMs >= berlinYearStart(year + 1).getTime();
  if (yearEnded) {
    // An upcoming one cannot exist here: it would have to start after its own year ended.
    const unrecorded = summary.awaitingRecord;
    return unrecorded
      ? { state: "overdue", reason: { code: "unrecorded", conferenceId: unrecorded.id, startsAt: unrecorded.startsAt, deadline } }
      : { state: "overdue", reason: { code: "none-held", deadline } };
  }
  if (summary.upcoming) {
    const c = summary.upcoming;
    return { state: "scheduled", reason: { code: "upcoming", conferenceId: c.id, startsAt: c.startsAt, deadline } };
  }
  if (summary.awaitingRecord) {
    const c = summary.awaitingRecord;
    return { state: "scheduled", reason: { code: "awaiting-record", conferenceId: c.id, startsAt: c.startsAt, deadline } };
  }
  if (nowMs >= berlinInstant(threshold).getTime()) {
    return { state: "at-risk", reason: { code: "nothing-planned", threshold, deadline } };
  }
  return { state: "pending", reason: { code: "before-threshold", threshold, deadline } };
}

/** Validates "MM-DD" (a day that exists in every year, so no 02-29) and returns it. */
export function parseMonthDay(monthDay: string): string {
  const m = /^(\d{2})-(\d{2})$/.exec(monthDay);
  const month = m ? Number(m[1]) : 0;
  const day = m ? Number(m[2]) : 0;
  const daysIn = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (!m || daysIn === undefined || day < 1 || day > daysIn) {
    throw new RangeError(`not a month-day (MM-DD, no 02-29): ${monthDay}`);
  }
  return monthDay;
}
