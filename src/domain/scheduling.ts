// What is odd about a date for a SiKo: a weekend, an NRW public holiday, hours outside the usual working day,
// or another conference of the KPB at the same time. The organiser may have reasons, so these are warnings
// to show with the plan, never refusals.
import { berlinDateOf, isoWeekday, nrwHolidays } from "./holidays.ts";
import { DateTime } from "luxon";
import { TIME_ZONE } from "./types.ts";

export type SchedulingWarning<T extends Slot = Slot> =
  | { code: "weekend"; date: string }
  | { code: "holiday"; date: string; name: string }
  | { code: "night" }
  | { code: "overlap"; with: T };

export interface Slot {
  startsAt: Date;
  endsAt: Date;
}

/** The usual working day, Berlin wall clock: a conference partly outside it gets a warning. */
export const DAY_STARTS_HOUR = 7;
export const DAY_ENDS_HOUR = 20;

export function schedulingWarnings<T extends Slot>(slot: Slot, others: readonly T[]): SchedulingWarning<T>[] {
  const out: SchedulingWarning<T>[] = [];
  const date = berlinDateOf(slot.startsAt);
  if (isoWeekday(date) >= 6) out.push({ code: "weekend", date });
  const holiday = nrwHolidays(Number(date.slice(0, 4))).find((h) => h.date === date);
  if (holiday) out.push({ code: "holiday", date, name: holiday.name });
  const start = DateTime.fromJSDate(slot.startsAt, { zone: TIME_ZONE });
  const end = DateTime.fromJSDate(slot.endsAt, { zone: TIME_ZONE });
  const dayStart = start.set({ hour: DAY_STARTS_HOUR, minute: 0, second: 0, millisecond: 0 });
  const dayEnd = start.set({ hour: DAY_ENDS_HOUR, minute: 0, second: 0, millisecond: 0 });
  if (start < dayStart || end > dayEnd) out.push({ code: "night" });
  for (const o of others)
    if (o.startsAt.getTime() < slot.endsAt.getTime() && slot.startsAt.getTime() < o.endsAt.getTime()) out.push({ code: "overlap", with: o });
  return out;
}
