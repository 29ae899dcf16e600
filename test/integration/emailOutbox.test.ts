// The outbox treats SMTP like any platform (DESIGN §4): a 5xx for a recipient fails the invitation at once and
// the organisers hear of it in their room; a connection lost after DATA leaves the row "uncertain", reported and
// never sent a second time; a 4xx waits and then goes out. Real core, real SMTP server, the chat played by the
// FakePlatform.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startEmailBot, type EmailBot } from "../support/emailHost.ts";
import { FakePlatform } from "../support/fakePlatform.ts";
import type { Harness, Speaker } from "../support/harness.ts";
import type { TestSmtp } from "../support/smtpServer.ts";

const ORGA: Speaker = { user: "@orga:polizei.example", room: "!leitungsstab:polizei.example", platform: "matrix" };
let bot: EmailBot;
let smtp: TestSmtp;
let h: Harness;
let chat: FakePlatform;

function statusOf(address: string): string[] {
  return (h.sqlite.prepare("SELECT status FROM outbox WHERE platform = 'email' AND address_id = ? ORDER BY id").all(address) as { status: string }[]).map((r) => r.status);
}

beforeAll(async () => {
  chat = new FakePlatform("matrix");
  bot = await startEmailBot({ others: [chat] });
  ({ smtp, h } = bot);
  await h.say("kpb import nrw");
  await h.say(`rolle geben ${ORGA.user} admin`);
  await h.say('raum binden "PP Köln"', ORGA);
  for (const [partner, category, name, address] of [
    ["Staatsanwaltschaft Köln", "staatsanwaltschaft", "Anna Becker", "anna@sta.example"],
    ["Amtsgericht Köln", "gericht", "Bert Jansen", "bert@ag.example"],
    ["Schulamt Köln", "schulamt", "Clara Özdemir", "clara@schulamt.example"],
  ] as const) {
    await h.say(`partner anlegen "${partner}" --kategorie ${category}`, ORGA);
    await h.say(`kontakt anlegen "${partner}" "${name}" --email ${address}`, ORGA);
  }
  await h.say("planen 2027-03-15 10:00", ORGA);
});
afterAll(() => bot?.close());

it("550 fails at once and is reported, a drop after DATA is uncertain and never resent, 451 goes out later", async () => {
  smtp.refuse.set("anna@sta.example", 550);
  smtp.refuse.set("clara@schulamt.example", 451);
  smtp.dropAfterData = 1;
  await h.say("einladen 1 --trotzdem", ORGA);
  await h.worker.flush();

  expect(statusOf("anna@sta.example")).toEqual(["failed"]);
  expect(statusOf("bert@ag.example")).toEqual(["uncertain"]);
  expect(statusOf("clara@schulamt.example")).toEqual(["pending"]);
  const reports = chat.posted.filter((p) => p.to.id === ORGA.room && p.message.kind === "delivery-report").map((p) => p.message.text).join("\n");
  expect(reports).toContain("Anna Becker");
  expect(reports).toContain("Bert Jansen");
  expect(smtp.received).toHaveLength(0);

  // The greylisting passes; after the wait Clara's invitation goes out, and Bert's uncertain one is not sent again.
  smtp.refuse.delete("clara@schulamt.example");
  h.clock.advance(5 * 60_000 + 1_000);
  await h.worker.flush();
  expect(statusOf("clara@schulamt.example")).toEqual(["delivered"]);
  expect(statusOf("bert@ag.example")).toEqual(["uncertain"]);
  expect(smtp.received.map((m) => m.to)).toEqual([["clara@schulamt.example"]]);
});
