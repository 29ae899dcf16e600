// The outbox worker: delivers what the outbox holds, one row at a time, through the configured adapters.
//
// A row is claimed in its own immediate transaction with this worker's id and a lease, and marked "sending";
// while the send runs the lease is renewed, so a slow send is never taken over by a second worker or process.
// Every later status change is conditional on still holding the row. A row whose lease ran out (its worker
// died mid-send) is taken back by any running worker: sent again where the platform dedupes by key, otherwise
// marked "uncertain" and reported instead of posted twice. What the adapter throws decides the rest:
// RetryAfter waits without counting an attempt, Unreachable parks the row until the address is reachable,
// PermanentFailure fails it at once. Parked, failed and uncertain rows to partners are reported to the
// organisers of their KPB, once each.
import { createHash, randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { and, asc, eq, inArray, isNotNull, isNull, lte } from "drizzle-orm";
import type { Logger } from "pino";
import type { Clock } from "../domain/clock.ts";
import type { Platform } from "../domain/types.ts";
import type { Db, Tx } from "../db/client.ts";
import { param } from "../db/prepared.ts";
import * as s from "../db/schema.ts";
import type { OutboxRow } from "../db/schema.ts";
import { translate } from "../messages/i18n/catalogue.ts";
import { deliveryReportMessage, type UndeliveredRow } from "../messages/notices.ts";
import { NotPosted, PermanentFailure, RetryAfter, Unreachable, type Address, type ChatAdapter, type DeliveryReceipt, type OutboundMessage } from "../port.ts";
import type { RuntimeSettings } from "../settings.ts";
import { composeRsvpNotice, withCurrentRsvp } from "./compose.ts";
import { invitedAt, invitedContactAddress } from "./recipients.ts";
import { notifyOrganisers } from "./notify.ts";
import { addressedKey, enqueue, type OutboxMessage } from "./outbox.ts";

const MAX_ATTEMPTS = 8;
const DEFAULT_LEASE_MS = 60_000;
const SEND_TIMEOUT_MS = 120_000;
/** An edit waits this long (not counted as an attempt) while the message it edits is not delivered yet. */
const EDIT_WAIT_MS = 30_000;

/** 5 s, 10 s, 20 s … capped at one hour. */
function backoffMs(attempts: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

export interface OutboxWorkerDeps {
  db: Db;
  clock: Clock;
  adapters: ReadonlyMap<Platform, ChatAdapter>;
  logger: Logger;
  /** For the organisers' delivery reports; by default the adapters' platforms and German. */
  settings?: Pick<RuntimeSettings, "platforms" | "defaultLocale">;
  intervalMs: number;
  leaseMs?: number;
  /** Told of every delivery attempt's result (for the operator's metrics). */
  onDelivery?: (platform: Platform, outcome: DeliveryOutcome) => void;
}

/** How one delivery attempt ended. */
export type DeliveryOutcome = "delivered" | "retry_after" | "unreachable" | "failed" | "uncertain" | "retry";

interface Job {
  row: OutboxRow;
  message: OutboxMessage;
  /** For an edit: the platform id of the message it changes. */
  editOf?: string;
}

/**
 * A secret link (a calendar feed's) is not kept once its row is settled, delivered or not: the outbox would
 * otherwise hold it in plain text, and every backup with it.
 */
function forgetLink(row: OutboxRow): Pick<Finish, "message"> {
  if (row.kind !== "link") return {};
  const locale = (row.message as unknown as OutboxMessage).locale;
  return { message: { text: translate(locale, "calendar.linkForgotten"), locale, kind: "link" } };
}

/** Rows to partners that could not be delivered and whose organisers were not told yet. */
const UNREPORTED = and(
  inArray(s.outbox.status, ["parked", "failed", "uncertain"]),
  isNull(s.outbox.reportedAt),
  isNotNull(s.outbox.kpbId),
  isNotNull(s.outbox.contactId),
  eq(s.outbox.operation, "send"),
);

/**
 * The queries every delivery round runs, built and compiled once per worker: a round starts every couple of
 * seconds and after every change, and mostly finds nothing to do; drizzle would otherwise build their SQL each
 * time. `now` in milliseconds.
 */
function roundQueries(db: Db, platforms: Platform[]) {
  const o = s.outbox;
  const ours = inArray(o.platform, platforms);
  return {
    nextDue: db.select().from(o).where(and(eq(o.status, "pending"), lte(o.nextAttemptAt, param("now")), ours)).orderBy(asc(o.id)).limit(1).prepare(),
    leaseRunOut: db.select().from(o).where(and(eq(o.status, "sending"), lte(o.leaseUntil, param("now")), ours)).prepare(),
    anyUnreported: db.select({ id: o.id }).from(o).where(UNREPORTED).limit(1).prepare(),
  };
}

type Finish = Partial<Pick<typeof s.outbox.$inferInsert, "status" | "attempts" | "nextAttemptAt" | "lastError" | "platformMessageId" | "deliveredAt" | "message">>;

export class OutboxWorker {
  /** Who holds a claimed row: this process and this worker. */
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private again = false;
  private stopping = false;
  private readonly leaseMs: number;
  private readonly queries: ReturnType<typeof roundQueries>;
  private readonly settings: Pick<RuntimeSettings, "platforms" | "defaultLocale">;

  constructor(private readonly deps: OutboxWorkerDeps) {
    this.leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
    this.queries = roundQueries(deps.db, [...deps.adapters.keys()]);
    this.settings = deps.settings ?? { platforms: [...deps.adapters.keys()], defaultLocale: "de" };
  }

  start(): void {
    this.stopping = false;
    this.timer = setInterval(() => void this.flush(), this.deps.intervalMs);
    this.timer.unref();
    void this.flush();
  }

  /** Stops taking rows; the send in flight finishes (bounded by the send timeout) and its row is released. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Asks for a delivery round without waiting for it (events kick; only the console waits). */
  kick(): void {
    void this.flush();
  }

  /** Delivers everything due; concurrent calls share one run and trigger one more pass. */
  flush(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.rounds();
    return this.running;
  }

  private async rounds(): Promise<number> {
    // Yield once, so `flush` has recorded this run before it can end (a round with nothing to do ends at once).
    await null;
    let total = 0;
    try {
      do {
        this.again = false;
        for (let job = this.claimNext(); job && !this.stopping; job = this.claimNext()) {
          await this.deliver(job);
          total++;
        }
        // A report just queued goes out in the same run.
        if (this.reportUndelivered() > 0) this.again = true;
      } while (this.again && !this.stopping);
    } catch (e) {
      // The database was busy or broken; the next round tries again and nothing was marked half-way.
      this.deps.logger.error({ err: e }, "outbox: delivery round failed");
    } finally {
      this.running = null;
    }
    return total;
  }

  /** Parked rows to this address go out now (a Teams user installed the app, a Matrix user joined). */
  reachable(to: Address): number {
    const n = this.deps.db
      .update(s.outbox)
      .set({ status: "pending", nextAttemptAt: this.deps.clock.now(), lastError: null, reportedAt: null })
      .where(and(eq(s.outbox.status, "parked"), eq(s.outbox.platform, to.platform), eq(s.outbox.addressKind, to.kind), eq(s.outbox.addressId, to.id)))
      .run().changes;
    if (n > 0) this.kick();
    return n;
  }

  /**
   * Rows whose worker died mid-send (lease run out): sent again where the platform dedupes by key; elsewhere
   * the message may have been posted, so it is marked uncertain. Rows of a platform not configured now are left
   * as they are: whether that platform dedupes is its adapter's to say.
   */
  recoverLeases(): { requeued: number; uncertain: number } {
    return this.deps.db.transaction((tx) => this.recoverExpired(tx, this.deps.clock.now()), { behavior: "immediate" });
  }

  private recoverExpired(tx: Tx, now: Date): { requeued: number; uncertain: number } {
    const counts = { requeued: 0, uncertain: 0 };
    const stale = this.queries.leaseRunOut.all({ now: now.getTime() });
    for (const row of stale) {
      const dedupes = this.deps.adapters.get(row.platform)!.capabilities.dedupesByKey;
      const set = dedupes
        ? { status: "pending" as const, nextAttemptAt: now }
        : { status: "uncertain" as const, lastError: row.lastError ?? "interrupted mid-send", ...forgetLink(row) };
      tx.update(s.outbox)
        .set({ ...set, owner: null, leaseUntil: null })
        .where(and(eq(s.outbox.id, row.id), eq(s.outbox.status, "sending"), lte(s.outbox.leaseUntil, now)))
        .run();
      counts[dedupes ? "requeued" : "uncertain"]++;
      this.deps.logger.warn({ key: row.key, status: set.status }, "outbox: took back an interrupted send");
    }
    return counts;
  }

  /** Claims the next due row, with what to send filled in as of now; null when nothing is due. */
  private claimNext(): Job | null {
    if (this.stopping) return null;
    const { db, clock, adapters } = this.deps;
    if (adapters.size === 0) return null;
    // Look before taking the write lock: most rounds find nothing due.
    const at = { now: clock.now().getTime() };
    if (!this.queries.nextDue.get(at) && this.queries.leaseRunOut.all(at).length === 0) return null;
    return db.transaction(
      (tx) => {
        const now = clock.now();
        this.recoverExpired(tx, now);
        for (;;) {
          const row = this.queries.nextDue.get({ now: now.getTime() });
          if (!row) return null;
          const job = this.prepare(tx, row, now);
          if (!job) continue;
          tx.update(s.outbox)
            .set({
              status: "sending",
              owner: this.id,
              leaseUntil: new Date(now.getTime() + this.leaseMs),
              attempts: row.attempts + 1,
              message: job.message as unknown as Record<string, unknown>,
            })
            .where(eq(s.outbox.id, row.id))
            .run();
          return job;
        }
      },
      { behavior: "immediate" },
    );
  }

  /** What the row sends now; null when the row was settled or postponed instead (it is then no longer due). */
  private prepare(tx: Tx, row: OutboxRow, now: Date): Job | null {
    const settle = (set: Finish) => void tx.update(s.outbox).set(set).where(eq(s.outbox.id, row.id)).run();
    const message = row.message as unknown as OutboxMessage;
    // To a contact about a conference, a message goes where the contact stands when it is sent: nowhere once the KPB
    // removed them (nothing new reaches them, nor a predecessor's id); to their new address when it was corrected or
    // their channel changed. An edit changes what an address was sent while it is an invitee's (for that agency).
    if (row.conferenceId !== null && row.contactId !== null) {
      if (row.operation === "edit") {
        if (!invitedAt(tx, row.conferenceId, { platform: row.platform, id: row.addressId }, message.rsvp?.partnerAgencyId)) return settle({ status: "superseded" }), null;
      } else {
        const route = invitedContactAddress(tx, row.conferenceId, row.contactId, this.settings.platforms);
        if (!route || route.platform !== row.platform || route.id !== row.addressId) {
          settle({ status: "superseded" });
          if (route) enqueue(tx, { key: addressedKey(`${row.key}:readdressed`, route), to: route, message, kpbId: row.kpbId, conferenceId: row.conferenceId, contactId: row.contactId }, now);
          return null;
        }
      }
    }
    if (row.operation === "edit") {
      const adapter = this.deps.adapters.get(row.platform)!;
      const target = row.targetId === null ? undefined : tx.select().from(s.outbox).where(eq(s.outbox.id, row.targetId)).get();
      if (!adapter.capabilities.edits || !adapter.edit || !target) return settle({ status: "superseded" }), null;
      if (target.status !== "delivered" || !target.platformMessageId) {
        if (["pending", "sending", "parked"].includes(target.status)) return settle({ nextAttemptAt: new Date(now.getTime() + EDIT_WAIT_MS) }), null;
        return settle({ status: "superseded" }), null;
      }
      return { row, message: withCurrentRsvp(tx, target.message as unknown as OutboxMessage, now), editOf: target.platformMessageId };
    }
    if (message.compose === "rsvp-notice") {
      const { message: notice, upTo } = composeRsvpNotice(tx, row);
      if (!notice) return settle({ status: "superseded", message: { ...message, upTo } as unknown as Record<string, unknown> }), null;
      return { row, message: notice };
    }
    return { row, message: withCurrentRsvp(tx, message, now) };
  }

  private async deliver(job: Job): Promise<void> {
    const { clock, logger } = this.deps;
    const { row } = job;
    const adapter = this.deps.adapters.get(row.platform)!;
    const to = { platform: row.platform, kind: row.addressKind, id: row.addressId } as Address;
    const attempts = row.attempts + 1;
    // The lease is renewed while the send runs: a slow platform must not let a second worker send the row again.
    const heartbeat = setInterval(() => this.renewLease(row.id), Math.max(50, Math.floor(this.leaseMs / 3)));
    heartbeat.unref();
    try {
      const receipt = await this.withTimeout(
        job.editOf !== undefined ? adapter.edit!(to, job.editOf, job.message, row.key).then((): DeliveryReceipt => ({})) : adapter.send(to, job.message, row.key),
      );
      const forget = forgetLink(row);
      // Once the platform took an edit, the copy itself says what the edit says, for anyone who reads it back
      // (the console's history, the card a Teams button was pressed on); a failed edit leaves it as shown.
      const editedCopy = job.editOf !== undefined && row.targetId !== null ? { id: row.targetId, message: job.message } : undefined;
      this.finish(row, { status: "delivered", deliveredAt: clock.now(), lastError: null, platformMessageId: job.editOf === undefined ? (receipt.messageId ?? null) : null, ...forget }, editedCopy);
      this.deps.onDelivery?.(row.platform, "delivered");
    } catch (e) {
      const error = String((e as Error)?.message ?? e).slice(0, 500);
      const now = clock.now().getTime();
      let set: Finish;
      if (e instanceof RetryAfter) set = { status: "pending", attempts: row.attempts, nextAttemptAt: new Date(now + Math.max(0, e.ms)), lastError: error };
      else if (e instanceof Unreachable) set = { status: "parked", lastError: error };
      else if (e instanceof PermanentFailure) set = { status: "failed", lastError: error };
      else if (e instanceof NotPosted || adapter.capabilities.dedupesByKey)
        set = attempts >= MAX_ATTEMPTS ? { status: "failed", lastError: error } : { status: "pending", nextAttemptAt: new Date(now + backoffMs(attempts)), lastError: error };
      else set = { status: "uncertain", lastError: error };
      // A secret link does not wait in the outbox for its reader to become reachable.
      if (row.kind === "link" && set.status === "parked") set = { status: "failed", lastError: error };
      if (set.status !== "pending") set = { ...set, ...forgetLink(row) };
      logger.warn({ key: row.key, platform: row.platform, attempts, status: set.status, err: error }, "outbox: delivery did not succeed");
      this.finish(row, set);
      const outcome: DeliveryOutcome =
        e instanceof RetryAfter ? "retry_after" : set.status === "parked" ? "unreachable" : set.status === "pending" ? "retry" : (set.status as "failed" | "uncertain");
      this.deps.onDelivery?.(row.platform, outcome);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private withTimeout<T>(p: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from the platform within ${SEND_TIMEOUT_MS} ms`)), SEND_TIMEOUT_MS);
      timer.unref();
    });
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
  }

  private renewLease(id: number): void {
    try {
      this.deps.db
        .update(s.outbox)
        .set({ leaseUntil: new Date(this.deps.clock.now().getTime() + this.leaseMs) })
        .where(and(eq(s.outbox.id, id), eq(s.outbox.owner, this.id), eq(s.outbox.status, "sending")))
        .run();
    } catch (e) {
      this.deps.logger.warn({ err: e }, "outbox: could not renew a lease");
    }
  }

  /** Settles a row this worker still holds; a row taken over meanwhile is left to its new holder. */
  private finish(row: OutboxRow, set: Finish, editedCopy?: { id: number; message: OutboundMessage }): void {
    const changed = this.deps.db.transaction((tx) => {
      const n = tx
        .update(s.outbox)
        .set({ ...set, owner: null, leaseUntil: null })
        .where(and(eq(s.outbox.id, row.id), eq(s.outbox.owner, this.id), eq(s.outbox.status, "sending")))
        .run().changes;
      if (n > 0 && editedCopy) tx.update(s.outbox).set({ message: editedCopy.message as unknown as Record<string, unknown> }).where(eq(s.outbox.id, editedCopy.id)).run();
      return n;
    });
    if (changed === 0) this.deps.logger.error({ key: row.key, wanted: set.status }, "outbox: lost the row while sending it; its new holder decides");
  }

  /**
   * Tells each KPB's organisers, once per row and in one notice per round, which messages to partners were
   * parked, refused or left uncertain, and what to do about each.
   */
  private reportUndelivered(): number {
    const { db, clock } = this.deps;
    const settings = this.settings;
    // Every round ends here: look before taking the write lock, which a round with nothing to report never needs.
    if (!this.queries.anyUnreported.get()) return 0;
    return db.transaction(
      (tx) => {
        const rows = tx
          .select({ row: s.outbox, contactName: s.contacts.name, partnerName: s.partnerAgencies.name, conference: { id: s.conferences.id, number: s.conferences.number, track: s.conferences.track } })
          .from(s.outbox)
          .innerJoin(s.contacts, eq(s.contacts.id, s.outbox.contactId))
          .innerJoin(s.partnerAgencies, eq(s.partnerAgencies.id, s.contacts.partnerAgencyId))
          .leftJoin(s.conferences, eq(s.conferences.id, s.outbox.conferenceId))
          .where(UNREPORTED)
          .orderBy(asc(s.outbox.id))
          .all();
        if (rows.length === 0) return 0;
        const now = clock.now();
        let queued = 0;
        const byKpb = new Map<number, typeof rows>();
        for (const r of rows) byKpb.set(r.row.kpbId!, [...(byKpb.get(r.row.kpbId!) ?? []), r]);
        for (const [kpbId, list] of byKpb) {
          const undelivered: UndeliveredRow[] = list.map((r) => ({
            contactName: r.contactName,
            partnerName: r.partnerName,
            platform: r.row.platform,
            status: r.row.status as UndeliveredRow["status"],
            kind: r.row.kind,
            lastError: r.row.lastError,
            conference: r.conference?.id ? r.conference : null,
          }));
          const round = createHash("sha256").update(list.map((r) => `${r.row.id}:${r.row.status}`).join(",")).digest("hex").slice(0, 16);
          queued += notifyOrganisers({ tx, clock, settings }, kpbId, `delivery-report:kpb=${kpbId}:${round}`, (_t, locale) => deliveryReportMessage(locale, undelivered));
        }
        tx.update(s.outbox)
          .set({ reportedAt: now })
          .where(inArray(s.outbox.id, rows.map((r) => r.row.id)))
          .run();
        return queued;
      },
      { behavior: "immediate" },
    );
  }
}
