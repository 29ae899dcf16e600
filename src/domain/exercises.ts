// Crisis-staff exercises (decree §4, R7): police liaison officers take part in the exercises of cities and
// districts, if possible once a year — an annual track of its own. Job shadowing is counted, not enforced.
// Pure: dates in, a state out.
import { berlinDateOf } from "./holidays.ts";
import type { Clock } from "./clock.ts";
import { parseMonthDay } from "./annualMinimum.ts";

export const EXERCISE_KINDS = ["exercise", "shadowing"] as const;
export type ExerciseKind = (typeof EXERCISE_KINDS)[number];

/** From this Berlin day on, a year without an exercise attended is at risk (the reminder policy may move it). */
export const DEFAULT_EXERCISE_THRESHOLD = "10-01";

/**
 * not-connected: the KPB does not use the bot, so nothing recorded says anything; untracked: the year ended
 * before the bot began watching, whether an exercise took place it cannot know. As the SiKo tracks judge it.
 */
export const EXERCISE_STATES = ["held", "pending", "at-risk", "overdue", "not-connected", "untracked"] as const;
export type ExerciseState = (typeof EXERCISE_STATES)[number];

/** Whether an exercise of `year` has taken place by the Berlin day `today`; `dates` as in evaluateExercises. */
export function attendedIn(dates: readonly string[], year: number, today: string): boolean {
  return dates.some((d) => d.startsWith(`${year}-`) && d <= today);
}

export interface ExerciseWatch {
  /** From this Berlin day ("MM-DD") a year without an exercise is at risk. */
  threshold?: string;
  /** The first Berlin year the bot watched. */
  watchedFrom?: number;
  /** false: the KPB does not use the bot. */
  connected?: boolean;
}

/** The exercise track of one KPB and year: `dates` are the Berlin dates of its exercises ("YYYY-MM-DD"). */
export function evaluateExercises(dates: readonly string[], year: number, clock: Clock, watch: ExerciseWatch = {}): ExerciseState {
  const today = berlinDateOf(clock.now());
  if (attendedIn(dates, year, today)) return "held";
  if (watch.watchedFrom !== undefined && year < watch.watchedFrom) return "untracked";
  if (watch.connected === false) return "not-connected";
  if (today > `${year}-12-31`) return "overdue";
  return today >= `${year}-${parseMonthDay(watch.threshold ?? DEFAULT_EXERCISE_THRESHOLD)}` ? "at-risk" : "pending";
}
