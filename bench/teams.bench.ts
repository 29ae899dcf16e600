// `status` through the full Teams path at 50 concurrent requests, against a bare botbuilder echo bot measured
// the same way in the same run. Target: at least 0.9 of the bare bot's rate, p99 below 100 ms.
//
// The siko bot is the production build (`node dist/main.js` with SIKO_ADAPTERS=teams, its SQLite file, its
// HTTP server, the outbox, the housekeeping and the metrics), in a process of its own: HTTP POST with a Bot
// Framework token → botbuilder's CloudAdapter → the TeamsAdapter → dispatcher and database → the reply card
// POSTed to the connector → HTTP 200. The bare echo bot and the adapter with a stand-in core
// (bench/teamsBaselines.ts) run in processes of their own too. A fourth line sends the siko bot a word it does
// not know: what the core costs for every event, before any command's work. This process serves what Microsoft would: the
// identity provider (channel tokens, the bot's token) and the connector at the activities' serviceUrl. The load
// comes from another process (bench/teamsLoad.ts). Each bot's CPU time per request is read from /proc: on a
// shared 2-core machine it is steadier than the rate.
// Run alone: npx tsx bench/teams.bench.ts
import { execFileSync, fork, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { randomUUID } from "node:crypto";
import { loadDemo } from "../src/app/demo.ts";
import { PROJECT_ROOT } from "../src/paths.ts";
import buildIfStale from "../test/support/buildOnce.ts";
import { botEnv } from "../test/support/childBot.ts";
import { REFERENCE_DIR, startHarness } from "../test/support/harness.ts";
import { startConnector } from "../test/support/teamsConnector.ts";
import { teamsActivity } from "../test/support/teamsFixtures.ts";
import { startIdentity, type LocalIdentity } from "../test/support/teamsIdentity.ts";
import { runIfMain } from "./support.ts";

const CONCURRENCY = 50;
const REQUESTS = 1_500;
const WARMUP = 300;
const ROUNDS = 3;
const CHANNEL = "19:bench0000000000000000000000000000@thread.tacv2";
const TEAM = "19:benchteam000000000000000000000000@thread.tacv2";
const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());

