// The LZPD's annual report (decree §5, R8): per KPB and track what was held, who was invited, who accepted,
// what was discussed, and whether the KPB uses the bot at all; totals per comparison group and for NRW.
// Pure: it takes facts loaded in one place (src/app/report/facts.ts) and a Clock.
import { evaluateTrack, type TrackState } from "./annualMinimum.ts";
import { mandatoryCategories, type Category } from "./categories.ts";
import type { Clock } from "./clock.ts";
import type { ConferenceFacts } from "./conference.ts";
import { evaluateExercises, type ExerciseKind, type ExerciseState } from "./exercises.ts";
import { TRACKS, type RsvpAnswer, type Track } from "./types.ts";
import { isConnected } from "./connection.ts";

export interface ReportConference extends ConferenceFacts {
  location: string | null;
  agenda: readonly string[];
  /** 1-based agenda items recorded as discussed by `durchgefuehrt`; null when not recorded. */
  discussedItems: readonly number[] | null;
  /** One per invited agency. */
  invitations: ReadonlyArray<{ category: string; answer: RsvpAnswer | null }>;
}

export interface ReportKpbFacts {
  id: number;
  name: string;
  kind: "pp" | "landrat";
  hasMotorwayPolice: boolean;
  mandatoryExtras: readonly string[];
  organisers: number;
  boundRooms: number;
  /** Conferences of the KPB in the report year (any status). */
  conferences: readonly ReportConference[];
  /** Crisis-staff exercises and job shadowing recorded for the report year. */
  exercises: ReadonlyArray<{ kind: ExerciseKind; date: string; place: string }>;
}

/** Operator-edited reference data: a group takes the KPBs of the listed kinds and the listed names. */
export interface ComparisonGroup {
  key: string;
  name: { de: string; en: string };
  kinds?: ReadonlyArray<"pp" | "landrat">;
  kpbs?: readonly string[];
}

export interface TrackReport {
  track: Track;
  /** The annual-minimum state, except that a KPB without the bot and nothing held is "not-connected". */
  state: TrackState;
  /** Start instants of the conferences recorded as held, in order. */
  heldDates: Date[];
  /** Where they were held (as typed by the organisers), in the same order; null when no place was given. */
  heldPlaces: Array<string | null>;
  /** Categories invited to the track's conferences of the year (not cancelled), sorted. */
  invitedCategories: string[];
  /** Mandatory categories that some conference of the year (not cancelled) did not invite, sorted. */
  missingMandatory: Category[];
  invitations: number;
  /** Accepted in person or by a deputy. */
  accepted: number;
  /** accepted / invitations, null without invitations. */
  acceptanceRate: number | null;
  /** Agenda topics discussed at the held conferences, first occurrence order, no repeats. */
  topicsDiscussed: string[];
}

export interface KpbReport {
  id: number;
  name: string;
  kind: "pp" | "landrat";
  connected: boolean;
  /** Keys of the comparison groups the KPB belongs to. */
  groups: string[];
  tracks: TrackReport[];
  /** The crisis-staff exercise track (decree §4): dates ("YYYY-MM-DD") and cities/districts of those attended. */
  exercise: { state: ExerciseState; dates: string[]; places: string[] };
  /** Job shadowing recorded in the year: counted, not enforced. */
  shadowing: number;
}

export interface Totals {
  kpbs: number;
  connected: number;
  /** Per track, how many KPB tracks are in each state (not-applicable tracks are left out). */
  states: Record<Track, Partial<Record<TrackState, number>>>;
  /** Per track, KPBs for which the track applies. */
  applicable: Record<Track, number>;
  heldConferences: number;
  invitations: number;
  accepted: number;
  acceptanceRate: number | null;
  /** KPBs per state of the exercise track. */
  exerciseStates: Partial<Record<ExerciseState, number>>;
  shadowing: number;
}

export interface GroupReport {
  key: string;
  name: { de: string; en: string };
  totals: Totals;
}

export interface AnnualReport {
  year: number;
  generatedAt: Date;
  kpbs: KpbReport[];
  groups: GroupReport[];
  nrw: Totals;
}

const HELD: ReadonlySet<RsvpAnswer> = new Set(["accepted", "delegated"]);

