// The Teams adapter end to end: genuine Teams activities POSTed to the real CloudAdapter on the bot's HTTP
// server, replies and proactive messages captured by a local connector at the activities' serviceUrl, tokens
// both ways from a local identity provider. Scenario: plan and invite in a channel, a partner answers on the card.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemo } from "../../src/app/demo.ts";
import { REFERENCE_DIR } from "../support/harness.ts";
import { startTeamsBot, type Person, type TeamsBot } from "../support/teamsBot.ts";
import { validateCard } from "../support/cardValidator.ts";

const CHANNEL = "19:b3f2c0b5a3d94a1c9d0e1f2a3b4c5d6e@thread.tacv2";
/** The bound channel is the team's General channel: its id is the team's id. */
const TEAM = CHANNEL;

let bot: TeamsBot;
let organiser: Person;
let paul: Person;
let greta: Person;

type Action = { type: string; title: string; verb?: string; data?: Record<string, unknown>; url?: string; card?: Card };
type Card = { body: Array<{ type: string; inlines?: Array<{ text: string; selectAction?: { url: string } }>; actions?: Action[] }>; actions?: Action[]; refresh?: { userIds: string[] } };

/** The buttons of a card: in its action rows and its own actions. */
function buttonsOf(card: Card): Action[] {
  return [...card.body.flatMap((b) => b.actions ?? []), ...(card.actions ?? [])];
}

function cardOf(activity: Record<string, unknown>): Card {
  const attachments = activity.attachments as Array<{ contentType: string; content: Card }>;
  expect(attachments[0]!.contentType).toBe("application/vnd.microsoft.card.adaptive");
  return attachments[0]!.content;
}

/** Everything a card says, as plain text. */
function textOf(card: Card): string {
  return card.body.map((b) => (b.inlines ?? []).map((i) => i.text).join("")).join("\n");
}

function say(p: Person, text: string, inChannel = false) {
  const values = { text, userMri: p.mri, userAad: p.aad, userName: p.name };
  return bot.post(inChannel ? bot.activity("channel-message-mention", { ...values, conversationId: CHANNEL, teamId: TEAM }) : bot.activity("personal-message", { ...values, conversationId: p.conversationId }));
}

/** The replies the bot sent in the turn of the last channel message, as text. */
function lastRepliesInChannel(): string {
  const replies = bot.connector.requests.filter((r) => r.op === "reply" && r.conversationId.startsWith(CHANNEL));
  return textOf(cardOf(replies[replies.length - 1]!.body));
}

function click(p: Person, replyToId: string, data: Record<string, unknown>, activityId?: string) {
  const invoke = bot.activity("invoke-action-execute", { userMri: p.mri, userAad: p.aad, userName: p.name, conversationId: p.conversationId, replyToId, verb: "rsvp", title: "Zusage", ...(activityId ? { activityId } : {}) });
  (invoke.value as { action: { data: unknown } }).action.data = data;
  return bot.post(invoke);
}

/** The card an invoke was answered with (`adaptiveCard/action`'s response body), checked by the official parser. */
function answeredCard(res: { body: unknown }): Card {
  const card = (res.body as { value: Card }).value;
  expect(validateCard(card)).toEqual([]);
  return card;
}

/** Teams shows the card again (its `refresh`, for the user it names) and draws what the bot answers. */
async function refreshed(p: Person, replyToId: string): Promise<Card> {
  const refresh = bot.activity("invoke-action-execute", { userMri: p.mri, userAad: p.aad, userName: p.name, conversationId: p.conversationId, replyToId, verb: "refresh", title: "Aktualisieren" });
  return answeredCard(await bot.post(refresh));
}

/** The card in the person's 1:1 chat that announces `date` with its answer buttons. */
function answerCardFor(p: Person, date: string) {
  return bot.connector.inConversation(p.conversationId).find((c) => textOf(cardOf(c.activity)).includes(date) && buttonsOf(cardOf(c.activity)).some((a) => a.verb === "rsvp"))!;
}

beforeAll(async () => {
  bot = await startTeamsBot();
  organiser = bot.person("Olaf Organisator");
  paul = bot.person("Paul Partner");
  greta = bot.person("Greta Gericht");
  bot.h.clock.set(new Date("2027-02-01T08:00:00Z"));
  // PP Köln with its partners; the organiser is a Teams user and the channel is bound to the KPB.
  bot.h.db.transaction((tx) => loadDemo(tx, REFERENCE_DIR, bot.h.clock.now(), { platform: "teams", userId: organiser.aad, roomId: CHANNEL }));
});
afterAll(() => bot?.close());

