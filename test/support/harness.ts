// A real Dispatcher on an in-memory SQLite database with the real command registry: what the chat adapters
// drive, minus the platform. Tests type commands as a named person in a named room and read the answers.
import { fileURLToPath } from "node:url";
import pino from "pino";
import { Dispatcher } from "../../src/app/dispatcher.ts";
import { actions, commands } from "../../src/app/registry.ts";
import { openDatabase, type Db } from "../../src/db/client.ts";
import { ManualClock } from "../../src/domain/clock.ts";
import type { Locale, Platform } from "../../src/domain/types.ts";
import { DEFAULT_REMINDER_POLICY } from "../../src/domain/reminderPolicy.ts";
import type Database from "better-sqlite3";

export const REFERENCE_DIR = fileURLToPath(new URL("../../reference", import.meta.url));

export interface Speaker {
  user: string;
  room: string;
  direct?: boolean;
  platform?: Platform;
}

export interface Harness {
  db: Db;
  sqlite: Database.Database;
  clock: ManualClock;
  dispatcher: Dispatcher;
  /** Sends one typed line and returns the answers joined by newlines. */
  say(text: string, as?: Speaker): Promise<string>;
  /** Every row of every table, for "nothing changed" checks. */
  dump(ignore?: readonly string[]): Record<string, unknown[]>;
  count(table: string): number;
  close(): void;
}

/** The console admin in the console room: the first console user on a fresh database becomes admin. */
export const ADMIN: Speaker = { user: "chef", room: "lage" };

export function startHarness(opts: { defaultLocale?: Locale; platforms?: Platform[]; organizerEmail?: string } = {}): Harness {
  const { db, sqlite, close } = openDatabase(":memory:");
  const clock = new ManualClock(new Date("2026-03-02T09:00:00Z"));
  const dispatcher = new Dispatcher({
    db,
    clock,
    settings: {
      platforms: opts.platforms ?? ["console"],
      publicUrl: "http://localhost:3978",
      defaultLocale: opts.defaultLocale ?? "de",
      referenceDir: REFERENCE_DIR,
      rsvpNoticeDelayMs: 60_000,
      reminderPolicy: DEFAULT_REMINDER_POLICY,
      organizerEmail: opts.organizerEmail,
    },
    commands,
    actions,
    logger: pino({ level: "silent" }),
  });
  let n = 0;
  const tables = (): string[] =>
    (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map(
      (r) => r.name,
    );
  return {
    db,
    sqlite,
    clock,
    dispatcher,
    async say(text, as = ADMIN) {
      const platform = as.platform ?? "console";
      const replies = await dispatcher.handle({
        kind: "command",
        eventId: `test-${++n}`,
        sender: { platform, id: as.user },
        room: { platform, id: as.room, direct: as.direct ?? false },
        text,
      });
      return replies.map((r) => r.text).join("\n");
    },
    dump(ignore = []) {
      const out: Record<string, unknown[]> = {};
      for (const t of tables()) if (!ignore.includes(t)) out[t] = sqlite.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all();
      return out;
    },
    count(table) {
      return (sqlite.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
    },
    close,
  };
}