interface Result {
  perSecond: number;
  p50: number;
  p99: number;
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

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

interface Bot {
  url: string;
  /** CPU time (user + system) the bot's process has used so far, in milliseconds. */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** Starts a bot process and waits until it answers `ready` (a URL that answers 200, or the line "listening"). */
async function startBot(args: string[], env: Record<string, string>, ready: "readyz" | "listening"): Promise<Bot> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, args, { cwd: PROJECT_ROOT, env: { ...botEnv(), ...env, BENCH_PORT: String(port), SIKO_HTTP_PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (d: Buffer) => void (output = (output + d.toString()).slice(-4000));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`bench: ${args.join(" ")} ended (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`bench: ${args.join(" ")} did not start:\n${output}`);
    }
    if (ready === "listening" ? output.includes("listening") : await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    cpuMs: () => {
      const fields = readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS) * 1000;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/**
 * A database file with PP Köln's demo data, its organiser in the bound Teams channel, and SiKo #1 planned and
 * invited; the reply `status 1` gets there, for the stand-in core.
 */
async function seed(file: string, organiserAad: string): Promise<string> {
  const h = startHarness({ file, platforms: ["teams"] });
  try {
    h.clock.set(new Date());
    h.db.transaction((tx) => loadDemo(tx, REFERENCE_DIR, h.clock.now(), { platform: "teams", userId: organiserAad, roomId: CHANNEL }));
    const inChannel = { user: organiserAad, room: CHANNEL, platform: "teams" as const };
    await h.say(`planen ${new Date().getUTCFullYear() + 1}-03-15 10:00 --ort Präsidium`, inChannel);
    if (!(await h.say("einladen 1", inChannel)).includes("#1")) throw new Error("bench setup: einladen 1 failed");
    const sample = await h.dispatcher.handle({ kind: "command", eventId: "bench-sample", sender: { platform: "teams", id: organiserAad }, room: { platform: "teams", id: CHANNEL, direct: false }, text: "status 1" });
    if (!sample.replies[0]?.text.includes("Staatsanwaltschaft")) throw new Error("bench setup: status 1 failed");
    return JSON.stringify(sample.replies[0]);
  } finally {
    h.close();
  }
}

function teamsEnv(identity: LocalIdentity): Record<string, string> {
  return { ...identity.env, SIKO_TEAMS_APP_ID: identity.appId, SIKO_TEAMS_APP_PASSWORD: identity.appPassword, SIKO_TEAMS_TENANT_ID: identity.tenantId };
}

interface Target {
  name: string;
  bot: Bot;
  /** The activity posted, "__ID__" where each request's id goes. */
  body: string;
  results: Result[];
  cpuPerRequest: number[];
}

export async function run(): Promise<void> {
  buildIfStale();
  const dir = mkdtempSync(join(tmpdir(), "siko-teams-bench-"));
  const identity = await startIdentity();
  const connector = await startConnector({ tenantId: identity.tenantId, acceptToken: (t) => identity.issued.has(t) });
  const load = loader();
  const bots: Bot[] = [];
  try {
    const organiser = { aad: randomUUID(), mri: `29:1${randomUUID().replace(/-/g, "")}` };
    const file = join(dir, "siko.db");
    const replyFile = join(dir, "status-reply.json");
    writeFileSync(replyFile, await seed(file, organiser.aad));
    const env = teamsEnv(identity);
    const baselines = fileURLToPath(new URL("./teamsBaselines.ts", import.meta.url));
    // BENCH_CPU_PROF=<dir>: the siko bot writes a V8 CPU profile there when it stops.
    const profile = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
    // Each one is stopped at the end, also when a later one does not start.
    const started = async (starting: Promise<Bot>) => {
      const bot = await starting;
      bots.push(bot);
      return bot;
    };
    const siko = await started(startBot([...profile, "dist/main.js"], { ...env, SIKO_ADAPTERS: "teams", SIKO_DB_PATH: file, SIKO_HTTP_HOST: "127.0.0.1" }, "readyz"));
    const stub = await started(startBot(["--import", "tsx", baselines, "stub"], { ...env, BENCH_REPLY_FILE: replyFile }, "listening"));
    const echo = await started(startBot(["--import", "tsx", baselines, "echo"], env, "listening"));
    const token = identity.channelToken(connector.url);
    const activity = (text: string) =>
      JSON.stringify(
        teamsActivity("channel-message-mention", {
          serviceUrl: connector.url,
          tenantId: identity.tenantId,
          botId: `28:${identity.appId}`,
          botName: "siko-bot",
          text,
          userMri: organiser.mri,
          userAad: organiser.aad,
          userName: "Olaf",
          conversationId: CHANNEL,
          teamId: TEAM,
          activityId: "__ID__",
        }),
      );
    const targets: Target[] = [
      { name: "teams path, status 1 (production build: HTTP, auth, core, SQLite file, reply card)", bot: siko, body: activity("status 1"), results: [], cpuPerRequest: [] },
      // Not a target: what every event costs the core before any command's work (its record, the caller, the room).
      { name: "teams path, a word the bot does not know (the same, with a one-line refusal)", bot: siko, body: activity("xyzzy"), results: [], cpuPerRequest: [] },
      { name: "teams adapter with a stand-in core (the same status card)", bot: stub, body: activity("status 1"), results: [], cpuPerRequest: [] },
      { name: "bare botbuilder echo bot (same auth and connector)", bot: echo, body: activity("status 1"), results: [], cpuPerRequest: [] },
    ];
    // Warm up each (JIT, token caches, connections), then alternate the measured rounds.
    for (const t of targets) await load.run(t.bot.url, token, t.body, WARMUP);
    const card = connector.requests.filter((r) => r.op === "reply" && JSON.stringify(r.body).includes("AdaptiveCard")).at(-1);
    if (!card || !JSON.stringify(card.body).includes("Staatsanwaltschaft")) throw new Error("bench: the replies are not status cards");
    for (let round = 0; round < ROUNDS; round++)
      for (const t of targets) {
        const before = t.bot.cpuMs();
        t.results.push(await load.run(t.bot.url, token, t.body, REQUESTS));
        t.cpuPerRequest.push((t.bot.cpuMs() - before) / REQUESTS);
      }
    const best = (rs: Result[]) => rs.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const f = (x: number, d = 1) => x.toFixed(d);
    const echoTarget = targets.at(-1)!;
    const echoRate = best(echoTarget.results).perSecond;
    const echoCpu = median(echoTarget.cpuPerRequest);
    console.log(`${CONCURRENCY} concurrent requests, ${REQUESTS} per round, best of ${ROUNDS} rounds (CPU: median); each bot and the load generator in a process of its own`);
    for (const t of targets) {
      const r = best(t.results);
      const cpu = median(t.cpuPerRequest);
      console.log(
        `${t.name.padEnd(86)} ${f(r.perSecond).padStart(6)} req/s  p50 ${f(r.p50).padStart(5)} ms  p99 ${f(r.p99).padStart(6)} ms  ratio ${f(r.perSecond / echoRate, 2)}  CPU ${f(cpu, 2)} ms/req (echo/this ${f(echoCpu / cpu, 2)})`,
      );
    }
    const full = best(targets[0]!.results);
    console.log(`target: full path ≥ 0.90 of the echo bot's rate (is ${f(full.perSecond / echoRate, 2)}), p99 < 100 ms (is ${f(full.p99)} ms)`);
  } finally {
    load.close();
    await Promise.all(bots.map((b) => b.stop()));
    await connector.close();
    await identity.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

runIfMain(import.meta.url, run);
