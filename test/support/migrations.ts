// A database file as an older version of the bot left it: the migrations up to `lastTag` applied, nothing after.
// Tests fill it with the rows of that time and then open it with the current code, which migrates the rest.
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { MIGRATIONS_DIR } from "../../src/paths.ts";

export function databaseAt(dir: string, lastTag: string): { path: string; sqlite: Database.Database } {
  const old = join(dir, `migrations-${lastTag}`);
  cpSync(MIGRATIONS_DIR, old, { recursive: true });
  const journalFile = join(old, "meta/_journal.json");
  const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: { tag: string }[] };
  journal.entries = journal.entries.filter((e) => e.tag.slice(0, 4) <= lastTag);
  writeFileSync(journalFile, JSON.stringify(journal));
  const path = join(dir, "siko.db");
  const sqlite = new Database(path);
  migrate(drizzle(sqlite), { migrationsFolder: old });
  return { path, sqlite };
}
