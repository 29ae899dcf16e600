import { describe, expect, it } from "vitest";
import type { ConferenceFacts, InvitationFacts, KpbFacts } from "../../src/domain/conference.ts";
import type { ConferenceStatus, RsvpAnswer, Track } from "../../src/domain/types.ts";
import {
  DEFAULT_REMINDER_POLICY,
  annualSlots,
  dueReminders,
  reminderPolicySchema,
  type DueReminder,
  type DueRemindersInput,
} from "../../src/domain/reminderPolicy.ts";
import { reminderMessage, suggestPlanDate } from "../../src/messages/reminders.ts";

const HOUR = 3_600_000;
const kpb = (id: number, hasMotorwayPolice = false): KpbFacts => ({ id, name: `KPB ${id}`, slug: `kpb${id}`, hasMotorwayPolice });

function conf(id: number, startsAt: string, status: ConferenceStatus, kpbId = 1, track: Track = "siko"): ConferenceFacts {
  const start = new Date(startsAt);
  return { id, number: id, kpbId, track, startsAt: start, endsAt: new Date(start.getTime() + 2 * HOUR), status };
}

const inv = (conferenceId: number, contactId: number, answer: RsvpAnswer | null = null): InvitationFacts => ({
  conferenceId,
  contactId,
  partnerAgencyId: contactId * 10,
  answer,
});

function run(partial: Partial<Omit<DueRemindersInput, "since" | "now">> & { since: string; now: string }): DueReminder[] {
  return dueReminders({
    kpbs: [],
    conferences: [],
    invitations: [],
    ...partial,
    since: new Date(partial.since),
    now: new Date(partial.now),
  });
}

/** A scheduler in miniature: sweeps every `stepMs`, facts may change with time, collects what it would send. */
function sweep(
  from: string,
  to: string,
  stepMs: number,
  facts: (now: Date) => Pick<DueRemindersInput, "kpbs" | "conferences" | "invitations">,
): DueReminder[] {
  const sent: DueReminder[] = [];
  let since = new Date(from);
  const end = new Date(to).getTime();
  while (since.getTime() < end) {
    const now = new Date(Math.min(since.getTime() + stepMs, end));
    sent.push(...dueReminders({ ...facts(now), since, now }));
    since = now;
  }
  return sent;
}

const brief = (r: DueReminder): string => `${r.rule} ${r.track} ${r.year} ${r.dueAt.toISOString()} ${r.audience}`;

describe("annual slots", () => {
  it("shift past weekends and holidays; December Mondays; overdue on the first working day from 2 January", () => {
    expect(annualSlots(2026).map((s) => `${s.rule} ${s.dueAt.toISOString()}`)).toEqual([
      "annual.organisers 2026-07-01T07:00:00.000Z",
      "annual.leaders 2026-09-01T07:00:00.000Z",
      "annual.escalation 2026-10-01T07:00:00.000Z",
      // 1 Nov 2026 is a Sunday and Allerheiligen: Monday 2 Nov, 09:00 Berlin = 08:00 UTC.
      "annual.escalation 2026-11-02T08:00:00.000Z",
      "annual.escalation 2026-12-07T08:00:00.000Z",
      "annual.escalation 2026-12-14T08:00:00.000Z",
      "annual.escalation 2026-12-21T08:00:00.000Z",
      "annual.escalation 2026-12-28T08:00:00.000Z",
      // 2 Jan 2027 is a Saturday: Monday 4 Jan.
      "annual.overdue 2027-01-04T08:00:00.000Z",
    ]);
  });

  it("2027: 1 Nov is a Monday holiday (Tuesday 2 Nov); 2 Jan 2028 is a Sunday (Monday 3 Jan)", () => {
    const dates = annualSlots(2027).map((s) => s.dueDate);
    expect(dates).toEqual([
      "2027-07-01",
      "2027-09-01",
      "2027-10-01",
      "2027-11-02",
      "2027-12-06",
      "2027-12-13",
      "2027-12-20",
      "2027-12-27",
      "2028-01-03",
    ]);
  });

  it("a December Monday on Christmas moves to the next working day", () => {
    // 25 Dec 2028 is a Monday, 26 Dec a Tuesday holiday: Wednesday 27 Dec.
    expect(annualSlots(2028).filter((s) => s.rule === "annual.escalation").map((s) => s.dueDate)).toContain("2028-12-27");
  });
});

