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
