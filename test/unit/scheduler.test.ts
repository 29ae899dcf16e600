import { eq } from "drizzle-orm";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type OpenDb } from "../../src/db/client.ts";
import * as s from "../../src/db/schema.ts";
import { ManualClock } from "../../src/domain/clock.ts";
import type { Platform } from "../../src/domain/types.ts";
import { OutboxWorker } from "../../src/delivery/worker.ts";
import { WATERMARK_KEY } from "../../src/db/meta.ts";
import { ReminderScheduler, type SweepSettings } from "../../src/reminders/scheduler.ts";
import type { Address, ChatAdapter, OutboundMessage } from "../../src/port.ts";

const logger = pino({ level: "silent" });
const T0 = new Date("2026-01-01T00:00:00Z");

interface Fixture {
  kpbA: number;
  kpbB: number;
}

/** Two KPBs (B with motorway police), an organiser, a leader and a bound room each, one LZPD user. */
function seed(o: OpenDb): Fixture {
  const { db } = o;
  const kpb = (name: string, slug: string, hasMotorwayPolice: boolean) =>
    db.insert(s.kpbs).values({ name, slug, kind: "pp", hasMotorwayPolice, createdAt: T0 }).returning().get().id;
  const kpbA = kpb("PP Aachen", "aachen", false);
  const kpbB = kpb("PP Köln", "koeln", true);
  const user = (platform: Platform, id: string, locale: "de" | "en" | null = null) =>
    db.insert(s.users).values({ platform, platformUserId: id, locale, createdAt: T0 }).returning().get().id;
  const grant = (userId: number, role: "organiser" | "leader" | "reporter", kpbId: number | null) =>
    db.insert(s.roleGrants).values({ userId, role, kpbId, grantedBy: "test", createdAt: T0 }).run();
  grant(user("console", "org-a"), "organiser", kpbA);
  grant(user("console", "ltg-a"), "leader", kpbA);
  grant(user("console", "org-b", "en"), "organiser", kpbB);
  grant(user("console", "ltg-b"), "leader", kpbB);
  // On an inactive platform: must be ignored.
  grant(user("matrix", "@org-b:example.org"), "organiser", kpbB);
  grant(user("console", "lzpd"), "reporter", null);
  db.insert(s.rooms).values({ platform: "console", platformRoomId: "raum-a", kpbId: kpbA, createdAt: T0 }).run();
  db.insert(s.rooms).values({ platform: "console", platformRoomId: "raum-b", kpbId: kpbB, locale: "en", createdAt: T0 }).run();
  return { kpbA, kpbB };
}

const settings: SweepSettings = { platforms: ["console"], defaultLocale: "de" };

function scheduler(o: OpenDb, clock: ManualClock): ReminderScheduler {
  return new ReminderScheduler({ db: o.db, clock, settings, logger, intervalMs: 3_600_000 });
}

function rows(o: OpenDb) {
  return o.db.select().from(s.outbox).orderBy(s.outbox.key).all();
}
function watermark(o: OpenDb): string | undefined {
  return o.db.select().from(s.meta).where(eq(s.meta.key, WATERMARK_KEY)).get()?.value;
}

let o: OpenDb;
let fx: Fixture;
let clock: ManualClock;

beforeEach(() => {
  o = openDatabase(":memory:");
  fx = seed(o);
  clock = new ManualClock(new Date("2027-06-28T10:00:00Z"));
});
afterEach(() => o.close());

