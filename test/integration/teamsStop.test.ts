// Teams and the operator: /readyz counts the endpoint ready once it is mounted, and after a stop (SIGTERM) the
// endpoint takes no activity (503, so Teams delivers it again later) and reports itself not ready.
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { startBot } from "../../src/main.ts";

function post(port: number, path: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = request({ host: "127.0.0.1", port, path, method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(data) } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end(data);
  });
}

describe("the Teams endpoint and a stop", () => {
  it("is ready once mounted; after stop it answers 503 and is not ready", async () => {
    const config = loadConfig({ SIKO_ADAPTERS: "teams", SIKO_TEAMS_ALLOW_ANONYMOUS: "true", SIKO_DB_PATH: ":memory:", SIKO_HTTP_PORT: "0", SIKO_LOG_LEVEL: "silent" });
    const { bot } = await startBot(config);
    const teams = bot.adapters.get("teams")!;
    expect(await teams.readiness!()).toEqual({ ready: true });
    await teams.stop();
    expect(await teams.readiness!()).toEqual({ ready: false, detail: "stopping" });
    expect(await post(bot.httpPort!, "/api/messages", { type: "message", id: "1", text: "hilfe" })).toBe(503);
    await bot.stop();
  });
});