describe("dueReminders: annual minimum", () => {
  it("a KPB that never plans gets every notice once, each on a working day at 09:00 Berlin", () => {
    // From 3 Jan: the 2025 overdue notice (Friday 2 Jan 2026) is not part of this story.
    const sent = sweep("2026-01-03T00:00:00Z", "2027-01-10T00:00:00Z", HOUR, () => ({
      kpbs: [kpb(1)],
      conferences: [],
      invitations: [],
    }));
    expect(sent.map(brief)).toEqual([
      "annual.organisers siko 2026 2026-07-01T07:00:00.000Z organisers",
      "annual.leaders siko 2026 2026-09-01T07:00:00.000Z leaders",
      "annual.escalation siko 2026 2026-10-01T07:00:00.000Z leaders",
      "annual.escalation siko 2026 2026-11-02T08:00:00.000Z leaders",
      "annual.escalation siko 2026 2026-12-07T08:00:00.000Z leaders",
      "annual.escalation siko 2026 2026-12-14T08:00:00.000Z leaders",
      "annual.escalation siko 2026 2026-12-21T08:00:00.000Z leaders",
      "annual.escalation siko 2026 2026-12-28T08:00:00.000Z leaders",
      "annual.overdue siko 2026 2027-01-04T08:00:00.000Z leaders+reporters",
    ]);
    expect(new Set(sent.map((r) => r.dedupKey)).size).toBe(sent.length);
    expect(sent.every((r) => !r.late)).toBe(true);
    expect(sent.at(-1)).toMatchObject({
      dedupKey: "annual.overdue:kpb=1:siko:2026:2027-01-04",
      context: { kind: "annual", track: "siko", year: 2026, deadline: "2026-12-31" },
    });
  });

  it("a KPB with motorway police is watched on both tracks, each on its own", () => {
    const r = run({
      kpbs: [kpb(5, true)],
      conferences: [conf(1, "2026-05-10T08:00:00Z", "held", 5, "siko")],
      since: "2026-06-30T00:00:00Z",
      now: "2026-07-01T07:00:00Z",
    });
    expect(r.map((x) => x.dedupKey)).toEqual(["annual.organisers:kpb=5:siko-ap:2026:2026-07-01"]);
  });

  it("nothing more once the KPB is compliant; reminders resume when its conference is cancelled", () => {
    const planned = conf(1, "2026-11-20T09:00:00Z", "invited");
    const sent = sweep("2026-06-01T00:00:00Z", "2027-01-10T00:00:00Z", 6 * HOUR, (now) => {
      // Planned on 10 Sep, cancelled on 15 Oct, a new one planned on 10 Dec and held on 18 Dec.
      const t = now.toISOString();
      const conferences: ConferenceFacts[] = [];
      if (t >= "2026-09-10" && t < "2026-10-15") conferences.push(planned);
      if (t >= "2026-10-15") conferences.push({ ...planned, status: "cancelled" });
      if (t >= "2026-12-10") conferences.push(conf(2, "2026-12-18T09:00:00Z", t >= "2026-12-18T12" ? "held" : "invited"));
      return { kpbs: [kpb(1)], conferences, invitations: [] };
    });
    expect(sent.map((r) => `${r.rule} ${r.dueDate}`)).toEqual([
      "annual.organisers 2026-07-01",
      "annual.leaders 2026-09-01",
      "annual.escalation 2026-11-02",
      "annual.escalation 2026-12-07",
    ]);
  });

  it("a conference moved into the next year does not protect this year", () => {
    const r = run({
      kpbs: [kpb(1)],
      conferences: [conf(1, "2027-01-15T09:00:00Z", "invited")],
      since: "2026-12-06T00:00:00Z",
      now: "2026-12-07T09:00:00Z",
    });
    expect(r.map((x) => x.dedupKey)).toEqual(["annual.escalation:kpb=1:siko:2026:2026-12-07"]);
  });

  it("a passed but unrecorded conference stops escalations, but the year is overdue unless recorded", () => {
    const unrecorded = conf(1, "2026-09-15T08:00:00Z", "invited");
    const input = { kpbs: [kpb(1)], conferences: [unrecorded], since: "2026-09-30T00:00:00Z", now: "2027-01-04T08:30:00Z" };
    expect(run(input).filter((x) => x.rule.startsWith("annual.")).map((x) => x.dedupKey)).toEqual([
      "annual.overdue:kpb=1:siko:2026:2027-01-04",
    ]);
    expect(run({ ...input, conferences: [{ ...unrecorded, status: "held" }] })).toEqual([]);
  });

  it("the running year's escalations are dropped once the year is over (the overdue notice takes over)", () => {
    const r = run({ kpbs: [kpb(1)], since: "2026-12-20T00:00:00Z", now: "2027-01-04T10:30:00Z" });
    expect(r.map((x) => `${x.dedupKey} late=${x.late}`)).toEqual(["annual.overdue:kpb=1:siko:2026:2027-01-04 late=true"]);
  });

  it("late: a slot more than an hour before now is marked late", () => {
    const base = { kpbs: [kpb(1)], since: "2026-06-30T00:00:00Z" };
    expect(run({ ...base, now: "2026-07-01T07:00:00Z" })[0]?.late).toBe(false);
    expect(run({ ...base, now: "2026-07-01T08:00:00Z" })[0]?.late).toBe(false);
    expect(run({ ...base, now: "2026-07-01T08:00:00.001Z" })[0]?.late).toBe(true);
    const longDown = run({ ...base, since: "2026-01-01T00:00:00Z", now: "2026-10-05T12:00:00Z" });
    expect(longDown.map((x) => `${x.dueDate} late=${x.late}`)).toEqual([
      "2026-01-02 late=true", // overdue for 2025
      "2026-07-01 late=true",
      "2026-09-01 late=true",
      "2026-10-01 late=true",
    ]);
  });

  it("the window is (since, now]: a slot exactly at since is not returned again", () => {
    const at = "2026-07-01T07:00:00Z";
    expect(run({ kpbs: [kpb(1)], since: "2026-06-30T00:00:00Z", now: at })).toHaveLength(1);
    expect(run({ kpbs: [kpb(1)], since: at, now: "2026-07-01T12:00:00Z" })).toHaveLength(0);
    expect(run({ kpbs: [kpb(1)], since: at, now: at })).toHaveLength(0);
  });

  it("the same input twice gives identical, unique keys", () => {
    const input = {
      kpbs: [kpb(1), kpb(2, true), kpb(3)],
      conferences: [conf(1, "2026-10-02T08:00:00Z", "invited", 2), conf(2, "2026-12-17T09:00:00Z", "invited", 3)],
      invitations: [inv(2, 9), inv(2, 10)],
      since: "2026-06-01T00:00:00Z",
      now: "2026-12-16T12:00:00Z",
    };
    const a = run(input);
    const b = run(input);
    expect(a.map((x) => x.dedupKey)).toEqual(b.map((x) => x.dedupKey));
    expect(new Set(a.map((x) => x.dedupKey)).size).toBe(a.length);
    expect(a.length).toBeGreaterThan(10);
  });
});

