// The LZPD's annual report from a seeded year (47 KPBs, mixed states, some not connected), checked against
// counts made here from the seed's scenarios, not by the report's own code.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Harness, Speaker } from "../support/harness.ts";
import { SEED_YEAR, startSeededYear, type SeededKpb } from "../support/seedYear.ts";
import * as s from "../../src/db/schema.ts";
import { WATCH_STARTED_KEY } from "../../src/db/meta.ts";

const ADMIN: Speaker = { user: "chef", room: "lage" };
const LZPD: Speaker = { user: "lzpd", room: "lzpd-dm", direct: true };

let h: Harness;
let seeded: SeededKpb[];

beforeEach(async () => {
  ({ h, seeded } = await startSeededYear());
});
afterEach(() => h.close());

const ddmmyyyy = (iso: string) => iso.split("-").reverse().join(".");
const pct = (a: number, n: number) => `${Math.round((a / n) * 100)} % (${a}/${n})`;

/** What a group's totals row must say, counted from the scenarios. */
function expectedTotals(label: string, ks: SeededKpb[]): string {
  const connected = ks.filter((k) => k.scenario !== "not-connected").length;
  const siko = ks.filter((k) => k.scenario === "held-full" || k.scenario === "held-missing").length;
  const motorway = ks.filter((k) => k.hasMotorwayPolice);
  const ap = motorway.filter((k) => k.apHeld).length;
  const inv = { "held-full": [4, 7], "held-missing": [2, 4], scheduled: [0, 6], nothing: [0, 0], "not-connected": [0, 0] } as const;
  let accepted = 0;
  let invitations = 0;
  for (const k of ks) {
    accepted += inv[k.scenario][0] + (k.apHeld ? 1 : 0);
    invitations += inv[k.scenario][1] + (k.apHeld ? 1 : 0);
  }
  const apCell = motorway.length ? `${ap} von ${motorway.length}` : "–";
  return `| ${label} | ${ks.length} | ${connected} | ${siko} von ${ks.length} | ${apCell} | ${siko + ap} | ${pct(accepted, invitations)} |`;
}

