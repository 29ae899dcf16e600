// 2,000 answers through the dispatcher (parse, access, the answer, its log row, the notice row, the audit row,
// one transaction each, SQLite with WAL and synchronous=FULL) against a bare better-sqlite3 loop doing the same
// writes (an upsert of the answer and an audit row per answer, same pragmas), in paired rounds of CPU time; and
// whether the last 500 answers cost more per answer than the first 500 (they must not: an answer is one small
// insert, whatever came before). Run alone: npx tsx bench/answers.bench.ts
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pino from "pino";
import { Dispatcher } from "../src/app/dispatcher.ts";
import { DEMO_PARTNERS, loadDemo } from "../src/app/demo.ts";
import { actions, commands } from "../src/app/registry.ts";
import { openDatabase } from "../src/db/client.ts";
import { ManualClock } from "../src/domain/clock.ts";
import { DEFAULT_REMINDER_POLICY } from "../src/domain/reminderPolicy.ts";
import { REFERENCE_DIR } from "../src/paths.ts";
import { cpuMs, paired, report, runIfMain } from "./support.ts";

const ANSWERS = 2000;
const line = (i: number) => `${Math.floor(i / 12) % 2 === 0 ? "zusage" : "absage"} 1 --fuer "${DEMO_PARTNERS[i % 12]!.name}"`;

async function ours(dir: string, round: number): Promise<{ total: number; first500: number; last500: number }> {
  const { db, close } = openDatabase(join(dir, `ours-${round}.db`));
  const clock = new ManualClock(new Date("2027-02-01T08:00:00Z"));
  const settings = { platforms: ["console" as const], editablePlatforms: [], publicUrl: "http://localhost:3978", defaultLocale: "de" as const, referenceDir: REFERENCE_DIR, rsvpNoticeDelayMs: 3_600_000, reminderPolicy: DEFAULT_REMINDER_POLICY };
  const dispatcher = new Dispatcher({ db, clock, settings, commands, actions, logger: pino({ level: "silent" }) });
  const say = (text: string, n: string) => dispatcher.handle({ kind: "command", eventId: n, sender: { platform: "console", id: "orga" }, room: { platform: "console", id: "lage", direct: false }, text });
  db.transaction((tx) => loadDemo(tx, REFERENCE_DIR, clock.now(), { platform: "console", userId: "orga", roomId: "lage" }));
  await say("planen 2027-03-15 10:00", "p");
  await say("einladen 1", "e");
  const chunks: number[] = [];
  for (let c = 0; c < ANSWERS / 500; c++)
    chunks.push(
      await cpuMs(async () => {
        for (let i = c * 500; i < (c + 1) * 500; i++) await say(line(i), `a${i}`);
      }),
    );
  close();
  return { total: chunks.reduce((a, b) => a + b, 0), first500: chunks[0]!, last500: chunks[chunks.length - 1]! };
}

async function bare(dir: string, round: number): Promise<number> {
  const db = new Database(join(dir, `bare-${round}.db`));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.exec("CREATE TABLE invitations (partner INTEGER PRIMARY KEY, answer TEXT, answered_at INTEGER); CREATE TABLE audit (id INTEGER PRIMARY KEY, at INTEGER, actor TEXT, action TEXT, details TEXT)");
  const upsert = db.prepare("INSERT INTO invitations (partner, answer, answered_at) VALUES (?, ?, ?) ON CONFLICT(partner) DO UPDATE SET answer = excluded.answer, answered_at = excluded.answered_at");
  const audit = db.prepare("INSERT INTO audit (at, actor, action, details) VALUES (?, 'console:orga', 'rsvp', ?)");
  const answer = db.transaction((i: number) => {
    const a = Math.floor(i / 12) % 2 === 0 ? "accepted" : "declined";
    upsert.run(i % 12, a, i);
    audit.run(i, JSON.stringify({ partner: i % 12, to: a }));
  });
  const ms = await cpuMs(() => {
    for (let i = 0; i < ANSWERS; i++) answer(i);
  });
  db.close();
  return ms;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "siko-bench-answers-"));
  try {
    let bareRound = 0;
    let ourRound = 0;
    const growth: number[] = [];
    const p = await paired(
      3,
      () => bare(dir, bareRound++),
      async () => {
        const r = await ours(dir, ourRound++);
        growth.push(r.last500 / r.first500);
        return r.total;
      },
    );
    report(`${ANSWERS.toLocaleString("en")} answers through the dispatcher vs a bare better-sqlite3 loop`, p, 3);
    const sorted = [...growth].sort((a, b) => a - b);
    console.log(`last 500 answers vs first 500, per answer: ×${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)} (min ×${sorted[0]!.toFixed(2)}, max ×${sorted[sorted.length - 1]!.toFixed(2)})  goal ≤ ×1 (no slower)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

runIfMain(import.meta.url, run);
