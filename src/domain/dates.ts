// Dates and times as KPB staff type them (Europe/Berlin wall clock), turned into UTC instants, with the
// traps of the calendar refused or spelled out: 31.02., the spring DST gap, the autumn fold.
import { DateTime } from "luxon";
import type { Clock } from "./clock.ts";
import { berlinUtcOffsetMinutes } from "./holidays.ts";
import { TIME_ZONE, type Locale } from "./types.ts";

export type DateTimeError =
  | { code: "date-format"; input: string }
  | { code: "time-format"; input: string }
  | { code: "date-impossible"; input: string }
  | { code: "date-range"; input: string; max: number }
  | { code: "instant-format"; input: string }
  | { code: "time-gap"; date: string; time: string }
  | { code: "in-past"; when: string };

/**
 * The last year the bot takes a date in. Far enough for any planning; it keeps every calendar computation
 * (holidays of the next year, the reminder windows) inside what they support.
 */
export const MAX_YEAR = 2200;

export interface LocalDateTime {
  instant: Date;
  /** Set when the wall-clock time occurs twice (autumn fold): which of the two is meant. */
  fold: { offsetHours: number } | null;
}

/** `2027-03-15` or `15.03.2027` → "2027-03-15", or an error. */
export function parseDate(input: string): { ok: true; iso: string } | { ok: false; error: DateTimeError } {
  const trimmed = input.trim();
  let y: number, mo: number, d: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(trimmed);
  const de = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(trimmed);
  if (iso) [y, mo, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (de) [y, mo, d] = [Number(de[3]), Number(de[2]), Number(de[1])];
  else return { ok: false, error: { code: "date-format", input: trimmed.slice(0, 40) } };
  const dt = DateTime.fromObject({ year: y, month: mo, day: d }, { zone: TIME_ZONE });
  if (!dt.isValid) return { ok: false, error: { code: "date-impossible", input: trimmed } };
  if (y > MAX_YEAR) return { ok: false, error: { code: "date-range", input: trimmed, max: MAX_YEAR } };
  return { ok: true, iso: dt.toISODate()! };
}

/** `10:00`, `9:30`, `10.00`, `10 Uhr` → minutes of the day. */
export function parseTime(input: string): { ok: true; hour: number; minute: number } | { ok: false; error: DateTimeError } {
  const m = /^(\d{1,2})(?:[:.](\d{2}))?(?:\s*uhr)?$/i.exec(input.trim());
  const hour = m ? Number(m[1]) : NaN;
  const minute = m ? Number(m[2] ?? 0) : NaN;
  if (!m || hour > 23 || minute > 59) return { ok: false, error: { code: "time-format", input: input.trim().slice(0, 20) } };
  return { ok: true, hour, minute };
}

/**
 * Combines a date and a time in Europe/Berlin. A time in the spring gap does not exist and is refused;
 * a time in the autumn fold is taken as the first (summer-time) occurrence, and the caller says so.
 */
export function localDateTime(dateIso: string, hour: number, minute: number): { ok: true; value: LocalDateTime } | { ok: false; error: DateTimeError } {
  const [y, mo, d] = dateIso.split("-").map(Number) as [number, number, number];
  const dt = DateTime.fromObject({ year: y, month: mo, day: d, hour, minute }, { zone: TIME_ZONE });
  const time = `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
  if (!dt.isValid || dt.hour !== hour || dt.minute !== minute) return { ok: false, error: { code: "time-gap", date: dateIso, time } };
  // In the autumn fold the same wall clock occurs twice; take the first (summer-time) occurrence and say so.
  const sameWallClock = (x: DateTime) => x.hour === hour && x.minute === minute && x.day === d;
  const first = sameWallClock(dt.minus({ hours: 1 })) ? dt.minus({ hours: 1 }) : dt;
  const folded = first !== dt || sameWallClock(dt.plus({ hours: 1 }));
  const fold = folded ? { offsetHours: first.offset / 60 } : null;
  return { ok: true, value: { instant: first.toJSDate(), fold } };
}

type Parsed = { ok: true; value: LocalDateTime } | { ok: false; error: DateTimeError };

/** Parses a date and a time as typed (Europe/Berlin), in the past or the future. */
export function parseDateTime(date: string, time: string): Parsed {
  const d = parseDate(date);
  if (!d.ok) return d;
  const t = parseTime(time);
  if (!t.ok) return t;
  return localDateTime(d.iso, t.hour, t.minute);
}

/** Parses what a user typed for a future date and time. */
export function parseFutureDateTime(date: string, time: string, clock: Clock): Parsed {
  const result = parseDateTime(date, time);
  if (result.ok && result.value.instant.getTime() <= clock.now().getTime()) return { ok: false, error: { code: "in-past", when: `${date} ${time}` } };
  return result;
}

/**
 * An ISO instant as an operator writes it (`2027-02-01T09:00`, `…T08:00:00Z`, `…T09:00+01:00`). Without a zone
 * it is Berlin wall-clock time, like every date the bot reads.
 */
export function parseInstant(input: string): Parsed {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/.exec(input.trim());
  if (!m || Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4] ?? 0) > 59) return { ok: false, error: { code: "instant-format", input: input.trim().slice(0, 40) } };
  const d = parseDate(m[1]!);
  if (!d.ok) return d;
  if (m[5] === undefined) {
    const local = localDateTime(d.iso, Number(m[2]), Number(m[3]));
    return local.ok ? { ok: true, value: { ...local.value, instant: new Date(local.value.instant.getTime() + Number(m[4] ?? 0) * 1000) } } : local;
  }
  const dt = DateTime.fromISO(input.trim(), { setZone: true });
  if (!dt.isValid) return { ok: false, error: { code: "instant-format", input: input.trim().slice(0, 40) } };
  return { ok: true, value: { instant: dt.toJSDate(), fold: null } };
}

/** `2h`, `90m`, `1h30`, `1,5h`, `2 Std` → minutes; null when not a duration. */
export function parseDuration(input: string): number | null {
  const s = input.trim().toLowerCase().replace(",", ".");
  const hm = /^(\d{1,2})\s*h\s*(\d{1,2})?\s*(m|min)?$/.exec(s);
  if (hm) return Number(hm[1]) * 60 + Number(hm[2] ?? 0);
  const h = /^(\d{1,2}(?:\.\d+)?)\s*(h|std|stunden?|hours?)$/.exec(s);
  if (h) return Math.round(Number(h[1]) * 60);
  const m = /^(\d{1,4})\s*(m|min|minuten?|minutes?)$/.exec(s);
  if (m) return Number(m[1]);
  return null;
}

/** Berlin wall-clock fields of an instant, by the offset arithmetic of holidays.ts (luxon was a tenth of a `status`). */
function wallClock(instant: Date) {
  const d = new Date(instant.getTime() + berlinUtcOffsetMinutes(instant) * 60_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth(), day: d.getUTCDate(), weekday: d.getUTCDay(), hour: d.getUTCHours(), minute: d.getUTCMinutes() };
}

type WallDay = { year: number; month: number; day: number; weekday: number };

const shortNames = new Map<Locale, { weekdays: string[]; months: string[] }>();

/** The short weekday (by getUTCDay) and month names of a locale, as Intl (and so luxon) writes them. */
function namesOf(locale: Locale) {
  let names = shortNames.get(locale);
  if (!names) {
    const weekday = new Intl.DateTimeFormat(locale, { weekday: "short", timeZone: "UTC" });
    const month = new Intl.DateTimeFormat(locale, { month: "short", timeZone: "UTC" });
    // 7 January 2024 was a Sunday.
    names = { weekdays: [0, 1, 2, 3, 4, 5, 6].map((i) => weekday.format(Date.UTC(2024, 0, 7 + i))), months: [...Array(12).keys()].map((i) => month.format(Date.UTC(2024, i, 1))) };
    shortNames.set(locale, names);
  }
  return names;
}

const two = (n: number) => String(n).padStart(2, "0");

/** "15.03.2027" / "15 Mar 2027". */
function dayText(d: Omit<WallDay, "weekday">, locale: Locale): string {
  return locale === "de" ? `${two(d.day)}.${two(d.month + 1)}.${d.year}` : `${d.day} ${namesOf(locale).months[d.month]} ${d.year}`;
}

/** "Mo, 15.03.2027" / "Mon, 15 Mar 2027". */
function weekdayDayText(d: WallDay, locale: Locale): string {
  return `${namesOf(locale).weekdays[d.weekday]}, ${dayText(d, locale)}`;
}

/** "Mo, 15.03.2027, 10:00 Uhr" / "Mon, 15 Mar 2027, 10:00". */
export function formatDateTime(instant: Date, locale: Locale): string {
  return `${weekdayDayText(wallClock(instant), locale)}, ${formatTime(instant)}${locale === "de" ? " Uhr" : ""}`;
}

/** "Mo, 15.03.2027, 10:00–13:00 Uhr" / "Mon, 15 Mar 2027, 10:00–13:00". */
export function formatRange(start: Date, end: Date, locale: Locale): string {
  return `${weekdayDayText(wallClock(start), locale)}, ${formatTime(start)}–${formatTime(end)}${locale === "de" ? " Uhr" : ""}`;
}

export function formatTime(instant: Date): string {
  const w = wallClock(instant);
  return `${two(w.hour)}:${two(w.minute)}`;
}

/** "Samstag" / "Saturday" for a Berlin date "YYYY-MM-DD". */
export function formatWeekday(isoDate: string, locale: Locale): string {
  return DateTime.fromISO(isoDate, { zone: TIME_ZONE }).setLocale(locale).toFormat("cccc");
}

/** An instant's Berlin day or a Berlin calendar day ("YYYY-MM-DD"): "15.03.2027" / "15 Mar 2027". */
export function formatDate(instant: Date | string, locale: Locale): string {
  if (typeof instant !== "string") return dayText(wallClock(instant), locale);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(instant);
  if (!m) throw new RangeError(`not a calendar day (YYYY-MM-DD): ${instant}`);
  return dayText({ year: Number(m[1]), month: Number(m[2]) - 1, day: Number(m[3]) }, locale);
}
