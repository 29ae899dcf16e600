// Every card the Teams adapter makes passes the official Adaptive Cards parser (npm `adaptivecards`) without
// parse or validation events: the replies to each command, and everything the bot sends on its own
// (invitations, updates, cancellations, reminders, notices, delivery reports), as the outbox holds them.
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemo } from "../../src/app/demo.ts";
import { ReminderScheduler } from "../../src/reminders/scheduler.ts";
import type { OutboundMessage } from "../../src/port.ts";
import { messageCard, ownAddress, runsOf, splitLong } from "../../adapters/teams/cards.ts";
import { FakePlatform } from "../support/fakePlatform.ts";
import { REFERENCE_DIR, startHarness, type Harness, type Speaker } from "../support/harness.ts";
import { validateCard } from "../support/cardValidator.ts";

const ORGANISER: Speaker = { user: "orga", room: "lage-koeln" };
const ANNA: Speaker = { user: "Dr. Anna Becker", room: "direkt:anna", direct: true };

let h: Harness;
let chat: FakePlatform;
const replies: OutboundMessage[] = [];

async function run(text: string, as: Speaker = ORGANISER): Promise<void> {
  const platform = as.platform ?? "console";
  const result = await h.dispatcher.handle({ kind: "command", eventId: `t-${replies.length}-${text}`, sender: { platform, id: as.user }, room: { platform, id: as.room, direct: as.direct ?? false }, text });
  replies.push(...result.replies);
}

beforeAll(async () => {
  // The console platform reaches the demo's contacts by name; the cards are what Teams would show.
  chat = new FakePlatform("console", { edits: true });
  h = startHarness({ adapters: [chat] });
  h.clock.set(new Date("2027-02-01T08:00:00Z"));
  await h.say("ich", { user: "chef", room: "lage-bonn" });
  h.db.transaction((tx) => loadDemo(tx, REFERENCE_DIR, h.clock.now(), { platform: "console", userId: "orga", roomId: "lage-koeln" }));
  for (const line of [
    "hilfe",
    "help invite",
    "kpb liste",
    "kpb zeigen pp-koeln",
    "partner liste",
    'partner anlegen "Stadt **Köln** [x](https://evil.example)" --kategorie sonstige',
    "planen 2027-03-15 10:00 --ort \"Präsidium <b>Kalk</b>\"",
    "tagesordnung 1 --neu \"_Lage_ `Köln` # 1\"",
    "einladen 1 --frist 2027-03-01",
    "status 1",
    "liste",
    "uebersicht",
    "ics 1",
    "gibtsnicht",
    "verschieben 1 2027-03-22 10:00",
    "planen 2027-04-12 10:00",
    "einladen 2",
    'absagen 2 --ja "Lage **geändert**"',
  ])
    await run(line);
  await run("zusage 1", ANNA);
  await run('absage 1 "Termin *kollidiert*"', { user: "Dr. Thomas Wagner", room: "direkt:thomas", direct: true });
  await h.worker.flush();
  h.clock.advance(120_000);
  await h.worker.flush();
  // A year without a held SiKo: reminders and escalations for the organisers and the leaders.
  const scheduler = new ReminderScheduler({ db: h.db, clock: h.clock, settings: h.settings, logger: pino({ level: "silent" }), intervalMs: 60_000, policy: h.settings.reminderPolicy, kick: () => {} });
  scheduler.sweep();
  for (const day of ["2027-03-04T08:30:00Z", "2027-03-08T08:30:00Z", "2027-03-23T08:30:00Z", "2027-07-01T08:30:00Z", "2027-09-01T08:30:00Z"]) {
    h.clock.set(new Date(day));
    scheduler.sweep();
    await h.worker.flush();
  }
});
afterAll(() => h.close());