describe("dueReminders: record prompts", () => {
  // Friday 2 Oct 2026, 10:00 Berlin. +1 day is Saturday 3 Oct (also a holiday): Monday 5 Oct.
  // +8 days is Saturday 10 Oct: Monday 12 Oct.
  const passed = conf(4, "2026-10-02T08:00:00Z", "invited", 7);

  it("prompts the organisers the next working day after the date and a week later", () => {
    const sent = sweep("2026-10-01T00:00:00Z", "2026-10-20T00:00:00Z", HOUR, () => ({
      kpbs: [kpb(7)],
      conferences: [passed],
      invitations: [],
    })).filter((r) => r.rule === "record.prompt");
    expect(sent.map((r) => `${r.dedupKey} ${r.dueAt.toISOString()} ${r.audience}`)).toEqual([
      "record.prompt:conf=4:2026-10-02:+1d 2026-10-05T07:00:00.000Z organisers",
      "record.prompt:conf=4:2026-10-02:+8d 2026-10-12T07:00:00.000Z organisers",
    ]);
    expect(sent[0]).toMatchObject({ kpbId: 7, track: "siko", year: 2026, conferenceId: 4 });
  });

  it("no prompt once recorded held or cancelled", () => {
    for (const status of ["held", "cancelled"] as const) {
      expect(run({ conferences: [{ ...passed, status }], since: "2026-10-01T00:00:00Z", now: "2026-10-20T00:00:00Z" })).toEqual([]);
    }
  });

  it("a conference rescheduled into the future is not prompted", () => {
    const moved = { ...passed, startsAt: new Date("2026-11-05T09:00:00Z") };
    expect(run({ conferences: [moved], since: "2026-10-04T00:00:00Z", now: "2026-10-06T00:00:00Z" })).toEqual([]);
  });
});

