// The annual report as CSV for German Excel, parsed back with a CSV library: 47 rows, the right columns,
// umlauts intact, and no cell Excel would evaluate, also from a fuzz of hostile names and places.
import { parse } from "csv-parse/sync";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildAnnualReport, type ReportKpbFacts } from "../../src/domain/annualReport.ts";
import { ManualClock } from "../../src/domain/clock.ts";
import { translator } from "../../src/messages/i18n/catalogue.ts";
import { neutraliseCell, reportCsv } from "../../src/messages/reportCsv.ts";
import type { Harness } from "../support/harness.ts";
import { SEED_NOW, SEED_YEAR, startSeededYear, type SeededKpb } from "../support/seedYear.ts";

const DANGEROUS = /^[=+\-@\t\r\n\0]/;
const COLUMNS = 1 + 4 + 2 * 9 + 4;

function parseCsv(content: string): string[][] {
  return parse(content, { bom: true, delimiter: ";", record_delimiter: "\r\n", relax_column_count: false }) as string[][];
}

describe("bericht --format csv", () => {
  let h: Harness;
  let seeded: SeededKpb[];
  beforeEach(async () => {
    ({ h, seeded } = await startSeededYear({ place: (i) => (i % 3 === 0 ? `=HYPERLINK("http://x";"Köln ${i}")` : `Rathaus Düsseldorf; Saal "${i}"`) }));
  });
  afterEach(() => h.close());

  it("is a file for German Excel with one row per KPB that parses back intact", async () => {
    const r = await h.dispatcher.handle({ kind: "command", eventId: "csv-1", sender: { platform: "console", id: "lzpd" }, room: { platform: "console", id: "dm", direct: true }, text: `bericht ${SEED_YEAR} --format csv` });
    const att = r.replies[0]!.attachment!;
    expect(r.replies[0]!.text).toContain("siko-bericht-2026.csv");
    expect(att.filename).toBe("siko-bericht-2026.csv");
    expect(att.contentType).toBe("text/csv; charset=utf-8");
    const bytes = Buffer.from(att.content, "utf8");
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(att.content).toContain("\r\n");
    const [fullHeader, ...fullRows] = parseCsv(att.content);
    expect(fullHeader).toHaveLength(COLUMNS);
    expect(fullHeader![0]).toBe("Jahr");
    expect(fullRows.every((r) => r[0] === "2026")).toBe(true);
    const header = fullHeader!.slice(1);
    const rows = fullRows.map((r) => r.slice(1));
    expect(header.slice(0, 6)).toEqual(["KPB", "Behördenart", "Vergleichsgruppen", "angebunden", "SiKo Stand", "SiKo durchgeführt am"]);
    expect(rows).toHaveLength(47);
    const byName = new Map(rows.map((row) => [row[0]!, row]));
    for (const k of seeded) {
      const row = byName.get(k.name)!;
      expect(row, k.name).toBeDefined();
      expect(row[1]).toBe(k.kind === "pp" ? "Polizeipräsidium" : "Landrat");
      expect(row[2]).toBe(k.kind === "pp" ? "Polizeipräsidien" : "Landratsbehörden");
      expect(row[3]).toBe(k.scenario === "not-connected" ? "nein" : "ja");
      expect(row[5]).toBe(k.heldOn ? k.heldOn.split("-").reverse().join(".") : "");
      if (k.heldOn) expect(row[5]).toMatch(/^\d{2}\.\d{2}\.\d{4}$/);
      if (!k.hasMotorwayPolice) expect(row[13]).toBe("entfällt");
    }
    expect(byName.has("PP Düsseldorf") && byName.has("PP Köln") && byName.has("KPB Märkischer Kreis")).toBe(true);
    const places = rows.map((row) => row[6]!).filter(Boolean);
    expect(places.some((p) => p.startsWith(`'=HYPERLINK("http://x";"Köln`))).toBe(true);
    expect(places.some((p) => p.startsWith(`Rathaus Düsseldorf; Saal "`))).toBe(true);
    for (const cell of rows.flat()) expect(cell).not.toMatch(DANGEROUS);
  });

  it("covers the reporting period without a year: the previous year and this one to date", async () => {
    const r = await h.dispatcher.handle({ kind: "command", eventId: "csv-2", sender: { platform: "console", id: "lzpd" }, room: { platform: "console", id: "dm", direct: true }, text: "bericht --format csv" });
    const att = r.replies[0]!.attachment!;
    expect(att.filename).toBe("siko-bericht-2025-2026.csv");
    const [, ...rows] = parseCsv(att.content);
    expect(rows).toHaveLength(94);
    expect(rows.filter((row) => row[0] === "2025")).toHaveLength(47);
    // 2025: only the seed's "nothing" KPBs held a SiKo (their conference of last year).
    expect(rows.filter((row) => row[0] === "2025" && row[5] === "durchgeführt")).toHaveLength(seeded.filter((k) => k.scenario === "nothing").length);
    const md = await h.say("bericht", { user: "lzpd", room: "dm", direct: true });
    expect(md).toContain("# Jahresbericht Sicherheitskonferenzen 2025 – NRW (47 KPBs)");
    expect(md).toContain("# Jahresbericht Sicherheitskonferenzen 2026 – NRW (47 KPBs)");
  });
});

