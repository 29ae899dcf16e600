// What the core offers each adapter (the AdapterHost of src/port.ts): its own slice of the database as a
// key-value store, its delivered messages, and the outbox's "reachable now" and "idle" signals. The adapter
// never sees the database itself.
import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Logger } from "pino";
import type { Clock } from "../domain/clock.ts";
import type { Platform } from "../domain/types.ts";
import type { Db } from "../db/client.ts";
import * as s from "../db/schema.ts";
import type { Address, AdapterHost, AdapterState, DeliveredMessage, HttpHandler, OutboundMessage } from "../port.ts";
import { withCurrentRsvp, withdrawn } from "./compose.ts";
import { invitedAt } from "./recipients.ts";
import type { OutboxWorker } from "./worker.ts";

export interface HostDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  publicUrl: string;
  worker: OutboxWorker;
  mount(path: string, handler: HttpHandler): void;
}

/** The adapter's key-value store: rows of `adapter_state` for its platform, read and written synchronously. */
export function adapterState(db: Db, clock: Clock, platform: Platform): AdapterState {
  const t = s.adapterState;
  const mine = (key: string) => and(eq(t.platform, platform), eq(t.key, key));
  return {
    get: (key) => db.select({ value: t.value }).from(t).where(mine(key)).get()?.value,
    set: (key, value) =>
      void db
        .insert(t)
        .values({ platform, key, value, updatedAt: clock.now() })
        .onConflictDoUpdate({ target: [t.platform, t.key], set: { value, updatedAt: clock.now() } })
        .run(),
    delete: (key) => void db.delete(t).where(mine(key)).run(),
    entries: (prefix = "") =>
      db
        .select({ key: t.key, value: t.value })
        .from(t)
        .where(and(eq(t.platform, platform), sql`substr(${t.key}, 1, ${prefix.length}) = ${prefix}`))
        .orderBy(asc(t.key))
        .all()
        .map((r): [string, string] => [r.key, r.value]),
  };
}

const deliveredColumns = { message: s.outbox.message, at: s.outbox.deliveredAt, messageId: s.outbox.platformMessageId };

/** Messages sent (not edits) to the address on the platform and delivered. */
function deliveredTo(platform: Platform, to: Address) {
  return and(eq(s.outbox.platform, platform), eq(s.outbox.addressKind, to.kind), eq(s.outbox.addressId, to.id), eq(s.outbox.status, "delivered"), eq(s.outbox.operation, "send"));
}

function deliveredMessage(r: { message: unknown; at: Date | null; messageId: string | null }): DeliveredMessage {
  return { message: r.message as OutboundMessage, at: r.at!, messageId: r.messageId };
}

export function createAdapterHost(platform: Platform, deps: HostDeps): AdapterHost {
  const { db, clock, worker } = deps;
  return {
    state: adapterState(db, clock, platform),
    logger: deps.logger.child({ adapter: platform }),
    clock,
    publicUrl: deps.publicUrl,
    mount: deps.mount,
    reachable: (to) => void worker.reachable(to),
    delivered(to, limit = 50): DeliveredMessage[] {
      return db.select(deliveredColumns).from(s.outbox).where(deliveredTo(platform, to)).orderBy(desc(s.outbox.id)).limit(limit).all().reverse().map(deliveredMessage);
    },
    deliveredMessage(to, messageId): DeliveredMessage | undefined {
      const row = db
        .select({ ...deliveredColumns, conferenceId: s.outbox.conferenceId, contactId: s.outbox.contactId })
        .from(s.outbox)
        .where(and(deliveredTo(platform, to), eq(s.outbox.platformMessageId, messageId)))
        .get();
      if (!row) return undefined;
      const found = deliveredMessage(row);
      // An address no longer an invitee's sees what it was sent, without answers, and nothing newer.
      if (row.conferenceId !== null && row.contactId !== null && !invitedAt(db, row.conferenceId, to, found.message.rsvp?.partnerAgencyId))
        return { ...found, message: withdrawn(found.message) };
      // As it reads now, also where an edit saying so has not gone out yet.
      return { ...found, message: withCurrentRsvp(db, found.message, clock.now()) };
    },
    invited: (to, conferenceId) => invitedAt(db, conferenceId, to),
    outboxIdle: () => worker.flush().then(() => undefined),
  };
}
