// Crisis-staff exercises and job shadowing: record, list, correct, remove (audited), and their annual track.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { evaluateExercises } from "../../src/domain/exercises.ts";
import { ManualClock } from "../../src/domain/clock.ts";
import { WATCH_STARTED_KEY } from "../../src/db/meta.ts";
import * as s from "../../src/db/schema.ts";
import { startHarness, type Harness, type Speaker } from "../support/harness.ts";

const ADMIN: Speaker = { user: "chef", room: "lage" };
const ORG: Speaker = { user: "org", room: "koeln-raum" };
const OTHER: Speaker = { user: "org-aachen", room: "aachen-raum" };

let h: Harness;
beforeEach(async () => {
  h = startHarness();
  for (const cmd of ["kpb import nrw", "rolle geben org organisator --kpb koeln", "rolle geben org-aachen organisator --kpb aachen", "rolle geben lzpd lzpd"]) await h.say(cmd, ADMIN);
  await h.say("raum binden koeln", { ...ADMIN, room: "koeln-raum" });
  await h.say("raum binden aachen", { ...ADMIN, room: "aachen-raum" });
  h.clock.set(new Date("2026-06-15T10:00:00Z"));
});
afterEach(() => h.close());

const audit = () => h.sqlite.prepare("SELECT action, details FROM audit_log WHERE entity = 'exercise_record' ORDER BY id").all() as { action: string; details: string }[];

describe("uebung / hospitation", () => {
  it("records, lists, corrects and removes, with every step in the audit log", async () => {
    const ex = await h.say('uebung erfassen 12.05.2026 "Stadt Leverkusen" "POK Müller"', ORG);
    expect(ex).toContain("Krisenstabsübung Nr. 1 erfasst: 12.05.2026, Stadt Leverkusen, Verbindungsbeamter/-in POK Müller (PP Köln)");
    expect(await h.say('exercise record 2026-06-01 "Stadt Köln" "PHK Schmitz"', ORG)).toContain("Crisis-staff exercise no. 2 recorded");
    expect(await h.say('hospitation erfassen 2026-04-02 "Ordnungsamt Köln" "KOK Weber"', ORG)).toContain("Hospitation Nr. 3 erfasst");
    expect(await h.say('uebung erfassen 2026-07-01 "Stadt Köln" "X"', ORG)).toContain("in der Zukunft");
    expect(await h.say('uebung erfassen 31.02.2026 "Stadt Köln" "X"', ORG)).toContain("31.02.2026");

    const list = await h.say("uebung liste", ORG);
    expect(list).toContain("Krisenstabsübungen und Hospitationen 2026 – PP Köln:");
    expect(list.split("\n").filter((l) => l.startsWith("- Nr."))).toEqual([
      "- Nr. 3: Hospitation am 02.04.2026, Ordnungsamt Köln, KOK Weber",
      "- Nr. 1: Krisenstabsübung am 12.05.2026, Stadt Leverkusen, POK Müller",
      "- Nr. 2: Krisenstabsübung am 01.06.2026, Stadt Köln, PHK Schmitz",
    ]);
    expect(list).toContain("Übungen: 2, Hospitationen: 1");
    expect(await h.say("uebung liste 2025", ORG)).toContain("keine erfasst");

    // Another KPB neither sees nor changes Köln's records.
    expect(await h.say("uebung liste", OTHER)).toContain("keine erfasst");
    expect(await h.say("uebung entfernen 1", OTHER)).toContain("Keine Übung oder Hospitation Nr. 1");

    expect(await h.say('uebung aendern 1 --ort "Rheinisch-Bergischer Kreis"', ORG)).toContain("Nr. 1 berichtigt: 12.05.2026, Rheinisch-Bergischer Kreis, POK Müller");
    expect(await h.say("uebung aendern 1", ORG)).toContain("Was soll sich an Nr. 1 ändern?");
    expect(await h.say("hospitation entfernen 3", ORG)).toContain("Nr. 3 (02.04.2026, Ordnungsamt Köln) entfernt");
    expect(await h.say("uebung liste", ORG)).toContain("Übungen: 2, Hospitationen: 0");

    const log = audit();
    expect(log.map((l) => l.action)).toEqual(["exercise.record", "exercise.record", "shadowing.record", "exercise.change", "shadowing.remove"]);
    expect(JSON.parse(log[3]!.details)).toEqual({
      before: { date: "2026-05-12", place: "Stadt Leverkusen", person: "POK Müller" },
      after: { date: "2026-05-12", place: "Rheinisch-Bergischer Kreis", person: "POK Müller" },
    });
    expect(JSON.parse(log[4]!.details)).toMatchObject({ kind: "shadowing", date: "2026-04-02", place: "Ordnungsamt Köln", person: "KOK Weber" });
  });

  it("is for organisers: a leader may list, a partner nothing", async () => {
    await h.say("rolle geben ltg leitung --kpb koeln", ADMIN);
    expect(await h.say('uebung erfassen 12.05.2026 "Stadt Köln" "X"', { user: "ltg", room: "koeln-raum" })).toContain("braucht die Rolle");
    expect(await h.say("uebung liste", { user: "ltg", room: "koeln-raum" })).toContain("keine erfasst");
    expect(await h.say("uebung liste", { user: "stranger", room: "koeln-raum" })).toContain("braucht die Rolle");
  });
});

