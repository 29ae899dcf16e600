// One Matrix world for a test: the spec-shaped homeserver, the real adapter on matrix-bot-sdk behind the real
// core (dispatcher and outbox worker on an in-memory database), and people on matrix-js-sdk.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MatrixAdapter } from "../../../adapters/matrix/matrixAdapter.ts";
import { startHarness, type Harness } from "../harness.ts";
import { TestHomeserver, type HsUser, type MatrixEvent } from "./homeserver.ts";
import { Person, startPeople, until } from "./people.ts";

export interface World {
  hs: TestHomeserver;
  h: Harness;
  adapter: MatrixAdapter;
  bot: HsUser;
  people: Record<string, Person>;
  /** Runs the outbox until `check` holds (the core's worker runs on a manual clock, so it is moved on too). */
  deliverUntil<T>(check: () => T | undefined | null | false, what: string, timeoutMs?: number): Promise<T>;
  /** A person types in a room and gets the bot's threaded reply (its body). */
  command(person: Person, roomId: string, text: string): Promise<string>;
  /** The bot's replies in the thread of `eventId`, as the homeserver holds them. */
  threadReplies(roomId: string, eventId: string): MatrixEvent[];
  /** Stops the adapter (its sync in flight cut off), runs `whileDown`, and starts it again on the same state. */
  restartAdapter(whileDown: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

export async function startWorld(names: string[], opts: { polls?: boolean } = {}): Promise<World> {
  const hs = new TestHomeserver();
  await hs.listen();
  const bot = hs.registerUser("siko", "siko-bot");
  const users = names.map((n) => hs.registerUser(n, n[0]!.toUpperCase() + n.slice(1)));
  const adapter = new MatrixAdapter({
    homeserverUrl: hs.url,
    accessToken: bot.accessToken,
    e2ee: false,
    cryptoDir: join(mkdtempSync(join(tmpdir(), "siko-mx-")), "crypto"),
    allowedInviters: [hs.serverName],
    polls: opts.polls ?? false,
    syncTimeoutMs: 5_000,
  });
  // The host and handler the harness gives the adapter, for starting it again after a stop.
  let startedWith: Parameters<MatrixAdapter["start"]> | null = null;
  const start = adapter.start.bind(adapter);
  adapter.start = (...args) => ((startedWith = args), start(...args));
  const h = startHarness({ adapters: [adapter] });
  h.clock.set(new Date("2027-02-01T08:00:00Z"));
  await h.ready;
  const people = Object.fromEntries((await startPeople(hs.url, ...users)).map((p, i) => [names[i]!, p]));

  const threadReplies = (roomId: string, eventId: string) =>
    hs.timeline(roomId).filter((e) => e.sender === bot.userId && (e.content["m.relates_to"] as { event_id?: string; rel_type?: string } | undefined)?.rel_type === "m.thread" && (e.content["m.relates_to"] as { event_id?: string }).event_id === eventId);

  return {
    hs,
    h,
    adapter,
    bot,
    people,
    async deliverUntil(check, what, timeoutMs = 15_000) {
      return until(
        () => {
          const v = check();
          if (v) return v;
          h.clock.advance(1_000);
          void h.worker.flush();
          return v;
        },
        what,
        timeoutMs,
      );
    },
    async command(person, roomId, text) {
      const eventId = await person.say(roomId, text);
      const replies = await until(() => {
        const r = threadReplies(roomId, eventId);
        return r.length ? r : null;
      }, `the bot's reply to "${text}"`);
      void h.worker.flush();
      return replies.map((r) => String(r.content.body)).join("\n");
    },
    threadReplies,
    async restartAdapter(whileDown) {
      await adapter.stop();
      hs.dropSyncsOf(bot.userId);
      await whileDown();
      await adapter.start(...startedWith!);
    },
    async stop() {
      for (const p of Object.values(people)) p.stop();
      await adapter.stop();
      await h.worker.stop();
      await hs.close();
      h.close();
    },
  };
}
