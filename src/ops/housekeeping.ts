// The nightly round (after 02:30 Berlin, once per day, caught up after downtime): forget handled event ids
// after a month, remove delivered messages and audit details older than the retention period, and take a
// backup into SIKO_BACKUP_DIR keeping the newest SIKO_BACKUP_KEEP. It also carries out the backups that an
// admin asked for with `backup`, and tells them where the file is.
import { join } from "node:path";
import type Database from "better-sqlite3";
import { and, inArray, lt, sql } from "drizzle-orm";
import type { Logger } from "pino";
import type { Clock } from "../domain/clock.ts";
import { berlinDateOf, berlinInstant } from "../domain/holidays.ts";
import { doneBackupRequest, pendingBackupRequests } from "../db/backupRequests.ts";
import type { Db } from "../db/client.ts";
import { pruneProcessedEvents } from "../db/directory.ts";
import { getMeta } from "../db/meta.ts";
import * as s from "../db/schema.ts";
import { enqueue } from "../delivery/outbox.ts";
import { translate } from "../messages/i18n/catalogue.ts";
import { backupName, backupTo, pruneBackups } from "./backup.ts";

const LAST_NIGHT_KEY = "housekeeping.lastNight";
const NIGHT_AT = "02:30";
const YEAR_MS = 365.25 * 86_400_000;
const TICK_MS = 60_000;

export interface HousekeepingDeps {
  db: Db;
  sqlite: Database.Database;
  clock: Clock;
  logger: Logger;
  backupDir?: string;
  backupKeep: number;
  retentionYears: number;
  /** Delivers what was queued (the answer to a `backup` request). */
  kick: () => void;
}

export interface NightResult {
  processedEvents: number;
  outboxRows: number;
  auditDetails: number;
  backup: string | null;
}

export class Housekeeping {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly deps: HousekeepingDeps) {}

  /** The first round after `firstAfterMs`, then one a minute. */
  start(firstAfterMs: number): void {
    setTimeout(() => void this.tick(), firstAfterMs).unref();
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Runs what is due: requested backups at once, the nightly round once a night. One round at a time. */
  tick(): Promise<void> {
    this.running ??= (async () => {
      try {
        await this.requestedBackups();
        const now = this.deps.clock.now();
        const today = berlinDateOf(now);
        const last = getMeta(this.deps.db, LAST_NIGHT_KEY);
        if (last !== today && now.getTime() >= berlinInstant(today, NIGHT_AT).getTime()) await this.night(today);
      } catch (e) {
        this.deps.logger.error({ err: e }, "housekeeping failed; the next round tries again");
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** The nightly round; recorded as done for `today` only when it finished. */
  async night(today = berlinDateOf(this.deps.clock.now())): Promise<NightResult> {
    const { db, clock, logger, backupDir, backupKeep } = this.deps;
    const now = clock.now();
    const result: NightResult = { processedEvents: pruneProcessedEvents(db, now), ...this.retention(now), backup: null };
    if (backupDir) {
      result.backup = (await backupTo(this.deps.sqlite, join(backupDir, backupName(now)))).file;
      pruneBackups(backupDir, backupKeep);
    }
    db.insert(s.meta).values({ key: LAST_NIGHT_KEY, value: today }).onConflictDoUpdate({ target: s.meta.key, set: { value: today } }).run();
    logger.info(result, "housekeeping: nightly round done");
    return result;
  }

  /**
   * Personal data is kept no longer than needed: delivered (or given up) messages older than the retention
   * period are removed, and old audit entries keep what happened but lose their details (names, reasons).
   */
  private retention(now: Date): { outboxRows: number; auditDetails: number } {
    const before = new Date(now.getTime() - this.deps.retentionYears * YEAR_MS);
    return this.deps.db.transaction((tx) => ({
      outboxRows: tx
        .delete(s.outbox)
        .where(and(inArray(s.outbox.status, ["delivered", "superseded", "failed", "uncertain"]), lt(s.outbox.createdAt, before)))
        .run().changes,
      auditDetails: tx
        .update(s.auditLog)
        .set({ details: { removed: "retention" } })
        .where(and(lt(s.auditLog.at, before), sql`${s.auditLog.details} <> '{"removed":"retention"}'`))
        .run().changes,
    }));
  }

  private async requestedBackups(): Promise<void> {
    const { db, clock, backupDir, backupKeep } = this.deps;
    for (const request of pendingBackupRequests(db)) {
      let text: string;
      try {
        if (!backupDir) throw new Error("SIKO_BACKUP_DIR is not set");
        const done = await backupTo(this.deps.sqlite, join(backupDir, backupName(clock.now())));
        pruneBackups(backupDir, backupKeep);
        text = translate(request.locale, "backup.done", { file: done.file, size: Math.ceil(done.bytes / 1024) });
      } catch (e) {
        this.deps.logger.error({ err: e }, "backup: an admin's backup failed");
        text = translate(request.locale, "backup.failed", { reason: (e as Error).message.slice(0, 200) });
      }
      db.transaction((tx) => {
        enqueue(tx, { key: `backup:${request.id}`, to: request.to, message: { text, locale: request.locale, kind: "reply" } }, clock.now());
        doneBackupRequest(tx, request.id);
      });
      this.deps.kick();
    }
  }
}