describe("Teams cards", () => {
  it("renders every reply and every message the bot sent, and each passes the Adaptive Cards parser", () => {
    const sent = [...chat.posted.map((p) => p.message), ...chat.edited.map((e) => e.message)];
    const kinds = new Set(sent.map((m) => m.kind));
    for (const k of ["invitation", "update", "cancellation", "reminder", "rsvp-notice"]) expect(kinds, k).toContain(k);
    expect(replies.length).toBeGreaterThan(15);
    for (const msg of [...replies, ...sent]) {
      const card = messageCard(msg, { file: msg.attachment ? { url: `https://siko.example/teams/ics/${msg.attachment.filename}`, filename: msg.attachment.filename, calendar: msg.attachment.contentType.startsWith("text/calendar") } : undefined, refreshFor: msg.rsvp ? ["29:1abc"] : undefined });
      expect(validateCard(card), msg.text.slice(0, 80)).toEqual([]);
      expect(card.version).toBe("1.5");
    }
  });

  it("the banner cards of a click (answer recorded, refused) pass too", () => {
    const invitation = chat.posted.find((p) => p.message.kind === "invitation")!.message;
    for (const tone of ["good", "attention"] as const) expect(validateCard(messageCard(invitation, { banner: { text: "Antwort `gespeichert`", tone } }))).toEqual([]);
  });

  it("never puts what a user typed into Markdown: user pieces are literal TextRuns, the bot's `…` spans monospace", () => {
    expect(runsOf([{ text: "Tippen Sie `zusage 1` für " }, { user: "**Köln** [x](https://evil.example) `y`" }])).toEqual([
      { type: "TextRun", text: "Tippen Sie " },
      { type: "TextRun", text: "zusage 1", fontType: "Monospace" },
      { type: "TextRun", text: " für " },
      { type: "TextRun", text: "**Köln** [x](https://evil.example) `y`" },
    ]);
    const all = [...replies, ...chat.posted.map((p) => p.message)].map((m) => JSON.stringify(messageCard(m)));
    for (const json of all) {
      expect(json).not.toContain('"TextBlock"');
      expect(json).not.toContain('"FactSet"');
    }
  });
});

describe("addresses of the bot's own", () => {
  it("are one address alone, on the bot's origin and under its path, after `..` is resolved", () => {
    const own = "https://siko.polizei.example/siko/";
    expect(ownAddress("https://siko.polizei.example/siko/bericht?token=abc", own)).toBe("https://siko.polizei.example/siko/bericht?token=abc");
    expect(ownAddress("https://siko.polizei.example/siko/../intranet", own)).toBeNull();
    expect(ownAddress("https://siko.polizei.example.evil.example/siko/x", own)).toBeNull();
    expect(ownAddress("https://siko.polizei.example@evil.example/siko/x", own)).toBeNull();
    expect(ownAddress("„https://siko.polizei.example/siko/x“", own)).toBeNull();
    expect(ownAddress("Siehe https://siko.polizei.example/siko/x", own)).toBeNull();
    expect(ownAddress("http://siko.polizei.example/siko/x", own)).toBeNull();
  });
});

describe("a long text on several cards", () => {
  it("starts a part in the middle of a table again with the table's header, so every card names the cells", () => {
    const rows = Array.from({ length: 400 }, (_, i) => `| KPB ${i} | SiKo | offen | – |`);
    const text = ["# Bericht", "", "| KPB | Art | Stand | durchgeführt am |", "|---|---|---|---|", ...rows, "", "Ende."].join("\n");
    const parts = splitLong({ text, locale: "de" });
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      const card = messageCard(part);
      expect(validateCard(card)).toEqual([]);
      expect(JSON.stringify(card).length).toBeLessThan(28_000);
      const lines = card.body.flatMap((b) => ("inlines" in b ? [b.inlines.map((r) => r.text).join("")] : []));
      expect(lines.filter((l) => l.startsWith("KPB ") && !l.includes(" · Art: SiKo · Stand: offen"))).toEqual([]);
    }
    expect(parts.map((p) => p.text.split("\n").filter((l) => /^\| KPB \d/.test(l)).length).reduce((a, b) => a + b)).toBe(400);
  });
});

describe("the answer hint", () => {
  it("is on a card with an invitation's answer buttons, not on one whose button confirms or takes a next step", () => {
    const hint = "Bitte antworten Sie mit einer der Schaltflächen.";
    const text = (card: ReturnType<typeof messageCard>) => JSON.stringify(card);
    const confirm = { label: "Absagen", action: { verb: "cancel", data: { conference: 1 } }, role: "destructive" as const };
    expect(text(messageCard({ text: "SiKo #1 absagen? 14 Kontakte werden benachrichtigt.", locale: "de", kind: "update", buttons: [confirm] }))).not.toContain(hint);
    const rsvp = { conferenceId: 1, partnerAgencyId: 2, startsAt: "2027-03-15T09:00:00.000Z", state: "open" as const, answer: [{ text: "Von X liegt noch keine Antwort vor." }] };
    const accept = { label: "Zusage", action: { verb: "rsvp", data: { conference: 1, answer: "accepted" } } };
    expect(text(messageCard({ text: "Einladung", locale: "de", kind: "invitation", buttons: [accept], rsvp }))).toContain(hint);
  });
});
