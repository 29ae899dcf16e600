// A simulated year of the annual-minimum watch: the 47 NRW KPBs, organisers, leaders and the LZPD, driven
// through the real commands, the real scheduler and the real outbox worker, with a fake clock from
// 1 January 2027 to 10 January 2028, restarts on random days and one outage over 1 October.
// The expected reminders are written out by hand from the decree's calendar, not computed by the policy.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { Dispatcher } from "../../src/app/dispatcher.ts";
import { actions, commands } from "../../src/app/registry.ts";
import type { RuntimeSettings } from "../../src/settings.ts";
import { openDatabase, type OpenDb } from "../../src/db/client.ts";
import * as s from "../../src/db/schema.ts";
import { ManualClock } from "../../src/domain/clock.ts";
import { addDays, berlinDateOf, isWorkingDay } from "../../src/domain/holidays.ts";
import { formatTime } from "../../src/domain/dates.ts";
import type { Track } from "../../src/domain/types.ts";
import { OutboxWorker } from "../../src/delivery/worker.ts";
import { DEFAULT_REMINDER_POLICY } from "../../src/domain/reminderPolicy.ts";
import { ReminderScheduler } from "../../src/reminders/scheduler.ts";
import type { Address, ChatAdapter, OutboundMessage } from "../../src/port.ts";
import { prng } from "../support/prng.ts";

import { REFERENCE_DIR } from "../../src/paths.ts";
const logger = pino({ level: "silent" });
const HOUR = 3_600_000;
// Real timers never fire during the run: every sweep and flush below is explicit.
const NEVER_MS = 24 * HOUR;

interface Sent {
  key: string;
  to: Address;
  text: string;
  at: Date;
}

