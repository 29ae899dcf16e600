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

export type ExerciseState = "held" | "pending" | "at-risk" | "overdue";

/** The exercise track of one KPB and year: `dates` are the Berlin dates of its exercises ("YYYY-MM-DD"). */
export function evaluateExercises(dates: readonly string[], year: number, clock: Clock, threshold = DEFAULT_EXERCISE_THRESHOLD): ExerciseState {
  const today = berlinDateOf(clock.now());
  if (dates.some((d) => d.startsWith(`${year}-`) && d <= today)) return "held";
  if (today > `${year}-12-31`) return "overdue";
  return today >= `${year}-${parseMonthDay(threshold)}` ? "at-risk" : "pending";
}