describe("the exercise track", () => {
  it("appears in uebersicht as its own annual minimum", async () => {
    expect(await h.say("uebersicht", ORG)).toContain("- Krisenstabsübung: offen – 2026 noch keine Teilnahme erfasst (Erlass §4: möglichst einmal im Jahr; ab 01.10.2026 gefährdet)");
    await h.say('hospitation erfassen 2026-04-02 "Ordnungsamt Köln" "KOK Weber"', ORG);
    expect(await h.say("uebersicht", ORG)).toContain("- Krisenstabsübung: offen");
    await h.say('uebung erfassen 12.05.2026 "Stadt Leverkusen" "POK Müller"', ORG);
    expect(await h.say("uebersicht", ORG)).toContain("- Krisenstabsübung: teilgenommen – 1 erfasst, zuletzt am 12.05.2026 (Stadt Leverkusen)");
    expect(await h.say("uebersicht 2025", ORG)).toContain("- Krisenstabsübung: überfällig – 2025 noch keine Teilnahme erfasst");
  });

  it("appears in uebersicht alle for every KPB, a KPB without the bot as not connected", async () => {
    await h.say('uebung erfassen 12.05.2026 "Stadt Leverkusen" "POK Müller"', ORG);
    const all = await h.say("uebersicht alle", { user: "lzpd", room: "dm-lzpd", direct: true });
    expect(all).toMatch(/- PP Köln: [^\n]*Krisenstabsübung teilgenommen/);
    expect(all).toMatch(/- PP Aachen: [^\n]*Krisenstabsübung offen/);
    expect(all).toMatch(/- PP Bonn: [^\n]*Krisenstabsübung nicht angebunden/);
    // The one KPB's own overview judges it the same way.
    expect(await h.say("uebersicht --kpb bonn", { user: "lzpd", room: "dm-lzpd", direct: true })).toContain(
      "- Krisenstabsübung: nicht angebunden – nutzt den Bot noch nicht (keine Organisation eingetragen, kein Raum gebunden); daher nicht als gefährdet oder überfällig gezählt",
    );
  });

  it("calls a year before the bot began watching not tracked, in uebersicht and uebersicht alle, not overdue", async () => {
    h.db.insert(s.meta).values({ key: WATCH_STARTED_KEY, value: "2026-01-05T08:00:00.000Z" }).run();
    expect(await h.say("uebersicht 2025", ORG)).toContain("- Krisenstabsübung: nicht erfasst – 2025 liegt vor dem Beginn der Aufzeichnung; ob eine Teilnahme stattfand, ist hier nicht bekannt.");
    const all = await h.say("uebersicht alle 2025", { user: "lzpd", room: "dm-lzpd", direct: true });
    expect(all).toMatch(/- PP Köln: [^\n]*Krisenstabsübung nicht erfasst/);
    expect(all).not.toMatch(/Krisenstabsübung überfällig/);
  });

  const at = (iso: string) => new ManualClock(new Date(iso));
  it("is held once an exercise of the year took place, at risk from 1 October, overdue after the year", () => {
    expect(evaluateExercises([], 2026, at("2026-09-30T12:00:00Z"))).toBe("pending");
    expect(evaluateExercises([], 2026, at("2026-10-01T12:00:00Z"))).toBe("at-risk");
    expect(evaluateExercises(["2025-05-01"], 2026, at("2026-10-01T12:00:00Z"))).toBe("at-risk");
    expect(evaluateExercises(["2026-05-01"], 2026, at("2026-10-01T12:00:00Z"))).toBe("held");
    expect(evaluateExercises([], 2026, at("2027-01-01T12:00:00Z"))).toBe("overdue");
    expect(evaluateExercises([], 2026, at("2026-08-01T12:00:00Z"), { threshold: "08-01" })).toBe("at-risk");
  });

  it("a year that ended before the bot watched is not tracked, not overdue; one recorded is held all the same", () => {
    expect(evaluateExercises([], 2025, at("2026-03-01T12:00:00Z"), { watchedFrom: 2026 })).toBe("untracked");
    expect(evaluateExercises(["2025-06-01"], 2025, at("2026-03-01T12:00:00Z"), { watchedFrom: 2026 })).toBe("held");
    expect(evaluateExercises([], 2025, at("2026-03-01T12:00:00Z"), { watchedFrom: 2025 })).toBe("overdue");
    expect(evaluateExercises([], 2026, at("2026-11-01T12:00:00Z"), { watchedFrom: 2026, connected: false })).toBe("not-connected");
  });
});
