// Online backup and restore of the SQLite file. A backup uses SQLite's backup API on the running database
// (a consistent copy while the bot keeps writing, never a file copy of a live WAL database); a restore
// refuses while a bot works on the target, and checks the file (integrity, migrations this version knows).
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import Database from "better-sqlite3";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { MIGRATIONS_DIR } from "../paths.ts";
import { liveInstances } from "./instance.ts";

/** Writes a consistent copy of the open database to `file` (via a temporary name, so no half file is left). */
export async function backupTo(sqlite: Database.Database, file: string): Promise<{ file: string; bytes: number }> {
  const target = resolve(file);
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  await sqlite.backup(partial);
  renameSync(partial, target);
  return { file: target, bytes: statSync(target).size };
}

const BACKUP_FILE = /^siko-\d{8}-\d{6}\.db$/;

/** `siko-20271130-023000.db`, in UTC, so names sort by time. */
export function backupName(now: Date): string {
  const iso = now.toISOString();
  return `siko-${iso.slice(0, 10).replaceAll("-", "")}-${iso.slice(11, 19).replaceAll(":", "")}.db`;
}

/** Keeps the newest `keep` backups in `dir` (only files this bot named), deletes the older ones. */
export function pruneBackups(dir: string, keep: number): string[] {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir).filter((f) => BACKUP_FILE.test(f)).sort();
  const old = files.slice(0, Math.max(0, files.length - keep));
  for (const f of old) rmSync(join(dir, f));
  return old;
}

export class RestoreRefused extends Error {}

/**
 * What is wrong with a backup file, or null when it can be restored: it must be an intact SQLite database
 * whose applied migrations this version knows (an older backup is fine: the bot migrates it at start).
 */
function backupProblem(file: string): string | null {
  if (!existsSync(file)) return `${file} does not exist`;
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    return `${file} cannot be opened as a database (${(e as Error).message})`;
  }
  try {
    const integrity = db.pragma("integrity_check", { simple: true });
    if (integrity !== "ok") return `${file} fails the integrity check: ${String(integrity)}`;
    const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
    if (!hasTable) return `${file} is not a siko-bot database (no migration history)`;
    const known = new Set(readMigrationFiles({ migrationsFolder: MIGRATIONS_DIR }).map((m) => m.hash));
    const applied = db.prepare("SELECT hash FROM __drizzle_migrations").all() as { hash: string }[];
    const unknown = applied.filter((a) => !known.has(a.hash)).length;
    if (unknown > 0) return `${file} was written by a newer or different version (${unknown} unknown migration${unknown === 1 ? "" : "s"})`;
    return null;
  } catch (e) {
    return `${file} cannot be read (${(e as Error).message})`;
  } finally {
    db.close();
  }
}

/** Replaces the database at `dbPath` with the backup `file`; refuses while a bot works on it or the file is unfit. */
export function restore(file: string, dbPath: string): void {
  const source = resolve(file);
  const target = resolve(dbPath);
  const problem = backupProblem(source);
  if (problem) throw new RestoreRefused(problem);
  if (existsSync(target)) {
    const current = new Database(target, { fileMustExist: true });
    try {
      const running = liveInstances(drizzle(current), new Date());
      if (running.length > 0)
        throw new RestoreRefused(`a bot is running on ${target} (pid ${running.map((r) => `${r.pid} on ${r.host}`).join(", ")}); stop it first`);
    } finally {
      current.close();
    }
  }
  mkdirSync(dirname(target), { recursive: true });
  const staged = join(dirname(target), `.${basename(target)}.restoring`);
  const copy = new Database(source, { readonly: true, fileMustExist: true });
  try {
    // VACUUM INTO writes a consistent copy under the staging name; the target is replaced only when it is whole.
    copy.exec(`VACUUM INTO '${staged.replaceAll("'", "''")}'`);
  } finally {
    copy.close();
  }
  // The old WAL and shared-memory files belong to the old database; left behind they would be replayed onto the new one.
  for (const suffix of ["-wal", "-shm"]) rmSync(target + suffix, { force: true });
  renameSync(staged, target);
}
