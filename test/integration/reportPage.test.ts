// The LZPD's overview page over real HTTP and in headless Chromium: a fresh link from `bericht <jahr> --seite`
// shows the seeded states and shares; an altered or expired link shows no data.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReportPage } from "../../src/app/report/page.ts";
import { berlinInstant } from "../../src/domain/holidays.ts";
import * as s from "../../src/db/schema.ts";
import { startHttpServer, type RunningHttpServer } from "../../src/http/server.ts";
import { ROOT } from "../support/childBot.ts";
import type { Harness, Speaker } from "../support/harness.ts";
import { SEED_YEAR, startSeededYear, type SeededKpb } from "../support/seedYear.ts";

const ADMIN: Speaker = { user: "chef", room: "lage" };
const LZPD: Speaker = { user: "lzpd", room: "lzpd-dm", direct: true };
const CHROMIUM = "/usr/bin/chromium";
export const OUTPUT_DIR = join(ROOT, "test-output");

let h: Harness;
let http: RunningHttpServer;
let base: string;
let seeded: SeededKpb[];
let path: string;
/** Held SiKo per year, counted from what the test seeds. */
const heldPerYear = new Map<number, number>();

function linkOf(answer: string): string {
  const m = /http:\/\/localhost:3978(\/bericht\?token=[A-Za-z0-9_-]{43})/.exec(answer);
  if (!m) throw new Error(`no link in: ${answer}`);
  return m[1]!;
}

const expectedState = (k: SeededKpb): string =>
  ({ "held-full": "held", "held-missing": "held", scheduled: "scheduled", nothing: "at-risk", "not-connected": "not-connected" })[k.scenario];

beforeAll(async () => {
  ({ h, seeded } = await startSeededYear());
  // Earlier years for the chart: 5, 10 and 20 KPBs held their SiKo in 2022–2024; in 2025 the seed's "nothing" KPBs did.
  const connected = seeded.filter((k) => k.scenario !== "not-connected");
  const now = new Date("2026-01-01T00:00:00Z");
  for (const [year, n] of [[2022, 5], [2023, 10], [2024, 20]] as const) {
    for (const k of connected.slice(0, n)) {
      const startsAt = berlinInstant(`${year}-06-01`, "10:00");
      h.db.insert(s.conferences).values({ kpbId: k.id, number: year, track: "siko", startsAt, endsAt: startsAt, status: "held", agenda: [], createdBy: "seed", createdAt: now, updatedAt: now }).run();
    }
    heldPerYear.set(year, n);
  }
  heldPerYear.set(2025, seeded.filter((k) => k.scenario === "nothing").length);
  heldPerYear.set(2026, seeded.filter((k) => k.scenario.startsWith("held")).length);
  path = linkOf(await h.say(`bericht ${SEED_YEAR} --seite`, LZPD));
  http = await startHttpServer({ feed: () => null, reportPage: createReportPage({ db: h.db, clock: h.clock, settings: h.settings }), logger: pino({ level: "silent" }) }, { port: 0, host: "127.0.0.1" });
  base = `http://127.0.0.1:${http.port}`;
});
afterAll(async () => {
  await http?.close();
  h?.close();
});

