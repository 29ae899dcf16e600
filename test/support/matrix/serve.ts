// `npm run matrix:testserver`: the test homeserver on its own, for pointing the bot or another client at it.
// Tokens are fixed, so a shell that exported them once keeps working after a restart of the server; every
// user's password (for clients that log in) is their localpart. Everything lives in memory.
import { TestHomeserver } from "./homeserver.ts";

const port = Number(process.env.MATRIX_TESTSERVER_PORT ?? 8008);
const host = process.env.MATRIX_TESTSERVER_HOST ?? "127.0.0.1";
const hs = new TestHomeserver();
const bot = hs.registerUser("siko", "siko-bot", "syt_siko_testserver_token");
const orga = hs.registerUser("orga", "Olga Organisatorin", "syt_orga_testserver_token");
const anna = hs.registerUser("anna", "Dr. Anna Becker", "syt_anna_testserver_token");
const url = await hs.listen(port, host);

process.stdout.write(
  [
    `Matrix test homeserver on ${url} (server name ${hs.serverName}, in memory)`,
    `bot     ${bot.userId}   token ${bot.accessToken}`,
    `person  ${orga.userId}   token ${orga.accessToken}   password orga`,
    `person  ${anna.userId}   token ${anna.accessToken}   password anna`,
    "",
    "The bot against it:",
    `  SIKO_ADAPTERS=matrix SIKO_MATRIX_HOMESERVER_URL=${url} SIKO_MATRIX_ACCESS_TOKEN=${bot.accessToken} SIKO_ADMINS=${orga.userId} SIKO_MATRIX_ALLOWED_INVITERS=${hs.serverName} npm start`,
    "",
  ].join("\n"),
);

for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void hs.close().then(() => process.exit(0)));
