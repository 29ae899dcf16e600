// Backups an admin asked for (`sicherung`), waiting in the meta table for the housekeeping round, which can run
// SQLite's online backup outside any transaction. Kept in the database, so a request survives a restart.
import { eq, like } from "drizzle-orm";
import type { Locale, Platform } from "../domain/types.ts";
import type { Db, Tx } from "./client.ts";
import * as s from "./schema.ts";

const PREFIX = "backup.request:";

export interface BackupRequest {
  id: string;
  /** Where the answer goes: the room the admin asked in. */
  to: { platform: Platform; kind: "room"; id: string };
  locale: Locale;
}

export function requestBackup(tx: Tx, request: BackupRequest): void {
  tx.insert(s.meta).values({ key: PREFIX + request.id, value: JSON.stringify(request) }).run();
}

export function pendingBackupRequests(db: Db): BackupRequest[] {
  return db
    .select()
    .from(s.meta)
    .where(like(s.meta.key, `${PREFIX}%`))
    .all()
    .map((r) => JSON.parse(r.value) as BackupRequest);
}

export function doneBackupRequest(tx: Tx, id: string): void {
  tx.delete(s.meta).where(eq(s.meta.key, PREFIX + id)).run();
}
