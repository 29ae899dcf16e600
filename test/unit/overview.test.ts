import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as s from "../../src/db/schema.ts";
import { ReminderScheduler } from "../../src/reminders/scheduler.ts";
import { startHarness, type Harness, type Speaker } from "../support/harness.ts";

const ADMIN: Speaker = { user: "chef", room: "lage" };
const ORG: Speaker = { user: "org", room: "koeln-raum" };
const LTG: Speaker = { user: "ltg", room: "koeln-raum" };
const LZPD: Speaker = { user: "lzpd", room: "lzpd-dm", direct: true };

let h: Harness;
let scheduler: ReminderScheduler;

beforeEach(async () => {
  h = startHarness();
  for (const cmd of ["kpb import nrw", "rolle geben org organisator --kpb koeln", "rolle geben ltg leitung --kpb koeln", "rolle geben lzpd lzpd"])
    await h.say(cmd, ADMIN);
  await h.say("raum binden koeln", { ...ADMIN, room: "koeln-raum" });
  scheduler = new ReminderScheduler({ db: h.db, clock: h.clock, settings: { platforms: ["console"], defaultLocale: "de" }, logger: pino({ level: "silent" }), intervalMs: 3_600_000 });
  scheduler.sweep(); // the watch starts on 2 March 2026
});
afterEach(() => h.close());

