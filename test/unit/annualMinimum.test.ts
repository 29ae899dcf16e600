import { describe, expect, it } from "vitest";
import { evaluateTrack, parseMonthDay, type EvaluateTrackInput } from "../../src/domain/annualMinimum.ts";
import { ManualClock } from "../../src/domain/clock.ts";
import type { ConferenceFacts } from "../../src/domain/conference.ts";
import type { ConferenceStatus, Track } from "../../src/domain/types.ts";

const at = (iso: string): ManualClock => new ManualClock(new Date(iso));

function conf(id: number, startsAt: string, status: ConferenceStatus, track: Track = "siko", kpbId = 1): ConferenceFacts {
  const start = new Date(startsAt);
  return { id, number: id, kpbId, track, startsAt: start, endsAt: new Date(start.getTime() + 2 * 3_600_000), status };
}

function input(year: number, conferences: ConferenceFacts[], extra: Partial<EvaluateTrackInput> = {}): EvaluateTrackInput {
  return { track: "siko", year, conferences, hasMotorwayPolice: false, ...extra };
}

describe("evaluateTrack", () => {
  it("pending before the first threshold, at-risk from 1 July 00:00 Berlin", () => {
    expect(evaluateTrack(input(2027, []), at("2027-03-01T10:00:00Z"))).toEqual({
      state: "pending",
      reason: { code: "before-threshold", threshold: "2027-07-01", deadline: "2027-12-31" },
    });
    // 30 June 21:59 UTC = 23:59 Berlin (summer time): still pending.
    expect(evaluateTrack(input(2027, []), at("2027-06-30T21:59:00Z")).state).toBe("pending");
    expect(evaluateTrack(input(2027, []), at("2027-06-30T22:00:00Z"))).toEqual({
      state: "at-risk",
      reason: { code: "nothing-planned", threshold: "2027-07-01", deadline: "2027-12-31" },
    });
  });

  it("honours a configured first threshold", () => {
    const early = input(2027, [], { policy: { firstThreshold: "03-01" } });
    expect(evaluateTrack(early, at("2027-03-01T10:00:00Z")).state).toBe("at-risk");
    expect(() => parseMonthDay("02-29")).toThrow(RangeError);
    expect(() => parseMonthDay("13-01")).toThrow(RangeError);
  });

  it("year boundary: 31.12. 23:30 Berlin (22:30 UTC) belongs to the old year", () => {
    const c = conf(7, "2026-12-31T22:30:00Z", "held");
    expect(evaluateTrack(input(2026, [c]), at("2027-01-02T10:00:00Z"))).toMatchObject({
      state: "held",
      reason: { code: "held", conferenceId: 7 },
    });
    expect(evaluateTrack(input(2027, [c]), at("2027-01-02T10:00:00Z")).state).toBe("pending");
  });

  it("year boundary: 01.01. 00:30 Berlin (31.12. 23:30 UTC) belongs to the new year", () => {
    const c = conf(8, "2026-12-31T23:30:00Z", "held");
    expect(evaluateTrack(input(2027, [c]), at("2027-01-02T10:00:00Z")).state).toBe("held");
    expect(evaluateTrack(input(2026, [c]), at("2027-01-02T10:00:00Z"))).toEqual({
      state: "overdue",
      reason: { code: "none-held", deadline: "2026-12-31" },
    });
  });

  it("leap year: a conference on 29.02.2028", () => {
    const planned = conf(9, "2028-02-29T09:00:00Z", "planned");
    expect(evaluateTrack(input(2028, [planned]), at("2028-02-28T12:00:00Z"))).toMatchObject({
      state: "scheduled",
      reason: { code: "upcoming", conferenceId: 9 },
    });
    const held = { ...planned, status: "held" as const };
    expect(evaluateTrack(input(2028, [held]), at("2028-03-01T12:00:00Z")).state).toBe("held");
    expect(evaluateTrack(input(2027, [held]), at("2028-03-01T12:00:00Z")).state).toBe("overdue");
  });

  it("a conference cancelled after being scheduled leaves the year at risk", () => {
    const scheduled = conf(10, "2027-11-20T09:00:00Z", "invited");
    const clock = at("2027-08-15T10:00:00Z");
    expect(evaluateTrack(input(2027, [scheduled]), clock).state).toBe("scheduled");
    const cancelled = { ...scheduled, status: "cancelled" as const };
    expect(evaluateTrack(input(2027, [cancelled]), clock)).toEqual({
      state: "at-risk",
      reason: { code: "nothing-planned", threshold: "2027-07-01", deadline: "2027-12-31" },
    });
  });

  it("a conference moved into the next year leaves this year at risk and schedules the next", () => {
    const moved = conf(11, "2028-01-14T09:00:00Z", "invited");
    const clock = at("2027-12-01T10:00:00Z");
    expect(evaluateTrack(input(2027, [moved]), clock).state).toBe("at-risk");
    expect(evaluateTrack(input(2028, [moved]), clock)).toMatchObject({
      state: "scheduled",
      reason: { code: "upcoming", conferenceId: 11 },
    });
  });

  it("SiKo-AP is not applicable to a KPB without motorway police", () => {
    const ap = conf(12, "2027-05-01T09:00:00Z", "held", "siko-ap");
    expect(evaluateTrack(input(2027, [ap], { track: "siko-ap" }), at("2027-09-01T10:00:00Z"))).toEqual({
      state: "not-applicable",
      reason: { code: "no-motorway-police" },
    });
    expect(
      evaluateTrack(input(2027, [ap], { track: "siko-ap", hasMotorwayPolice: true }), at("2027-09-01T10:00:00Z")).state,
    ).toBe("held");
  });

  it("tracks do not count for each other, nor other KPBs' conferences when filtered by the caller", () => {
    const ap = conf(13, "2027-05-01T09:00:00Z", "held", "siko-ap");
    expect(evaluateTrack(input(2027, [ap], { hasMotorwayPolice: true }), at("2027-09-01T10:00:00Z")).state).toBe("at-risk");
  });

  it("held stays held after the year ended, and beats a later cancellation", () => {
    const held = conf(14, "2027-04-20T08:00:00Z", "held");
    const cancelled = conf(15, "2027-10-20T08:00:00Z", "cancelled");
    expect(evaluateTrack(input(2027, [cancelled, held]), at("2030-06-01T10:00:00Z"))).toMatchObject({
      state: "held",
      reason: { code: "held", conferenceId: 14 },
    });
  });

  it("overdue on 2 January when nothing was held", () => {
    expect(evaluateTrack(input(2027, [conf(16, "2027-06-01T08:00:00Z", "cancelled")]), at("2028-01-02T08:00:00Z"))).toEqual({
      state: "overdue",
      reason: { code: "none-held", deadline: "2027-12-31" },
    });
  });

  it("a passed but unrecorded conference is awaiting record during the year, overdue after it", () => {
    const c = conf(17, "2027-10-05T08:00:00Z", "invited");
    expect(evaluateTrack(input(2027, [c]), at("2027-10-06T10:00:00Z"))).toMatchObject({
      state: "scheduled",
      reason: { code: "awaiting-record", conferenceId: 17 },
    });
    expect(evaluateTrack(input(2027, [c]), at("2028-01-02T10:00:00Z"))).toMatchObject({
      state: "overdue",
      reason: { code: "unrecorded", conferenceId: 17 },
    });
    // Recording it later (even after the year) makes the year held.
    expect(evaluateTrack(input(2027, [{ ...c, status: "held" }]), at("2028-01-05T10:00:00Z")).state).toBe("held");
  });

  it("prefers an upcoming conference over one awaiting record", () => {
    const passed = conf(18, "2027-03-05T08:00:00Z", "planned");
    const upcoming = conf(19, "2027-11-05T08:00:00Z", "invited");
    expect(evaluateTrack(input(2027, [passed, upcoming]), at("2027-08-01T10:00:00Z"))).toMatchObject({
      state: "scheduled",
      reason: { code: "upcoming", conferenceId: 19 },
    });
  });

  it("a future year is pending", () => {
    expect(evaluateTrack(input(2029, []), at("2027-08-01T10:00:00Z")).state).toBe("pending");
  });
});
