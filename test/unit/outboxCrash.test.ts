// The outbox across a crash: the process dies after the commit (nothing sent yet) or in the middle of a send
// (the platform may have posted it). After a restart on the same SQLite file every message arrives exactly
// once where the platform dedupes by key (Matrix txnId), and is never posted twice where it does not (Teams).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type OpenDb } from "../../src/db/client.ts";
import * as s from "../../src/db/schema.ts";
import { ManualClock } from "../../src/domain/clock.ts";
import { enqueue } from "../../src/delivery/outbox.ts";
import { OutboxWorker } from "../../src/delivery/worker.ts";
import type { Address, ChatAdapter, DeliveryReceipt, OutboundMessage } from "../../src/port.ts";

/** The chat platform: it outlives the bot's process, and remembers what was posted. */
class Platform {
  posted: string[] = [];
  constructor(readonly dedupesByKey: boolean) {}
  post(key: string): void {
    if (this.dedupesByKey && this.posted.includes(key)) return;
    this.posted.push(key);
  }
}

/** The bot's side of the platform; `dieOn` makes the process die during that send, before or after posting. */
function adapter(platform: Platform, dieOn?: { key: string; afterPosting: boolean }): ChatAdapter {
  return {
    platform: "matrix",
    capabilities: { buttons: true, files: true, edits: false, answerGesture: "button", dedupesByKey: platform.dedupesByKey },
    async start() {},
    async stop() {},
    send(_to: Address, _msg: OutboundMessage, key: string): Promise<DeliveryReceipt> {
      if (dieOn?.key === key) {
        if (dieOn.afterPosting) platform.post(key);
        return new Promise(() => {}); // the process is gone: this send never returns, nothing is marked
      }
      platform.post(key);
      return Promise.resolve({ messageId: key });
    },
  };
}

const dirs: string[] = [];
const handles: OpenDb[] = [];
afterEach(() => {
  handles.splice(0).forEach((h) => h.close());
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function freshFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "siko-outbox-"));
  dirs.push(dir);
  return join(dir, "siko.db");
}

/** A "process": its own connection to the file, its own worker. */
function boot(file: string, clock: ManualClock, chat: ChatAdapter): { db: OpenDb; worker: OutboxWorker } {
  const db = openDatabase(file);
  handles.push(db);
  const worker = new OutboxWorker({ db: db.db, clock, adapters: new Map([["matrix", chat]]), logger: pino({ level: "silent" }), intervalMs: 60_000 });
  return { db, worker };
}

function queueInvitations(db: OpenDb, clock: ManualClock, n: number): string[] {
  const keys = Array.from({ length: n }, (_, i) => `invite:conf=1:seq=0:contact=${i + 1}:matrix`);
  db.db.transaction((tx) => {
    for (const key of keys)
      enqueue(tx, { key, to: { platform: "matrix", kind: "user", id: `@p${key.length}:example.org` }, message: { text: "Einladung", locale: "de" } }, clock.now());
  });
  return keys;
}

/** Waits until the dying process has marked `key` as being sent (its send never returns). */
async function inFlight(db: OpenDb, key: string): Promise<void> {
  for (let i = 0; i < 500 && statuses(db)[key] !== "sending"; i++) await new Promise((r) => setTimeout(r, 10));
  expect(statuses(db)[key]).toBe("sending");
}

function statuses(db: OpenDb): Record<string, string> {
  return Object.fromEntries(db.db.select().from(s.outbox).all().map((r) => [r.key, r.status]));
}

