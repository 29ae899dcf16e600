import { describe, expect, it } from "vitest";
import {
  addDays,
  addWorkingDays,
  berlinDateOf,
  berlinInstant,
  berlinYearOf,
  easterSunday,
  isWorkingDay,
  nextWorkingDayOnOrAfter,
  nrwHolidays,
  previousWorkingDayOnOrBefore,
} from "../../src/domain/holidays.ts";

// DESIGN.md §1: the NRW public holidays of 2026 and 2027, as published.
const EXPECTED: Record<number, string[]> = {
  2026: ["01.01.", "03.04.", "06.04.", "01.05.", "14.05.", "25.05.", "04.06.", "03.10.", "01.11.", "25.12.", "26.12."],
  2027: ["01.01.", "26.03.", "29.03.", "01.05.", "06.05.", "17.05.", "27.05.", "03.10.", "01.11.", "25.12.", "26.12."],
};

const german = (iso: string): string => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.`;

describe("nrwHolidays", () => {
  for (const year of [2026, 2027]) {
    it(`matches the published list for ${year}`, () => {
      expect(nrwHolidays(year).map((h) => german(h.date))).toEqual(EXPECTED[year]);
    });
  }

  it("names the movable feasts", () => {
    const byName = Object.fromEntries(nrwHolidays(2026).map((h) => [h.name, h.date]));
    expect(byName).toMatchObject({
      Karfreitag: "2026-04-03",
      Ostermontag: "2026-04-06",
      "Christi Himmelfahrt": "2026-05-14",
      Pfingstmontag: "2026-05-25",
      Fronleichnam: "2026-06-04",
    });
  });

  it("computes Easter by the Gregorian computus", () => {
    expect(easterSunday(2024)).toBe("2024-03-31");
    expect(easterSunday(2025)).toBe("2025-04-20");
    expect(easterSunday(2026)).toBe("2026-04-05");
    expect(easterSunday(2027)).toBe("2027-03-28");
    expect(easterSunday(2028)).toBe("2028-04-16");
    expect(easterSunday(2038)).toBe("2038-04-25"); // latest possible date
    expect(easterSunday(2285)).toBe("2285-03-22"); // earliest possible date
  });

  it("has no Reformationstag", () => {
    for (const year of [2026, 2027, 2028]) {
      expect(nrwHolidays(year).some((h) => h.date.endsWith("-10-31"))).toBe(false);
    }
  });
});

describe("isWorkingDay", () => {
  it("31.10. is a working day when it falls on a weekday", () => {
    expect(isWorkingDay("2025-10-31")).toBe(true); // Friday
    expect(isWorkingDay("2028-10-31")).toBe(true); // Tuesday
  });

  it("weekends are not working days", () => {
    expect(isWorkingDay("2026-10-31")).toBe(false); // Saturday
    expect(isWorkingDay("2026-11-01")).toBe(false); // Sunday (and Allerheiligen)
    expect(isWorkingDay("2027-01-02")).toBe(false); // Saturday
    expect(isWorkingDay("2027-01-03")).toBe(false); // Sunday
  });

  it("holidays on weekdays are not working days, ordinary weekdays are", () => {
    expect(isWorkingDay("2026-06-04")).toBe(false); // Fronleichnam, Thursday
    expect(isWorkingDay("2027-11-01")).toBe(false); // Allerheiligen, Monday
    expect(isWorkingDay("2026-06-05")).toBe(true);
    expect(isWorkingDay("2026-12-24")).toBe(true); // Heiligabend is no public holiday
  });

  it("rejects malformed and impossible dates", () => {
    expect(() => isWorkingDay("2026-2-3")).toThrow(RangeError);
    expect(() => isWorkingDay("2027-02-29")).toThrow(RangeError);
  });
});

describe("working-day arithmetic", () => {
  it("nextWorkingDayOnOrAfter skips weekends and holidays", () => {
    expect(nextWorkingDayOnOrAfter("2026-07-01")).toBe("2026-07-01");
    expect(nextWorkingDayOnOrAfter("2026-11-01")).toBe("2026-11-02");
    expect(nextWorkingDayOnOrAfter("2027-01-02")).toBe("2027-01-04");
    expect(nextWorkingDayOnOrAfter("2026-04-03")).toBe("2026-04-07"); // Good Friday to Tuesday after Easter
    expect(nextWorkingDayOnOrAfter("2026-12-25")).toBe("2026-12-28");
  });

  it("previousWorkingDayOnOrBefore goes back", () => {
    expect(previousWorkingDayOnOrBefore("2026-04-06")).toBe("2026-04-02");
    expect(previousWorkingDayOnOrBefore("2026-06-05")).toBe("2026-06-05");
  });

  it("addWorkingDays counts working days only", () => {
    expect(addWorkingDays("2026-04-02", 1)).toBe("2026-04-07");
    expect(addWorkingDays("2026-12-23", 3)).toBe("2026-12-29");
    expect(addWorkingDays("2026-04-07", -1)).toBe("2026-04-02");
    expect(addWorkingDays("2026-10-31", 0)).toBe("2026-11-02");
    expect(addWorkingDays("2026-10-30", 0)).toBe("2026-10-30");
    expect(addWorkingDays("2026-10-31", 1)).toBe("2026-11-02");
  });

  it("addDays crosses months, years and leap days", () => {
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2027-02-28", 1)).toBe("2027-03-01");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2027-01-01", -1)).toBe("2026-12-31");
  });
});

describe("Europe/Berlin wall clock", () => {
  it("assigns instants to Berlin days and years", () => {
    expect(berlinDateOf(new Date("2026-12-31T22:30:00Z"))).toBe("2026-12-31");
    expect(berlinDateOf(new Date("2026-12-31T23:30:00Z"))).toBe("2027-01-01");
    expect(berlinYearOf(new Date("2026-12-31T22:59:59.999Z"))).toBe(2026);
    expect(berlinYearOf(new Date("2026-12-31T23:00:00Z"))).toBe(2027);
    expect(berlinDateOf(new Date("2026-06-30T22:30:00Z"))).toBe("2026-07-01"); // summer time, UTC+2
  });

  it("converts a Berlin slot to UTC across DST", () => {
    expect(berlinInstant("2026-07-01", "09:00").toISOString()).toBe("2026-07-01T07:00:00.000Z");
    expect(berlinInstant("2026-11-02", "09:00").toISOString()).toBe("2026-11-02T08:00:00.000Z");
    expect(berlinInstant("2026-03-29", "09:00").toISOString()).toBe("2026-03-29T07:00:00.000Z"); // DST day
    expect(berlinInstant("2026-10-25", "09:00").toISOString()).toBe("2026-10-25T08:00:00.000Z");
  });
});

describe("the Berlin year", () => {
  it("starts at midnight of 1 January Berlin time in every year the bot can meet", async () => {
    const { DateTime } = await import("luxon");
    const { berlinYearOf, berlinYearStart } = await import("../../src/domain/holidays.ts");
    for (let year = 1980; year <= 2200; year++) {
      const start = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: "Europe/Berlin" }).toMillis();
      expect(berlinYearStart(year).getTime(), String(year)).toBe(start);
      expect(berlinYearOf(new Date(start))).toBe(year);
      expect(berlinYearOf(new Date(start - 1))).toBe(year - 1);
    }
  });
});

describe("the Berlin offset", () => {
  it("matches the time-zone database from 1996 to 2100: every hour of the switch weeks, and noon of every day", async () => {
    const { DateTime } = await import("luxon");
    const { berlinUtcOffsetMinutes } = await import("../../src/domain/holidays.ts");
    const wrong: string[] = [];
    for (let ms = Date.UTC(1996, 0, 1); ms < Date.UTC(2101, 0, 1); ms += 3_600_000) {
      const d = new Date(ms);
      const switchWeek = (d.getUTCMonth() === 2 || d.getUTCMonth() === 9) && d.getUTCDate() >= 24;
      if (!switchWeek && d.getUTCHours() !== 12) continue;
      const expected = DateTime.fromMillis(ms, { zone: "Europe/Berlin" }).offset;
      if (berlinUtcOffsetMinutes(d) !== expected) wrong.push(`${d.toISOString()}: ${berlinUtcOffsetMinutes(d)} ≠ ${expected}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe("Berlin wall clock to UTC", () => {
  it("matches the time-zone database for every half hour of the switch weeks and 09:00 of every day, 1996 to 2100", async () => {
    const { DateTime } = await import("luxon");
    const { berlinInstant } = await import("../../src/domain/holidays.ts");
    const wrong: string[] = [];
    const check = (date: string, time: string) => {
      const expected = DateTime.fromISO(`${date}T${time}`, { zone: "Europe/Berlin" }).toMillis();
      if (berlinInstant(date, time).getTime() !== expected) wrong.push(`${date} ${time}`);
    };
    for (let ms = Date.UTC(1996, 0, 1); ms < Date.UTC(2101, 0, 1); ms += 86_400_000) {
      const d = new Date(ms);
      const date = d.toISOString().slice(0, 10);
      check(date, "09:00");
      if ((d.getUTCMonth() === 2 || d.getUTCMonth() === 9) && d.getUTCDate() >= 24)
        for (let h = 0; h < 24; h++) for (const mm of ["00", "30"]) check(date, `${String(h).padStart(2, "0")}:${mm}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe("dates as the bot writes them", () => {
  it("read the same as the time-zone database's, in both languages, every 53 hours from 1990 to 2100 (every hour of the day in turn) and every hour of the switch weeks around the EU rule and this decade", async () => {
    const { DateTime } = await import("luxon");
    const { formatDate, formatDateTime, formatRange, formatTime } = await import("../../src/domain/dates.ts");
    const wrong: string[] = [];
    const check = (ms: number) => {
      const at = new Date(ms);
      const end = new Date(ms + 3 * 3_600_000);
      for (const locale of ["de", "en"] as const) {
        const dt = (d: Date) => DateTime.fromJSDate(d, { zone: "Europe/Berlin" }).setLocale(locale);
        const day = locale === "de" ? dt(at).toFormat("ccc, dd.MM.yyyy") : dt(at).toFormat("ccc, d LLL yyyy");
        const expected = {
          date: locale === "de" ? dt(at).toFormat("dd.MM.yyyy") : dt(at).toFormat("d LLL yyyy"),
          dateTime: locale === "de" ? `${dt(at).toFormat("ccc, dd.MM.yyyy, HH:mm")} Uhr` : dt(at).toFormat("ccc, d LLL yyyy, HH:mm"),
          range: `${day}, ${dt(at).toFormat("HH:mm")}–${dt(end).toFormat("HH:mm")}${locale === "de" ? " Uhr" : ""}`,
          time: dt(at).toFormat("HH:mm"),
          calendarDay: locale === "de" ? dt(at).toFormat("dd.MM.yyyy") : dt(at).toFormat("d LLL yyyy"),
        };
        const actual = {
          date: formatDate(at, locale),
          dateTime: formatDateTime(at, locale),
          range: formatRange(at, end, locale),
          time: formatTime(at),
          calendarDay: formatDate(dt(at).toISODate()!, locale),
        };
        if (JSON.stringify(actual) !== JSON.stringify(expected)) wrong.push(`${at.toISOString()} ${locale}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`);
      }
    };
    for (let ms = Date.UTC(1990, 0, 1, 5); ms < Date.UTC(2101, 0, 1); ms += 53 * 3_600_000) check(ms);
    for (const year of [1994, 1995, 1996, 1997, 2026, 2027, 2028, 2029, 2030])
      for (const month of [2, 9]) for (let ms = Date.UTC(year, month, 24); ms < Date.UTC(year, month + 1, 1); ms += 3_600_000) check(ms);
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});
