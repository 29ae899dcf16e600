// The console as a user meets it across a restart and a reschedule: what a person received is still there
// (read back from the outbox, not kept in memory), its buttons still work, and the organisers' room never
// reads an answer that a reschedule has reset.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBot } from "../support/childBot.ts";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "siko-history-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the console after a restart", () => {
  it("shows a partner the invitation from before the restart, and its buttons still answer", async () => {
    const env = { SIKO_DB_PATH: join(dir, "restart", "siko.db"), SIKO_SIMULATED_TIME: "2027-02-01T08:00:00Z" };
    const first = await runBot(["--demo"], ["planen 2027-03-15 10:00", "einladen 1"], env);
    expect(first.code).toBe(0);
    const second = await runBot([], ['/als "Dr. Anna Becker"', "1"], env);
    expect(second.stderr).toBe("");
    expect(second.stdout).toContain("Eingegangen bei „Dr. Anna Becker“ (1):");
    expect(second.stdout).toContain("Einladung: SiKo #1 von PP Köln");
    expect(second.stdout).toContain("[1] Zusage  [2] Absage  [3] Vorbehalt  [4] Vertretung");
    expect(second.stdout).toContain("Antwort für Staatsanwaltschaft Köln zu SiKo #1 gespeichert: Zusage.");
  });

  it("back in the group room, shows what arrived there", async () => {
    const env = { SIKO_DB_PATH: join(dir, "room", "siko.db"), SIKO_SIMULATED_TIME: "2027-02-01T08:00:00Z", SIKO_RSVP_NOTICE_DELAY_MS: "0" };
    const run = await runBot(["--demo"], ["planen 2027-03-15 10:00", "einladen 1", '/als "Dr. Anna Becker"', "2", "/als konsole"], env);
    expect(run.stdout).toContain("Im Raum „konsole“ eingegangen (1):");
    expect(run.stdout).toMatch(/\(1\) Neue Antworten zu SiKo #1\n- Staatsanwaltschaft Köln: Absage – Dr. Anna Becker/);
  });
});

describe("a reschedule within the notice window", () => {
  it("the room never reads „Zusage“ for an answer the reschedule reset, and status agrees", async () => {
    const run = await runBot(
      ["--demo"],
      [
        "planen 2027-03-15 10:00",
        "einladen 1",
        '/als "Dr. Anna Becker"',
        "1",
        "/als konsole",
        "verschieben 1 2027-03-22 10:00",
        "/zeit 2027-02-01 09:10",
        "status 1",
      ],
      { SIKO_DB_PATH: join(dir, "reschedule", "siko.db"), SIKO_SIMULATED_TIME: "2027-02-01T08:00:00Z", SIKO_RSVP_NOTICE_DELAY_MS: "60000" },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Antwort für Staatsanwaltschaft Köln zu SiKo #1 gespeichert: Zusage.");
    const afterMove = run.stdout.slice(run.stdout.indexOf("SiKo #1 verschoben auf"));
    expect(afterMove).not.toContain("Zusage");
    expect(afterMove).toContain("Staatsanwaltschaft – Staatsanwaltschaft Köln: keine Antwort");
  });
});
