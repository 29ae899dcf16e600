// Opens the SQLite file with the durability settings the outbox relies on and applies the migrations.
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { MIGRATIONS_DIR } from "../paths.ts";

export type Db = BetterSQLite3Database & { $client: Database.Database };
/** The handle a command works with inside its transaction. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];


export interface OpenDb {
  db: Db;
  sqlite: Database.Database;
  close(): void;
}

/** How many migrations this version knows, and how many the file has applied (drizzle's own bookkeeping). */
export function migrationState(sqlite: Database.Database): { known: number; applied: number } {
  const journal = JSON.parse(readFileSync(resolve(MIGRATIONS_DIR, "meta/_journal.json"), "utf8")) as { entries: unknown[] };
  const applied = (sqlite.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number }).n;
  return { known: journal.entries.length, applied };
}

/**
 * Refuses to run on a file without the durability the outbox relies on (WAL, synchronous=FULL, a busy
 * timeout): a committed answer or "sent" mark must survive a power loss, and two processes must take turns.
 */
export function assertDurable(sqlite: Database.Database): void {
  const journal = String(sqlite.pragma("journal_mode", { simple: true }));
  const synchronous = Number(sqlite.pragma("synchronous", { simple: true }));
  const busy = Number(sqlite.pragma("busy_timeout", { simple: true }));
  const wrong = [journal !== "wal" && `journal_mode is ${journal}, not wal`, synchronous !== 2 && `synchronous is ${synchronous}, not 2 (FULL)`, busy <= 0 && "no busy timeout"].filter(Boolean);
  if (wrong.length) throw new Error(`the database is not safe to run on: ${wrong.join("; ")}`);
}

const STATEMENT_CACHE = 500;

/**
 * SQLite compiles each distinct statement once per connection instead of on every query: drizzle asks
 * better-sqlite3 to prepare the SQL it built on each call, and the compile was an eighth of a command's cost.
 * Bounded, oldest first out (a query with an IN list of varying length is a new statement per length).
 */
function cacheStatements(sqlite: Database.Database): void {
  const compile = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (statement) {
      // drizzle switches a statement to arrays with raw(); whoever gets it next expects the default.
      if (statement.reader) statement.raw(false);
      return statement;
    }
    statement = compile(source);
    if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value!);
    cache.set(source, statement);
    return statement;
  }) as typeof sqlite.prepare;
}

/**
 * Runs `fn`, which commits one transaction, without waiting for the disk at its commit (synchronous=NORMAL for
 * that commit alone; the setting cannot change inside a transaction). Only for a transaction that records no
 * more than that an event was handled: a process crash loses nothing (the WAL is written), a power cut may lose
 * that record, and then a redelivered event is answered once more. The next durable commit syncs it with its own.
 */
export function commitWithoutWaiting<T>(db: Db, fn: () => T): T {
  return withPragma(db, "synchronous", "NORMAL", fn);
}

/**
 * Runs `fn` inside a transaction with the database read-only (PRAGMA query_only): a write throws SQLITE_READONLY,
 * so what a command declares read-only cannot change anything.
 */
export function readOnlyWhile<T>(db: Db, fn: () => T): T {
  return withPragma(db, "query_only", "ON", fn);
}

/**
 * `fn` with a connection setting changed, and set back to what it was after (so that the two nest). The pragma
 * is prepared afresh each time, as better-sqlite3's pragma() does: SQLite applies it when it compiles the
 * statement, not when it runs it. `synchronous` cannot change inside a transaction: SQLite refuses before `fn` runs.
 */
function withPragma<T>(db: Db, name: "synchronous" | "query_only", during: string, fn: () => T): T {
  const before = Number(db.$client.pragma(name, { simple: true }));
  db.$client.pragma(`${name} = ${during}`);
  try {
    return fn();
  } finally {
    db.$client.pragma(`${name} = ${before}`);
  }
}

export function openDatabase(path: string): OpenDb {
  if (path !== ":memory:") mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma("journal_mode = WAL");
  // better-sqlite3 leaves WAL at synchronous=NORMAL, which can lose a committed answer or a "sent" mark on power loss.
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("busy_timeout = 5000");
  // 64 MiB of page cache (the default is 2 MiB): a sweep over a large installation touches the outbox indexes all over.
  sqlite.pragma("cache_size = -65536");
  sqlite.pragma("foreign_keys = ON");
  cacheStatements(sqlite);
  // Without the schema: the bot builds its queries from the tables and never uses drizzle's relational API,
  // whose configuration drizzle would otherwise work out from every table at each start.
  const db = drizzle(sqlite);
  migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  return { db, sqlite, close: () => sqlite.close() };
}
