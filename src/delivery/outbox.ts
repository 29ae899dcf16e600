// The outbox: every message the bot sends on its own is a row written in the same transaction as the change
// that caused it, and delivered afterwards by this worker with retries and backoff.
import { and, eq, inArray, isNull, lte, or } from "drizzle-orm";
import type { Logger } from "pino";
import type { Clock } from "../domain/clock.ts";
import type { Platform } from "../domain/types.ts";
import type { Db, Tx } from "../db/client.ts";
import * as s from "../db/schema.ts";
import { RetryableDeliveryError, type Address, type ChatAdapter, type OutboundMessage } from "../port.ts";

export interface OutboxItem {
  /** Unique and deterministic for what it stands for, so a second enqueue of the same thing is a no-op. */
  key: string;
  to: Address;
  message: OutboundMessage;
}

/**
 * The key of one message to one address: `${base}:${platform}:${id}` for people, `…:room:${id}` for rooms,
 * because on the console a room and a person can share a name (the demo's "konsole").
 */
export function addressedKey(base: string, to: Address): string {
  return to.kind === "room" ? `${base}:${to.platform}:room:${to.id}` : `${base}:${to.platform}:${to.id}`;
}

/** Adds the item unless one with the same key exists; returns whether it was added. */
export function enqueue(tx: Tx, item: OutboxItem, now: Date, notBefore: Date = now): boolean {
  return (
    tx
      .insert(s.outbox)
      .values({
        key: item.key,
        platform: item.to.platform,
        addressKind: item.to.kind,
        addressId: item.to.id,
        message: item.message as unknown as Record<string, unknown>,
        status: "pending",
        nextAttemptAt: notBefore,
        createdAt: now,
      })
      .onConflictDoNothing()
      .run().changes > 0
  );
}

export const MAX_ATTEMPTS = 8;
const LEASE_MS = 60_000;
const BATCH = 50;

/** 5 s, 10 s, 20 s … capped at one hour. */
export function backoffMs(attempts: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

export interface OutboxWorkerDeps {
  db: Db;
  clock: Clock;
  adapters: ReadonlyMap<Platform, ChatAdapter>;
  logger: Logger;
  intervalMs: number;
}

export class OutboxWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private again = false;

  constructor(private readonly deps: OutboxWorkerDeps) {}

  start(): void {
    this.recoverLeases();
    this.timer = setInterval(() => void this.flush(), this.deps.intervalMs);
    this.timer.unref();
    void this.flush();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /**
   * Rows left in "sending" by a crash: resend where the platform dedupes by key; elsewhere the message may
   * have been posted, so it is marked uncertain and counted instead of sent twice.
   */
  recoverLeases(): { requeued: number; uncertain: number } {
    const now = this.deps.clock.now();
    let requeued = 0;
    let uncertain = 0;
    this.deps.db.transaction((tx) => {
      const stale = tx.select().from(s.outbox).where(and(eq(s.outbox.status, "sending"), lte(s.outbox.leaseUntil, now))).all();
      for (const row of stale) {
        const adapter = this.deps.adapters.get(row.platform);
        if (adapter && !adapter.capabilities.dedupesByKey) {
          tx.update(s.outbox).set({ status: "uncertain", leaseUntil: null, lastError: "interrupted mid-send" }).where(eq(s.outbox.id, row.id)).run();
          uncertain++;
        } else {
          tx.update(s.outbox).set({ status: "pending", leaseUntil: null, nextAttemptAt: now }).where(eq(s.outbox.id, row.id)).run();
          requeued++;
        }
      }
    }, { behavior: "immediate" });
    if (requeued || uncertain) this.deps.logger.warn({ requeued, uncertain }, "outbox: recovered interrupted sends");
    return { requeued, uncertain };
  }

  /** Delivers everything due; concurrent calls share one run and trigger one more pass. */
  flush(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let total = 0;
      try {
        do {
          this.again = false;
          let n: number;
          do {
            n = await this.deliverBatch();
            total += n;
          } while (n === BATCH);
        } while (this.again);
      } finally {
        this.running = null;
      }
      return total;
    })();
    return this.running;
  }

  /**
   * Claims due rows with a lease (they stay "pending": never attempted), then marks each "sending" only
   * right before its own send. A crash therefore leaves at most one row whose outcome is unknown.
   */
  private async deliverBatch(): Promise<number> {
    const { db, clock, adapters, logger } = this.deps;
    const platforms = [...adapters.keys()];
    if (platforms.length === 0) return 0;
    const now = clock.now();
    const claimed = db.transaction((tx) => {
      const due = tx
        .select()
        .from(s.outbox)
        .where(
          and(
            eq(s.outbox.status, "pending"),
            lte(s.outbox.nextAttemptAt, now),
            inArray(s.outbox.platform, platforms),
            or(isNull(s.outbox.leaseUntil), lte(s.outbox.leaseUntil, now)),
          ),
        )
        .orderBy(s.outbox.id)
        .limit(BATCH)
        .all();
      for (const row of due) tx.update(s.outbox).set({ leaseUntil: new Date(now.getTime() + LEASE_MS) }).where(eq(s.outbox.id, row.id)).run();
      return due;
    }, { behavior: "immediate" });
    for (const row of claimed) {
      const adapter = adapters.get(row.platform)!;
      const to = { platform: row.platform, kind: row.addressKind, id: row.addressId } as Address;
      const attempts = row.attempts + 1;
      // The message is read again as it is marked: a waiting notice may have been amended since the claim.
      const current = db
        .update(s.outbox)
        .set({ status: "sending", attempts, leaseUntil: new Date(clock.now().getTime() + LEASE_MS) })
        .where(eq(s.outbox.id, row.id))
        .returning({ message: s.outbox.message })
        .get()!;
      try {
        const receipt = await adapter.send(to, current.message as unknown as OutboundMessage, row.key);
        db.update(s.outbox)
          .set({ status: "delivered", deliveredAt: clock.now(), leaseUntil: null, platformMessageId: receipt.messageId ?? null, lastError: null })
          .where(eq(s.outbox.id, row.id))
          .run();
      } catch (e) {
        const safeToRetry = e instanceof RetryableDeliveryError || adapter.capabilities.dedupesByKey;
        const status = !safeToRetry ? "uncertain" : attempts >= MAX_ATTEMPTS ? "failed" : "pending";
        logger.warn({ key: row.key, attempts, status, err: (e as Error).message }, "outbox: delivery failed");
        db.update(s.outbox)
          .set({
            status,
            leaseUntil: null,
            lastError: String((e as Error).message).slice(0, 500),
            nextAttemptAt: new Date(clock.now().getTime() + backoffMs(attempts)),
          })
          .where(eq(s.outbox.id, row.id))
          .run();
      }
    }
    return claimed.length;
  }
}
