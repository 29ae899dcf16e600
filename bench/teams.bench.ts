// `status` through the full Teams path (HTTP POST with a Bot Framework token → botbuilder's CloudAdapter →
// the TeamsAdapter → dispatcher and SQLite file → the reply card POSTed to a local connector → HTTP 200)
// at 50 concurrent requests, against a bare botbuilder echo bot measured the same way in the same run (same
// authentication, same connector, same load). Target: at least 0.9 of the bare bot's rate, p99 below 100 ms.
// Run alone: npx tsx bench/teams.bench.ts
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import express from "express";
import { CloudAdapter, type TurnContext } from "botbuilder";
import { botFrameworkAuthentication } from "../adapters/teams/auth.ts";
import { TeamsAdapter } from "../adapters/teams/teamsAdapter.ts";
import type { OutboundMessage } from "../src/port.ts";
import { loadDemo } from "../src/app/demo.ts";
import { REFERENCE_DIR } from "../test/support/harness.ts";
import { startTeamsBot, type TeamsBot } from "../test/support/teamsBot.ts";
import { runIfMain } from "./support.ts";

const CONCURRENCY = 50;
const REQUESTS = 1_500;
const WARMUP = 300;
const CHANNEL = "19:bench0000000000000000000000000000@thread.tacv2";
const TEAM = "19:benchteam000000000000000000000000@thread.tacv2";

interface Result {
  perSecond: number;
  p50: number;
  p99: number;
}

/** Serves `app` on a free loopback port. */
async function listen(app: express.Express): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(app);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** The bare bot: botbuilder's CloudAdapter with the same authentication, echoing the text in the turn. */
async function startEchoBot(bot: TeamsBot): Promise<{ url: string; close(): Promise<void> }> {
  const adapter = new CloudAdapter(botFrameworkAuthentication({ appId: bot.identity.appId, appPassword: bot.identity.appPassword, appType: "SingleTenant", tenantId: bot.tenantId }, bot.identity.env));
  const app = express();
  app.post("/api/messages", express.json(), (req, res) => void adapter.process(req, res, async (ctx: TurnContext) => void (await ctx.sendActivity(`echo: ${ctx.activity.text}`))));
  return listen(app);
}

