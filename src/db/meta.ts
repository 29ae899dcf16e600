// Small facts about this installation in the meta table, shared by the reminder sweep and the commands that
// explain its state (`uebersicht`).
import { eq } from "drizzle-orm";
import { berlinYearOf } from "../domain/holidays.ts";
import type { Db, Tx } from "./client.ts";
import { param, preparedQuery } from "./prepared.ts";
import * as s from "./schema.ts";

/** The end (inclusive) of the last committed reminder sweep's window, an ISO instant. */
export const WATERMARK_KEY = "reminders.watermark";
/** When this installation's watch began (its first sweep), an ISO instant. */
export const WATCH_STARTED_KEY = "reminders.watchStartedAt";

const metaByKey = preparedQuery((db) => db.select().from(s.meta).where(eq(s.meta.key, param("key"))).prepare());

export function getMeta(tx: Db | Tx, key: string): string | undefined {
  return metaByKey(tx).get({ key })?.value;
}

export function setMeta(tx: Pick<Tx, "insert">, key: string, value: string): void {
  tx.insert(s.meta).values({ key, value }).onConflictDoUpdate({ target: s.meta.key, set: { value } }).run();
}

/** The first Berlin year the bot watched; undefined before the first sweep. Years before it were never seen. */
export function firstWatchedYear(tx: Db | Tx): number | undefined {
  const started = getMeta(tx, WATCH_STARTED_KEY);
  return started === undefined ? undefined : berlinYearOf(new Date(started));
}