describe("bericht", () => {
  it("calls a year that ended before the bot began watching 'nicht erfasst', as uebersicht does, not 'überfällig'", async () => {
    h.db.insert(s.meta).values({ key: WATCH_STARTED_KEY, value: "2026-01-05T08:00:00.000Z" }).onConflictDoUpdate({ target: s.meta.key, set: { value: "2026-01-05T08:00:00.000Z" } }).run();
    const text = await h.say(`bericht ${SEED_YEAR - 1}`, LZPD);
    const sikoRows = text.split("\n").filter((l) => /^\| .+? \| SiKo(-AP)? \| /.test(l));
    expect(sikoRows.filter((l) => l.includes("| nicht erfasst |")).length).toBeGreaterThan(0);
    expect(sikoRows.filter((l) => l.includes("| überfällig |"))).toEqual([]);
    // The crisis-staff exercise track too: a KPB without a recorded exercise that year is not tracked.
    const exRows = text.split("\n").filter((l) => /^\| [^|]+ \| (teilgenommen|offen|gefährdet|überfällig|nicht angebunden|nicht erfasst) \| [^|]+ \| [^|]+ \| \d+ \|$/.test(l));
    expect(exRows).toHaveLength(47);
    expect(exRows.filter((l) => l.includes("| nicht erfasst |")).length).toBeGreaterThan(0);
    expect(exRows.filter((l) => l.includes("| überfällig |"))).toEqual([]);
    expect(text).toMatch(/Krisenstabsübung \(Erlass §4\) je Stand: [^\n]*nicht erfasst \d+/);
  });

  it("reports every KPB and track with the seeded facts, and totals per comparison group and for NRW", async () => {
    expect(seeded).toHaveLength(47);
    // The seed is mixed: every scenario occurs.
    for (const sc of ["held-full", "held-missing", "scheduled", "nothing", "not-connected"]) expect(seeded.some((k) => k.scenario === sc)).toBe(true);

    const text = await h.say(`bericht ${SEED_YEAR}`, LZPD);
    expect(text).toContain("# Jahresbericht Sicherheitskonferenzen 2026 – NRW (47 KPBs)");
    expect(text).toContain("„nicht angebunden“");

    const pp = seeded.filter((k) => k.kind === "pp");
    const lr = seeded.filter((k) => k.kind === "landrat");
    expect(pp).toHaveLength(18);
    expect(lr).toHaveLength(29);
    expect(text).toContain(expectedTotals("Polizeipräsidien", pp));
    expect(text).toContain(expectedTotals("Landratsbehörden", lr));
    expect(text).toContain(expectedTotals("NRW gesamt", seeded));

    const count = (sc: string) => seeded.filter((k) => k.scenario === sc).length;
    const sikoStates = [
      ["durchgeführt", count("held-full") + count("held-missing")],
      ["geplant", count("scheduled")],
      ["gefährdet", count("nothing")],
      ["nicht angebunden", count("not-connected")],
    ].map(([st, n]) => `${st} ${n}`);
    expect(text).toContain(`- SiKo je Stand: ${sikoStates.join(" · ")}`);

    const rows = text.split("\n").filter((l) => /^\| .+? \| SiKo(-AP)? \| /.test(l));
    const motorway = seeded.filter((k) => k.hasMotorwayPolice).length;
    expect(rows).toHaveLength(47 + motorway);
    const topics = "Sicherheitslage (Einsatz-, Kriminalitäts- und Verkehrsunfalllage); Banden- und Intensivtäterstrukturen, Clankriminalität";
    for (const k of seeded) {
      const expected = {
        "held-full": `| ${k.name} | SiKo | durchgeführt | ${ddmmyyyy(k.heldOn ?? "")} | Bundespolizei, Gericht, Jugendamt, Kommune, Schulamt, Staatsanwaltschaft, Zoll | – | ${pct(4, 7)} | ${topics} |`,
        "held-missing": `| ${k.name} | SiKo | durchgeführt | ${ddmmyyyy(k.heldOn ?? "")} | Bundespolizei, Gericht, Kommune, Staatsanwaltschaft | Zoll, Schulamt | ${pct(2, 4)} | – |`,
        scheduled: `| ${k.name} | SiKo | geplant | – | Bundespolizei, Gericht, Kommune, Schulamt, Staatsanwaltschaft, Zoll | – | ${pct(0, 6)} | – |`,
        nothing: `| ${k.name} | SiKo | gefährdet | – | – | – | – | – |`,
        "not-connected": `| ${k.name} | SiKo | nicht angebunden | – | – | – | – | – |`,
      }[k.scenario];
      expect(rows).toContain(expected);
      if (k.hasMotorwayPolice) {
        const ap = k.apHeld
          ? `| ${k.name} | SiKo-AP | durchgeführt | 03.03.2026 | Autobahn | – | ${pct(1, 1)} | Einrichtungen, Anlagen, Zu- und Abfahrten: Brennpunkte |`
          : `| ${k.name} | SiKo-AP | ${k.scenario === "not-connected" ? "nicht angebunden" : "gefährdet"} | – | – | – | – | – |`;
        if (k.apHeld || k.scenario === "not-connected") expect(rows).toContain(ap);
        else expect(rows.some((r) => r.startsWith(`| ${k.name} | SiKo-AP | gefährdet |`))).toBe(true);
      }
    }
    // Crisis-staff exercises: held (attended), at risk from 1 October only (the clock says 15 September: pending), not connected.
    const exRows = text.split("\n").filter((l) => /^\| [^|]+ \| (teilgenommen|offen|gefährdet|überfällig|nicht angebunden) \| /.test(l));
    expect(exRows).toHaveLength(47);
    for (const k of seeded) {
      const state = k.exerciseOn ? "teilgenommen" : k.scenario === "not-connected" ? "nicht angebunden" : "offen";
      expect(exRows).toContain(`| ${k.name} | ${state} | ${k.exerciseOn ? ddmmyyyy(k.exerciseOn) : "–"} | ${k.exerciseOn ? `Kreis ${seeded.indexOf(k)}` : "–"} | ${k.shadowing} |`);
    }
    const exCount = seeded.filter((k) => k.exerciseOn).length;
    const exOpen = seeded.filter((k) => !k.exerciseOn && k.scenario !== "not-connected").length;
    expect(text).toContain(`- Krisenstabsübung (Erlass §4) je Stand: teilgenommen ${exCount} · offen ${exOpen} · nicht angebunden ${count("not-connected")}`);
    expect(text).toContain(`- Hospitationen: ${seeded.reduce((n, k) => n + k.shadowing, 0)}`);
    // "Not connected" is never "overdue".
    expect(text).not.toContain("| überfällig |");
  });

  it("gives an organiser their own KPB only, and the state-wide report only in a direct chat", async () => {
    await h.say("rolle geben org organisator --kpb koeln", ADMIN);
    const own = await h.say(`bericht ${SEED_YEAR}`, { user: "org", room: "dm-org", direct: true });
    expect(own).toContain("# Jahresbericht Sicherheitskonferenzen 2026 – PP Köln");
    expect(own.split("\n").filter((l) => l.startsWith("| PP Köln |"))).toHaveLength(3);
    expect(own).not.toMatch(/\| PP Aachen \|/);
    expect(await h.say(`bericht ${SEED_YEAR} --kpb aachen`, { user: "org", room: "dm-org", direct: true })).toContain("braucht die Rolle");
    expect(await h.say(`bericht ${SEED_YEAR}`, { user: "lzpd", room: "lage" })).toContain(`nur im Direktchat. Schreiben Sie mir direkt, oder nennen Sie eine KPB: \`bericht ${SEED_YEAR} --kpb <kpb>\`.`);
    // Without a year the period has two: the command shown is one that can be typed.
    expect(await h.say("bericht", { user: "lzpd", room: "lage" })).toContain("nennen Sie eine KPB: `bericht --kpb <kpb>`.");
    expect(await h.say(`bericht ${SEED_YEAR}`, { user: "nobody", room: "dm-x", direct: true })).toMatch(/braucht die Rolle|Direktchat/);
  });

  it("gives the LZPD one KPB's report with --kpb in a direct chat, and not in another KPB's room", async () => {
    const one = await h.say(`bericht ${SEED_YEAR} --kpb koeln`, LZPD);
    expect(one).toContain("# Jahresbericht Sicherheitskonferenzen 2026 – PP Köln");
    expect(one.split("\n").filter((l) => l.startsWith("| PP Köln |"))).toHaveLength(3);
    expect(one).not.toMatch(/\| PP Aachen \|/);
    await h.say("raum binden aachen", { user: ADMIN.user, room: "lage-aachen" });
    expect(await h.say(`bericht ${SEED_YEAR} --kpb koeln`, { user: "lzpd", room: "lage-aachen" })).toContain("nicht öffentlich");
  });

  it("answers in English and hands the Markdown out as a file", async () => {
    await h.say("sprache en", LZPD);
    const en = await h.say(`report ${SEED_YEAR}`, LZPD);
    expect(en).toContain("# Annual report on security conferences 2026 – NRW (47 KPBs)");
    expect(en).toContain("| NRW total | 47 |");
    const r = await h.dispatcher.handle({ kind: "command", eventId: "file-1", sender: { platform: "console", id: "lzpd" }, room: { platform: "console", id: "lzpd-dm", direct: true }, text: `report ${SEED_YEAR} --format md` });
    const att = r.replies[0]!.attachment!;
    expect(att.filename).toBe("siko-bericht-2026.md");
    expect(att.content).toContain("| NRW total | 47 |");
  });
});
