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

async function startWith(url: string, token: string) {
  const bot = spawnMatrixBot({ SIKO_DB_PATH: join(dir, `${Math.random()}.db`), SIKO_MATRIX_HOMESERVER_URL: url, SIKO_MATRIX_ACCESS_TOKEN: token });
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
    const run = await startWith(hs.url, TOKEN);
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
