// Proactive delivery to Teams through the outbox: what Teams answers becomes the port's errors (429/412/502/504:
// wait for Retry-After; 403: parked until the person is reachable; a broken connection: uncertain and never
// posted twice, because Teams has no idempotency key), a team member becomes reachable through a new 1:1 chat,
// and sends to one conversation are paced.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadDemo } from "../../src/app/demo.ts";
import { Pacer } from "../../adapters/teams/pacing.ts";
import { RetryAfter } from "../../src/port.ts";
import { REFERENCE_DIR } from "../support/harness.ts";
import { startTeamsBot, type Person, type TeamsBot } from "../support/teamsBot.ts";

const CHANNEL = "19:c0ffee0000000000000000000000000a@thread.tacv2";
let bot: TeamsBot;
let organiser: Person;
let paul: Person;

function rowOf(aad: string): { status: string; attempts: number; next_attempt_at: number; last_error: string | null } {
  return bot.h.sqlite.prepare("SELECT status, attempts, next_attempt_at, last_error FROM outbox WHERE address_id = ? AND kind = 'invitation'").get(aad) as never;
}

/** Messages posted into a conversation (botbuilder posts proactive ones as replies to its continuation activity). */
function sends(conversationId: string) {
  return bot.connector.requests.filter((r) => (r.op === "send" || r.op === "reply") && r.conversationId === conversationId);
}

async function invite(): Promise<void> {
  const as = { user: organiser.aad, room: CHANNEL, platform: "teams" as const };
  await bot.h.say(`kontakt anlegen "Staatsanwaltschaft Köln" "Paul Partner" --teams ${paul.aad} --leitung ja`, as);
  await bot.h.say("planen 2027-03-15 10:00", as);
  expect(await bot.h.say("einladen 1", as)).toContain("Paul Partner");
}

beforeEach(async () => {
  bot = await startTeamsBot();
  organiser = bot.person("Olaf Organisator");
  paul = bot.person("Paul Partner");
  bot.h.clock.set(new Date("2027-02-01T08:00:00Z"));
  bot.h.db.transaction((tx) => loadDemo(tx, REFERENCE_DIR, bot.h.clock.now(), { platform: "teams", userId: organiser.aad, roomId: CHANNEL }));
});
afterEach(() => bot.close());

async function paulInstalls(): Promise<void> {
  expect((await bot.post(bot.activity("installation-update-personal", { userMri: paul.mri, userAad: paul.aad, conversationId: paul.conversationId }))).status).toBe(200);
}

describe("Teams proactive delivery", () => {
  it("429 with Retry-After: the invitation waits that long, uncounted, and then goes out once", async () => {
    await paulInstalls();
    await invite();
    bot.connector.answerNext({ status: 429, retryAfter: "7" });
    await bot.h.worker.flush();
    const waiting = rowOf(paul.aad);
    expect(waiting.status).toBe("pending");
    expect(waiting.attempts).toBe(0);
    expect(waiting.next_attempt_at - bot.h.clock.now().getTime()).toBe(7000);
    bot.h.clock.advance(7000);
    await bot.h.worker.flush();
    expect(rowOf(paul.aad).status).toBe("delivered");
    expect(sends(paul.conversationId).filter((r) => JSON.stringify(r.body).includes("Einladung:"))).toHaveLength(1);
  });

  for (const status of [412, 502, 504] as const)
    it(`${status}: Teams asks to retry, the row waits`, async () => {
      await paulInstalls();
      await invite();
      bot.connector.answerNext({ status });
      await bot.h.worker.flush();
      expect(rowOf(paul.aad)).toMatchObject({ status: "pending", attempts: 0 });
    });

  it("a connection that breaks after Teams posted the message: uncertain, not posted again (botbuilder's own retries are off)", async () => {
    await paulInstalls();
    await invite();
    bot.connector.answerNext({ resetAfterPosting: true });
    await bot.h.worker.flush();
    expect(rowOf(paul.aad).status).toBe("uncertain");
    bot.h.clock.advance(3_600_000);
    await bot.h.worker.flush();
    expect(sends(paul.conversationId).filter((r) => JSON.stringify(r.body).includes("Einladung:"))).toHaveLength(1);
  });

  it("a 500 is ambiguous too: one request, and the row is uncertain", async () => {
    await paulInstalls();
    await invite();
    const before = bot.connector.refused.length;
    bot.connector.answerNext({ status: 500 });
    await bot.h.worker.flush();
    expect(bot.connector.refused.length).toBe(before + 1);
    expect(rowOf(paul.aad).status).toBe("uncertain");
  });

  it("403 (the bot is not in the roster): parked, and sent when the person adds the app", async () => {
    await paulInstalls();
    await invite();
    bot.connector.block(paul.mri);
    await bot.h.worker.flush();
    expect(rowOf(paul.aad).status).toBe("parked");
    bot.connector.unblock(paul.mri);
    await paulInstalls();
    await bot.h.worker.flush();
    expect(rowOf(paul.aad).status).toBe("delivered");
  });

  it("a member of a team the bot is in is reached through a new 1:1 chat (Create Conversation)", async () => {
    await invite();
    await bot.h.worker.flush();
    expect(rowOf(paul.aad).status).toBe("parked");
    // The bot is added to the team, then Paul joins it: Teams tells each in its own conversationUpdate.
    const added = (member: Record<string, string>) => ({
      ...bot.activity("conversation-update-team-added", { userMri: organiser.mri, userAad: organiser.aad, conversationId: CHANNEL, teamAadGroupId: "6d0f4c1e-8a6b-4f1e-9b8e-2a7c3d4e5f60" }),
      membersAdded: [member],
    });
    expect((await bot.post(added({ id: bot.botId }))).status).toBe(200);
    expect((await bot.post(added({ id: paul.mri, aadObjectId: paul.aad }))).status).toBe(200);
    await bot.h.worker.flush();
    expect(rowOf(paul.aad).status).toBe("delivered");
    const created = bot.connector.requests.find((r) => r.op === "create")!;
    expect(created.body).toMatchObject({ isGroup: false, members: [{ id: paul.mri }], tenantId: bot.tenantId });
    expect(sends(paul.conversationId)).toHaveLength(1);
  });

  it("a member the team already had when the bot was added is read from the team's roster and reached", async () => {
    await invite();
    await bot.h.worker.flush();
    expect(rowOf(paul.aad).status).toBe("parked");
    bot.connector.roster(CHANNEL, [
      { mri: organiser.mri, aad: organiser.aad, name: "Olaf Organisator" },
      { mri: paul.mri, aad: paul.aad, name: "Paul Partner" },
    ]);
    // As Teams sends it: the install lists only the bot, not the members who were there before.
    const install = { ...bot.activity("conversation-update-team-added", { userMri: organiser.mri, userAad: organiser.aad, conversationId: CHANNEL, teamAadGroupId: "6d0f4c1e-8a6b-4f1e-9b8e-2a7c3d4e5f60" }), membersAdded: [{ id: bot.botId }] };
    expect((await bot.post(install)).status).toBe(200);
    await bot.h.worker.flush();
    expect(rowOf(paul.aad).status).toBe("delivered");
    expect(sends(paul.conversationId)).toHaveLength(1);
  });
});

