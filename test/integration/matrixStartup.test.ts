// `SIKO_ADAPTERS=matrix npm start` when the homeserver cannot be reached or refuses the token: a clear message
// naming the variable, exit code 2, no stack trace, and never the token in what it prints.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnMatrixBot } from "../support/matrix/childMatrixBot.ts";
import { TestHomeserver } from "../support/matrix/homeserver.ts";

let dir: string;
let hs: TestHomeserver;
const TOKEN = "syt_wrong_but_secret_token_1234";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "siko-mx-start-"));
  hs = new TestHomeserver();
  await hs.listen();
});
afterAll(async () => {
  await hs.close();
  rmSync(dir, { recursive: true, force: true });
});

async function startWith(url: string, token: string, extra: Record<string, string> = {}) {
  const bot = spawnMatrixBot({ SIKO_DB_PATH: join(dir, `${Math.random()}.db`), SIKO_MATRIX_HOMESERVER_URL: url, SIKO_MATRIX_ACCESS_TOKEN: token, ...extra });
  const exit = await bot.exited;
  return { ...exit, stderr: bot.stderr() };
}

describe("starting the Matrix bot", () => {
  it("an unreachable homeserver ends the start with a clear message, not a stack trace", async () => {
    // A port nobody listens on: the closed test server's.
    const closed = new TestHomeserver();
    const url = await closed.listen();
    await closed.close();
    const run = await startWith(url, TOKEN);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`siko-bot: SIKO_MATRIX_HOMESERVER_URL: cannot reach the homeserver at ${url} (ECONNREFUSED)`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stderr).not.toContain(TOKEN);
  });

  it("a wrong token: the homeserver refused it, says the message", async () => {
    // Asked for end-to-end encryption without the native library: one log line says it runs without.
    const run = await startWith(hs.url, TOKEN, { SIKO_MATRIX_E2EE: "true" });
    expect(run.stderr).toContain("SIKO_MATRIX_E2EE=true, but the native crypto library is not installed (the stub is); running without end-to-end encryption");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`siko-bot: SIKO_MATRIX_ACCESS_TOKEN: the homeserver at ${hs.url} refused the access token (M_UNKNOWN_TOKEN)`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stderr).not.toContain(TOKEN);
  });

  it("without a token the configuration names the missing variable", async () => {
    const bot = spawnMatrixBot({ SIKO_DB_PATH: join(dir, "x.db"), SIKO_MATRIX_HOMESERVER_URL: hs.url });
    const exit = await bot.exited;
    expect(exit.code).toBe(2);
    expect(bot.stderr()).toContain("SIKO_MATRIX_ACCESS_TOKEN: required when SIKO_ADAPTERS contains matrix");
  });
});

describe("the first start", () => {
  it("runs no command from the history of rooms the bot is already in", async () => {
    const { MatrixAdapter } = await import("../../adapters/matrix/matrixAdapter.ts");
    const { startHarness } = await import("../support/harness.ts");
    const { until } = await import("../support/matrix/people.ts");
    const bot = hs.registerUser("siko-first", "siko-bot");
    const orga = hs.registerUser("orga-first", "Olga");
    const call = async (who: { accessToken: string }, method: string, path: string, body: unknown) =>
      (await (await fetch(hs.url + path, { method, headers: { Authorization: `Bearer ${who.accessToken}`, "Content-Type": "application/json" }, body: JSON.stringify(body) })).json()) as Record<string, string>;
    const room = (await call(orga, "POST", "/_matrix/client/v3/createRoom", { name: "Alt", invite: [bot.userId] })).room_id!;
    const r = encodeURIComponent(room);
    await call(bot, "POST", `/_matrix/client/v3/rooms/${r}/join`, {});
    const old = (await call(orga, "PUT", `/_matrix/client/v3/rooms/${r}/send/m.room.message/old`, { msgtype: "m.text", body: "!siko ich" })).event_id!;

    const adapter = new MatrixAdapter({ homeserverUrl: hs.url, accessToken: bot.accessToken, e2ee: false, cryptoDir: join(dir, "c"), allowedInviters: [], polls: false, syncTimeoutMs: 2_000 });
    const h = startHarness({ adapters: [adapter] });
    try {
      await h.ready;
      const fresh = (await call(orga, "PUT", `/_matrix/client/v3/rooms/${r}/send/m.room.message/new`, { msgtype: "m.text", body: "!siko ich" })).event_id!;
      const replyTo = (id: string) => hs.timeline(room).filter((e) => e.sender === bot.userId && (e.content["m.relates_to"] as { event_id?: string } | undefined)?.event_id === id);
      await until(() => replyTo(fresh).length === 1, "the answer to the new command");
      expect(replyTo(old)).toEqual([]);
      expect(h.sqlite.prepare("SELECT count(*) AS n FROM processed_events WHERE event_id = ?").get(old)).toEqual({ n: 0 });
    } finally {
      await adapter.stop();
      h.close();
    }
  });
});
