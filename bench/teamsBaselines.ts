// The two comparison bots of bench/teams.bench.ts, each run in a process of its own as the siko bot is:
//   echo: the bare bot, botbuilder's stock CloudAdapter and ConfigurationBotFrameworkAuthentication with the same
//         settings, echoing the text in the turn. Only its outbound token comes from the local identity
//         provider, as the siko bot's does (botbuilder's own token path needs login.microsoftonline.com).
//   stub: the Teams adapter with a core that answers at once with a status reply made beforehand
//         (BENCH_REPLY_FILE): what the adapter costs apart from the core's work.
// Both read the app's credentials from SIKO_TEAMS_* and Bot Framework's endpoint settings from the environment,
// listen on 127.0.0.1:BENCH_PORT, and print "listening" once they take requests.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import express from "express";
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from "botbuilder";
import { authenticationSettings, credentialsFactory } from "../adapters/teams/auth.ts";
import { createTeamsAdapter } from "../adapters/teams/index.ts";
import { loadConfig } from "../src/config.ts";
import type { OutboundMessage } from "../src/port.ts";
import { testHost } from "../test/support/testHost.ts";

const env = process.env;
const creds = { appId: env.SIKO_TEAMS_APP_ID, appPassword: env.SIKO_TEAMS_APP_PASSWORD, appType: "SingleTenant" as const, tenantId: env.SIKO_TEAMS_TENANT_ID };
const app = express();

if (process.argv[2] === "echo") {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(authenticationSettings(creds, env), credentialsFactory(creds)));
  app.post("/api/messages", express.json(), (req, res) => void adapter.process(req, res, async (ctx: TurnContext) => void (await ctx.sendActivity(`echo: ${ctx.activity.text}`))));
} else {
  const reply = JSON.parse(readFileSync(env.BENCH_REPLY_FILE!, "utf8")) as OutboundMessage;
  // Built as the production bot builds it, from the same SIKO_* settings.
  const adapter = createTeamsAdapter(loadConfig(env), env);
  const host = testHost("http://localhost:3978");
  host.now.value = new Date();
  await adapter.start(host, async () => ({ outcome: "done", replies: [reply] }));
  for (const [path, handler] of host.routes) app.use(path, handler as express.RequestHandler);
}

createServer(app).listen(Number(env.BENCH_PORT), "127.0.0.1", () => console.log("listening"));
