// The Teams path as in production, minus Microsoft: the real TeamsAdapter (botbuilder's CloudAdapter) on the
// bot's real HTTP server, the core on an in-memory database (test/support/harness.ts), a local identity
// provider for the tokens both ways, and a local connector at the activities' serviceUrl.
import { randomUUID } from "node:crypto";
import pino from "pino";
import { startHttpServer, type RunningHttpServer } from "../../src/http/server.ts";
import type { HttpHandler } from "../../src/port.ts";
import { TeamsAdapter } from "../../adapters/teams/teamsAdapter.ts";
import { startHarness, type Harness } from "./harness.ts";
import { startConnector, type LocalConnector } from "./teamsConnector.ts";
import { startIdentity, type LocalIdentity, type TokenOptions } from "./teamsIdentity.ts";
import { teamsActivity, type FixtureName } from "./teamsFixtures.ts";

export interface Person {
  aad: string;
  mri: string;
  name: string;
  /** The 1:1 chat of this person with the bot. */
  conversationId: string;
}

export interface TeamsBot {
  h: Harness;
  adapter: TeamsAdapter;
  identity: LocalIdentity;
  connector: LocalConnector;
  http: RunningHttpServer;
  botId: string;
  botName: string;
  tenantId: string;
  /** The bot's base URL (`…/api/messages`, `…/teams/ics/…`). */
  url: string;
  person(name: string): Person;
  /** A recorded activity with this deployment's ids filled in. */
  activity(name: FixtureName, values: Record<string, string>): Record<string, unknown>;
  /** POSTs an activity to /api/messages; `token: null` sends none, TokenOptions a token made so. */
  post(activity: Record<string, unknown>, token?: TokenOptions | null | string): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

export async function startTeamsBot(opts: { anonymous?: boolean; allowedTenants?: string[]; logLevel?: string; file?: string } = {}): Promise<TeamsBot> {
  const identity = await startIdentity();
  const connector = await startConnector({ tenantId: identity.tenantId, ...(opts.anonymous ? {} : { acceptToken: (t: string) => identity.issued.has(t) }) });
  const tenantId = identity.tenantId;
  const adapter = new TeamsAdapter({
    appId: opts.anonymous ? undefined : identity.appId,
    appPassword: opts.anonymous ? undefined : identity.appPassword,
    appType: "SingleTenant",
    tenantId,
    allowedTenants: opts.allowedTenants ?? [tenantId],
    allowAnonymous: opts.anonymous ?? false,
    env: opts.anonymous ? {} : identity.env,
    defaultLocale: "de",
    icsLinkDays: 60,
    pacing: { perSecond: 10_000, perHour: 1_000_000 },
  });
  const mounts: Array<[string, HttpHandler]> = [];
  const h = startHarness({ file: opts.file, logLevel: opts.logLevel, adapters: [adapter], mount: (path, handler) => void mounts.push([path, handler]) });
  await h.ready;
  const logger = pino({ level: opts.logLevel ?? "silent" });
  const http = await startHttpServer({ feed: () => null, logger, mount: (app) => mounts.forEach(([p, handler]) => app.use(p, handler)) }, { port: 0, host: "127.0.0.1" });
  const url = `http://127.0.0.1:${http.port}`;
  const botId = `28:${identity.appId}`;
  const botName = "siko-bot";
  const base = { serviceUrl: connector.url, tenantId, botId, botName };
  return {
    h,
    adapter,
    identity,
    connector,
    http,
    botId,
    botName,
    tenantId,
    url,
    person(name) {
      const mri = `29:1${randomUUID().replace(/-/g, "")}`;
      return { aad: randomUUID(), mri, name, conversationId: connector.personalConversationOf(mri) };
    },
    activity: (name, values) => teamsActivity(name, { ...base, activityId: String(Date.now()) + randomUUID().slice(0, 4), ...values }),
    async post(activity, token) {
      const headers: Record<string, string> = { "Content-Type": "application/json" };
      if (typeof token === "string") headers.Authorization = `Bearer ${token}`;
      else if (token !== null && !opts.anonymous) headers.Authorization = `Bearer ${identity.channelToken(String(activity.serviceUrl), token ?? {})}`;
      const res = await fetch(`${url}/api/messages`, { method: "POST", headers, body: JSON.stringify(activity) });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        /* plain text */
      }
      return { status: res.status, body };
    },
    async close() {
      await http.close();
      await connector.close();
      await identity.close();
      h.close();
    },
  };
}