function trackReport(kpb: ReportKpbFacts, track: Track, year: number, connected: boolean, clock: Clock, firstThreshold: string | undefined, watchedFrom: number | undefined): TrackReport {
  // The same judgement as `uebersicht`: a year that ended before the bot watched is untracked, not overdue.
  const ev = evaluateTrack({ track, year, conferences: kpb.conferences, hasMotorwayPolice: kpb.hasMotorwayPolice, policy: firstThreshold ? { firstThreshold } : {}, watchedFrom }, clock);
  const mine = kpb.conferences.filter((c) => c.track === track && c.status !== "cancelled").sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  const held = mine.filter((c) => c.status === "held");
  const mandatory = mandatoryCategories(track, kpb.mandatoryExtras);
  const invited = new Set<string>();
  const missing = new Set<Category>();
  let invitations = 0;
  let accepted = 0;
  for (const c of mine) {
    const cats = new Set(c.invitations.map((i) => i.category));
    for (const cat of cats) invited.add(cat);
    for (const m of mandatory) if (!cats.has(m)) missing.add(m);
    invitations += c.invitations.length;
    accepted += c.invitations.filter((i) => i.answer !== null && HELD.has(i.answer)).length;
  }
  const topics: string[] = [];
  for (const c of held) {
    for (const n of c.discussedItems ?? []) {
      const topic = c.agenda[n - 1];
      if (topic !== undefined && !topics.includes(topic)) topics.push(topic);
    }
  }
  // A KPB without the bot has no data: it is "not connected", not "overdue" (nothing recorded says nothing).
  const state: TrackState = ev.state === "not-applicable" ? "not-applicable" : !connected && held.length === 0 ? "not-connected" : ev.state;
  return {
    track,
    state,
    heldDates: held.map((c) => c.startsAt),
    heldPlaces: held.map((c) => c.location ?? null),
    invitedCategories: [...invited].sort(),
    missingMandatory: mandatory.filter((m) => missing.has(m)),
    invitations,
    accepted,
    acceptanceRate: invitations ? accepted / invitations : null,
    topicsDiscussed: topics,
  };
}

function exerciseReport(k: ReportKpbFacts, year: number, connected: boolean, clock: Clock, threshold: string | undefined, watchedFrom: number | undefined): KpbReport["exercise"] {
  const attended = k.exercises.filter((e) => e.kind === "exercise" && e.date.startsWith(`${year}-`)).sort((a, b) => a.date.localeCompare(b.date));
  const dates = attended.map((e) => e.date);
  return { state: evaluateExercises(dates, year, clock, { threshold, watchedFrom, connected }), dates, places: attended.map((e) => e.place) };
}

function totalsOf(kpbs: readonly KpbReport[]): Totals {
  const t: Totals = {
    kpbs: kpbs.length,
    connected: 0,
    states: { siko: {}, "siko-ap": {} },
    applicable: { siko: 0, "siko-ap": 0 },
    heldConferences: 0,
    invitations: 0,
    accepted: 0,
    acceptanceRate: null,
    exerciseStates: {},
    shadowing: 0,
  };
  for (const k of kpbs) {
    if (k.connected) t.connected++;
    t.exerciseStates[k.exercise.state] = (t.exerciseStates[k.exercise.state] ?? 0) + 1;
    t.shadowing += k.shadowing;
    for (const tr of k.tracks) {
      if (tr.state === "not-applicable") continue;
      t.applicable[tr.track]++;
      t.states[tr.track][tr.state] = (t.states[tr.track][tr.state] ?? 0) + 1;
      t.heldConferences += tr.heldDates.length;
      t.invitations += tr.invitations;
      t.accepted += tr.accepted;
    }
  }
  t.acceptanceRate = t.invitations ? t.accepted / t.invitations : null;
  return t;
}

export function groupMembers(group: ComparisonGroup, kpbs: readonly { name: string; kind: "pp" | "landrat" }[]): Set<string> {
  const names = new Set(group.kpbs ?? []);
  return new Set(kpbs.filter((k) => (group.kinds ?? []).includes(k.kind) || names.has(k.name)).map((k) => k.name));
}

export function buildAnnualReport(
  input: {
    year: number;
    kpbs: readonly ReportKpbFacts[];
    groups: readonly ComparisonGroup[];
    firstThreshold?: string;
    exerciseThreshold?: string;
    /** The first Berlin year the bot watched (undefined before its first sweep). */
    watchedFrom?: number;
  },
  clock: Clock,
): AnnualReport {
  const kpbs = [...input.kpbs]
    .sort((a, b) => a.name.localeCompare(b.name, "de"))
    .map((k): KpbReport => {
      const connected = isConnected(k);
      return {
        id: k.id,
        name: k.name,
        kind: k.kind,
        connected,
        groups: input.groups.filter((g) => groupMembers(g, [k]).has(k.name)).map((g) => g.key),
        // Both tracks always appear, so every row of the report (and the CSV) has the same columns.
        tracks: TRACKS.map((track) => trackReport(k, track, input.year, connected, clock, input.firstThreshold, input.watchedFrom)),
        exercise: exerciseReport(k, input.year, connected, clock, input.exerciseThreshold, input.watchedFrom),
        shadowing: k.exercises.filter((e) => e.kind === "shadowing").length,
      };
    });
  const groups = input.groups.map((g): GroupReport => {
    const members = groupMembers(g, kpbs);
    return { key: g.key, name: g.name, totals: totalsOf(kpbs.filter((k) => members.has(k.name))) };
  });
  return { year: input.year, generatedAt: clock.now(), kpbs, groups, nrw: totalsOf(kpbs) };
}

/** Share of applicable KPB tracks that held their conference, for a chart; null without any. */
export function heldShare(t: Totals, track: Track): number | null {
  return t.applicable[track] ? (t.states[track].held ?? 0) / t.applicable[track] : null;
}