describe("the .ics download link", () => {
  it("works with its token for SIKO_TEAMS_ICS_LINK_DAYS (60) days, then reads like an unknown link", async () => {
    await paulInstalls();
    await invite();
    await bot.h.worker.flush();
    const card = JSON.stringify(sends(paul.conversationId).find((r) => JSON.stringify(r.body).includes("Einladung:"))!.body);
    const link = /"url":"(http:\/\/localhost:3978\/teams\/ics\/[A-Za-z0-9._-]+\.ics\?token=[A-Za-z0-9_-]{43})"/.exec(card)![1]!.replace("http://localhost:3978", bot.url);
    const ok = await fetch(link);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toMatch(/^text\/calendar/);
    expect(ok.headers.get("content-disposition")).toMatch(/^attachment; filename=".+\.ics"$/);
    bot.h.clock.advance(59 * 86_400_000);
    expect((await fetch(link)).status).toBe(200);
    bot.h.clock.advance(2 * 86_400_000);
    expect((await fetch(link)).status).toBe(404);
  });

  it("handed out before files kept their type (…/siko.ics, a calendar without a type), still works as a calendar", async () => {
    await paulInstalls();
    await invite();
    await bot.h.worker.flush();
    const card = JSON.stringify(sends(paul.conversationId).find((r) => JSON.stringify(r.body).includes("Einladung:"))!.body);
    const token = /\/teams\/ics\/[A-Za-z0-9._-]+\?token=([A-Za-z0-9_-]{43})"/.exec(card)![1]!;
    // As an earlier version stored it: no content type.
    const rows = bot.h.sqlite.prepare("SELECT key, value FROM adapter_state WHERE platform = 'teams' AND key LIKE 'ics:%'").all() as Array<{ key: string; value: string }>;
    for (const r of rows) {
      const { contentType: _type, ...legacy } = JSON.parse(r.value) as Record<string, unknown>;
      bot.h.sqlite.prepare("UPDATE adapter_state SET value = ? WHERE platform = 'teams' AND key = ?").run(JSON.stringify(legacy), r.key);
    }
    const old = await fetch(`${bot.url}/teams/ics/siko.ics?token=${token}`);
    expect(old.status).toBe(200);
    expect(old.headers.get("content-type")).toBe("text/calendar; charset=utf-8; method=REQUEST");
    expect(await old.text()).toContain("BEGIN:VCALENDAR");
  });
});

describe("pacing per conversation", () => {
  it("waits between sends to one conversation, not between conversations, and says when an hour is full", async () => {
    let now = 0;
    const waits: number[] = [];
    const pacer = new Pacer(7, 3, () => now, async (ms) => void waits.push(ms));
    await pacer.take("a");
    await pacer.take("a");
    await pacer.take("b");
    expect(waits).toEqual([143]);
    now = 1000;
    await pacer.take("a");
    const full = pacer.take("a");
    await expect(full).rejects.toBeInstanceOf(RetryAfter);
    await expect(full).rejects.toMatchObject({ ms: 3_600_000 - 1000 });
  });
});
