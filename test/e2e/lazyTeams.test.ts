// botbuilder takes about a second to load: the console bot must not load it, a teams bot must.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { botEnv, ROOT } from "../support/childBot.ts";

/** Starts the bot with these adapters in a fresh process and says whether botbuilder was loaded. */
function loadsBotbuilder(env: Record<string, string>): boolean {
  const script = `
    import { createRequire } from "node:module";
    import { startBot } from "./src/main.ts";
    import { loadConfig } from "./src/config.ts";
    const { bot } = await startBot(loadConfig());
    const loaded = Object.keys(createRequire(import.meta.url).cache).some((k) => /node_modules[\\\\/]botbuilder[\\\\/]/.test(k));
    await bot.stop();
    process.stdout.write(loaded ? "loaded" : "not loaded");
    process.exit(0);
  `;
  const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: ROOT,
    env: botEnv({ SIKO_DB_PATH: ":memory:", SIKO_LOG_LEVEL: "silent", ...env }),
    input: "",
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(run.stderr).toBe("");
  return run.stdout === "loaded";
}

describe("the Teams SDK is loaded only when configured", () => {
  it("the console bot starts without loading botbuilder", () => {
    expect(loadsBotbuilder({ SIKO_ADAPTERS: "console" })).toBe(false);
  });

  it("a bot with SIKO_ADAPTERS=teams loads it", () => {
    expect(loadsBotbuilder({ SIKO_ADAPTERS: "teams", SIKO_TEAMS_ALLOW_ANONYMOUS: "true", SIKO_HTTP_PORT: "0" })).toBe(true);
  });
});