describe("Teams: a SiKo planned in a channel, answered on the card", () => {
  let paulsCard: { id: string; activity: Record<string, unknown> };

  it("the team installs the app: the channel becomes reachable", async () => {
    const res = await bot.post(bot.activity("conversation-update-team-added", { userMri: organiser.mri, userAad: organiser.aad, conversationId: CHANNEL, teamAadGroupId: "6d0f4c1e-8a6b-4f1e-9b8e-2a7c3d4e5f60" }));
    expect(res.status).toBe(200);
  });

  it("Paul adds the app for himself (installationUpdate) and is greeted in his 1:1 chat", async () => {
    const res = await bot.post(bot.activity("installation-update-personal", { userMri: paul.mri, userAad: paul.aad, conversationId: paul.conversationId }));
    expect(res.status).toBe(200);
    expect(textOf(cardOf(bot.connector.inConversation(paul.conversationId)[0]!.activity))).toContain("siko-bot");
  });

  it("the organiser registers the partners' Teams contacts, plans and invites by @mentioning the bot in the channel", async () => {
    expect((await say(organiser, `kontakt anlegen "Staatsanwaltschaft Köln" "Paul Partner" --teams ${paul.aad.toUpperCase()} --leitung ja`, true)).status).toBe(200);
    expect(lastRepliesInChannel()).toContain("Paul Partner");
    await say(organiser, `kontakt anlegen "Landgericht Köln" "Greta Gericht" --teams ${greta.aad} --leitung ja`, true);
    await say(organiser, "planen 2027-03-15 10:00 --ort Präsidium", true);
    expect(lastRepliesInChannel()).toContain("#1");
    await say(organiser, "einladen 1", true);
    const invited = lastRepliesInChannel();
    expect(invited).toContain("Paul Partner");
    // The demo's contacts have no Teams id: einladen names them (they are reached by e-mail in a later version).
    expect(invited).toContain("Dr. Anna Becker");
    // The reply went into the thread of the command, with the bot's token.
    const reply = bot.connector.requests.filter((r) => r.op === "reply").at(-1)!;
    expect(reply.conversationId).toContain(";messageid=");
    expect(bot.identity.issued.has(reply.authorization!.slice("Bearer ".length))).toBe(true);
  });

  it("Paul's 1:1 chat receives the invitation card: facts, agenda, four answer buttons and the .ics link", async () => {
    await bot.h.worker.flush();
    // The report of what could not be delivered is queued at the end of a round and goes out in the next.
    await bot.h.worker.flush();
    const cards = bot.connector.inConversation(paul.conversationId);
    paulsCard = cards.find((c) => buttonsOf(cardOf(c.activity)).some((a) => a.verb === "rsvp"))!;
    expect(paulsCard).toBeDefined();
    const card = cardOf(paulsCard.activity);
    expect(validateCard(card)).toEqual([]);
    expect(textOf(card)).toContain("Präsidium");
    expect(textOf(card)).toContain("Staatsanwaltschaft Köln");
    expect(buttonsOf(card).map((a) => a.type)).toEqual(["Action.Execute", "Action.Execute", "Action.Execute", "Action.ShowCard"]);
    expect(buttonsOf(card)[0]).toMatchObject({ verb: "rsvp", data: { conference: 1, answer: "accepted" } });
    expect(card.refresh?.userIds).toEqual([paul.mri]);
    // The .ics is a download link that works without Teams, with an unguessable token.
    // SIKO_PUBLIC_URL is the harness's http://localhost:3978; the bot listens on a free port here.
    const icsRun = card.body.flatMap((b) => b.inlines ?? []).find((r) => r.selectAction)!;
    const link = icsRun.selectAction!.url.replace("http://localhost:3978", bot.url);
    expect(icsRun.text).toBe("📅 Kalenderdatei (.ics) herunterladen");
    expect(link).toMatch(/\/teams\/ics\/[A-Za-z0-9._-]+\.ics\?token=[A-Za-z0-9_-]{43}$/);
    const ics = await fetch(link);
    expect(ics.status).toBe(200);
    expect(ics.headers.get("content-type")).toBe("text/calendar; charset=utf-8; method=REQUEST");
    expect(await ics.text()).toContain("BEGIN:VCALENDAR");
    expect((await fetch(link.replace(/token=[A-Za-z0-9_-]{43}$/, "token=" + "A".repeat(43)))).status).toBe(404);
    expect((await fetch(link.replace(/\?token=.*$/, ""))).status).toBe(404);
  });

  it("Greta has not installed the app: her invitation is parked and the organisers are told in the channel", async () => {
    expect(bot.connector.inConversation(greta.conversationId)).toEqual([]);
    const parked = bot.h.sqlite.prepare("SELECT status FROM outbox WHERE platform = 'teams' AND address_id = ? AND kind = 'invitation'").get(greta.aad) as { status: string };
    expect(parked.status).toBe("parked");
    const report = bot.connector.inConversation(CHANNEL).map((c) => textOf(cardOf(c.activity))).find((t) => t.includes("nicht zugestellt"));
    expect(report).toContain("Greta Gericht");
  });

  it("Zusage on the card: the invoke answers with the updated card, and the card in the chat is updated", async () => {
    const res = await click(paul, paulsCard.id, { conference: 1, answer: "accepted" });
    expect(res.status).toBe(200);
    const body = res.body as { statusCode: number; type: string; value: Card };
    expect(body.statusCode).toBe(200);
    expect(body.type).toBe("application/vnd.microsoft.card.adaptive");
    expect(validateCard(body.value)).toEqual([]);
    expect(textOf(body.value)).toContain("Antwort von Staatsanwaltschaft Köln: Zusage");
    await bot.h.worker.flush();
    const update = bot.connector.requests.find((r) => r.op === "update" && r.activityId === paulsCard.id);
    expect(update).toBeDefined();
    expect(textOf(cardOf(update!.body))).toContain("Antwort von Staatsanwaltschaft Köln: Zusage");
  });

  it("status in the channel shows the answer", async () => {
    await say(organiser, "status 1", true);
    expect(lastRepliesInChannel()).toMatch(/Staatsanwaltschaft Köln[^\n]*Zusage/);
  });

  it("the same invoke delivered twice is one answer, and gets the same card", async () => {
    const before = bot.h.count("rsvp_log");
    const first = await click(paul, paulsCard.id, { conference: 1, answer: "tentative" }, "f:redelivered-1");
    const again = await click(paul, paulsCard.id, { conference: 1, answer: "tentative" }, "f:redelivered-1");
    expect(bot.h.count("rsvp_log")).toBe(before + 1);
    expect(again.body).toEqual(first.body);
  });

  it("pressing the answer already given keeps the whole card (facts, buttons) and says that nothing changed", async () => {
    const res = await click(paul, paulsCard.id, { conference: 1, answer: "tentative" }, "f:same-again");
    const card = answeredCard(res);
    expect(textOf(card)).toContain("bereits „Vorbehalt“ gespeichert; nichts geändert");
    expect(textOf(card)).toContain("Präsidium");
    expect(buttonsOf(card).filter((a) => a.verb === "rsvp")).toHaveLength(3);
  });

  it("a click from someone who is not invited gets an error card and changes nothing", async () => {
    const stranger = bot.person("Sven Fremd");
    const before = bot.h.dump(["users", "rooms", "outbox", "adapter_state"]);
    const res = await click(stranger, paulsCard.id, { conference: 1, answer: "declined" });
    const card = answeredCard(res);
    expect(textOf(card)).not.toContain("Antwort von");
    expect(card.body[0]!.inlines![0]).toMatchObject({ color: "Attention" });
    expect(bot.h.dump(["users", "rooms", "outbox", "adapter_state"])).toEqual(before);
  });

  it("the deputy's name from the card's text input goes to the core as the answer's text", async () => {
    const res = await click(paul, paulsCard.id, { conference: 1, answer: "delegated", text: "OStA **Klaus** [Berg](https://example.org)" });
    const card = answeredCard(res);
    expect(textOf(card)).toContain("Vertretung: OStA **Klaus** [Berg](https://example.org)");
    // What a person typed is a literal TextRun: never Markdown, never a link.
    expect(JSON.stringify(card)).not.toMatch(/"type":"TextBlock"/);
  });

  it("a deputy's name the core refuses is explained on the card without the typed command's usage line", async () => {
    const before = bot.h.count("rsvp_log");
    const res = await click(paul, paulsCard.id, { conference: 1, answer: "delegated", text: "x".repeat(400) });
    const card = answeredCard(res);
    expect(textOf(card)).toContain("Ungültiger Wert");
    expect(textOf(card)).not.toContain("Aufruf:");
    expect(textOf(card)).toContain("Präsidium"); // the invitation stays on the card
    expect(bot.h.count("rsvp_log")).toBe(before);
  });

  it("Greta installs the app: her parked invitation goes out", async () => {
    await bot.post(bot.activity("installation-update-personal", { userMri: greta.mri, userAad: greta.aad, conversationId: greta.conversationId }));
    await bot.h.worker.flush();
    const texts = bot.connector.inConversation(greta.conversationId).map((c) => textOf(cardOf(c.activity)));
    expect(texts.some((t) => t.includes("Einladung") && t.includes("Landgericht Köln"))).toBe(true);
  });

  it("a person granted a role by id is named by the name Teams gives, once they write", async () => {
    const leo = bot.person("Leo Leitung");
    expect(await bot.h.say(`rolle geben ${leo.aad} leitung --kpb koeln`)).toContain("leitung");
    expect((await say(leo, "ich")).status).toBe(200);
    const reply = bot.connector.requests.filter((r) => r.op === "reply" && r.conversationId === leo.conversationId).at(-1)!;
    expect(textOf(cardOf(reply.body))).toContain(`Sie sind Leo Leitung (teams:${leo.aad})`);
  });

  it("an address of the bot's own in a reply (the LZPD's report page) is a link on the card; a user's URL is not", async () => {
    const lena = bot.person("Lena LZPD");
    expect(await bot.h.say(`rolle geben ${lena.aad} lzpd`)).toContain("lzpd");
    expect((await say(lena, "bericht 2027 --seite")).status).toBe(200);
    const reply = bot.connector.requests.filter((r) => r.op === "reply" && r.conversationId === lena.conversationId).at(-1)!;
    const card = cardOf(reply.body);
    expect(validateCard(card)).toEqual([]);
    const linked = card.body.flatMap((b) => b.inlines ?? []).filter((r) => r.selectAction);
    expect(linked).toHaveLength(1);
    expect(linked[0]!.text).toMatch(/^http:\/\/localhost:3978\/bericht\?token=[A-Za-z0-9_-]+$/);
    expect(linked[0]!.selectAction!.url).toBe(linked[0]!.text);
    // A place typed as an address of the bot's own, alone, stays text: only a link message's own line is a link.
    expect((await say(organiser, "ort 1 http://localhost:3978/bericht?token=abc", true)).status).toBe(200);
    const echoed = cardOf(bot.connector.requests.filter((r) => r.op === "reply" && r.conversationId.startsWith(CHANNEL)).at(-1)!.body);
    expect(textOf(echoed)).toContain("http://localhost:3978/bericht?token=abc");
    expect(echoed.body.flatMap((b) => b.inlines ?? []).some((r) => r.selectAction)).toBe(false);
  });

  it("the LZPD's report reads as lines on the cards, not as Markdown: headings bold, each table row one line with its cells named", async () => {
    const lzpd = bot.person("Lars LZPD");
    await bot.h.say(`rolle geben ${lzpd.aad} lzpd`);
    const from = bot.connector.requests.length;
    expect((await say(lzpd, "bericht 2027")).status).toBe(200);
    const cards = bot.connector.requests.slice(from).filter((r) => r.op === "reply" && r.conversationId === lzpd.conversationId).map((r) => cardOf(r.body));
    for (const card of cards) {
      expect(validateCard(card)).toEqual([]);
      expect(JSON.stringify(card).length).toBeLessThan(28_000);
      expect(textOf(card)).not.toMatch(/^(\||#)/m);
    }
    const text = cards.map(textOf).join("\n");
    expect(text).toContain("Jahresbericht Sicherheitskonferenzen 2027 – NRW (47 KPBs)");
    expect(text).toMatch(/^KPB Borken · Art: SiKo · Stand: nicht angebunden$/m);
    expect(text).toMatch(/^PP Köln · Art: SiKo · Stand: /m);
  });

  it("a file asked for in the 1:1 chat (the report as CSV) is a link named after the file, served as what it is, for a day", async () => {
    expect((await say(organiser, "bericht 2027 --format csv")).status).toBe(200);
    const reply = bot.connector.requests.filter((r) => r.op === "reply" && r.conversationId === organiser.conversationId).at(-1)!;
    const card = cardOf(reply.body);
    expect(validateCard(card)).toEqual([]);
    const fileRun = card.body.flatMap((b) => b.inlines ?? []).find((r) => r.selectAction)!;
    expect(fileRun.text).toBe("📄 siko-bericht-2027-koeln.csv herunterladen (der Link gilt einen Tag)");
    const link = fileRun.selectAction!.url.replace("http://localhost:3978", bot.url);
    expect(link).toMatch(/\/teams\/ics\/siko-bericht-2027-koeln\.csv\?token=[A-Za-z0-9_-]{43}$/);
    const file = await fetch(link);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(file.headers.get("content-disposition")).toBe('attachment; filename="siko-bericht-2027-koeln.csv"');
    expect(await file.text()).toContain("PP Köln");
    bot.h.clock.set(new Date(bot.h.clock.now().getTime() + 86_400_000 + 1));
    expect((await fetch(link)).status).toBe(404);
  });

  it("a new place: Paul's card says where the conference is now, and so does the card his answer returns", async () => {
    expect((await say(organiser, 'ort 1 "Polizeipräsidium Köln, Saal 3"', true)).status).toBe(200);
    await bot.h.worker.flush();
    const edited = cardOf(bot.connector.requests.filter((r) => r.op === "update" && r.activityId === paulsCard.id).at(-1)!.body);
    expect(validateCard(edited)).toEqual([]);
    expect(textOf(edited)).toContain("Neuer Ort für SiKo #1: Polizeipräsidium Köln, Saal 3.");
    const res = await click(paul, paulsCard.id, { conference: 1, answer: "accepted" }, "f:after-place");
    const card = answeredCard(res);
    expect(textOf(card)).toContain("Antwort von Staatsanwaltschaft Köln: Zusage");
    expect(textOf(card)).toContain("Neuer Ort für SiKo #1: Polizeipräsidium Köln, Saal 3.");
    expect(buttonsOf(card).filter((a) => a.verb === "rsvp")).toHaveLength(3);
  });

  it("a moved invitation's card no longer offers its calendar file; once the conference has begun a card shows no answer buttons", async () => {
    expect((await say(organiser, "verschieben 1 2027-03-22 10:00", true)).status).toBe(200);
    await bot.h.worker.flush();
    await bot.h.worker.flush();
    const links = (card: Card) => card.body.flatMap((b) => b.inlines ?? []).filter((r) => r.selectAction);
    const moved = cardOf(bot.connector.requests.filter((r) => r.op === "update" && r.activityId === paulsCard.id).at(-1)!.body);
    expect(textOf(moved)).toContain("15.03.2027");
    expect(buttonsOf(moved).filter((a) => a.verb === "rsvp")).toEqual([]);
    expect(links(moved)).toEqual([]);
    const current = answerCardFor(paul, "22.03.2027");
    expect(links(cardOf(current.activity)).map((r) => r.text)).toEqual(["📅 Kalenderdatei (.ics) herunterladen"]);

    // Half an hour after the start Paul looks at the card: Teams asks for it again (refresh).
    bot.h.clock.set(new Date("2027-03-22T09:30:00Z"));
    const shown = await refreshed(paul, current.id);
    expect(textOf(shown)).toContain("SiKo #1 hat begonnen; Antworten sind nicht mehr möglich.");
    expect(buttonsOf(shown).filter((a) => a.verb === "rsvp")).toEqual([]);
    expect(textOf(shown)).not.toContain("Bitte antworten Sie mit einer der Schaltflächen");
  });

  it("once the KPB removes Paul, his card shows what he was sent, without answers, and nothing newer", async () => {
    bot.h.clock.set(new Date("2027-03-10T08:00:00Z")); // before the (moved) conference
    const current = answerCardFor(paul, "22.03.2027");
    await say(organiser, 'kontakt entfernen "Staatsanwaltschaft Köln" "Paul Partner"', true);
    await say(organiser, 'ort 1 "Geheimer Ort, Raum 7"', true);
    await say(organiser, 'absage 1 "Termin" --fuer "Staatsanwaltschaft Köln"', true);
    const sent = bot.connector.requests.length;
    await bot.h.worker.flush();
    expect(bot.connector.requests.slice(sent).filter((r) => r.conversationId.startsWith(paul.conversationId))).toEqual([]);
    const shown = await refreshed(paul, current.id);
    expect(textOf(shown)).toContain("Diese Nachricht ist nicht mehr aktuell: Sie sind für diese Einladung nicht mehr eingetragen, oder sie ging an eine nicht mehr gültige Adresse. Antworten sind hier nicht möglich; bitte wenden Sie sich an die einladende KPB.");
    expect(textOf(shown)).not.toMatch(/Geheimer Ort|Absage/);
    expect(buttonsOf(shown).filter((a) => a.verb === "rsvp")).toEqual([]);
    // A press on it changes nothing and shows nothing newer either.
    const pressed = answeredCard(await click(paul, current.id, { conference: 1, answer: "accepted" }, "f:removed"));
    expect(textOf(pressed)).not.toMatch(/Geheimer Ort|Antwort von Staatsanwaltschaft Köln: Absage/);
    expect(bot.h.sqlite.prepare("SELECT answer FROM invitations i JOIN partner_agencies p ON p.id = i.partner_agency_id WHERE p.name = 'Staatsanwaltschaft Köln'").get()).toEqual({ answer: "declined" });
  });
});
