// What an operator sees in the logs of a start: one line with version, adapters, database and public URL,
// and never a configured secret, however verbose the log level, in the logs or in any answer.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runBot } from "../support/childBot.ts";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "siko-startup-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every secret an operator may configure in this version, with values easy to find in a log. */
const SECRETS: Record<string, string> = {
  SIKO_METRICS_TOKEN: "secret-metrics-token-4f1c9a7e",
};

describe("start-up", () => {
  it("logs one start line with version, adapters, database and public URL", async () => {
    const db = join(dir, "start", "siko.db");
    const run = await runBot([], ["ich"], { SIKO_DB_PATH: db, SIKO_LOG_LEVEL: "info", SIKO_PUBLIC_URL: "https://siko.polizei.nrw.example" });
    expect(run.code).toBe(0);
    const lines = run.stderr.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    const started = lines.filter((l) => l.msg === "siko-bot started");
    expect(started).toHaveLength(1);
    const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    expect(started[0]).toMatchObject({ version, adapters: ["console"], database: db, publicUrl: "https://siko.polizei.nrw.example" });
  });

  it("warns when /metrics answers without a token on an address other than loopback, and only then", async () => {
    const warning = "/metrics answers anyone who reaches this address";
    const open = await runBot([], ["ich"], { SIKO_DB_PATH: join(dir, "metrics", "siko.db"), SIKO_LOG_LEVEL: "info", SIKO_HTTP_ENABLED: "true", SIKO_HTTP_PORT: "0", SIKO_HTTP_HOST: "0.0.0.0" });
    expect(open.code).toBe(0);
    expect(open.stderr).toContain(warning);
    const closed = await runBot([], ["ich"], { SIKO_DB_PATH: join(dir, "metrics", "siko.db"), SIKO_LOG_LEVEL: "info", SIKO_HTTP_ENABLED: "true", SIKO_HTTP_PORT: "0" });
    expect(closed.code).toBe(0);
    expect(closed.stderr).not.toContain(warning);
  });

  it("a full run at debug level shows no configured secret anywhere", async () => {
    const db = join(dir, "secrets", "siko.db");
    const run = await runBot(
      ["--demo"],
      ["planen 2027-03-15 10:00", "einladen 1", '/als "Dr. Anna Becker"', "1", "/als konsole", "status 1", "kalender link", "sicherung", "quatsch"],
      { SIKO_DB_PATH: db, SIKO_LOG_LEVEL: "trace", SIKO_HTTP_ENABLED: "true", SIKO_HTTP_PORT: "0", SIKO_SIMULATED_TIME: "2027-02-01T08:00:00Z", ...SECRETS },
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("siko-bot started");
    for (const [name, value] of Object.entries(SECRETS)) {
      expect(run.stderr, name).not.toContain(value);
      expect(run.stdout, name).not.toContain(value);
    }
  });

  it("a database path that cannot be opened is named in one line, with exit code 2 and no stack trace", async () => {
    const blocker = join(dir, "not-a-folder");
    writeFileSync(blocker, "a file where the database's folder should be");
    const run = await runBot([], ["hilfe"], { SIKO_DB_PATH: join(blocker, "siko.db") });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^siko-bot: SIKO_DB_PATH: cannot open the database at .*not-a-folder\/siko\.db \(.+\)\n$/);
    expect(run.stderr).not.toContain("    at ");
  });
});