describe("reminder scheduler", () => {
  it("starts the watermark on the installation's first sweep and sends nothing for earlier slots", () => {
    clock.set(new Date("2027-11-03T10:00:00Z")); // a fresh install late in the year
    const r = scheduler(o, clock).sweep();
    expect(r).toMatchObject({ since: null, due: 0, queued: 0 });
    expect(rows(o)).toEqual([]);
    expect(watermark(o)).toBe("2027-11-03T10:00:00.000Z");
  });

  it("never calls a KPB overdue for a year that ended before the watch began", () => {
    clock.set(new Date("2027-01-01T10:00:00Z")); // installed on New Year's Day
    const sch = scheduler(o, clock);
    sch.sweep();
    clock.set(new Date("2027-01-04T08:00:00Z")); // the 2026 overdue slot (2 Jan 2027 is a Saturday)
    expect(sch.sweep()).toMatchObject({ due: 0, queued: 0 });
    clock.set(new Date("2028-01-03T08:00:00Z")); // but 2027, watched from its first day, is reported
    expect(sch.sweep().queued).toBeGreaterThan(0);
    expect(rows(o).every((x) => x.key.includes(":2027:"))).toBe(true);
  });

  it("turns a due reminder into one row per address: the organisers in the KPB's room, active platforms only", () => {
    const sch = scheduler(o, clock);
    sch.sweep();
    clock.set(new Date("2027-07-01T07:00:00Z")); // 09:00 Berlin (CEST)
    const r = sch.sweep();
    expect(r.due).toBe(3); // A siko, B siko, B siko-ap
    expect(rows(o).map((x) => `${x.key} ${x.addressKind}`)).toEqual([
      `annual.organisers:kpb=${fx.kpbA}:siko:2027:2027-07-01:console:room:raum-a room`,
      `annual.organisers:kpb=${fx.kpbB}:siko-ap:2027:2027-07-01:console:room:raum-b room`,
      `annual.organisers:kpb=${fx.kpbB}:siko:2027:2027-07-01:console:room:raum-b room`,
    ]);
    const german = rows(o).find((x) => x.addressId === "raum-a")!.message as unknown as OutboundMessage;
    expect(german.locale).toBe("de");
    expect(german.text).toContain("PP Aachen hat für 2027 noch keine SiKo durchgeführt oder geplant");
    expect(german.text).toContain("31.12.2027");
    // Next working day at least 14 days ahead: 15 July 2027 is a Thursday.
    expect(german.text).toContain("`planen 2027-07-15 10:00`");
    expect(german.text).not.toContain("verspätet");
    const english = rows(o).find((x) => x.addressId === "raum-b" && x.key.includes("siko-ap"))!.message as unknown as OutboundMessage;
    expect(english.locale).toBe("en");
    expect(english.text).toContain("`plan 2027-07-15 10:00 --track siko-ap`");
  });

  it("reaches the organisers personally when their KPB has no bound room", () => {
    o.db.delete(s.rooms).where(eq(s.rooms.platformRoomId, "raum-a")).run();
    const sch = scheduler(o, clock);
    sch.sweep();
    clock.set(new Date("2027-07-01T07:00:00Z"));
    sch.sweep();
    const forA = rows(o).filter((x) => x.key.includes(`kpb=${fx.kpbA}:`));
    expect(forA.map((x) => `${x.addressKind}:${x.addressId}`)).toEqual(["user:org-a"]);
  });

  it("two sweeps at the same instant give one set of rows, even if both read the same watermark", () => {
    scheduler(o, clock).sweep();
    clock.set(new Date("2027-07-01T07:00:00Z"));
    const first = scheduler(o, clock).sweep();
    const second = scheduler(o, clock).sweep();
    expect(first.queued).toBe(3);
    expect(second).toMatchObject({ due: 0, queued: 0 });
    // The race the lock prevents, forced: the watermark is put back as if the second sweep had read it first.
    o.db.update(s.meta).set({ value: "2027-06-28T10:00:00.000Z" }).where(eq(s.meta.key, WATERMARK_KEY)).run();
    const raced = scheduler(o, clock).sweep();
    expect(raced.due).toBe(3);
    expect(raced.queued).toBe(0);
    expect(rows(o)).toHaveLength(3);
  });

  it("a sweep that fails mid-transaction leaves no rows and the watermark unchanged; the next sweep does it all", () => {
    const sch = scheduler(o, clock);
    sch.sweep();
    const before = watermark(o);
    // A failure after some rows were already written (e.g. disk full on the third insert).
    o.sqlite.exec(
      "CREATE TRIGGER fail_third AFTER INSERT ON outbox WHEN (SELECT count(*) FROM outbox) >= 3 BEGIN SELECT RAISE(ABORT, 'disk full'); END",
    );
    clock.set(new Date("2027-07-01T07:00:00Z"));
    expect(() => sch.sweep()).toThrow(/disk full/);
    expect(rows(o)).toEqual([]);
    expect(watermark(o)).toBe(before);
    o.sqlite.exec("DROP TRIGGER fail_third");
    clock.set(new Date("2027-07-01T07:05:00Z"));
    const r = sch.sweep();
    expect(r.queued).toBe(3);
    expect(watermark(o)).toBe("2027-07-01T07:05:00.000Z");
    // Five minutes after the slot is not late (the policy allows an hour).
    expect(rows(o).every((x) => !(x.message as unknown as OutboundMessage).text.includes("verspätet"))).toBe(true);
  });

  it("after a restart (new scheduler instance, same database) nothing is sent again", async () => {
    const sent: string[] = [];
    const adapter: ChatAdapter = {
      platform: "console",
      capabilities: { buttons: true, files: true, edits: false, answerGesture: "button", dedupesByKey: true },
      start: async () => {},
      stop: async () => {},
      send: async (_to: Address, _m: OutboundMessage, key: string) => {
        sent.push(key);
        return {};
      },
    };
    const worker = () => new OutboxWorker({ db: o.db, clock, adapters: new Map([["console", adapter]]), logger, intervalMs: 3_600_000 });
    const a = scheduler(o, clock);
    a.sweep();
    clock.set(new Date("2027-07-01T07:00:00Z"));
    a.sweep();
    await worker().flush();
    expect(sent).toHaveLength(3);
    await a.stop();

    const b = scheduler(o, clock);
    b.start(); // sweeps once at start
    await b.stop();
    clock.set(new Date("2027-07-01T08:00:00Z"));
    expect(b.sweep().queued).toBe(0);
    await worker().flush();
    expect(sent).toHaveLength(3);
    expect(new Set(sent).size).toBe(3);
  });

  it("downtime over 1 July: the notice goes out late, once, marked late", () => {
    const sch = scheduler(o, clock);
    sch.sweep(); // 28 June
    clock.set(new Date("2027-07-05T08:30:00Z")); // back on Monday 10:30 Berlin
    const r = sch.sweep();
    expect(r.queued).toBe(3);
    const texts = rows(o).map((x) => (x.message as unknown as OutboundMessage).text);
    for (const [i, row] of rows(o).entries()) {
      expect(row.key).toContain(":2027-07-01:");
      expect(texts[i]).toMatch((row.message as unknown as OutboundMessage).locale === "de" ? /\(verspätet zugestellt\) Fällig war Do, 01\.07\.2027, 09:00 Uhr/ : /\(delivered late\) It was due Thu, 1 Jul 2027, 09:00/);
    }
    expect(sch.sweep().queued).toBe(0);
    clock.set(new Date("2027-07-06T08:30:00Z"));
    expect(scheduler(o, clock).sweep().queued).toBe(0);
    expect(rows(o)).toHaveLength(3);
  });

  it("a clock set back sends nothing and keeps the watermark", () => {
    const sch = scheduler(o, clock);
    sch.sweep();
    clock.set(new Date("2027-07-01T07:00:00Z"));
    sch.sweep();
    clock.set(new Date("2027-06-01T07:00:00Z"));
    expect(sch.sweep()).toMatchObject({ due: 0, queued: 0 });
    expect(watermark(o)).toBe("2027-07-01T07:00:00.000Z");
  });

  it("overdue notice to leaders and the LZPD; it names a conference that was never recorded", () => {
    // KPB A had one planned for November that nobody recorded as held.
    const starts = new Date("2027-11-10T09:00:00Z");
    const conf = o.db
      .insert(s.conferences)
      .values({ kpbId: fx.kpbA, number: 1, track: "siko", startsAt: starts, endsAt: new Date(starts.getTime() + 3 * 3_600_000), status: "invited", agenda: [], createdBy: "t", createdAt: T0, updatedAt: T0 })
      .returning()
      .get();
    clock.set(new Date("2027-12-30T12:00:00Z"));
    const sch = scheduler(o, clock);
    sch.sweep();
    clock.set(new Date("2028-01-03T08:00:00Z")); // Monday 3 Jan 2028, 09:00 Berlin (2 Jan is a Sunday)
    sch.sweep();
    const overdue = rows(o).filter((x) => x.key.startsWith(`annual.overdue:kpb=${fx.kpbA}:`));
    expect(overdue.map((x) => x.addressId).sort()).toEqual(["ltg-a"]);
    const leader = overdue.find((x) => x.addressId === "ltg-a")!.message as unknown as OutboundMessage;
    expect(leader.text).toContain(`durchgefuehrt ${conf.number}`);
    expect(leader.text).toContain("Das LZPD NRW ist informiert.");
    const lzpd = rows(o).filter((x) => x.addressId === "lzpd").map((x) => x.message as unknown as OutboundMessage);
    expect(lzpd).toHaveLength(1);
    expect(lzpd[0]!.text).toContain("uebersicht alle 2027");
    expect(lzpd[0]!.text).toContain("- PP Aachen – SiKo (Termin vorbei, nie als durchgeführt bestätigt) – ja");
    expect(lzpd[0]!.text).not.toContain("10.11.2027"); // the LZPD reads states, not dates (R9)
  });

  it("the LZPD gets one digest per run: a line per KPB, 'informed' only where a leader was told, and KPBs not using the bot apart", () => {
    const kpb = (name: string, slug: string) => o.db.insert(s.kpbs).values({ name, slug, kind: "landrat", createdAt: T0 }).returning().get().id;
    // Borken uses the bot (an organiser) but has no leader; Coesfeld and Düren do not use it at all.
    const borken = kpb("KPB Borken", "borken");
    kpb("KPB Coesfeld", "coesfeld");
    kpb("KPB Düren", "dueren");
    const orgBorken = o.db.insert(s.users).values({ platform: "console", platformUserId: "org-borken", createdAt: T0 }).returning().get();
    o.db.insert(s.roleGrants).values({ userId: orgBorken.id, role: "organiser", kpbId: borken, grantedBy: "test", createdAt: T0 }).run();
    clock.set(new Date("2027-12-30T12:00:00Z"));
    const sch = scheduler(o, clock);
    sch.sweep();
    clock.set(new Date("2028-01-03T08:00:00Z"));
    sch.sweep();
    const lzpd = rows(o).filter((x) => x.addressId === "lzpd");
    expect(lzpd.map((x) => x.key)).toEqual(["lzpd.digest:annual.overdue:2027:2028-01-03:console:lzpd"]);
    expect((lzpd[0]!.message as unknown as OutboundMessage).text).toBe(
      [
        "Jahresminimum 2027 – Meldung an das LZPD NRW (Frist war der 31.12.2027):",
        "Überfällig: 3 KPB haben für 2027 keine Konferenz als durchgeführt festgehalten.",
        "KPB – Art – Behördenleitung informiert",
        "- KPB Borken – SiKo – nein (keine erreichbare Leitung eingetragen)",
        "- PP Aachen – SiKo – ja",
        "- PP Köln – SiKo, SiKo-AP – ja",
        "Nicht angebunden (2) – diese KPB haben noch niemanden mit der Rolle „organisator“ und keinen gebundenen Raum, nutzen den Bot also noch nicht und zählen nicht als überfällig: KPB Coesfeld, KPB Düren.",
        "Stand aller KPBs: `uebersicht alle 2027`.",
      ].join("\n"),
    );
    // A second sweep, or one after a restart, sends no second digest.
    expect(scheduler(o, clock).sweep().queued).toBe(0);
  });

  it("the leaders read that the LZPD is informed only where there is an LZPD to inform", () => {
    o.db.delete(s.roleGrants).where(eq(s.roleGrants.role, "reporter")).run();
    clock.set(new Date("2027-12-30T12:00:00Z"));
    const sch = scheduler(o, clock);
    sch.sweep();
    clock.set(new Date("2028-01-03T08:00:00Z"));
    sch.sweep();
    const leader = rows(o).find((x) => x.key.startsWith(`annual.overdue:kpb=${fx.kpbA}:`))!.message as unknown as OutboundMessage;
    expect(leader.text).toContain("Überfällig: PP Aachen hat 2027 keine SiKo durchgeführt");
    expect(leader.text).not.toContain("LZPD");
  });

  it("nudges a silent invitee with RSVP buttons, and prompts the organisers to record the outcome", () => {
    const partner = o.db.insert(s.partnerAgencies).values({ name: "StA Aachen", nameKey: "sta aachen", category: "staatsanwaltschaft", createdAt: T0 }).returning().get();
    const contact = o.db.insert(s.contacts).values({ partnerAgencyId: partner.id, name: "Frau Roth", nameKey: "frau roth", createdAt: T0 }).returning().get();
    const starts = new Date("2027-09-20T08:00:00Z"); // Monday 20 Sept, 10:00 Berlin
    const conf = o.db
      .insert(s.conferences)
      .values({ kpbId: fx.kpbA, number: 1, track: "siko", startsAt: starts, endsAt: new Date(starts.getTime() + 3 * 3_600_000), status: "invited", agenda: [], createdBy: "t", createdAt: T0, updatedAt: T0 })
      .returning()
      .get();
    o.db.insert(s.invitations).values({ conferenceId: conf.id, partnerAgencyId: partner.id, createdAt: T0 }).run();
    o.db.insert(s.invitedContacts).values({ conferenceId: conf.id, contactId: contact.id, partnerAgencyId: partner.id }).run();
    clock.set(new Date("2027-09-01T12:00:00Z"));
    const sch = scheduler(o, clock);
    sch.sweep();
    clock.set(new Date("2027-09-06T07:00:00Z")); // 14 days before: Monday 6 Sept, 09:00 Berlin
    sch.sweep();
    const nudge = rows(o).find((x) => x.key.startsWith("rsvp.nudge:"))!;
    expect(nudge.addressId).toBe("Frau Roth");
    const m = nudge.message as unknown as OutboundMessage;
    expect(m.text).toContain("StA Aachen");
    expect(m.text).toContain("bitte antworten Sie für StA Aachen");
    // How to answer by typing travels with the buttons; each platform shows the way its people answer.
    expect(m.buttons?.[0]?.typed).toBe(`zusage aachen#${conf.number}`);
    expect(m.buttons?.map((b) => b.action.data.answer)).toEqual(["accepted", "declined", "tentative", "delegated"]);
    clock.set(new Date("2027-09-21T07:00:00Z")); // the next working day, 09:00 Berlin
    sch.sweep();
    const prompts = rows(o).filter((x) => x.key.startsWith("record.prompt:"));
    expect(prompts.map((x) => x.addressId).sort()).toEqual(["raum-a"]);
    expect((prompts[0]!.message as unknown as OutboundMessage).text).toContain(`durchgefuehrt ${conf.id}`);
  });
});
