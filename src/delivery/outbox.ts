// The outbox: every message the bot sends on its own is a row written in the same transaction as the change
// that caused it, and delivered afterwards by the worker (./worker.ts). This file writes rows; it never sends.
import { and, eq, inArray } from "drizzle-orm";
import type { Tx } from "../db/client.ts";
import { param, preparedQuery } from "../db/prepared.ts";
import * as s from "../db/schema.ts";
import type { Platform } from "../domain/types.ts";
import type { Address, MessageKind, OutboundMessage } from "../port.ts";

/**
 * A message as the outbox keeps it. `compose` names a message that is written only when it is delivered (the
 * organisers' answer notice, built from the answers since the previous one); `upTo` is what it covered then.
 */
export type OutboxMessage = OutboundMessage & { compose?: "rsvp-notice"; upTo?: number };

export interface OutboxItem {
  /** Unique and deterministic for what it stands for, so a second enqueue of the same thing is a no-op. */
  key: string;
  to: Address;
  message: OutboxMessage;
  /** What the row is about: status per contact, reports to the KPB's organisers, edits of delivered copies. */
  kpbId?: number | null;
  conferenceId?: number | null;
  contactId?: number | null;
  /** Not before this instant (the answer notice waits for more answers). */
  notBefore?: Date;
}

/**
 * The key of one message to one address: `${base}:${platform}:${id}` for people, `…:room:${id}` for rooms,
 * because on the console a room and a person can share a name (the demo's "konsole").
 */
export function addressedKey(base: string, to: Address): string {
  return to.kind === "room" ? `${base}:${to.platform}:room:${to.id}` : `${base}:${to.platform}:${to.id}`;
}

function rowOf(item: OutboxItem, now: Date) {
  return {
    key: item.key,
    kind: item.message.kind ?? "message",
    platform: item.to.platform,
    addressKind: item.to.kind,
    addressId: item.to.id,
    kpbId: item.kpbId ?? null,
    conferenceId: item.conferenceId ?? null,
    contactId: item.contactId ?? null,
    message: item.message as unknown as Record<string, unknown>,
    status: "pending" as const,
    nextAttemptAt: item.notBefore ?? now,
    createdAt: now,
  };
}

/** Adds the item unless one with the same key exists; returns whether it was added. */
export function enqueue(tx: Tx, item: OutboxItem, now: Date): boolean {
  return insertOne(tx).run(paramsOf([rowOf(item, now)])).changes > 0;
}

const BATCH_ROWS = 400;

/**
 * enqueue() for many items: the same rows and the same insert-or-ignore on the unique key, written in
 * multi-row statements (a statement per row made a busy sweep hold the write lock for half a minute), each
 * built once: a full batch of BATCH_ROWS, and single rows for the rest. Returns how many rows were new.
 */
export function enqueueAll(tx: Tx, items: readonly OutboxItem[], now: Date): number {
  let added = 0;
  let i = 0;
  for (; i + BATCH_ROWS <= items.length; i += BATCH_ROWS) added += insertBatch(tx).run(paramsOf(items.slice(i, i + BATCH_ROWS).map((item) => rowOf(item, now)))).changes;
  for (; i < items.length; i++) added += enqueue(tx, items[i]!, now) ? 1 : 0;
  return added;
}

type Row = ReturnType<typeof rowOf>;
/** The columns rowOf fills, each a placeholder `${field}_${row}` in the prepared inserts. */
const ROW_FIELDS = Object.keys(rowOf({ key: "", to: { platform: "console", kind: "user", id: "" }, message: { text: "", locale: "de" } }, new Date(0))) as Array<keyof Row>;

function paramsOf(rows: readonly Row[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  rows.forEach((row, i) => {
    for (const field of ROW_FIELDS) values[`${field}_${i}`] = row[field];
  });
  return values;
}

/** The insert-or-ignore of `rows` outbox rows, prepared once per connection. */
const insertRows = (rows: number) =>
  preparedQuery((db) =>
    db
      .insert(s.outbox)
      .values(Array.from({ length: rows }, (_, i) => Object.fromEntries(ROW_FIELDS.map((field) => [field, param(`${field}_${i}`)])) as unknown as typeof s.outbox.$inferInsert))
      .onConflictDoNothing()
      .prepare(),
  );
const insertOne = insertRows(1);
const insertBatch = insertRows(BATCH_ROWS);

/**
 * The contact's rows parked as unreachable go out again once their address changed (an organiser corrected the
 * id, chose another channel): the worker sends each where the contact is reached now.
 */
export function retryParkedOf(tx: Tx, contactId: number, now: Date): number {
  return tx
    .update(s.outbox)
    .set({ status: "pending", nextAttemptAt: now, lastError: null, reportedAt: null })
    .where(and(eq(s.outbox.status, "parked"), eq(s.outbox.contactId, contactId)))
    .run().changes;
}

/** The kinds of message that carry a conference's answer controls, and so show the agency's current answer. */
const RSVP_KINDS: readonly MessageKind[] = ["invitation", "update", "reminder"];

/**
 * Queues an edit of every copy of a conference's answer messages already delivered (or being delivered) to
 * these contacts on platforms that can edit, so each shows the state of now: the agency's answer, or that the conference moved, was
 * cancelled or changed place. Copies not yet sent need none: the worker refreshes that state when it sends; nor do
 * copies to someone no longer invited there, whose edits the worker drops (invitedAt). `reason` makes the
 * keys unique per change (an rsvp_log id, a sequence). A newer edit of the same copy supersedes an older one
 * that has not gone out yet.
 */
export function queueEditsOfDelivered(
  tx: Tx,
  platforms: readonly Platform[],
  conferenceId: number,
  contactIds: readonly number[] | "all",
  reason: string,
  now: Date,
  /** Only copies for which the change shows (a new place shows on messages that named one). */
  shows: (message: OutboxMessage) => boolean = () => true,
): number {
  if (platforms.length === 0) return 0;
  const copies = tx
    .select()
    .from(s.outbox)
    .where(
      and(
        eq(s.outbox.conferenceId, conferenceId),
        eq(s.outbox.operation, "send"),
        inArray(s.outbox.platform, [...platforms]),
        inArray(s.outbox.kind, [...RSVP_KINDS]),
        inArray(s.outbox.status, ["sending", "delivered"]),
        contactIds === "all" ? undefined : inArray(s.outbox.contactId, [...contactIds]),
      ),
    )
    .all();
  let queued = 0;
  for (const copy of copies) {
    if (!shows(copy.message as unknown as OutboxMessage)) continue;
    tx.update(s.outbox)
      .set({ status: "superseded" })
      .where(and(eq(s.outbox.targetId, copy.id), eq(s.outbox.operation, "edit"), eq(s.outbox.status, "pending")))
      .run();
    const added = tx
      .insert(s.outbox)
      .values({
        ...rowOf({ key: `edit:${copy.id}:${reason}`, to: { platform: copy.platform, kind: copy.addressKind, id: copy.addressId } as Address, message: copy.message as unknown as OutboxMessage, kpbId: copy.kpbId, conferenceId: copy.conferenceId, contactId: copy.contactId }, now),
        operation: "edit" as const,
        targetId: copy.id,
        kind: copy.kind,
      })
      .onConflictDoNothing()
      .run().changes;
    queued += added;
  }
  return queued;
}