/** A deterministic generator of strings that try to break out of a cell or into a formula. */
function hostileStrings(n: number, seed = 1): string[] {
  const pieces = ["=", "+", "-", "@", "\t", "\r", "\n", "\r\n", "\0", '"', '""', ";", ",", "'", " ", "\u00a0", "\u2028", "ä", "Ö", "ß", "€",
    "=cmd|' /C calc'!A0", '=HYPERLINK("http://evil";"x")', "+1+1", "-2+3", "@SUM(A1:A2)", "=1;=2", 'a";"=b', "\t=1", "\r=1", "\n@x", "Köln"];
  let x = seed;
  const rnd = () => ((x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const len = 1 + Math.floor(rnd() * 6);
    let s = "";
    for (let j = 0; j < len; j++) s += pieces[Math.floor(rnd() * pieces.length)];
    out.push(s);
  }
  return out;
}

describe("CSV injection", () => {
  it("neutralises every cell that starts like a formula or a control character", () => {
    for (const v of ["=1+1", "+1", "-1", "@SUM(1)", "\t=1", "\r=1", "\n=1", "\0x"]) expect(neutraliseCell(v)).toBe(`'${v}`);
    for (const v of ["Köln", "'=1", " =1", "15.09.2026", ""]) expect(neutraliseCell(v)).toBe(v);
  });

  it("keeps 47 rows and no evaluable cell for 10,000+ hostile names and places", () => {
    const strings = hostileStrings(10_340);
    const t = translator("de");
    const clock = new ManualClock(SEED_NOW);
    const groups = [{ key: "pp", name: { de: "Polizeipräsidien", en: "PP" }, kinds: ["pp" as const] }, { key: "lr", name: { de: "Landratsbehörden", en: "LR" }, kinds: ["landrat" as const] }];
    let used = 0;
    let report = 0;
    while (used < strings.length) {
      const kpbs: ReportKpbFacts[] = [];
      for (let i = 0; i < 47; i++) {
        const name = strings[used++ % strings.length]!;
        const place = strings[used++ % strings.length]!;
        const start = new Date(Date.UTC(SEED_YEAR, i % 8, 10));
        kpbs.push({
          id: i + 1,
          name,
          kind: i < 18 ? "pp" : "landrat",
          hasMotorwayPolice: i % 10 === 0,
          mandatoryExtras: [],
          organisers: i % 7 === 0 ? 0 : 1,
          boundRooms: 0,
          conferences: [{ id: i + 1, number: 1, kpbId: i + 1, track: "siko", startsAt: start, endsAt: start, status: "held", location: place, agenda: [name], discussedItems: [1], invitations: [{ category: "zoll", answer: "accepted" }] }],
          exercises: [{ kind: "exercise", date: `${SEED_YEAR}-03-0${1 + (i % 9)}`, place }, { kind: "shadowing", date: `${SEED_YEAR}-04-01`, place: name }],
        });
      }
      const built = buildAnnualReport({ year: SEED_YEAR, kpbs, groups }, clock);
      const [header, ...rows] = parseCsv(reportCsv(built, t, "de"));
      expect(header).toHaveLength(COLUMNS);
      expect(rows).toHaveLength(47);
      for (const row of rows) {
        expect(row).toHaveLength(COLUMNS);
        for (const cell of row) if (DANGEROUS.test(cell)) throw new Error(`report ${report}: evaluable cell ${JSON.stringify(cell)}`);
      }
      // Names come back exactly, with the apostrophe where one was needed.
      const names = rows.map((r) => r[1]!).sort();
      expect(names).toEqual(kpbs.map((k) => neutraliseCell(k.name)).sort());
      report++;
    }
    expect(used).toBeGreaterThanOrEqual(10_000);
  });
});