/** The load generator in a child process (bench/teamsLoad.ts), so client and bots do not share a core. */
function loader(): { run(url: string, token: string, body: string, count: number): Promise<Result>; close(): void } {
  const child = fork(fileURLToPath(new URL("./teamsLoad.ts", import.meta.url)), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return {
    run: (url, token, body, count) =>
      new Promise((resolve, reject) => {
        child.once("message", (m: { ok?: Result; error?: string }) => (m.ok ? resolve(m.ok) : reject(new Error(m.error))));
        child.send({ url: `${url}/api/messages`, token, body, count, concurrency: CONCURRENCY });
      }),
    close: () => void child.send("exit"),
  };
}

/**
 * The Teams adapter alone, with a core that answers at once with a status reply made beforehand: what the
 * adapter (auth, translation, card, reply) costs compared with the bare echo bot, apart from the core's work.
 */
async function startStubCore(bot: TeamsBot, reply: OutboundMessage): Promise<{ url: string; close(): Promise<void> }> {
  const adapter = new TeamsAdapter({
    appId: bot.identity.appId,
    appPassword: bot.identity.appPassword,
    appType: "SingleTenant",
    tenantId: bot.tenantId,
    allowedTenants: [bot.tenantId],
    allowAnonymous: false,
    env: bot.identity.env,
    defaultLocale: "de",
    icsLinkDays: 60,
  });
  const state = new Map<string, string>();
  const app = express();
  await adapter.start(
    {
      state: { get: (k) => state.get(k), set: (k, v) => void state.set(k, v), delete: (k) => void state.delete(k), entries: (p = "") => [...state].filter(([k]) => k.startsWith(p)) },
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      clock: { now: () => new Date() },
      publicUrl: "http://localhost:3978",
      mount: (path, handler) => void app.use(path, handler as express.RequestHandler),
      reachable() {},
      delivered: () => [],
      deliveredMessage: () => undefined,
      outboxIdle: async () => {},
    },
    async () => ({ outcome: "done", replies: [reply] }),
  );
  return listen(app);
}

interface Target {
  name: string;
  url: string;
  token: string;
  body: string;
  results: Result[];
}

/** A siko bot with PP Köln's demo data and SiKo #1 invited, and the channel message `status 1` for it. */
async function sikoBot(file: string): Promise<{ bot: TeamsBot; token: string; body: string; statusReply: OutboundMessage }> {
  const bot = await startTeamsBot({ file, logLevel: process.env.BENCH_LOG ?? "silent" });
  const organiser = bot.person("Olaf Organisator");
  bot.h.clock.set(new Date());
  bot.h.db.transaction((tx) => loadDemo(tx, REFERENCE_DIR, bot.h.clock.now(), { platform: "teams", userId: organiser.aad, roomId: CHANNEL }));
  const inChannel = { user: organiser.aad, room: CHANNEL, platform: "teams" as const };
  await bot.h.say(`planen ${new Date().getUTCFullYear() + 1}-03-15 10:00 --ort Präsidium`, inChannel);
  if (!(await bot.h.say("einladen 1", inChannel)).includes("#1")) throw new Error("bench setup: einladen 1 failed");
  const token = bot.identity.channelToken(bot.connector.url);
  const body = JSON.stringify(bot.activity("channel-message-mention", { text: "status 1", userMri: organiser.mri, userAad: organiser.aad, userName: "Olaf", conversationId: CHANNEL, teamId: TEAM, activityId: "__ID__" }));
  const sample = await bot.h.dispatcher.handle({ kind: "command", eventId: "bench-sample", sender: { platform: "teams", id: organiser.aad }, room: { platform: "teams", id: CHANNEL, direct: false }, text: "status 1" });
  if (!sample.replies[0]?.text.includes("Staatsanwaltschaft")) throw new Error("bench setup: status 1 failed");
  return { bot, token, body, statusReply: sample.replies[0] };
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "siko-teams-bench-"));
  const closers: Array<() => unknown> = [];
  const load = loader();
  try {
    const onFile = await sikoBot(join(dir, "siko.db"));
    closers.push(() => onFile.bot.close());
    const inMemory = await sikoBot(":memory:");
    closers.push(() => inMemory.bot.close());
    const echo = await startEchoBot(onFile.bot);
    closers.push(() => echo.close());
    const stub = await startStubCore(onFile.bot, onFile.statusReply);
    closers.push(() => stub.close());
    const same = { token: onFile.token, body: onFile.body, results: [] };
    const targets: Target[] = [
      { name: "teams path, status 1 (HTTP, auth, core, SQLite file, reply card)", url: onFile.bot.url, ...same, results: [] },
      { name: "the same with the database in memory (no fsync per event)", url: inMemory.bot.url, token: inMemory.token, body: inMemory.body, results: [] },
      { name: "teams adapter with a stub core (same status card)", url: stub.url, ...same, results: [] },
      { name: "bare botbuilder echo bot (same auth and connector)", url: echo.url, ...same, results: [] },
    ];
    // Warm up each (JIT, token caches, connections), then alternate the measured rounds.
    for (const t of targets) await load.run(t.url, t.token, t.body, WARMUP);
    for (let round = 0; round < 2; round++) for (const t of targets) t.results.push(await load.run(t.url, t.token, t.body, REQUESTS));
    for (const b of [onFile.bot, inMemory.bot]) {
      const card = b.connector.requests.filter((r) => r.op === "reply" && JSON.stringify(r.body).includes("AdaptiveCard")).at(-1)!;
      if (!JSON.stringify(card.body).includes("Staatsanwaltschaft")) throw new Error("bench: the replies are not status cards");
    }
    const best = (rs: Result[]) => rs.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
    const f = (x: number) => x.toFixed(1);
    const echoRate = best(targets[3]!.results).perSecond;
    console.log(`${CONCURRENCY} concurrent requests, ${REQUESTS} per round, best of 2 rounds; load generator in its own process`);
    for (const t of targets) {
      const r = best(t.results);
      console.log(`${t.name.padEnd(68)} ${f(r.perSecond).padStart(6)} req/s  p50 ${f(r.p50).padStart(6)} ms  p99 ${f(r.p99).padStart(7)} ms  ratio ${(r.perSecond / echoRate).toFixed(2)}`);
    }
    const full = best(targets[0]!.results);
    console.log(`target: full path ≥ 0.90 of the echo bot's rate (is ${(full.perSecond / echoRate).toFixed(2)}), p99 < 100 ms (is ${f(full.p99)} ms)`);
  } finally {
    load.close();
    for (const close of closers.reverse()) await close();
    rmSync(dir, { recursive: true, force: true });
  }
}

runIfMain(import.meta.url, run);