describe("dueReminders: RSVP nudges", () => {
  // Thursday 18 Jun 2026, 10:00 Berlin. 14 days before is 4 Jun, Fronleichnam: the working day
  // before, Wednesday 3 Jun. 3 days before is Monday 15 Jun.
  const upcoming = conf(5, "2026-06-18T08:00:00Z", "invited", 3);
  const invitations = [inv(5, 9), inv(5, 10, "accepted"), inv(5, 11, "tentative"), inv(6, 12)];

  it("nudges contacts without an answer 14 and 3 days before, moved back off days off", () => {
    const sent = sweep("2026-05-25T00:00:00Z", "2026-06-30T00:00:00Z", HOUR, () => ({
      kpbs: [kpb(3)],
      conferences: [upcoming],
      invitations,
    })).filter((r) => r.rule === "rsvp.nudge");
    expect(sent.map((r) => `${r.dedupKey} ${r.dueAt.toISOString()}`)).toEqual([
      "rsvp.nudge:conf=5:contact=9:2026-06-18:14d 2026-06-03T07:00:00.000Z",
      "rsvp.nudge:conf=5:contact=9:2026-06-18:3d 2026-06-15T07:00:00.000Z",
    ]);
    expect(sent[0]).toMatchObject({ audience: "contact", contactId: 9, conferenceId: 5, kpbId: 3, year: 2026 });
  });

  it("a nudge due on a Saturday goes out the Friday before", () => {
    // Tuesday 13 Oct 2026: 3 days before is Saturday 10 Oct, so Friday 9 Oct.
    const r = run({
      conferences: [conf(6, "2026-10-13T08:00:00Z", "invited")],
      invitations: [inv(6, 12)],
      since: "2026-10-08T12:00:00Z",
      now: "2026-10-09T12:00:00Z",
    });
    expect(r.map((x) => `${x.dedupKey} ${x.dueDate}`)).toEqual(["rsvp.nudge:conf=6:contact=12:2026-10-13:3d 2026-10-09"]);
  });

  it("no nudge for an answered contact or a cancelled conference", () => {
    const window = { since: "2026-06-14T00:00:00Z", now: "2026-06-15T12:00:00Z" };
    expect(run({ ...window, conferences: [upcoming], invitations: [inv(5, 9, "declined")] })).toEqual([]);
    expect(run({ ...window, conferences: [{ ...upcoming, status: "cancelled" }], invitations: [inv(5, 9)] })).toEqual([]);
  });

  it("no nudge once the conference has started, even if the bot was down", () => {
    expect(
      run({ conferences: [upcoming], invitations: [inv(5, 9)], since: "2026-06-01T00:00:00Z", now: "2026-06-18T08:30:00Z" }),
    ).toEqual([]);
  });
});

describe("dueReminders: answer deadline", () => {
  // Conference on Mon 26 Apr 2027, answers asked by Fri 9 Apr: the list goes out Mon 12 Apr 09:00 Berlin.
  const withDeadline = (status: ConferenceStatus = "invited"): ConferenceFacts => ({ ...conf(7, "2027-04-26T08:00:00Z", status), rsvpDeadline: "2027-04-09" });

  it("lists the silent agencies to the organisers on the first working day after the deadline", () => {
    const got = sweep("2027-04-01T00:00:00Z", "2027-04-20T00:00:00Z", HOUR, () => ({
      kpbs: [],
      conferences: [withDeadline()],
      invitations: [inv(7, 1, "accepted"), inv(7, 2), inv(7, 3), { ...inv(7, 4), partnerAgencyId: 30 }],
    })).filter((r) => r.rule === "rsvp.deadline");
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ audience: "organisers", dedupKey: "rsvp.deadline:conf=7:2027-04-09", dueDate: "2027-04-12", late: false });
    expect(got[0]!.dueAt.toISOString()).toBe("2027-04-12T07:00:00.000Z");
    expect(got[0]!.context).toMatchObject({ kind: "deadline", silentPartnerAgencyIds: [20, 30] });
  });

  it("says nothing when everyone answered, or the conference was cancelled", () => {
    const everyone = run({ since: "2027-04-12T06:00:00Z", now: "2027-04-12T08:00:00Z", conferences: [withDeadline()], invitations: [inv(7, 1, "declined")] });
    expect(everyone.filter((r) => r.rule === "rsvp.deadline")).toEqual([]);
    const cancelled = run({ since: "2027-04-12T06:00:00Z", now: "2027-04-12T08:00:00Z", conferences: [withDeadline("cancelled")], invitations: [inv(7, 1)] });
    expect(cancelled.filter((r) => r.rule === "rsvp.deadline")).toEqual([]);
  });
});

