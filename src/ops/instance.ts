// Which bot processes work on a database file: each registers in the meta table and renews a heartbeat, so
// a second instance is noticed at start (the outbox and the sweep take turns safely, but an operator should
// know), and `npm run restore` refuses while one is running.
import { hostname } from "node:os";
import { and, eq, like } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import * as s from "../db/schema.ts";

export interface InstanceInfo {
  id: string;
  pid: number;
  host: string;
  version: string;
  startedAt: string;
  heartbeatAt: string;
}

const PREFIX = "instance:";
const HEARTBEAT_MS = 10_000;
/** A heartbeat older than this is a process that died without saying goodbye. */
const STALE_MS = 3 * HEARTBEAT_MS;

/** The instances whose heartbeat is recent, other than `except`. */
export function liveInstances(db: Db, now: Date, except?: string): InstanceInfo[] {
  return db
    .select()
    .from(s.meta)
    .where(like(s.meta.key, `${PREFIX}%`))
    .all()
    .map((r) => JSON.parse(r.value) as InstanceInfo)
    .filter((i) => i.id !== except && now.getTime() - Date.parse(i.heartbeatAt) < STALE_MS);
}

export class InstanceRegistration {
  readonly info: InstanceInfo;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    version: string,
  ) {
    // Wall-clock time throughout, not a simulated clock: other processes compare heartbeats with their own.
    const now = new Date().toISOString();
    this.info = { id: `${hostname()}:${process.pid}:${now}`, pid: process.pid, host: hostname(), version, startedAt: now, heartbeatAt: now };
  }

  /** Registers this process and returns the others that are alive. */
  register(): InstanceInfo[] {
    const others = liveInstances(this.db, new Date(), this.info.id);
    this.beat();
    this.timer = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.timer.unref();
    return others;
  }

  deregister(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.db.delete(s.meta).where(and(eq(s.meta.key, PREFIX + this.info.id))).run();
  }

  private beat(): void {
    const value = JSON.stringify({ ...this.info, heartbeatAt: new Date().toISOString() });
    this.db.insert(s.meta).values({ key: PREFIX + this.info.id, value }).onConflictDoUpdate({ target: s.meta.key, set: { value } }).run();
  }
}
