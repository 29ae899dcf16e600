// A bot process reduced to its outbox, for the crash test: `queue <n>` writes n invitations in one transaction;
// `deliver [die-after <k>]` recovers leases and delivers to a "platform" (a file of posted keys that drops a
// key it already has, like Matrix's txnId). With die-after, the process SIGKILLs itself inside the k-th send,
// right after the platform accepted the message and before the outbox could mark it delivered.
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import pino from "pino";
import { openDatabase } from "../../src/db/client.ts";
import { systemClock } from "../../src/domain/clock.ts";
import { enqueue } from "../../src/delivery/outbox.ts";
import { OutboxWorker } from "../../src/delivery/worker.ts";
import type { ChatAdapter } from "../../src/port.ts";

const [dbPath, postedFile, mode, ...rest] = process.argv.slice(2);
const { db } = openDatabase(dbPath!);

if (mode === "queue") {
  const n = Number(rest[0]);
  db.transaction((tx) => {
    for (let i = 1; i <= n; i++)
      enqueue(tx, { key: `invite:conf=1:contact=${i}`, to: { platform: "matrix", kind: "user", id: `@p${i}:example.org` }, message: { text: "Einladung", locale: "de" } }, new Date());
  });
} else {
  const dieAfter = rest[0] === "die-after" ? Number(rest[1]) : Infinity;
  let sends = 0;
  const platform: ChatAdapter = {
    platform: "matrix",
    capabilities: { buttons: true, files: true, edits: false, answerGesture: "button", dedupesByKey: true },
    async start() {},
    async stop() {},
    async send(_to, _msg, key) {
      const posted = existsSync(postedFile!) ? readFileSync(postedFile!, "utf8").split("\n") : [];
      if (!posted.includes(key)) appendFileSync(postedFile!, key + "\n");
      if (++sends === dieAfter) process.kill(process.pid, "SIGKILL");
      return { messageId: key };
    },
  };
  // The lease of a killed process must have run out for the next one to take its rows over.
  const clock = { now: () => new Date(systemClock.now().getTime() + (rest.includes("later") ? 10 * 60_000 : 0)) };
  const worker = new OutboxWorker({ db, clock, adapters: new Map([["matrix", platform]]), logger: pino({ level: "silent" }), intervalMs: 60_000 });
  worker.recoverLeases();
  await worker.flush();
}
