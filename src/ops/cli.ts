// `npm run backup -- <file>` and `npm run restore -- <file>`: the operator's backup and restore of the
// database named by the configuration (SIKO_DB_PATH), while the bot runs (backup) or after it stopped (restore).
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import Database from "better-sqlite3";
import { ConfigError, loadConfig } from "../config.ts";
import { backupTo, restore, RestoreRefused } from "./backup.ts";

async function run(command: string | undefined, file: string | undefined): Promise<number> {
  if ((command !== "backup" && command !== "restore") || !file) {
    process.stderr.write("usage: npm run backup -- <file>   |   npm run restore -- <file>\n");
    return 2;
  }
  const dbPath = resolve(loadConfig().SIKO_DB_PATH);
  if (command === "backup") {
    if (!existsSync(dbPath)) {
      process.stderr.write(`siko-bot: no database at ${dbPath} (SIKO_DB_PATH)\n`);
      return 1;
    }
    const sqlite = new Database(dbPath, { fileMustExist: true });
    sqlite.pragma("busy_timeout = 5000");
    try {
      const done = await backupTo(sqlite, file);
      process.stdout.write(`backup of ${dbPath} written to ${done.file} (${done.bytes} bytes)\n`);
    } finally {
      sqlite.close();
    }
    return 0;
  }
  restore(file, dbPath);
  process.stdout.write(`${resolve(file)} restored to ${dbPath}; start the bot to continue\n`);
  return 0;
}

run(process.argv[2], process.argv[3]).then(
  (code) => process.exit(code),
  (e: unknown) => {
    const known = e instanceof RestoreRefused || e instanceof ConfigError;
    process.stderr.write(`siko-bot: ${known ? (e as Error).message : ((e as Error).stack ?? String(e))}\n`);
    process.exit(known ? 1 : 3);
  },
);
