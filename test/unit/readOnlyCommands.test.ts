// Commands declared read-only (status, lists, help) run on a read-only database, and only their record of
// handling is committed without waiting for the disk; every other commit stays durable (synchronous=FULL).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import * as z from "zod";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defineCommand } from "../../src/app/command.ts";
import { Dispatcher } from "../../src/app/dispatcher.ts";
import { actions, commands } from "../../src/app/registry.ts";
import { loadDemo } from "../../src/app/demo.ts";
import type { InboundEvent } from "../../src/port.ts";
import { REFERENCE_DIR, startHarness, type Harness, type Speaker } from "../support/harness.ts";

const ORGANISER: Speaker = { user: "orga", room: "lage-koeln" };
const FULL = 2;

let dir: string;
let h: Harness;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "siko-readonly-"));
  h = startHarness({ file: join(dir, "siko.db") });
  h.clock.set(new Date("2027-02-01T08:00:00Z"));
  h.db.transaction((tx) => loadDemo(tx, REFERENCE_DIR, h.clock.now(), { platform: "console", userId: ORGANISER.user, roomId: ORGANISER.room }));
  expect(await h.say("planen 2027-03-15 10:00 --ort Präsidium", ORGANISER)).toContain("SiKo #1 geplant.");
  expect(await h.say("einladen 1", ORGANISER)).toContain("Zu SiKo #1 eingeladen");
});
afterEach(() => {
  h.close();
  rmSync(dir, { recursive: true, force: true });
});

const synchronous = () => Number(h.sqlite.pragma("synchronous", { simple: true }));

function typed(eventId: string, text = "status 1"): InboundEvent {
  return { kind: "command", eventId, sender: { platform: "console", id: ORGANISER.user }, room: { platform: "console", id: ORGANISER.room, direct: false }, text };
}

describe("read-only commands", () => {
  it("answer as before, and a redelivered one gets its first answer again", async () => {
    const first = await h.dispatcher.handle(typed("ro-1"));
    expect(first.outcome).toBe("done");
    expect(first.replies[0]!.text).toContain("Staatsanwaltschaft Köln");
    const again = await h.dispatcher.handle(typed("ro-1"));
    expect(again).toMatchObject({ outcome: "duplicate", firstOutcome: "done" });
    expect(again.replies[0]!.text).toBe(first.replies[0]!.text);
    expect(synchronous()).toBe(FULL);
  });

  it("leave every later commit durable: after a read-only command, a refusal and a change, the file is still at synchronous=FULL", async () => {
    await h.say("status 1", ORGANISER);
    expect(synchronous()).toBe(FULL);
    expect(await h.say("planen 31.02.2027 10:00", ORGANISER)).toContain("Den 31.02.2027 gibt es nicht.");
    expect(synchronous()).toBe(FULL);
    expect(await h.say("hilfe", ORGANISER)).toContain("planen");
    expect(await h.say("verschieben 1 2027-03-16 10:00", ORGANISER)).toContain("SiKo #1");
    expect(synchronous()).toBe(FULL);
  });

  it("commit without waiting for the disk only when the event writes nothing but its record", async () => {
    /** Two test commands that answer with the connection's synchronous setting while their transaction runs. */
    const probe = (id: string, de: string, readOnly: boolean) =>
      defineCommand({
        id,
        names: { de, en: `${de}-en` },
        summary: "cmd.me",
        args: [],
        flags: [],
        input: z.object({}),
        access: { kind: "anyone" },
        ...(readOnly ? { readOnly: true as const } : {}),
        run: () => ({ text: String(h.sqlite.pragma("synchronous", { simple: true })) }),
      });
    const dispatcher = new Dispatcher({
      db: h.db,
      clock: h.clock,
      settings: h.settings,
      commands: [...commands, probe("test.read", "lesen", true), probe("test.write", "schreiben", false)],
      actions,
      logger: pino({ level: "silent" }),
    });
    const said = async (eventId: string, text: string, user = ORGANISER.user) => (await dispatcher.handle({ ...typed(eventId, text), sender: { platform: "console", id: user } })).replies[0]!.text;
    expect(await said("p-1", "lesen")).toBe("1"); // NORMAL: the organiser and the room are known
    expect(await said("p-2", "schreiben")).toBe("2"); // FULL: not declared read-only
    expect(await said("p-3", "lesen", "jemand-neues")).toBe("2"); // FULL: a person seen for the first time is written
    expect(await said("p-4", "lesen", "jemand-neues")).toBe("1");
    expect(synchronous()).toBe(FULL);
  });

  it("cannot change anything even when one tries: the write is refused, the caller told, the data as it was", async () => {
    const sneaky = defineCommand({
      id: "test.sneaky",
      names: { de: "schleichen", en: "sneak" },
      summary: "cmd.me",
      args: [],
      flags: [],
      input: z.object({}),
      access: { kind: "anyone" },
      readOnly: true,
      run(ctx) {
        ctx.audit("sneak", "user", null, {});
        return { text: "geschrieben" };
      },
    });
    const dispatcher = new Dispatcher({ db: h.db, clock: h.clock, settings: h.settings, commands: [...commands, sneaky], actions, logger: pino({ level: "silent" }) });
    const before = h.dump();
    const result = await dispatcher.handle(typed("ro-sneak", "schleichen"));
    expect(result.outcome).toBe("failed");
    expect(result.replies[0]!.text).not.toContain("geschrieben");
    expect(h.dump()).toEqual(before);
    expect(synchronous()).toBe(FULL);
    // The connection is writable again for the next command.
    expect(await h.say("ort 1 Polizeipräsidium Köln, Walter-Pauli-Ring 2-6", ORGANISER)).toContain("SiKo #1");
  });

  it("start no delivery round: only a change tells the bot to deliver what it queued (and to start a backup asked for)", async () => {
    let changes = 0;
    const dispatcher = new Dispatcher({ db: h.db, clock: h.clock, settings: h.settings, commands, actions, logger: pino({ level: "silent" }), onChange: () => void changes++ });
    await dispatcher.handle(typed("c-1", "status 1"));
    await dispatcher.handle(typed("c-2", "hilfe"));
    await dispatcher.handle(typed("c-3", "planen 31.02.2027 10:00"));
    expect(changes).toBe(0);
    expect((await dispatcher.handle(typed("c-4", "ort 1 Polizeipräsidium Köln"))).outcome).toBe("done");
    expect(changes).toBe(1);
    expect((await dispatcher.handle(typed("c-4", "ort 1 Polizeipräsidium Köln"))).outcome).toBe("duplicate");
    expect(changes).toBe(1);
  });
});
