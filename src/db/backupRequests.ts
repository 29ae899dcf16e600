// Backups an admin asked for (`sicherung`), waiting in the meta table for the housekeeping round, which can run
// SQLite's online backup outside any transaction. Kept in the database, so a request survives a restart.
import { and, eq, gte, lt } from "drizzle-orm";
import type { Locale, Platform } from "../domain/types.ts";
import type { Db, Tx } from "./client.ts";
import { preparedQuery } from "./prepared.ts";
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

// Asked after every change (a requested backup starts at once), so built once; the keys from PREFIX up to the
// next character after its ':' are a range of the primary key, where LIKE would read the whole table.
const requests = preparedQuery((db) =>
  db
    .select()
    .from(s.meta)
    .where(and(gte(s.meta.key, PREFIX), lt(s.meta.key, `${PREFIX.slice(0, -1)};`)))
    .prepare(),
);

export function pendingBackupRequests(db: Db): BackupRequest[] {
  return requests(db)
    .all()
    .map((r) => JSON.parse(r.value) as BackupRequest);
}

export function doneBackupRequest(tx: Tx, id: string): void {
  tx.delete(s.meta).where(eq(s.meta.key, PREFIX + id)).run();
}
