// What an operator's probes and Prometheus see, over real HTTP from the real composition root: /healthz,
// /readyz (ready, and not ready with the reason), and /metrics in the Prometheus text format, whose counters
// move when a command runs and when a delivery fails.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
// @ts-expect-error the package ships no type declarations
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { startBot, type Bot } from "../../src/main.ts";
import type { InboundEvent } from "../../src/port.ts";
import { FakePlatform } from "../support/fakePlatform.ts";

interface Family {
  name: string;
  type: string;
  metrics: Array<{ value?: string; labels?: Record<string, string> }>;
}

const TOKEN = "metrics-token-0123456789abcdef";
let dir: string;
let bot: Bot;
let base: string;
const chat = new FakePlatform("matrix");

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "siko-ops-"));
  const config = loadConfig({
    SIKO_ADAPTERS: "matrix",
    SIKO_DB_PATH: join(dir, "siko.db"),
    SIKO_HTTP_ENABLED: "true",
    SIKO_HTTP_PORT: "0",
    SIKO_METRICS_TOKEN: TOKEN,
    SIKO_MATRIX_HOMESERVER_URL: "http://127.0.0.1:1",
    SIKO_MATRIX_ACCESS_TOKEN: "unused-by-the-fake",
    SIKO_ADMINS: "@admin:polizei.nrw.example",
    SIKO_LOG_LEVEL: "silent",
  });
  ({ bot } = await startBot(config, { adapters: [chat] }));
  base = `http://127.0.0.1:${bot.httpPort}`;
});

afterAll(async () => {
  await bot.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function metrics(): Promise<Map<string, Family>> {
  const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  const families = parsePrometheusTextFormat(await res.text()) as Family[];
  return new Map(families.map((f) => [f.name, f]));
}

function valueOf(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  const family = families.get(name);
  const sample = family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return Number(sample?.value ?? 0);
}

function command(text: string, id: string): InboundEvent {
  return { kind: "command", eventId: id, sender: { platform: "matrix", id: "@admin:polizei.nrw.example" }, room: { platform: "matrix", id: "!ops:polizei.nrw.example", direct: false }, text };
}

describe("health and readiness", () => {
  it("/healthz says the process is alive", async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("/readyz is ready when the database is writable, the migrations applied and the adapter connected", async () => {
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: "ready",
      checks: [
        { name: "database", ok: true },
        { name: "migrations", ok: true },
        { name: "adapter:matrix", ok: true },
      ],
    });
  });

  it("/readyz answers 503 and names what is not ready, without anything confidential", async () => {
    const other = new Database(join(dir, "siko.db"));
    // As if the file came from an older version that was not migrated (drizzle keeps its journal here).
    const last = other.prepare("SELECT rowid AS r, id, hash, created_at FROM __drizzle_migrations ORDER BY rowid DESC LIMIT 1").get() as { r: number; id: number | null; hash: string; created_at: number };
    other.prepare("DELETE FROM __drizzle_migrations WHERE rowid = ?").run(last.r);
    try {
      const res = await fetch(`${base}/readyz`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { status: string; checks: Array<{ name: string; ok: boolean; detail?: string }> };
      expect(body.status).toBe("not ready");
      expect(body.checks.find((c) => c.name === "migrations")).toMatchObject({ ok: false, detail: expect.stringMatching(/^\d+ of \d+ applied$/) });
    } finally {
      other.prepare("INSERT INTO __drizzle_migrations (rowid, id, hash, created_at) VALUES (?, ?, ?, ?)").run(last.r, last.id, last.hash, last.created_at);
      other.close();
    }
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });
});

describe("metrics", () => {
  it("answers only with the configured bearer token", async () => {
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: { authorization: "Bearer wrong-token-0123456789" } })).status).toBe(401);
  });

  it("counts commands by outcome, with their latency, and redelivered events", async () => {
    const before = await metrics();
    await chat.deliver(command("kpb import nrw", "$m1"));
    await chat.deliver(command("kpb import nrw", "$m1")); // redelivered
    await chat.deliver(command("quatsch", "$m2"));
    const after = await metrics();
    expect(valueOf(after, "siko_commands_total", { outcome: "done" }) - valueOf(before, "siko_commands_total", { outcome: "done" })).toBe(1);
    expect(valueOf(after, "siko_commands_total", { outcome: "duplicate" }) - valueOf(before, "siko_commands_total", { outcome: "duplicate" })).toBe(1);
    expect(valueOf(after, "siko_commands_total", { outcome: "unknown" }) - valueOf(before, "siko_commands_total", { outcome: "unknown" })).toBe(1);
    expect(after.get("siko_command_duration_seconds")?.type).toBe("HISTOGRAM");
  });

  it("counts deliveries and failures by platform and class, and shows the outbox by status", async () => {
    await chat.deliver(command("raum binden koeln", "$m3"));
    await chat.deliver(command("rolle geben @orga:polizei.nrw.example organisator --kpb koeln", "$m4"));
    await chat.deliver(command("partner anlegen \"Staatsanwaltschaft Köln\" --kategorie staatsanwaltschaft", "$m5"));
    await chat.deliver(command("kontakt anlegen \"Staatsanwaltschaft Köln\" \"Dr. Anna Becker\" --matrix @anna:sta.example --leitung ja", "$m6"));
    await chat.deliver(command("planen 2099-03-15 10:00", "$m7"));
    const before = await metrics();
    chat.answerNext({ status: 400 });
    await chat.deliver(command("einladen 1 --trotzdem", "$m8"));
    await bot.outbox.flush();
    const after = await metrics();
    const diff = (labels: Record<string, string>) => valueOf(after, "siko_deliveries_total", labels) - valueOf(before, "siko_deliveries_total", labels);
    expect(diff({ platform: "matrix", result: "failed" })).toBe(1);
    expect(diff({ platform: "matrix", result: "delivered" })).toBeGreaterThanOrEqual(1); // the organisers' report of it
    expect(valueOf(after, "siko_outbox_rows", { status: "failed", platform: "matrix" })).toBe(1);
    // Delivered rows only grow; they are counted as they go out, not read again at every scrape.
    expect(after.get("siko_outbox_rows")!.metrics.map((m) => m.labels?.status)).not.toContain("delivered");
    // No label carries a name, a room or anything typed.
    const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    expect(text).not.toMatch(/Anna|Köln|koeln|!ops|@/);
  });
});