describe("uebersicht", () => {
  it("shows every track of the room's KPB with state, reason and next step", async () => {
    const before = await h.say("uebersicht", ORG);
    expect(before).toContain("Jahresminimum 2026 – PP Köln");
    expect(before).toContain("- SiKo: offen – noch nichts geplant; ab 01.07.2026 gilt das Jahr als gefährdet");
    // 2 March + 14 days = Monday 16 March.
    expect(before).toContain("Nächster Schritt: `planen 2026-03-16 10:00`");
    expect(before).toContain("- SiKo-AP: offen");
    expect(before).toContain("`planen 2026-03-16 10:00 --art siko-ap`");

    const planned = await h.say("planen 2026-05-05 10:00", ORG);
    const id = Number(/#(\d+)/.exec(planned)![1]);
    const after = await h.say("uebersicht", LTG);
    expect(after).toMatch(new RegExp(`- SiKo: geplant – SiKo #${id} am Di, 05\\.05\\.2026, 10:00 Uhr \\(geplant\\)`));
    expect(after).toContain(`Nächster Schritt: \`einladen ${id}\``);

    h.clock.set(new Date("2026-05-06T10:00:00Z"));
    expect(await h.say("uebersicht", ORG)).toContain(`Nächster Schritt: \`durchgefuehrt ${id}\``);
    await h.say(`durchgefuehrt ${id}`, ORG);
    expect(await h.say("uebersicht", ORG)).toContain(`- SiKo: durchgeführt – SiKo #${id} am 05.05.2026`);
    // A year that ended before the bot began keeping track is not overdue: the bot cannot know.
    expect(await h.say("uebersicht 2025", ORG)).toContain("- SiKo: nicht erfasst – 2025 liegt vor dem Beginn der Aufzeichnung");
    // In English.
    await h.say("sprache en", ORG);
    expect(await h.say("overview", ORG)).toContain("- SiKo: held – SiKo #");
  });

  it("gives the LZPD one line per KPB with counts per state, and refuses it to a KPB's staff", async () => {
    await h.say("planen 2026-05-05 10:00", ORG);
    const all = await h.say("uebersicht alle", LZPD);
    expect(all).toContain("Jahresminimum 2026 – alle 47 KPBs");
    // 47 SiKo tracks + 5 SiKo-AP tracks; only Köln uses the bot (organiser, room), the others are not connected.
    expect(all).toContain("Je Stand (SiKo und SiKo-AP einzeln gezählt): geplant 1 · offen 1 · nicht angebunden 50");
    expect(all).toContain("- PP Köln: SiKo geplant, SiKo-AP offen");
    expect(all).toContain("- PP Aachen: SiKo nicht angebunden");
    expect(all.split("\n").filter((l) => l.startsWith("- "))).toHaveLength(47);
    expect(await h.say("uebersicht alle", ORG)).toContain("braucht die Rolle lzpd");
    expect(await h.say("uebersicht", ORG)).not.toContain("braucht");
  });

  it("shows another KPB to the LZPD without conference details (not public, R9)", async () => {
    await h.say("planen 2026-05-05 10:00", ORG);
    expect(await h.say("uebersicht", LZPD)).toContain("Im Direktchat weiß ich nicht, um welche KPB es geht.");
    const view = await h.say("uebersicht --kpb koeln", LZPD);
    expect(view).toContain("- SiKo: geplant – eine Konferenz ist geplant");
    expect(view).not.toMatch(/#\d|05\.05\.2026|Nächster Schritt/);
    expect(view).toContain("nur im Raum der KPB");
    // Staff of another KPB may not look.
    await h.say("rolle geben org-aachen organisator --kpb aachen", ADMIN);
    expect(await h.say("uebersicht --kpb koeln", { user: "org-aachen", room: "x", direct: true })).toContain("braucht die Rolle");
  });
});

describe("quittieren", () => {
  it("records the acknowledgement of the current escalation, shows it, and stops no reminder", async () => {
    await h.say("planen 2026-05-05 10:00", ORG); // the SiKo is fine; the SiKo-AP is not
    expect(await h.say("quittieren siko-ap", LTG)).toContain("liegt keine Eskalation vor");

    h.clock.set(new Date("2026-07-01T07:00:00Z")); // 09:00 Berlin
    scheduler.sweep();
    expect(await h.say("quittieren", LTG)).toMatch(/Zu SiKo 2026 von PP Köln liegt keine Eskalation vor.*\(Stand: geplant\)/);
    const done = await h.say("quittieren siko-ap 2026 --notiz \"Termin in Abstimmung\"", LTG);
    expect(done).toContain("Quittiert: Hinweis an die Organisation vom 01.07.2026 zu SiKo-AP 2026 von PP Köln");
    expect(done).toContain("hält keine Erinnerung an");
    expect(await h.say("quittieren siko-ap", ORG)).toContain("bereits am");
    expect(h.count("escalation_acks")).toBe(1);
    const audit = h.db.select().from(s.auditLog).all().filter((a) => a.action === "escalation.acknowledge");
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ track: "siko-ap", year: 2026, rule: "annual.organisers", dueDate: "2026-07-01" });

    expect(await h.say("uebersicht", ORG)).toContain("Quittiert: Hinweis an die Organisation vom 01.07.2026, durch ltg");
    expect(await h.say("uebersicht alle", LZPD)).toContain("- PP Köln: SiKo geplant, SiKo-AP gefährdet (quittiert)");

    // The reminders go on: 1 September brings the notice to the leader all the same.
    h.clock.set(new Date("2026-09-01T07:00:00Z"));
    expect(scheduler.sweep().queued).toBeGreaterThan(0);
    const leaders = h.db.select().from(s.outbox).all().filter((r) => r.key.startsWith("annual.leaders:") && r.key.includes(":siko-ap:"));
    expect(leaders.map((r) => r.addressId)).toEqual(["ltg"]);
    // And the newer one can be acknowledged in turn.
    expect(await h.say("quittieren siko-ap", LTG)).toContain("Hinweis an die Leitung vom 01.09.2026");
  });

  it("reads a lone year, refuses the SiKo-AP where there is no motorway police, and is not open to the LZPD", async () => {
    expect(await h.say("quittieren 2026", ORG)).toContain("Zu SiKo 2026");
    expect(await h.say("quittieren siko-ap", { user: "chef", room: "aachen-raum" })).toContain("keiner KPB zugeordnet");
    await h.say("raum binden aachen", { ...ADMIN, room: "aachen-raum" });
    expect(await h.say("quittieren siko-ap", { user: "chef", room: "aachen-raum" })).toContain("keine Autobahnpolizei");
    expect(await h.say("quittieren siko", { ...LZPD, room: "koeln-raum", direct: false })).toContain("braucht die Rolle");
    expect(await h.say("quittieren blau", ORG)).toContain("Ungültiger Wert");
  });
});
