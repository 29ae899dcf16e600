// Authentication of the Teams endpoint with app credentials set: botbuilder checks each request's token
// against the OpenID metadata and keys of a local identity provider, and the bot's replies carry a token from
// its local token endpoint. Every refused request changes nothing.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { TeamsAdapter } from "../../adapters/teams/teamsAdapter.ts";
import { botFrameworkAuthentication } from "../../adapters/teams/auth.ts";
import { startHarness } from "../support/harness.ts";
import { startTeamsBot, type Person, type TeamsBot } from "../support/teamsBot.ts";
import type { TokenOptions } from "../support/teamsIdentity.ts";
import { testHost } from "../support/testHost.ts";

let bot: TeamsBot;
let anna: Person;

beforeAll(async () => {
  bot = await startTeamsBot();
  anna = bot.person("Anna");
});
afterAll(() => bot?.close());

function hello(text = "hilfe", extra: Record<string, string> = {}) {
  return bot.activity("personal-message", { text, userMri: anna.mri, userAad: anna.aad, userName: anna.name, conversationId: anna.conversationId, ...extra });
}

describe("Teams authentication", () => {
  it("accepts a token signed by the configured key, and its reply reaches the connector with the bot's bearer token", async () => {
    const res = await bot.post(hello());
    expect(res.status).toBe(200);
    const reply = bot.connector.requests.at(-1)!;
    expect(reply.op).toBe("reply");
    expect(reply.authorization).toMatch(/^Bearer /);
    expect(bot.identity.issued.has(reply.authorization!.slice(7))).toBe(true);
    expect(bot.identity.tokenRequests).toBeGreaterThanOrEqual(1);
  });

  it("keeps answering when the bot's token runs out: the reply of a later turn carries a new token the connector accepts", async () => {
    expect((await bot.post(hello())).status).toBe(200);
    const first = bot.connector.requests.at(-1)!.authorization!;
    const asked = bot.identity.tokenRequests;
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      // An hour and more later (tokens live an hour), with a channel token of that time.
      vi.setSystemTime(Date.now() + 2 * 3_600_000);
      expect((await bot.post(hello())).status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
    const later = bot.connector.requests.at(-1)!;
    expect(later.op).toBe("reply");
    expect(later.authorization).not.toBe(first);
    expect(bot.identity.issued.has(later.authorization!.slice(7))).toBe(true);
    expect(bot.identity.tokenRequests).toBe(asked + 1);
  });

  const refused: Array<[string, TokenOptions | null | string, Record<string, string>?]> = [
    ["signed by a key the metadata does not list", { key: "unknown" }],
    ["expired", { expiresIn: -3600 }],
    ["for another audience (app id)", { aud: "00000000-0000-0000-0000-000000000000" }],
    ["from another issuer", { iss: "https://evil.example" }],
    ["with a serviceurl claim that is not the activity's", { serviceUrl: "https://smba.trafficmanager.net/emea/" }],
    ["signed by a key that is not endorsed for msteams", { key: "webchatOnly" }],
    ["without any token", null],
    ["with a token that is no JWT", "not-a-jwt"],
  ];
  for (const [what, token] of refused)
    it(`refuses a request ${what}, and nothing changes`, async () => {
      const before = { db: bot.h.dump(), events: bot.h.count("processed_events"), sent: bot.connector.requests.length };
      const res = await bot.post(hello("planen 2027-03-15 10:00"), token);
      expect(res.status).toBe(401);
      expect(res.body).toBe("Unauthorized\n");
      expect(bot.h.dump()).toEqual(before.db);
      expect(bot.h.count("processed_events")).toBe(before.events);
      expect(bot.connector.requests.length).toBe(before.sent);
    });

  it("refuses a request without a bearer token before reading its body (a malformed half megabyte gets 401, not a parse)", async () => {
    const res = await fetch(`${bot.url}/api/messages`, { method: "POST", headers: { "Content-Type": "application/json" }, body: `{"serviceUrl":"${"x".repeat(500_000)}` });
    expect(res.status).toBe(401);
    expect(await res.text()).toBe("Unauthorized\n");
  });

  it("takes nothing from another channel of the bot's registration (Web Chat, Direct Line), where the client names `from` itself", async () => {
    await bot.h.say(`rolle geben ${anna.aad} admin`);
    const before = { db: bot.h.dump(), events: bot.h.count("processed_events"), sent: bot.connector.requests.length };
    const forged = hello("ich");
    forged.channelId = "webchat";
    forged.from = { id: anna.aad, name: "Anna" };
    const res = await bot.post(forged, { key: "webchatOnly" });
    expect(res.status).toBe(200);
    expect(bot.h.count("processed_events")).toBe(before.events);
    expect(bot.connector.requests.length).toBe(before.sent);
    expect(bot.h.dump()).toEqual(before.db);
  });

  it("ignores activities from a tenant that is not allowed", async () => {
    const before = { db: bot.h.dump(), events: bot.h.count("processed_events"), sent: bot.connector.requests.length };
    const other = hello("hilfe", { tenantId: "7a1e5c8d-0000-4000-8000-000000000001" });
    const res = await bot.post(other);
    expect(res.status).toBe(200);
    expect(bot.h.count("processed_events")).toBe(before.events);
    expect(bot.connector.requests.length).toBe(before.sent);
    expect(bot.h.dump()).toEqual(before.db);
  });
});

describe("the app secret", () => {
  it("never shows in a serialised authentication object (what a log line of it would print)", () => {
    const auth = botFrameworkAuthentication({ appId: bot.identity.appId, appPassword: bot.identity.appPassword, appType: "SingleTenant", tenantId: bot.tenantId }, bot.identity.env);
    expect(JSON.stringify(auth)).not.toContain(bot.identity.appPassword);
    expect(JSON.stringify(bot.adapter)).not.toContain(bot.identity.appPassword);
  });
});

describe("Teams without credentials", () => {
  it("the configuration refuses to start without app credentials unless SIKO_TEAMS_ALLOW_ANONYMOUS=true", () => {
    expect(() => loadConfig({ SIKO_ADAPTERS: "teams" })).toThrow(/SIKO_TEAMS_APP_ID/);
    expect(() => loadConfig({ SIKO_ADAPTERS: "teams", SIKO_TEAMS_APP_ID: "x", SIKO_TEAMS_APP_PASSWORD: "y" })).toThrow(/SIKO_TEAMS_TENANT_ID/);
    expect(loadConfig({ SIKO_ADAPTERS: "teams", SIKO_TEAMS_ALLOW_ANONYMOUS: "true" }).SIKO_TEAMS_APP_TYPE).toBe("SingleTenant");
  });

  it("the adapter refuses to start without credentials, and warns when it runs anonymously", async () => {
    const options = { appType: "SingleTenant" as const, allowedTenants: [], env: {}, defaultLocale: "de" as const, icsLinkDays: 60 };
    const h = startHarness({ adapters: [new TeamsAdapter({ ...options, allowAnonymous: false })] });
    await expect(h.ready).rejects.toThrow(/SIKO_TEAMS_APP_ID/);
    h.close();
    const anonymous = new TeamsAdapter({ ...options, allowAnonymous: true });
    const host = testHost();
    await anonymous.start(
      host,
      async () => ({ outcome: "done", replies: [] }),
    );
    expect(host.lines.filter((l) => l.level === "warn").map((l) => l.msg).join("\n")).toMatch(/NOT authenticated/);
  });
});
