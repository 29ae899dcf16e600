// What the HTTP server writes to its log when a route fails: the path without anything shaped like a token
// (an answer link carries its token in the path), and nothing at all when the client hung up mid-request.
import { request } from "node:http";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpServer, type RunningHttpServer } from "../../src/http/server.ts";

const TOKEN = "kZeEyEMq3vD8w1Jx0s9Yb2NcR5tUaPfGhLiO7mWn4TA";
const lines: Array<Record<string, unknown>> = [];
let http: RunningHttpServer;
let reading: () => void;
const readingOnce = new Promise<void>((r) => (reading = r));
let failed: () => void;
const failedOnce = new Promise<void>((r) => (failed = r));

beforeAll(async () => {
  const sink = new Writable({ write: (chunk, _enc, done) => void (lines.push(JSON.parse(String(chunk)) as Record<string, unknown>), done()) });
  http = await startHttpServer(
    {
      feed: () => null,
      logger: pino({ level: "debug" }, sink),
      mount: (app) =>
        app.use("/antwort", (req, _res, next) => {
          if (req.method === "GET") return next(new Error("broken"));
          // Reads the body as the answer page does; a client that hangs up makes this reject.
          (async () => {
            for await (const _chunk of req) reading();
          })().then(
            () => next(new Error("broken after the body")),
            (e: unknown) => (next(e), failed()),
          );
        }),
    },
    { port: 0, host: "127.0.0.1" },
  );
});
afterAll(() => http?.close());

describe("the HTTP server's error log", () => {
  it("names the path of a failed request without the token in it", async () => {
    const res = await fetch(`http://127.0.0.1:${http.port}/antwort/${TOKEN}`);
    expect(res.status).toBe(500);
    const line = lines.find((l) => l.msg === "http request failed")!;
    expect(line.path).toBe("/antwort/…");
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
  });

  it("writes no error when the client hangs up in the middle of its request", async () => {
    const before = lines.length;
    const req = request({ host: "127.0.0.1", port: http.port, method: "POST", path: `/antwort/${TOKEN}`, headers: { "content-type": "application/x-www-form-urlencoded", "content-length": "1000" } });
    req.on("error", () => {});
    req.write("answer=acc");
    await readingOnce;
    req.destroy();
    await failedOnce;
    await new Promise((r) => setImmediate(r));
    expect(lines.slice(before).filter((l) => (l.level as number) >= 50)).toEqual([]);
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
  });
});
