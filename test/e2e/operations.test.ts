// Operations on real processes and a real database file: an online backup taken while answers pour in, a
// restore that refuses while the bot runs and restores what the backup holds, and a SIGTERM in the middle of
// a burst that loses nothing and sends nothing twice.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PARTNERS } from "../../src/app/demo.ts";
import { BOT, botEnv, ROOT, runBot } from "../support/childBot.ts";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "siko-ops-e2e-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const baseEnv = (db: string): Record<string, string> => botEnv({ SIKO_DB_PATH: db, SIKO_SIMULATED_TIME: "2027-02-01T08:00:00Z", SIKO_RSVP_NOTICE_DELAY_MS: "600000" });

/** The bot as a child process whose standard input the test writes to line by line. */
function liveBot(db: string, args: string[] = []): { child: ChildProcessWithoutNullStreams; out: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [BOT, ...args], { cwd: ROOT, env: baseEnv(db), stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, out: () => out, exited };
}

/** A live demo bot on `db` that has planned SiKo #1 and invited the 12 demo contacts. */
async function invitedLiveBot(db: string): Promise<ReturnType<typeof liveBot>> {
  const bot = liveBot(db, ["--demo"]);
  bot.child.stdin.write("planen 2027-03-15 10:00\neinladen 1\n");
  await until(() => bot.out().includes("Zu SiKo #1 eingeladen"), "the invitation");
  return bot;
}

function cli(db: string, ...args: string[]) {
  return spawnSync(process.execPath, ["dist/ops/cli.js", ...args], { cwd: ROOT, env: baseEnv(db), encoding: "utf8", timeout: 30_000 });
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 3000 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

function count(db: string, sql: string): number {
  const d = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return (d.prepare(sql).get() as { n: number }).n;
  } finally {
    d.close();
  }
}

/** 400 answers by the organiser on the agencies' behalf, each one a change. */
function answerBurst(): string {
  const lines: string[] = [];
  for (let i = 0; i < 400; i++) {
    const p = DEMO_PARTNERS[i % 12]!;
    lines.push(`${Math.floor(i / 12) % 2 === 0 ? "zusage" : "absage"} 1 --fuer "${p.name}"`);
  }
  return lines.join("\n") + "\n";
}

describe("backup and restore", () => {
  it("a backup taken in the middle of a burst of answers holds every answer committed before it began", async () => {
    const live = join(dir, "live", "siko.db");
    const bot = await invitedLiveBot(live);
    bot.child.stdin.write(answerBurst());
    await until(() => count(live, "SELECT count(*) AS n FROM rsvp_log") >= 40, "the first answers");

    const committed = count(live, "SELECT max(id) AS n FROM rsvp_log");
    const file = join(dir, "backups", "mid-burst.db");
    const backup = cli(live, "backup", file);
    expect(backup.stderr).toBe("");
    expect(backup.status).toBe(0);

    // While the bot runs on it, the database is not overwritten.
    const refused = cli(live, "restore", file);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/a bot is running on .*siko\.db \(pid \d+ on .+\); stop it first/);

    bot.child.stdin.end();
    expect(await bot.exited).toBe(0);
    expect(count(live, "SELECT count(*) AS n FROM rsvp_log")).toBe(400); // the burst went on during the backup

    const restoredDb = join(dir, "restored", "siko.db");
    const restored = cli(restoredDb, "restore", file);
    expect(restored.stderr).toBe("");
    expect(restored.status).toBe(0);
    const inBackup = count(restoredDb, `SELECT count(*) AS n FROM rsvp_log WHERE id <= ${committed}`);
    expect(inBackup).toBe(committed);
    expect(count(restoredDb, "SELECT count(*) AS n FROM pragma_integrity_check WHERE integrity_check = 'ok'")).toBe(1);

    // The restored database works: the bot starts on it and shows the answers.
    const after = await runBot([], ["status 1"], { SIKO_DB_PATH: restoredDb, SIKO_SIMULATED_TIME: "2027-02-01T09:00:00Z", SIKO_CONSOLE_USER: "konsole" });
    expect(after.code).toBe(0);
    expect(after.stdout).toMatch(/SiKo #1 – Antworten \(\d+ von 12\)/);
  });

  it("restore refuses a file that is not an intact siko-bot database, and leaves the database as it was", async () => {
    const target = join(dir, "refuse", "siko.db");
    await runBot([], ["kpb import nrw"], { SIKO_DB_PATH: target });
    const garbage = join(dir, "garbage.db");
    writeFileSync(garbage, "SQLite format 3\0 but not really");
    const result = cli(target, "restore", garbage);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/cannot be opened as a database|fails the integrity check|cannot be read/);
    expect(count(target, "SELECT count(*) AS n FROM kpbs")).toBe(47);
  });
});

describe("graceful shutdown", () => {
  it("SIGTERM during a burst: the bot stops taking commands, exits soon, and after a restart every message has gone out exactly once", async () => {
    const db = join(dir, "sigterm", "siko.db");
    const bot = await invitedLiveBot(db);
    const changes = Array.from({ length: 300 }, (_, i) => `ort 1 "Saal ${i + 1}"`).join("\n") + "\n";
    bot.child.stdin.write(changes); // stdin stays open: only the signal can end this run
    await until(() => (bot.out().match(/^Neuer Ort für SiKo #1/gm) ?? []).length >= 5, "some place changes");
    const signalled = Date.now();
    bot.child.kill("SIGTERM");
    expect(await bot.exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(10_000);

    const answered = (bot.out().match(/^Neuer Ort für SiKo #1/gm) ?? []).length;
    expect(answered).toBeLessThan(300); // it stopped taking commands
    // Every command that was answered is committed, and none half: one audit entry and one update round each.
    expect(count(db, "SELECT count(*) AS n FROM audit_log WHERE action = 'conference.place'")).toBe(answered);
    expect(count(db, "SELECT count(*) AS n FROM outbox WHERE key LIKE 'update:conf=1:%'")).toBe(answered * 12);

    const restart = await runBot([], [], { SIKO_DB_PATH: db, SIKO_SIMULATED_TIME: "2027-02-01T09:00:00Z", SIKO_RSVP_NOTICE_DELAY_MS: "600000" });
    expect(restart.code).toBe(0);
    expect(count(db, "SELECT count(*) AS n FROM outbox WHERE status NOT IN ('delivered', 'superseded')")).toBe(0);
    const shown = (text: string) => (text.match(/^→ an /gm) ?? []).length;
    // Each message to a person was shown once, before the signal or after the restart, never in both.
    expect(shown(bot.out()) + shown(restart.stdout)).toBe(count(db, "SELECT count(*) AS n FROM outbox WHERE address_kind = 'user' AND status = 'delivered'"));
  });
});
