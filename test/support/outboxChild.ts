// A bot process reduced to its outbox, for the crash test: `queue <n>` writes n invitations in one transaction;
// `deliver [die-after <k>]` recovers leases and delivers to a "platform" (a file of posted keys that drops a
// key it already has, like Matrix's txnId). With die-after, the process SIGKILLs itself inside the k-th send,
// right after the platform accepted the message and before the outbox could mark it delivered.
// `race <sendMs> <leaseMs>`: a worker whose every send takes longer than its lease, posting to a file that
// keeps every post (a second post of a row would show), until no row is left to send.
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import pino from "pino";
import { inArray } from "drizzle-orm";
import { openDatabase } from "../../src/db/client.ts";
import * as s from "../../src/db/schema.ts";
import { systemClock } from "../../src/domain/clock.ts";
import { enqueue } from "../../src/delivery/outbox.ts";
import { OutboxWorker } from "../../src/delivery/worker.ts";
import type { ChatAdapter } from "../../src/port.ts";

const [dbPath, postedFile, mode, ...rest] = process.argv.slice(2);

/** A platform that says it dedupes by key, as Matrix does; `post` is what happens on it. */
function matrixLike(post: (key: string) => Promise<void>): ChatAdapter {
  return {
    platform: "matrix",
    capabilities: { buttons: true, files: true, edits: false, answerGesture: "button", dedupesByKey: true },
    async start() {},
    async stop() {},
    async send(_to, _msg, key) {
      await post(key);
      return { messageId: key };
    },
  };
}
const { db } = openDatabase(dbPath!);

if (mode === "queue") {
  const n = Number(rest[0]);
  db.transaction((tx) => {
    for (let i = 1; i <= n; i++)
      enqueue(tx, { key: `invite:conf=1:contact=${i}`, to: { platform: "matrix", kind: "user", id: `@p${i}:example.org` }, message: { text: "Einladung", locale: "de" } }, new Date());
  });
} else if (mode === "race") {
  const [sendMs = 0, leaseMs = 60_000] = rest.map(Number);
  const platform = matrixLike(async (key) => {
    await new Promise((r) => setTimeout(r, sendMs));
    appendFileSync(postedFile!, `${key} ${process.pid}\n`);
  });
  const worker = new OutboxWorker({ db, clock: systemClock, adapters: new Map([["matrix", platform]]), logger: pino({ level: "silent" }), intervalMs: 60_000, leaseMs });
  const open = () => db.select().from(s.outbox).where(inArray(s.outbox.status, ["pending", "sending"])).all().length;
  // The other process may hold rows; wait for them too, since a lease it failed to renew would come back here.
  const giveUp = Date.now() + 15_000;
  while (open() > 0 && Date.now() < giveUp) {
    await worker.flush();
    await new Promise((r) => setTimeout(r, leaseMs / 2));
  }
} else {
  const dieAfter = rest[0] === "die-after" ? Number(rest[1]) : Infinity;
  let sends = 0;
  const platform = matrixLike(async (key) => {
    const posted = existsSync(postedFile!) ? readFileSync(postedFile!, "utf8").split("\n") : [];
    if (!posted.includes(key)) appendFileSync(postedFile!, key + "\n");
    if (++sends === dieAfter) process.kill(process.pid, "SIGKILL");
  });
  // The lease of a killed process must have run out for the next one to take its rows over.
  const clock = { now: () => new Date(systemClock.now().getTime() + (rest.includes("later") ? 10 * 60_000 : 0)) };
  const worker = new OutboxWorker({ db, clock, adapters: new Map([["matrix", platform]]), logger: pino({ level: "silent" }), intervalMs: 60_000 });
  worker.recoverLeases();
  await worker.flush();
}