describe("outbox across a crash", () => {
  it("delivers everything once when the process died between commit and send", async () => {
    const file = freshFile();
    const clock = new ManualClock(new Date("2027-02-01T09:00:00Z"));
    const chat = new Platform(true);
    const first = boot(file, clock, adapter(chat));
    const keys = queueInvitations(first.db, clock, 5);
    first.db.close(); // the process dies right after the commit; the worker never ran
    handles.pop();

    const second = boot(file, clock, adapter(chat));
    second.worker.recoverLeases();
    await second.worker.flush();
    expect([...chat.posted].sort()).toEqual([...keys].sort());
    expect(Object.values(statuses(second.db)).every((st) => st === "delivered")).toBe(true);
  });

  it("resends the message that was in flight exactly once where the platform dedupes by key", async () => {
    const file = freshFile();
    const clock = new ManualClock(new Date("2027-02-01T09:00:00Z"));
    const chat = new Platform(true);
    const setup = boot(file, clock, adapter(chat));
    const keys = queueInvitations(setup.db, clock, 5);
    // The third send posts the message and the process dies before marking it delivered.
    const first = boot(file, clock, adapter(chat, { key: keys[2]!, afterPosting: true }));
    void first.worker.flush();
    await inFlight(first.db, keys[2]!);
    expect(statuses(first.db)[keys[2]!]).toBe("sending");

    clock.advance(5 * 60_000); // the restart comes after the lease ran out
    const second = boot(file, clock, adapter(chat));
    expect(second.worker.recoverLeases()).toEqual({ requeued: 1, uncertain: 0 });
    await second.worker.flush();
    expect([...chat.posted].sort()).toEqual([...keys].sort()); // each once: the resend carried the same key
    expect(Object.values(statuses(second.db)).every((st) => st === "delivered")).toBe(true);
  });

  it("sends the message that died before posting after the restart", async () => {
    const file = freshFile();
    const clock = new ManualClock(new Date("2027-02-01T09:00:00Z"));
    const chat = new Platform(true);
    const setup = boot(file, clock, adapter(chat));
    const keys = queueInvitations(setup.db, clock, 3);
    const first = boot(file, clock, adapter(chat, { key: keys[0]!, afterPosting: false }));
    void first.worker.flush();
    await inFlight(first.db, keys[0]!);
    expect(chat.posted).toEqual([]);

    clock.advance(5 * 60_000);
    const second = boot(file, clock, adapter(chat));
    second.worker.recoverLeases();
    await second.worker.flush();
    expect([...chat.posted].sort()).toEqual([...keys].sort());
  });

  it("does not post twice where the platform cannot dedupe: the in-flight message is marked uncertain", async () => {
    const file = freshFile();
    const clock = new ManualClock(new Date("2027-02-01T09:00:00Z"));
    const chat = new Platform(false);
    const setup = boot(file, clock, adapter(chat));
    const keys = queueInvitations(setup.db, clock, 3);
    const first = boot(file, clock, adapter(chat, { key: keys[1]!, afterPosting: true }));
    void first.worker.flush();
    await inFlight(first.db, keys[1]!);

    clock.advance(5 * 60_000);
    const second = boot(file, clock, adapter(chat));
    expect(second.worker.recoverLeases()).toEqual({ requeued: 0, uncertain: 1 });
    await second.worker.flush();
    expect([...chat.posted].sort()).toEqual([...keys].sort());
    expect(statuses(second.db)[keys[1]!]).toBe("uncertain");
  });

  it("a lease still running at restart is left to its owner, not taken over", async () => {
    const file = freshFile();
    const clock = new ManualClock(new Date("2027-02-01T09:00:00Z"));
    const chat = new Platform(true);
    const setup = boot(file, clock, adapter(chat));
    const keys = queueInvitations(setup.db, clock, 1);
    const first = boot(file, clock, adapter(chat, { key: keys[0]!, afterPosting: false }));
    void first.worker.flush();
    await inFlight(first.db, keys[0]!);
    const second = boot(file, clock, adapter(chat));
    expect(second.worker.recoverLeases()).toEqual({ requeued: 0, uncertain: 0 });
    await second.worker.flush();
    expect(chat.posted).toEqual([]);
  });

  it("retries a failed send with backoff and gives up after the last attempt", async () => {
    const file = freshFile();
    const clock = new ManualClock(new Date("2027-02-01T09:00:00Z"));
    let calls = 0;
    const failing: ChatAdapter = {
      ...adapter(new Platform(true)),
      async send() {
        calls++;
        throw new Error("homeserver unavailable");
      },
    };
    const { db, worker } = boot(file, clock, failing);
    const [key] = queueInvitations(db, clock, 1);
    await worker.flush();
    expect(calls).toBe(1);
    await worker.flush(); // not due yet: backoff
    expect(calls).toBe(1);
    for (let i = 0; i < 20; i++) {
      clock.advance(3_600_000);
      await worker.flush();
    }
    expect(calls).toBe(8);
    const row = db.db.select().from(s.outbox).all()[0]!;
    expect([row.key, row.status, row.lastError]).toEqual([key, "failed", "homeserver unavailable"]);
  });
});

describe("outbox across a real process kill", () => {
  it("a process SIGKILLed inside a send: after the restart every message was posted exactly once", async () => {
    const { spawnSync } = await import("node:child_process");
    const { readFileSync } = await import("node:fs");
    const file = freshFile();
    const posted = `${file}.posted`;
    const child = (...args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", "test/support/outboxChild.ts", file, posted, ...args], { encoding: "utf8", timeout: 20_000 });
    expect(child("queue", "5").status).toBe(0);
    const killed = child("deliver", "die-after", "3");
    expect(killed.signal).toBe("SIGKILL");
    expect(readFileSync(posted, "utf8").trim().split("\n")).toHaveLength(3);

    const restarted = child("deliver", "later");
    expect(restarted.status).toBe(0);
    const keys = readFileSync(posted, "utf8").trim().split("\n");
    expect(keys.sort()).toEqual([1, 2, 3, 4, 5].map((i) => `invite:conf=1:contact=${i}`).sort());
    const db = openDatabase(file);
    handles.push(db);
    expect(Object.values(statuses(db))).toEqual(["delivered", "delivered", "delivered", "delivered", "delivered"]);
  });
});

describe("two processes on one file, sends slower than the lease", () => {
  it("every row is posted exactly once: a worker keeps the row it is still sending", async () => {
    const { spawn, spawnSync } = await import("node:child_process");
    const { readFileSync } = await import("node:fs");
    const file = freshFile();
    const posted = `${file}.posted`;
    const args = (...a: string[]) => ["--import", "tsx", "test/support/outboxChild.ts", file, posted, ...a];
    expect(spawnSync(process.execPath, args("queue", "6"), { encoding: "utf8", timeout: 20_000 }).status).toBe(0);
    // Each send takes 900 ms against a lease of 300 ms: without renewing it, the other process would take the row over.
    const run = () =>
      new Promise<number | null>((resolve, reject) => {
        const child = spawn(process.execPath, args("race", "900", "300"), { stdio: "ignore" });
        child.on("error", reject);
        child.on("exit", (code) => resolve(code));
      });
    expect(await Promise.all([run(), run()])).toEqual([0, 0]);
    const lines = readFileSync(posted, "utf8").trim().split("\n");
    const keys = lines.map((l) => l.split(" ")[0]);
    expect(keys.sort()).toEqual([1, 2, 3, 4, 5, 6].map((i) => `invite:conf=1:contact=${i}`).sort());
    // Both processes took part.
    expect(new Set(lines.map((l) => l.split(" ")[1])).size).toBe(2);
    const db = openDatabase(file);
    handles.push(db);
    expect(Object.values(statuses(db))).toEqual(Array(6).fill("delivered"));
  });
});
