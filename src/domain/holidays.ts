// Working days in NRW and the Europe/Berlin wall clock, computed in code (no I/O, no data files).
// Reminders go out on working days only: Monday to Friday, except the public holidays of the
// Feiertagsgesetz NW. Dates are plain "YYYY-MM-DD" strings (a Berlin calendar day, no instant).
import { DateTime } from "luxon";
import { TIME_ZONE } from "./types.ts";

export interface Holiday {
  date: string;
  name: string;
}

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

// Calendar arithmetic runs on day numbers (days since 1970-01-01) so it never meets a zone or DST.
function toDayNumber(isoDate: string): number {
  const m = ISO_DATE.exec(isoDate);
  if (!m) throw new RangeError(`not a date (YYYY-MM-DD): ${isoDate}`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  // Date.UTC rolls 2027-02-30 over to March; reject it instead of guessing.
  if (back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) {
    throw new RangeError(`no such date: ${isoDate}`);
  }
  return ms / DAY_MS;
}

function fromDayNumber(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, "0")}-${pad2(month)}-${pad2(day)}`;
}

/** The date n calendar days after (n < 0: before) the given one. */
export function addDays(isoDate: string, n: number): string {
  return fromDayNumber(toDayNumber(isoDate) + n);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(isoDate: string): number {
  const d = new Date(toDayNumber(isoDate) * DAY_MS).getUTCDay();
  return d === 0 ? 7 : d;
}

/** Easter Sunday (Gregorian computus, anonymous algorithm after Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoDate(year, month, day);
}

/**
 * Public holidays in NRW (§ 2 Feiertagsgesetz NW), sorted by date. Reformationstag (31.10.) is not
 * one in NRW; Easter and Whit Sunday are Sundays anyway and not listed.
 */
export function nrwHolidays(year: number): Holiday[] {
  if (!Number.isInteger(year) || year < 1583 || year > 9999) {
    throw new RangeError(`year out of range for the Gregorian computus: ${year}`);
  }
  const easter = easterSunday(year);
  return [
    { date: isoDate(year, 1, 1), name: "Neujahr" },
    { date: addDays(easter, -2), name: "Karfreitag" },
    { date: addDays(easter, 1), name: "Ostermontag" },
    { date: isoDate(year, 5, 1), name: "Tag der Arbeit" },
    { date: addDays(easter, 39), name: "Christi Himmelfahrt" },
    { date: addDays(easter, 50), name: "Pfingstmontag" },
    { date: addDays(easter, 60), name: "Fronleichnam" },
    { date: isoDate(year, 10, 3), name: "Tag der Deutschen Einheit" },
    { date: isoDate(year, 11, 1), name: "Allerheiligen" },
    { date: isoDate(year, 12, 25), name: "1. Weihnachtstag" },
    { date: isoDate(year, 12, 26), name: "2. Weihnachtstag" },
  ].sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}

// The reminder sweep asks this for many dates; one Set per year keeps it O(1).
const holidaySets = new Map<number, Set<string>>();

function holidaySet(year: number): Set<string> {
  let set = holidaySets.get(year);
  if (!set) {
    set = new Set(nrwHolidays(year).map((h) => h.date));
    holidaySets.set(year, set);
  }
  return set;
}

export function isNrwHoliday(isoDate: string): boolean {
  toDayNumber(isoDate); // validates
  return holidaySet(Number(isoDate.slice(0, 4))).has(isoDate);
}

/** Monday to Friday and not an NRW public holiday. */
export function isWorkingDay(isoDate: string): boolean {
  return isoWeekday(isoDate) <= 5 && !isNrwHoliday(isoDate);
}

const nextWorking = new Map<string, string>();
const previousWorking = new Map<string, string>();

/** Remembers a working-day answer per date: the sweep asks the same few dates for thousands of conferences. */
function remembered(cache: Map<string, string>, isoDate: string, find: (isoDate: string) => string): string {
  let answer = cache.get(isoDate);
  if (answer === undefined) {
    answer = find(isoDate);
    if (cache.size >= MAX_CACHE) cache.clear();
    cache.set(isoDate, answer);
  }
  return answer;
}

export function nextWorkingDayOnOrAfter(isoDate: string): string {
  return remembered(nextWorking, isoDate, (date) => {
    let day = toDayNumber(date);
    // The longest run of non-working days in NRW is four (Karfreitag to Ostermontag); 14 is a safe bound.
    for (let i = 0; i < 14; i++, day++) {
      const candidate = fromDayNumber(day);
      if (isWorkingDay(candidate)) return candidate;
    }
    throw new Error(`no working day found after ${date}`);
  });
}

export function previousWorkingDayOnOrBefore(isoDate: string): string {
  return remembered(previousWorking, isoDate, (date) => {
    let day = toDayNumber(date);
    for (let i = 0; i < 14; i++, day--) {
      const candidate = fromDayNumber(day);
      if (isWorkingDay(candidate)) return candidate;
    }
    throw new Error(`no working day found before ${date}`);
  });
}

/**
 * Moves n working days forward (n < 0: backward). From a non-working day the first step lands on the
 * next (previous) working day; n = 0 returns the date itself if it is a working day, else the next one.
 */
export function addWorkingDays(isoDate: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`not a whole number of working days: ${n}`);
  if (n === 0) return nextWorkingDayOnOrAfter(isoDate);
  const step = n > 0 ? 1 : -1;
  let day = toDayNumber(isoDate);
  let left = Math.abs(n);
  while (left > 0) {
    day += step;
    if (isWorkingDay(fromDayNumber(day))) left--;
  }
  return fromDayNumber(day);
}

// ---- Europe/Berlin wall clock --------------------------------------------------------------------
// Instants are stored in UTC; the rules speak in Berlin calendar days. Since 1996 Berlin follows the EU rule
// (summer time from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October), which
// is computed here directly: the sweep asks it hundreds of thousands of times, and a time-zone library's first
// answer alone costs a console start more than its first reply. Earlier instants ask luxon. A test checks
// every hour of 1996–2100 against luxon.

const HOUR_MS = 3_600_000;
const MAX_CACHE = 200_000;
const EU_RULE_SINCE = Date.UTC(1996, 0, 1);

/** 01:00 UTC on the last Sunday of the month (0-based) of the year. */
function lastSundayOneUtc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
}

const summerByYear = new Map<number, [number, number]>();

/** Berlin's offset from UTC at an instant, in minutes (60 in winter, 120 in summer). */
export function berlinUtcOffsetMinutes(instant: Date): number {
  return berlinOffsetMs(instant.getTime()) / 60_000;
}

function berlinOffsetMs(ms: number): number {
  if (ms < EU_RULE_SINCE) return DateTime.fromMillis(ms, { zone: TIME_ZONE }).offset * 60_000;
  const year = new Date(ms).getUTCFullYear();
  let summer = summerByYear.get(year);
  if (!summer) summerByYear.set(year, (summer = [lastSundayOneUtc(year, 2), lastSundayOneUtc(year, 9)]));
  return ms >= summer[0] && ms < summer[1] ? 2 * HOUR_MS : HOUR_MS;
}

/** The Berlin calendar day ("YYYY-MM-DD") of an instant. */
export function berlinDateOf(instant: Date): string {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError("invalid Date");
  return new Date(ms + berlinOffsetMs(ms)).toISOString().slice(0, 10);
}

/**
 * The instant 1 January, 00:00 Europe/Berlin of the given year. New Year always falls in winter time (CET,
 * UTC+1; Germany has kept summer time to March–October since 1980), so this is plain arithmetic, without a
 * time-zone library on the sweep's path.
 */
export function berlinYearStart(year: number): Date {
  return new Date(Date.UTC(year, 0, 1) - 3_600_000);
}

export function berlinYearOf(instant: Date): number {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError("invalid Date");
  const year = new Date(ms).getUTCFullYear();
  // Berlin is ahead of UTC, so the Berlin year is the UTC year or the one after.
  return ms >= berlinYearStart(year + 1).getTime() ? year + 1 : year;
}

const slotCache = new Map<string, number>();

/** The UTC instant of a Berlin wall-clock time ("HH:MM") on a Berlin calendar day. */
export function berlinInstant(isoDate: string, time = "00:00"): Date {
  const key = `${isoDate}T${time}`;
  let ms = slotCache.get(key);
  if (ms === undefined) {
    const m = /^(\d{2}):(\d{2})$/.exec(time);
    if (!m) throw new RangeError(`not a time (HH:MM): ${time}`);
    toDayNumber(isoDate); // validates
    ms = wallClockToUtc(isoDate, Number(m[1]), Number(m[2])) ?? luxonWallClock(key);
    if (slotCache.size >= MAX_CACHE) slotCache.clear();
    slotCache.set(key, ms);
  }
  return new Date(ms);
}

/** The one UTC instant that shows this Berlin wall clock, by the EU rule; null in the spring gap, the autumn fold or before 1996. */
function wallClockToUtc(isoDate: string, hour: number, minute: number): number | null {
  if (hour > 23 || minute > 59) return null;
  const local = Date.UTC(Number(isoDate.slice(0, 4)), Number(isoDate.slice(5, 7)) - 1, Number(isoDate.slice(8, 10)), hour, minute);
  const fits = [HOUR_MS, 2 * HOUR_MS].map((off) => local - off).filter((utc) => utc >= EU_RULE_SINCE && berlinOffsetMs(utc) === local - utc);
  return fits.length === 1 ? fits[0]! : null;
}

function luxonWallClock(key: string): number {
  const dt = DateTime.fromISO(key, { zone: TIME_ZONE });
  if (!dt.isValid) throw new RangeError(`not a Berlin wall-clock time: ${key}`);
  return dt.toMillis();
}