describe("reminderPolicySchema", () => {
  it("an empty operator file gives the documented defaults", () => {
    expect(reminderPolicySchema.parse({})).toEqual(DEFAULT_REMINDER_POLICY);
  });

  it("a partial override keeps the other defaults and is used by dueReminders", () => {
    const policy = reminderPolicySchema.parse({ sendAt: "08:30", annual: { leaders: "08-15", escalationMondaysInMonths: [] } });
    expect(policy.annual.organisers).toBe("07-01");
    expect(policy.rsvp.nudgeDaysBefore).toEqual([14, 3]);
    expect(annualSlots(2026, policy).map((s) => `${s.rule} ${s.dueAt.toISOString()}`)).toEqual([
      "annual.organisers 2026-07-01T06:30:00.000Z",
      "annual.leaders 2026-08-17T06:30:00.000Z", // 15 Aug 2026 is a Saturday
      "annual.escalation 2026-10-01T06:30:00.000Z",
      "annual.escalation 2026-11-02T07:30:00.000Z",
      "annual.overdue 2027-01-04T07:30:00.000Z",
    ]);
  });

  it("rejects malformed values", () => {
    expect(reminderPolicySchema.safeParse({ sendAt: "9:00" }).success).toBe(false);
    expect(reminderPolicySchema.safeParse({ annual: { leaders: "02-29" } }).success).toBe(false);
    expect(reminderPolicySchema.safeParse({ rsvp: { nudgeDaysBefore: [0] } }).success).toBe(false);
  });

  it("does not share arrays with the defaults", () => {
    const policy = reminderPolicySchema.parse({});
    policy.annual.escalations.push("12-24");
    expect(DEFAULT_REMINDER_POLICY.annual.escalations).toEqual(["10-01", "11-01"]);
  });
});

describe("what the annual reminders suggest", () => {
  const escalation = (dueDate: string, year: number): DueReminder => ({
    dedupKey: "x",
    rule: "annual.escalation",
    kpbId: 1,
    track: "siko",
    year,
    audience: "leaders",
    dueAt: new Date(`${dueDate}T08:00:00Z`),
    dueDate,
    late: false,
    context: { kind: "annual", track: "siko", year, deadline: `${year}-12-31` },
  });
  const text = (dueDate: string, year: number) => reminderMessage(escalation(dueDate, year), "leader", { kpbName: "PP Köln", kpbSlug: "koeln", now: new Date(`${dueDate}T08:00:00Z`) }, "de").text;

  it("the 27 December escalation suggests a working day of that year, and says it is short notice", () => {
    const t = text("2027-12-27", 2027);
    expect(t).toContain("`planen 2027-12-30 10:00`");
    expect(t).not.toContain("2028");
    expect(t).toContain("Mit 14 Tagen Vorlauf ist 2027 nicht mehr zu schaffen");
  });

  it("with 14 days' notice still possible, the suggestion is 14 days ahead on a working day", () => {
    expect(suggestPlanDate("2027-10-01", 2027)).toEqual({ date: "2027-10-15", shortNotice: false });
    // 14 days after 19 Dec is Sunday 2 Jan: the last working day before Christmas Eve instead.
    expect(suggestPlanDate("2027-12-19", 2027)).toEqual({ date: "2027-12-23", shortNotice: true });
  });

  it("an escalation when no working day of the year is left says plainly that the year can no longer be met", () => {
    // 31 December 2029 is a Monday.
    const t = text("2029-12-31", 2029);
    expect(t).toContain("Das Jahresminimum 2029 ist nicht mehr zu erreichen: Bis zum 31.12.2029 bleibt kein Arbeitstag.");
    expect(t).toMatch(/`planen 2030-01-\d\d 10:00`/);
    expect(suggestPlanDate("2029-12-31", 2029)).toBeNull();
  });
});