/** A chat platform that records every send; it dedupes by key like Matrix, so the outbox may resend. */
class RecordingAdapter implements ChatAdapter {
  readonly platform = "console" as const;
  readonly capabilities = { buttons: true, files: true, edits: false, answerGesture: "button", dedupesByKey: true } as const;
  readonly sent: Sent[] = [];
  constructor(private readonly clock: ManualClock) {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async send(to: Address, msg: OutboundMessage, key: string) {
    this.sent.push({ key, to, text: msg.text, at: this.clock.now() });
    return {};
  }
}

// ---- the scenarios ---------------------------------------------------------------------------------
// 2027: 1 July Thu, 1 Sept Wed, 1 Oct Fri (bot down: delivered late on Mon 4 Oct), 1 Nov is Allerheiligen
// (→ Tue 2 Nov), December Mondays 6/13/20/27, 2 Jan 2028 is a Sunday (→ Mon 3 Jan 2028).
type Pattern =
  | "spring" // planned in January for March, recorded on the day
  | "springLateRecord" // planned for 14 April, recorded only on 26 April: two record prompts
  | "springInvited" // planned for 20 May, two agencies invited, one never answers: two nudges
  | "december" // planned on 5 October for 9 December
  | "never"
  | "cancelled" // planned for September, cancelled on 20 August, never replanned
  | "cancelledReplanned" // planned for June, cancelled 1 June, replanned on 14 September for November
  | "lateDecember" // planned on 7 December for 16 December
  | "unrecorded"; // took place on 10 November, never recorded as held

const ORG = "org";
const ROOM = "room";
const LTG = "ltg";
const LZPD = "lzpd";
const NUDGED = "nudged";

/** [due date, rule, recipients, late] per pattern; recipients are symbolic (org, room, ltg, lzpd, nudged). */
function expectedOf(p: Pattern): Array<[string, string, string[], boolean?]> {
  const organisers: [string, string, string[]] = ["2027-07-01", "annual.organisers", [ROOM]];
  const leaders: [string, string, string[]] = ["2027-09-01", "annual.leaders", [LTG]];
  const oct: [string, string, string[], boolean] = ["2027-10-01", "annual.escalation", [LTG], true];
  const esc = (d: string): [string, string, string[]] => [d, "annual.escalation", [LTG]];
  // The LZPD reads the overdue notices of all KPBs in one digest (checked below), not one message per KPB.
  const overdue: [string, string, string[]] = ["2028-01-03", "annual.overdue", [LTG]];
  const december = [esc("2027-12-06"), esc("2027-12-13"), esc("2027-12-20"), esc("2027-12-27")];
  switch (p) {
    case "spring":
      return [];
    case "springLateRecord":
      return [
        ["2027-04-15", "record.prompt", [ROOM]],
        ["2027-04-22", "record.prompt", [ROOM]],
      ];
    case "springInvited":
      // 14 days before 20 May is Christi Himmelfahrt (6 May) → Wed 5 May; 3 days before is Pfingstmontag → Fri 14 May.
      return [
        ["2027-05-05", "rsvp.nudge", [NUDGED]],
        ["2027-05-14", "rsvp.nudge", [NUDGED]],
      ];
    case "december":
      return [organisers, leaders, oct];
    case "never":
      return [organisers, leaders, oct, esc("2027-11-02"), ...december, overdue];
    case "cancelled":
      return [leaders, oct, esc("2027-11-02"), ...december, overdue];
    case "cancelledReplanned":
      return [organisers, leaders];
    case "lateDecember":
      return [organisers, leaders, oct, esc("2027-11-02"), esc("2027-12-06")];
    case "unrecorded":
      return [["2027-11-11", "record.prompt", [ROOM]], ["2027-11-18", "record.prompt", [ROOM]], overdue];
  }
}

/** Whether the track ends the year compliant, and from when (the instant of the last plan command). */
const ENDS_HELD: Record<Pattern, boolean> = {
  spring: true,
  springLateRecord: true,
  springInvited: true,
  december: true,
  never: false,
  cancelled: false,
  cancelledReplanned: true,
  lateDecember: true,
  unrecorded: false,
};

const MOTORWAY: Record<string, [Pattern, Pattern]> = {
  "PP Bielefeld": ["unrecorded", "never"],
  "PP Dortmund": ["december", "spring"],
  "PP Düsseldorf": ["springLateRecord", "never"],
  "PP Köln": ["springInvited", "never"],
  "PP Münster": ["cancelledReplanned", "lateDecember"],
};
const CYCLE: Pattern[] = ["spring", "never", "december", "springLateRecord", "spring", "cancelled", "springInvited"];

describe("a simulated year of reminders", () => {
  const dir = mkdtempSync(join(tmpdir(), "siko-sim-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("sends every reminder exactly once, on time at 09:00 on working days, and none after compliance", { timeout: 120_000 }, async () => {
    const clock = new ManualClock(new Date("2027-01-01T00:00:00Z"));
    const adapter = new RecordingAdapter(clock);
    const settings: RuntimeSettings = {
      platforms: ["console"],
      editablePlatforms: [],
      publicUrl: "http://localhost:3978",
      defaultLocale: "de",
      referenceDir: REFERENCE_DIR,
      rsvpNoticeDelayMs: 0,
      reminderPolicy: DEFAULT_REMINDER_POLICY,
    };
    const dbPath = join(dir, "siko.db");

    // ---- a "process": database, dispatcher, scheduler, outbox worker --------------------------------
    let proc: { o: OpenDb; dispatcher: Dispatcher; scheduler: ReminderScheduler; worker: OutboxWorker } | null = null;
    let restarts = 0;
    const boot = () => {
      const o = openDatabase(dbPath);
      const worker = new OutboxWorker({ db: o.db, clock, adapters: new Map([["console", adapter]]), logger, intervalMs: NEVER_MS });
      const dispatcher = new Dispatcher({ db: o.db, clock, settings, commands, actions, logger });
      const scheduler = new ReminderScheduler({ db: o.db, clock, settings, logger, intervalMs: NEVER_MS, kick: () => worker.flush() });
      worker.start();
      scheduler.start(); // sweeps once at start
      proc = { o, dispatcher, scheduler, worker };
    };
    const shutdown = async () => {
      if (!proc) return;
      await proc.scheduler.stop();
      await proc.worker.stop();
      proc.o.close();
      proc = null;
    };
    let n = 0;
    const say = async (text: string, user: string, room: string, direct = false): Promise<string> => {
      const replies = await proc!.dispatcher.handle({
        kind: "command",
        eventId: `sim-${++n}`,
        sender: { platform: "console", id: user },
        room: { platform: "console", id: room, direct },
        text,
      });
      await proc!.worker.flush();
      return replies.replies.map((r) => r.text).join("\n");
    };

    boot();
    // ---- set-up through the real commands ------------------------------------------------------------
    const ADMIN = "admin";
    expect(await say("kpb import nrw", ADMIN, "leitstelle")).toMatch(/47/);
    const kpbs = proc!.o.db.select().from(s.kpbs).orderBy(s.kpbs.id).all();
    expect(kpbs).toHaveLength(47);
    expect(await say("rolle geben lzpd lzpd", ADMIN, "leitstelle")).not.toMatch(/nicht|Fehler/);
    const slugOfId = new Map(kpbs.map((k) => [k.id, k.slug]));
    for (const k of kpbs) {
      const room = `raum-${k.slug}`;
      for (const cmd of [`raum binden ${k.slug}`, `rolle geben org-${k.slug} organisator`, `rolle geben ltg-${k.slug} leitung`])
        expect(await say(cmd, ADMIN, room), cmd).not.toMatch(/nicht|Fehler|Unbekannt/);
    }

    // ---- who does what, when (all actions at 13:00 UTC of their Berlin day) ---------------------------
    const patterns = new Map<string, Pattern>(); // "slug:track"
    let cycle = 0;
    for (const k of kpbs) {
      const [siko, ap] = MOTORWAY[k.name] ?? [CYCLE[cycle++ % CYCLE.length]!, "never"];
      patterns.set(`${k.slug}:siko`, siko);
      if (k.hasMotorwayPolice) patterns.set(`${k.slug}:siko-ap`, ap);
    }
    const confOf = new Map<number, { slug: string; track: Track }>();
    const ids = new Map<string, number>(); // "slug:track" → latest conference number
    const compliantFrom = new Map<string, Date>(); // "slug:track" → when the last (kept) plan was made
    const actionsByDay = new Map<string, Array<() => Promise<void>>>();
    const on = (day: string, f: () => Promise<void>) => {
      let list = actionsByDay.get(day);
      if (!list) actionsByDay.set(day, (list = []));
      list.push(f);
    };
    // Issue 16: three KPBs record a crisis-staff exercise; the others get the exercise reminder of 1 October.
    const exercised = kpbs.slice(0, 3).map((k) => k.slug);
    for (const slug of exercised) on("2027-06-15", async () => void expect(await say(`uebung erfassen 2027-06-14 "Kreis ${slug}" "POK ${slug}"`, `org-${slug}`, `raum-${slug}`)).toContain("erfasst"));
    for (const [key, pattern] of patterns) {
      const [slug, track] = key.split(":") as [string, Track];
      const org = `org-${slug}`;
      const room = `raum-${slug}`;
      const art = track === "siko-ap" ? " --art siko-ap" : "";
      const plan = (day: string, date: string) =>
        on(day, async () => {
          const reply = await say(`planen ${date} 10:00${art}`, org, room);
          // Commands take the KPB's own number; outbox keys name the conference by its internal id.
          const number = Number(/#(\d+)/.exec(reply)?.[1]);
          expect(number, reply).toBeGreaterThan(0);
          ids.set(key, number);
          const kpbId = kpbs.find((k) => k.slug === slug)!.id;
          const { id } = proc!.o.db.select({ id: s.conferences.id }).from(s.conferences).where(and(eq(s.conferences.kpbId, kpbId), eq(s.conferences.number, number))).get()!;
          confOf.set(id, { slug, track });
          compliantFrom.set(key, clock.now());
        });
      const record = (day: string) => on(day, async () => expect(await say(`durchgefuehrt ${ids.get(key)}`, org, room)).toMatch(/durchgeführt festgehalten/));
      const cancel = (day: string) => on(day, async () => expect(await say(`absagen ${ids.get(key)}`, org, room)).toMatch(/abgesagt/));
      switch (pattern) {
        case "spring":
          plan("2027-01-15", "2027-03-10");
          record("2027-03-10");
          break;
        case "springLateRecord":
          plan("2027-01-20", "2027-04-14");
          record("2027-04-26");
          break;
        case "springInvited":
          plan("2027-01-20", "2027-05-20");
          on("2027-01-25", async () => {
            for (const [agency, category, person] of [
              [`StA ${slug}`, "staatsanwaltschaft", `Roth ${slug}`],
              [`Gericht ${slug}`, "gericht", `Berg ${slug}`],
            ] as const) {
              expect(await say(`partner anlegen "${agency}" --kategorie ${category}`, org, room)).not.toMatch(/nicht|Ungültig/);
              expect(await say(`kontakt anlegen "${agency}" "${person}"`, org, room)).not.toMatch(/nicht|Ungültig/);
            }
            expect(await say(`einladen ${ids.get(key)} --trotzdem`, org, room)).toMatch(/eingeladen:/);
          });
          // One agency answers; only the other is nudged.
          on("2027-02-10", async () => expect(await say(`zusage ${ids.get(key)}`, `Berg ${slug}`, `dm-berg-${slug}`, true)).toMatch(/gespeichert/));
          record("2027-05-20");
          break;
        case "december":
          plan("2027-10-05", "2027-12-09");
          record("2027-12-09");
          break;
        case "never":
          break;
        case "cancelled":
          plan("2027-03-01", "2027-09-15");
          cancel("2027-08-20");
          on("2027-08-20", async () => void compliantFrom.delete(key));
          break;
        case "cancelledReplanned":
          plan("2027-02-01", "2027-06-16");
          cancel("2027-06-01");
          plan("2027-09-14", "2027-11-17");
          record("2027-11-17");
          break;
        case "lateDecember":
          plan("2027-12-07", "2027-12-16");
          record("2027-12-16");
          break;
        case "unrecorded":
          plan("2027-03-01", "2027-11-10");
          break;
      }
    }

    // ---- the clock runs ------------------------------------------------------------------------------
    // Steps at these UTC hours each day: 07:00 UTC is 09:00 Berlin in summer, 08:00 UTC in winter.
    const STEP_HOURS = [6, 7, 8, 9, 13, 18];
    const rnd = prng(20270101);
    const downFrom = new Date("2027-09-30T13:30:00Z");
    const downUntil = new Date("2027-10-04T09:00:00Z"); // back on Monday 11:00 Berlin
    let down = false;
    for (let day = "2027-01-01"; day <= "2028-01-10"; day = addDays(day, 1)) {
      const restartToday = rnd() < 0.07;
      for (const h of STEP_HOURS) {
        const at = new Date(`${day}T${String(h).padStart(2, "0")}:00:00Z`);
        clock.set(at);
        if (at > downFrom && at < downUntil) {
          if (!down) await shutdown();
          down = true;
          continue;
        }
        if (down || (restartToday && h === 6)) {
          await shutdown();
          boot(); // the new process sweeps at start
          restarts++;
          down = false;
        } else {
          proc!.scheduler.sweep();
        }
        await proc!.worker.flush();
        if (h === 13) for (const f of actionsByDay.get(berlinDateOf(at)) ?? []) await f();
      }
    }
    await shutdown();
    expect(restarts).toBeGreaterThan(10);

    // ---- what each KPB received ------------------------------------------------------------------------
    const reminders = adapter.sent.filter((m) => /^(annual\.|record\.prompt|rsvp\.nudge)/.test(m.key));
    // Exactly once: the worker delivered every key once, and no two keys are the same reminder and address.
    expect(new Set(reminders.map((m) => m.key)).size).toBe(reminders.length);

    const symbolic = (to: Address, slug: string): string => {
      if (to.kind === "room") return to.id === `raum-${slug}` ? ROOM : `?room:${to.id}`;
      if (to.id === `org-${slug}`) return ORG;
      if (to.id === `ltg-${slug}`) return LTG;
      if (to.id === "lzpd") return LZPD;
      if (to.id === `Roth ${slug}`) return NUDGED;
      return `?${to.id}`;
    };
    const actual = new Map<string, Map<string, string[]>>(); // slug:track → "due rule late" → recipients
    for (const m of reminders) {
      let slug: string;
      let track: Track;
      let due: string;
      const annual = /^(annual\.[a-z]+):kpb=(\d+):(siko|siko-ap):(\d{4}):(\d{4}-\d{2}-\d{2}):/.exec(m.key);
      const late = m.text.includes("(verspätet zugestellt)");
      if (annual) {
        slug = slugOfId.get(Number(annual[2]))!;
        track = annual[3] as Track;
        due = annual[5]!;
        expect(annual[4]).toBe("2027");
      } else {
        const conf = confOf.get(Number(/conf=(\d+)/.exec(m.key)![1]))!;
        ({ slug, track } = conf);
        due = berlinDateOf(m.at);
      }
      // On time: delivered at exactly 09:00 Berlin of the due day. Late: only after the outage, and it says so.
      expect(isWorkingDay(due), m.key).toBe(true);
      if (late) {
        expect(m.at.toISOString(), m.key).toBe(downUntil.toISOString());
      } else {
        expect(`${berlinDateOf(m.at)} ${formatTime(m.at)}`, m.key).toBe(`${due} 09:00`);
      }
      const k = `${slug}:${track}`;
      let perKpb = actual.get(k);
      if (!perKpb) actual.set(k, (perKpb = new Map()));
      const rule = /^[a-z.]+/.exec(m.key)![0].replace(/\.$/, "");
      const line = `${due} ${rule}${late ? " late" : ""}`;
      perKpb.set(line, [...(perKpb.get(line) ?? []), symbolic(m.to, slug)].sort());
    }

    for (const [key, pattern] of patterns) {
      const expected = expectedOf(pattern).map(([due, rule, to, late]) => `${due} ${rule}${late ? " late" : ""} → ${[...to].sort().join(",")}`);
      const got = [...(actual.get(key) ?? new Map<string, string[]>()).entries()].map(([line, to]) => `${line} → ${to.join(",")}`).sort();
      expect(got, `${key} (${pattern})`).toEqual(expected.sort());
    }
    // Nothing reached a KPB-track that is not in the scenario list (e.g. SiKo-AP of a KPB without motorway police).
    for (const key of actual.keys()) expect(patterns.has(key), key).toBe(true);

    // None after compliance: no annual reminder about a track once its kept conference was planned.
    for (const m of reminders) {
      const annual = /^annual\.[a-z]+:kpb=(\d+):(siko|siko-ap):/.exec(m.key);
      if (!annual) continue;
      const since = compliantFrom.get(`${slugOfId.get(Number(annual[1]))}:${annual[2]}`);
      const pattern = patterns.get(`${slugOfId.get(Number(annual[1]))}:${annual[2]}`)!;
      if (since && ENDS_HELD[pattern]) expect(m.at.getTime(), m.key).toBeLessThan(since.getTime());
    }

    // Every overdue notice present on the first working day of January, to the leader…
    expect(isWorkingDay("2028-01-03") && !isWorkingDay("2028-01-02")).toBe(true);
    const notHeld = [...patterns].filter(([, p]) => !ENDS_HELD[p]).map(([k]) => k);
    expect(notHeld.length).toBeGreaterThan(10);
    for (const key of notHeld) expect(actual.get(key)?.get("2028-01-03 annual.overdue"), key).toEqual([LTG]);
    // …and to the LZPD in one digest, a line per KPB concerned, each leadership told.
    const digests = adapter.sent.filter((m) => m.key.startsWith("lzpd.digest:"));
    expect(digests.map((m) => `${m.to.id} ${berlinDateOf(m.at)} ${formatTime(m.at)}`)).toEqual([`${LZPD} 2028-01-03 09:00`]);
    const digestLines = digests[0]!.text.split("\n").filter((l) => l.startsWith("- "));
    const overdueKpbs = new Set(notHeld.map((k) => k.split(":")[0]!));
    expect(digestLines).toHaveLength(overdueKpbs.size);
    for (const k of kpbs.filter((k) => overdueKpbs.has(k.slug))) expect(digestLines.find((l) => l.startsWith(`- ${k.name} – `)), k.name).toMatch(/ – ja$/);
    expect(digests[0]!.text).not.toContain("Nicht angebunden");
    // Issue 16: the report deadline reaches the LZPD once on each date (1 August 2027 is a Sunday → 2 August).
    const reportSent = adapter.sent.filter((m) => m.key.startsWith("report.deadline:"));
    expect(reportSent.map((m) => `${m.key.split(":")[2]} ${m.to.id}`)).toEqual(["2027-08-02 lzpd", "2027-08-24 lzpd"]);
    for (const m of reportSent) expect(`${berlinDateOf(m.at)} ${formatTime(m.at)}`, m.key).toBe(`${m.key.split(":")[2]} 09:00`);
    // The exercise reminder of Friday 1 October fell into the outage: once per KPB without an exercise, late, after it.
    const exerciseSent = adapter.sent.filter((m) => m.key.startsWith("exercise.missing:"));
    expect(new Set(exerciseSent.map((m) => m.key)).size).toBe(exerciseSent.length);
    expect(exerciseSent.map((m) => m.to.id).sort()).toEqual(kpbs.filter((k) => !exercised.includes(k.slug)).map((k) => `raum-${k.slug}`).sort());
    for (const m of exerciseSent) {
      expect(m.key, m.key).toContain(":2027:2027-10-01:");
      expect(m.at.toISOString(), m.key).toBe(downUntil.toISOString());
      expect(m.text, m.key).toContain("(verspätet zugestellt)");
    }
    // …and the one whose conference took place unrecorded tells the leader what to type.
    const bielefeld = reminders.find((m) => m.key.startsWith("annual.overdue:") && m.key.includes(":siko:") && m.to.id === "ltg-bielefeld");
    expect(bielefeld?.text).toContain(`durchgefuehrt ${ids.get("bielefeld:siko")}`);
  });
});
