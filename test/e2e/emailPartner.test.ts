// A SiKo with partners on two channels: the organisers and one partner on a chat platform (the spec-shaped
// FakePlatform playing Matrix), one partner with nothing but an e-mail address. The e-mail partner gets an iMIP
// invitation through a real SMTP server, answers through the personal link over real HTTP, and the organiser's
// `status` shows that answer beside the chat partner's, with the same notice in the KPB room.
import { afterAll, beforeAll, expect, it } from "vitest";
import { answerForm, answerLinkIn, startEmailBot, type EmailBot } from "../support/emailHost.ts";
import { FakePlatform } from "../support/fakePlatform.ts";
import type { Harness, Speaker } from "../support/harness.ts";
import type { TestSmtp } from "../support/smtpServer.ts";

const ORGA: Speaker = { user: "@orga:polizei.example", room: "!leitungsstab:polizei.example", platform: "matrix" };
const MARKUS = "@markus:bundespolizei.example";
let bot: EmailBot;
let smtp: TestSmtp;
let h: Harness;
let chat: FakePlatform;

beforeAll(async () => {
  chat = new FakePlatform("matrix");
  bot = await startEmailBot({ others: [chat], http: true });
  ({ smtp, h } = bot);
});
afterAll(() => bot?.close());

it("an e-mail-only contact answers through the link and the organiser sees it beside the chat answers", async () => {
  await h.say("kpb import nrw");
  await h.say(`rolle geben ${ORGA.user} admin`);
  expect(await h.say('raum binden "PP Köln"', ORGA)).toContain("PP Köln");
  await h.say(`rolle geben ${ORGA.user} organisator --kpb "PP Köln"`);
  await h.say('partner anlegen "Staatsanwaltschaft Köln" --kategorie staatsanwaltschaft', ORGA);
  await h.say('partner anlegen "Bundespolizeiinspektion Köln" --kategorie bundespolizei', ORGA);
  await h.say('kontakt anlegen "Staatsanwaltschaft Köln" "Dr. Anna Becker" --email Anna.Becker@sta-koeln.example', ORGA);
  await h.say(`kontakt anlegen "Bundespolizeiinspektion Köln" "Markus Hoffmann" --matrix ${MARKUS}`, ORGA);
  expect(await h.say("planen 2027-03-15 10:00", ORGA)).toContain("SiKo #1");
  expect(await h.say("einladen 1 --trotzdem", ORGA)).toContain("Dr. Anna Becker");
  await h.worker.flush();

  // Markus has his invitation in the chat, Anna hers by e-mail (and nothing of hers went to the chat).
  expect(chat.inboxOf(MARKUS).some((m) => m.kind === "invitation")).toBe(true);
  const [mail] = await smtp.waitFor(1);
  expect(mail!.to).toEqual(["anna.becker@sta-koeln.example"]);
  expect(chat.posted.some((p) => p.to.id.includes("anna"))).toBe(false);

  // Markus declines with a button in the chat.
  const chatAnswer = await chat.deliver({
    kind: "action",
    eventId: "$markus-declines",
    sender: { platform: "matrix", id: MARKUS },
    room: { platform: "matrix", id: "!dm-markus", direct: true },
    action: { verb: "rsvp", data: { conference: 1, answer: "declined" } },
  });
  expect(chatAnswer.outcome).toBe("done");

  // Anna opens her link and accepts.
  const link = await answerLinkIn(mail!.raw);
  expect(link.startsWith(`${bot.base}/antwort/`)).toBe(true);
  const res = await fetch(link, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...(await answerForm(link)), answer: "accepted" }),
  });
  expect(res.status).toBe(200);

  const status = await h.say("status 1", ORGA);
  expect(status).toMatch(/Staatsanwaltschaft Köln[^\n]*Zusage/);
  expect(status).toMatch(/Bundespolizeiinspektion Köln[^\n]*Absage/);

  // The organisers hear of both answers in their room, in one notice.
  h.clock.advance(61_000);
  await h.worker.flush();
  const notices = chat.posted.filter((p) => p.to.id === ORGA.room && p.message.kind === "rsvp-notice").map((p) => p.message.text);
  expect(notices.join("\n")).toContain("Staatsanwaltschaft Köln");
  expect(notices.join("\n")).toContain("Bundespolizeiinspektion Köln");
});
