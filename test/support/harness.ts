// A real Dispatcher on an in-memory SQLite database with the real command registry: what the chat adapters
// drive, minus the platform. Tests type commands as a named person in a named room and read the answers.
import { REFERENCE_DIR } from "../../src/paths.ts";
import pino from "pino";
import { Dispatcher } from "../../src/app/dispatcher.ts";
import { actions, commands } from "../../src/app/registry.ts";
import { openDatabase, type Db } from "../../src/db/client.ts";
import { ManualClock } from "../../src/domain/clock.ts";
import type { Locale, Platform } from "../../src/domain/types.ts";
import { DEFAULT_REMINDER_POLICY } from "../../src/domain/reminderPolicy.ts";
import { createAdapterHost } from "../../src/delivery/host.ts";
import { OutboxWorker } from "../../src/delivery/worker.ts";
import type { ChatAdapter, HttpHandler } from "../../src/port.ts";
import type { RuntimeSettings } from "../../src/settings.ts";
import type Database from "better-sqlite3";

export { REFERENCE_DIR };

export interface Speaker {
  user: string;
  room: string;
  direct?: boolean;
  platform?: Platform;
}

/** Where an adapter's HTTP routes go (the Teams endpoint); by default nowhere. */
export type HttpMount = (path: string, handler: HttpHandler) => void;

export interface Harness {
  /** Resolves when every adapter has started (and mounted its routes). */
  ready: Promise<void>;
  db: Db;
  settings: RuntimeSettings;
  /** The outbox worker, delivering to the adapters given at start (none: nothing is delivered). */
  worker: OutboxWorker;
  sqlite: Database.Database;
  clock: ManualClock;
  dispatcher: Dispatcher;
  /** Sends one typed line and returns the answers joined by newlines. */
  say(text: string, as?: Speaker): Promise<string>;
  /**
   * Every row of every table, for "nothing changed" checks. The log of handled events is left out: every event,
   * a refused one too, is remembered there so that a redelivery gets the same answer.
   */
  dump(ignore?: readonly string[]): Record<string, unknown[]>;
  count(table: string): number;
  close(): void;
}

/** The console admin in the console room: the first console user on a fresh database becomes admin. */
export const ADMIN: Speaker = { user: "chef", room: "lage" };

/**
 * `adapters`: platforms behind the port (test/support/fakePlatform.ts); they get their host and the dispatcher,
 * and the worker delivers to them. Without them the platform is the console and nothing is delivered.
 */
export function startHarness(
  opts: { defaultLocale?: Locale; adapters?: ChatAdapter[]; platforms?: Platform[]; organizerEmail?: string; file?: string; publicUrl?: string; mount?: HttpMount; logLevel?: string } = {},
): Harness {
  const { db, sqlite, close } = openDatabase(opts.file ?? ":memory:");
  const clock = new ManualClock(new Date("2026-03-02T09:00:00Z"));
  const logger = pino({ level: opts.logLevel ?? "silent" }, pino.destination(2));
  const adapters = new Map((opts.adapters ?? []).map((a) => [a.platform, a]));
  const settings: RuntimeSettings = {
    platforms: opts.platforms ?? (adapters.size ? [...adapters.keys()] : ["console"]),
    editablePlatforms: [...adapters.values()].filter((a) => a.capabilities.edits).map((a) => a.platform),
    publicUrl: opts.publicUrl ?? "http://localhost:3978",
    defaultLocale: opts.defaultLocale ?? "de",
    referenceDir: REFERENCE_DIR,
    rsvpNoticeDelayMs: 60_000,
    reminderPolicy: DEFAULT_REMINDER_POLICY,
    organizerEmail: opts.organizerEmail,
  };
  const dispatcher = new Dispatcher({ db, clock, settings, commands, actions, logger });
  const worker = new OutboxWorker({ db, clock, adapters, logger, settings, intervalMs: 60_000 });
  const hostDeps = { db, clock, logger, publicUrl: settings.publicUrl, worker, mount: opts.mount ?? (() => {}) };
  const ready = Promise.all([...adapters.values()].map((a) => a.start(createAdapterHost(a.platform, hostDeps), (e) => dispatcher.handle(e)))).then(() => undefined);
  ready.catch(() => {});
  let n = 0;
  const tables = (): string[] =>
    (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map(
      (r) => r.name,
    );
  return {
    ready,
    db,
    settings,
    worker,
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
      return replies.replies.map((r) => r.text).join("\n");
    },
    dump(ignore = []) {
      const out: Record<string, unknown[]> = {};
      for (const t of tables()) if (!ignore.includes(t) && t !== "processed_events") out[t] = sqlite.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all();
      return out;
    },
    count(table) {
      return (sqlite.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
    },
    close,
  };
}
