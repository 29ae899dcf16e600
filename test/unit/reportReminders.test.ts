// Report-deadline reminders to the LZPD (1 and 24 August) and exercise reminders to organisers (1 October),
// through the same sweep and outbox as the annual minimum: once each, on working days, late when the bot was down.
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_REMINDER_POLICY } from "../../src/domain/reminderPolicy.ts";
import { extraReminderMessage } from "../../src/messages/reportReminders.ts";
import { extraReminders } from "../../src/domain/reportReminders.ts";
import { ReminderScheduler } from "../../src/reminders/scheduler.ts";
import { startHarness, type Harness, type Speaker } from "../support/harness.ts";

const ADMIN: Speaker = { user: "chef", room: "lage" };
let h: Harness;
let scheduler: ReminderScheduler;

beforeEach(async () => {
  h = startHarness();
  for (const cmd of ["kpb import nrw", "rolle geben org organisator --kpb koeln", "rolle geben org-aachen organisator --kpb aachen", "rolle geben lzpd lzpd"]) await h.say(cmd, ADMIN);
  await h.say("raum binden koeln", { ...ADMIN, room: "koeln-raum" });
  scheduler = new ReminderScheduler({ db: h.db, clock: h.clock, settings: { platforms: ["console"], defaultLocale: "de" }, logger: pino({ level: "silent" }), intervalMs: 3_600_000 });
  scheduler.sweep(); // the watch starts on 2 March 2026
});
afterEach(() => h.close());

type Row = { key: string; address_id: string; payload: string };
const rows = (prefix: string): Row[] =>
  (h.sqlite.prepare("SELECT * FROM outbox WHERE key LIKE ? ORDER BY id").all(`${prefix}%`) as Record<string, unknown>[]).map((r) => ({
    key: String(r.key),
    address_id: String(r.address_id ?? r.to_id ?? ""),
    payload: JSON.stringify(r),
  }));

function sweepDaily(from: string, to: string): void {
  for (let d = new Date(`${from}T08:00:00Z`); d <= new Date(`${to}T08:00:00Z`); d = new Date(d.getTime() + 86_400_000)) {
    h.clock.set(d);
    scheduler.sweep();
  }
}

describe("report and exercise reminders", () => {
  it("remind the LZPD of the report on 3 and 24 August 2026 and the KPBs without an exercise on 1 October, once each", async () => {
    h.clock.set(new Date("2026-05-11T10:00:00Z"));
    await h.say('uebung erfassen 2026-05-10 "StädteRegion Aachen" "POK A"', { user: "org-aachen", room: "dm-a", direct: true });
    sweepDaily("2026-03-03", "2026-10-05");
    sweepDaily("2026-10-05", "2026-10-05"); // a second sweep over the same time adds nothing

    const report = rows("report.deadline:");
    // 1 August 2026 is a Saturday: the reminder moves to Monday 3 August.
    expect(report.map((r) => r.key.split(":").slice(0, 3).join(":"))).toEqual(["report.deadline:2026:2026-08-03", "report.deadline:2026:2026-08-24"]);
    for (const r of report) {
      expect(r.payload).toContain("lzpd");
      expect(r.payload).toContain("bis zum 31.08.2026");
      expect(r.payload).toContain("bericht 2025");
      expect(r.payload).not.toContain("verspätet");
    }

    const exercise = rows("exercise.missing:");
    // Köln (room bound, organiser) has none; Aachen attended one; the other 45 KPBs are not connected.
    expect(exercise).toHaveLength(1);
    expect(exercise[0]!.key).toMatch(/^exercise\.missing:kpb=\d+:2026:2026-10-01:console:room:koeln-raum$/);
    expect(exercise[0]!.payload).toContain("PP Köln ist 2026 noch keine Teilnahme");
  });

  it("sends a reminder missed while the bot was down once, marked late", () => {
    sweepDaily("2026-03-03", "2026-08-20");
    h.clock.set(new Date("2026-08-27T12:00:00Z"));
    scheduler.sweep();
    scheduler.sweep();
    const late = rows("report.deadline:2026:2026-08-24");
    expect(late).toHaveLength(1);
    expect(late[0]!.payload).toContain("verspätet zugestellt");
  });

  it("follows the policy's dates and drops a date that falls twice on the same working day", () => {
    const policy = { ...DEFAULT_REMINDER_POLICY, report: { ...DEFAULT_REMINDER_POLICY.report, lzpdReminders: ["08-01", "08-02", "08-15"] }, exercise: { reminders: [] } };
    const due = (since: string, now: string) => extraReminders({ kpbs: [{ id: 1, exerciseDates: [] }], since: new Date(since), now: new Date(now), policy }).map((d) => d.dedupKey);
    // 1 and 2 August 2026 (Sat, Sun) both move to Monday 3 August; 15 August is a Saturday → 17 August.
    expect(due("2026-07-01T00:00:00Z", "2026-08-10T00:00:00Z")).toEqual(["report.deadline:2026:2026-08-03"]);
    expect(due("2026-08-10T00:00:00Z", "2026-09-01T00:00:00Z")).toEqual(["report.deadline:2026:2026-08-17"]);
    // Both in one window (the bot was down, the clock moved): one reminder, the latest, not the same text twice.
    expect(due("2026-07-01T00:00:00Z", "2026-09-01T00:00:00Z")).toEqual(["report.deadline:2026:2026-08-17"]);
  });

  it("a late report reminder says the report was due, and why it is late", () => {
    const policy = { ...DEFAULT_REMINDER_POLICY, exercise: { reminders: [] } };
    const [late] = extraReminders({ kpbs: [], since: new Date("2027-07-01T00:00:00Z"), now: new Date("2027-09-01T08:00:00Z"), policy });
    const text = extraReminderMessage(late!, { now: new Date("2027-09-01T08:00:00Z"), clockMoved: true }, "de").text;
    expect(text).toContain("war bis zum 31.08.2027 fällig");
    expect(text).toContain("die Uhr wurde über diesen Zeitpunkt hinaus vorgestellt");
    expect(extraReminderMessage(late!, { now: new Date("2027-08-30T08:00:00Z"), clockMoved: false }, "de").text).toContain("ist bis zum 31.08.2027 fällig");
  });
});