describe("bericht --seite", () => {
  it("says so when the bot's HTTP server does not run, so the link would not open", async () => {
    h.settings.httpServer = false;
    try {
      expect(await h.say(`bericht ${SEED_YEAR} --seite`, LZPD)).toContain("Der HTTP-Server des Bots läuft nicht");
    } finally {
      h.settings.httpServer = undefined;
    }
    expect(await h.say(`bericht ${SEED_YEAR} --seite`, LZPD)).not.toContain("HTTP-Server");
  });

  it("hands the link only to the LZPD in a direct chat, and stores only its digest", async () => {
    expect(await h.say(`bericht ${SEED_YEAR} --seite`, { user: "lzpd", room: "lage" })).toContain("nur im Direktchat");
    await h.say("rolle geben org organisator --kpb koeln", ADMIN);
    expect(await h.say(`bericht ${SEED_YEAR} --seite`, { user: "org", room: "dm-org", direct: true })).toContain("nur für das LZPD");
    const token = new URL(path, "http://x").searchParams.get("token")!;
    const stored = h.sqlite.prepare("SELECT token_hash FROM report_links").all() as { token_hash: string }[];
    expect(stored.length).toBeGreaterThan(0);
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(JSON.stringify(h.dump())).not.toContain(token);
  });

  it("serves the page with no-store, noindex, no referrer and no external resources", async () => {
    const res = await fetch(base + path);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("x-robots-tag")).toContain("noindex");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("content-security-policy")).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'/);
    const html = await res.text();
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('<meta name="robots" content="noindex, nofollow">');
    expect(html).toContain("Sicherheitskonferenzen NRW 2026 – Landesübersicht");
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|\shref=|url\(/i);
    expect(html.replace('xmlns="http://www.w3.org/2000/svg"', "")).not.toMatch(/https?:\/\//);
    expect(html).toContain("@media print");
  });

  it("shows no data for an altered or expired link", async () => {
    const token = new URL(path, "http://x").searchParams.get("token")!;
    const altered = token.slice(0, -1) + (token.endsWith("A") ? "B" : "A");
    for (const p of [`/bericht?token=${altered}`, "/bericht", "/bericht?token=", `/bericht?token=${token}x`]) {
      const res = await fetch(base + p);
      expect(res.status, p).toBe(404);
      const body = await res.text();
      expect(body).toBe("Not Found\n");
      expect(res.headers.get("cache-control")).toBe("no-store");
    }
    const saved = h.clock.now();
    h.clock.set(new Date(saved.getTime() + 24 * 3_600_000 + 1));
    const res = await fetch(base + path);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe("Not Found\n");
    h.clock.set(saved);
    expect((await fetch(base + path)).status).toBe(200);
  });

  it("in headless Chromium: the grid shows the seeded states, the chart the seeded shares; a screenshot is saved", async (ctx) => {
    if (!existsSync(CHROMIUM)) {
      console.warn(`SKIPPED browser test: ${CHROMIUM} is missing and could not be installed (.ci/run installs Debian's chromium)`);
      ctx.skip();
      return;
    }
    const { chromium } = await import("playwright-core");
    const profile = mkdtempSync(join(tmpdir(), "siko-chromium-"));
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    try {
      const page = await browser.newPage();
      const external: string[] = [];
      page.on("request", (r) => {
        if (!r.url().startsWith(base)) external.push(r.url());
      });
      const response = await page.goto(base + path);
      expect(response?.status()).toBe(200);
      const grid = await page.$$eval("#grid tbody tr", (rows) =>
        rows.map((r) => ({ kpb: r.getAttribute("data-kpb"), states: [...r.querySelectorAll("td")].map((td) => td.getAttribute("data-state")), text: (r.querySelector("td") as HTMLElement).innerText })),
      );
      expect(grid).toHaveLength(47);
      const byName = new Map(grid.map((g) => [g.kpb, g]));
      for (const k of seeded) {
        const row = byName.get(k.name)!;
        expect(row.states[0], k.name).toBe(expectedState(k));
        expect(row.states[1], k.name).toBe(k.hasMotorwayPolice ? (k.apHeld ? "held" : k.scenario === "not-connected" ? "not-connected" : "at-risk") : "not-applicable");
        expect(row.states[2], k.name).toBe(k.exerciseOn ? "held" : k.scenario === "not-connected" ? "not-connected" : "pending");
        // The colour has its text: the state's name is in the cell.
        expect(row.text).toContain({ held: "durchgeführt", scheduled: "geplant", "at-risk": "gefährdet", "not-connected": "nicht angebunden" }[expectedState(k)]!);
      }
      // Counts in the table match the seed.
      const counts = await page.$$eval("#counts tbody tr", (rows) => Object.fromEntries(rows.map((r) => [r.getAttribute("data-count-state"), Number((r.querySelectorAll("td")[0] as HTMLElement).innerText)])));
      expect(counts.held).toBe(heldPerYear.get(2026));
      expect(counts["not-connected"]).toBe(seeded.filter((k) => k.scenario === "not-connected").length);
      // Distinct colours per state, drawn by the browser.
      const colours = await page.$$eval("#legend li", (lis) => lis.map((li) => getComputedStyle(li).backgroundColor));
      expect(new Set(colours).size).toBe(colours.length);
      // The chart: five years, the share of KPBs that held their SiKo.
      const bars = await page.$$eval("#chart g[data-year]", (gs) => gs.map((g) => ({ year: Number(g.getAttribute("data-year")), share: Number(g.getAttribute("data-share")), height: Number(g.querySelector("rect")!.getAttribute("height")) })));
      expect(bars.map((b) => b.year)).toEqual([2022, 2023, 2024, 2025, 2026]);
      for (const b of bars) expect(b.share, String(b.year)).toBeCloseTo(heldPerYear.get(b.year)! / 47, 4);
      for (let i = 1; i < 3; i++) expect(bars[i]!.height).toBeGreaterThan(bars[i - 1]!.height);
      expect(external).toEqual([]);
      mkdirSync(OUTPUT_DIR, { recursive: true });
      await page.screenshot({ path: join(OUTPUT_DIR, "report-page.png"), fullPage: true });
      expect(existsSync(join(OUTPUT_DIR, "report-page.png"))).toBe(true);
      // An altered link in the browser: no data.
      const token = new URL(path, "http://x").searchParams.get("token")!;
      await page.goto(`${base}/bericht?token=${token.slice(0, -2)}zz`);
      const body = await page.innerText("body");
      expect(body.trim()).toBe("Not Found");
    } finally {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }, 60_000);
});
