// Activities recorded from Microsoft's Teams emulator (the Microsoft 365 Agents Playground) replayed against
// the real adapter: what Microsoft's own client sends takes the same path as the documented payloads.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemo } from "../../src/app/demo.ts";
import { REFERENCE_DIR } from "../support/harness.ts";
import { startTeamsBot, type TeamsBot } from "../support/teamsBot.ts";
import { validateCard } from "../support/cardValidator.ts";

const PLAYGROUND_TENANT = "0d9f3c1e-1111-4aaa-8bbb-000000000001";
const OLAF = "7b1e0c2a-2222-4ccc-9ddd-000000000020";
let bot: TeamsBot;

beforeAll(async () => {
  bot = await startTeamsBot({ allowedTenants: [PLAYGROUND_TENANT] });
  bot.h.clock.set(new Date("2027-02-01T08:00:00Z"));
  bot.h.db.transaction((tx) => loadDemo(tx, REFERENCE_DIR, bot.h.clock.now(), { platform: "teams", userId: OLAF, roomId: "channel-siko-id" }));
  for (const line of ["planen 2027-03-10 10:00", "planen 2027-03-11 10:00", "planen 2027-03-12 10:00", "planen 2027-03-13 10:00"]) await bot.h.say(line, { user: OLAF, room: "channel-siko-id", platform: "teams" });
});
afterAll(() => bot?.close());

describe("Agents Playground recordings", () => {
  it("the app added to a channel: the channel's reference is kept", async () => {
    const res = await bot.post(bot.activity("playground-installation-update-channel", {}));
    expect(res.status).toBe(200);
  });

  it("an @mention in the channel runs the command and the reply goes into the thread", async () => {
    const activity = bot.activity("playground-channel-mention", {});
    const res = await bot.post(activity);
    expect(res.status).toBe(200);
    const reply = bot.connector.requests.filter((r) => r.op === "reply").at(-1)!;
    expect(reply.conversationId).toBe((activity.conversation as { id: string }).id);
    // `@siko-bot einladen 4 --trotzdem`: the mention is gone, the command ran.
    expect(JSON.stringify(reply.body)).toContain("SiKo #4");
  });

  it("the card's button press (adaptiveCard/action) is answered with a card", async () => {
    const res = await bot.post(bot.activity("playground-invoke-action-execute", {}));
    expect(res.status).toBe(200);
    const body = res.body as { statusCode: number; type: string; value: unknown };
    expect(body.type).toBe("application/vnd.microsoft.card.adaptive");
    expect(validateCard(body.value)).toEqual([]);
  });
});
