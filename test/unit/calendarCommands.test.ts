// `ics <id>` and `kalender link/erneuern` through the real Dispatcher on an in-memory database with the PP Köln
// demo data. Every .ics is read back with ical.js (Thunderbird's parser), not with our own code.
import ICAL from "ical.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFeedService } from "../../src/app/calendar/feed.ts";
import { loadDemo } from "../../src/app/demo.ts";
import type { OutboundMessage } from "../../src/port.ts";
import { ADMIN, REFERENCE_DIR, startHarness, type Harness, type Speaker } from "../support/harness.ts";

const ORGA: Speaker = { user: "orga", room: "lage" };
const ANNA: Speaker = { user: "Dr. Anna Becker", room: "dm-anna", direct: true };

let h: Harness;
let n = 0;

/** Like Harness.say, but returns the whole messages (the attachment is what these tests are about). */
async function send(text: string, as: Speaker): Promise<OutboundMessage[]> {
  return (await h.dispatcher.handle({
    kind: "command",
    eventId: `cal-${++n}`,
    sender: { platform: "console", id: as.user },
    room: { platform: "console", id: as.room, direct: as.direct ?? false },
    text,
  })).replies;
}

async function one(text: string, as: Speaker): Promise<OutboundMessage> {
  const replies = await send(text, as);
  expect(replies).toHaveLength(1);
  return replies[0]!;
}

interface Parsed {
  method: string;
  uid: string;
  sequence: number;
  status: string;
  start: string;
  attendees: string[];
}

function parse(content: string): Parsed {
  const cal = new ICAL.Component(ICAL.parse(content));
  const events = cal.getAllSubcomponents("vevent");
  expect(events).toHaveLength(1);
  const ev = events[0]!;
  const start = ev.getFirstPropertyValue("dtstart") as ICAL.Time;
  return {
    method: String(cal.getFirstPropertyValue("method")),
    uid: String(ev.getFirstPropertyValue("uid")),
    sequence: Number(ev.getFirstPropertyValue("sequence")),
    status: String(ev.getFirstPropertyValue("status")),
    start: start.toJSDate().toISOString(),
    // ical-generator writes `MAILTO:`; the scheme is case-insensitive (RFC 3986).
    attendees: ev.getAllProperties("attendee").map((p) => String(p.getFirstValue()).replace(/^mailto:/i, "mailto:")),
  };
}

function outboxAttachments(keyPrefix: string): string[] {
  return (h.sqlite.prepare("SELECT key, message FROM outbox WHERE key LIKE ? ORDER BY id").all(`${keyPrefix}%`) as { message: string }[])
    .map((r) => (JSON.parse(r.message) as OutboundMessage).attachment?.content)
    .filter((c): c is string => typeof c === "string");
}

beforeEach(async () => {
  n = 0;
  h = startHarness();
  await h.say("hilfe", ADMIN); // the first console user becomes admin; everyone after has only the roles given
  h.db.transaction((tx) => loadDemo(tx, REFERENCE_DIR, h.clock.now(), { platform: "console", userId: ORGA.user, roomId: ORGA.room }));
  await h.say("planen 2027-03-15 10:00", ORGA);
  await h.say("einladen 1", ORGA);
});
afterEach(() => h.close());

describe("ics <id>", () => {
  it("hands out the current REQUEST with the same UID and SEQUENCE as the invitation that was sent", async () => {
    const sent = outboxAttachments("invite:conf=1:");
    expect(sent.length).toBeGreaterThan(0);
    const invitation = parse(sent[0]!);

    const reply = await one("ics 1", ORGA);
    expect(reply.text).toContain("SiKo #1");
    expect(reply.text).toContain("Vertraulich");
    expect(reply.attachment).toBeDefined();
    expect(reply.attachment!.filename).toMatch(/^2027-03-15-[a-z0-9-]+\.ics$/);
    expect(reply.attachment!.contentType).toBe("text/calendar; charset=utf-8; method=REQUEST");
    const ics = parse(reply.attachment!.content);
    expect(ics.method).toBe("REQUEST");
    expect(ics.uid).toBe(invitation.uid);
    expect(ics.sequence).toBe(invitation.sequence);
    expect(ics.status).toBe("CONFIRMED");
    expect(ics.start).toBe("2027-03-15T09:00:00.000Z"); // 10:00 Berlin, winter time
    expect(ics.attendees).toContain("mailto:anna.becker@sta-koeln.example");
  });

  it("after `verschieben` keeps the UID with a higher SEQUENCE; after `absagen` it is a CANCEL", async () => {
    const before = parse((await one("ics 1", ORGA)).attachment!.content);

    await h.say("verschieben 1 2027-03-29 09:00", ORGA);
    const moved = parse((await one("ics 1", ORGA)).attachment!.content);
    expect(moved.method).toBe("REQUEST");
    expect(moved.uid).toBe(before.uid);
    expect(moved.sequence).toBeGreaterThan(before.sequence);
    expect(moved.start).toBe("2027-03-29T07:00:00.000Z"); // summer time
    // what `ics` hands out matches the change notice that went to the partners
    const notice = parse(outboxAttachments("update:conf=1:")[0]!);
    expect(moved.sequence).toBe(notice.sequence);

    await h.say('absagen 1 --ja "Terminkollision"', ORGA);
    const reply = await one("ics 1", ORGA);
    expect(reply.text).toContain("abgesagt");
    expect(reply.attachment!.contentType).toBe("text/calendar; charset=utf-8; method=CANCEL");
    const cancelled = parse(reply.attachment!.content);
    expect(cancelled.method).toBe("CANCEL");
    expect(cancelled.status).toBe("CANCELLED");
    expect(cancelled.uid).toBe(before.uid);
    expect(cancelled.sequence).toBeGreaterThan(moved.sequence);
  });

  it("a new place or a changed agenda is an update: same UID, higher SEQUENCE, answers kept", async () => {
    await h.say("zusage 1", { user: "Dr. Anna Becker", room: "direkt:anna", direct: true });
    const before = parse((await one("ics 1", ORGA)).attachment!.content);
    expect((await one('ort 1 "Raum 1\r\nATTENDEE:mailto:x@evil"', ORGA)).text).toContain("Steuerzeichen");
    expect((await one('ort 1 "Polizeipräsidium Köln, Raum 1.14"', ORGA)).text).toContain("12 Kontakte wurden benachrichtigt; die Antworten bleiben bestehen.");
    const placed = parse((await one("ics 1", ORGA)).attachment!.content);
    expect([placed.uid, placed.sequence]).toEqual([before.uid, before.sequence + 1]);
    // Outbox keys count the stored revision; the file's SEQUENCE is the version people read ("Fassung"), one more.
    const notice = outboxAttachments(`update:conf=1:seq=${placed.sequence - 1}:`);
    expect(notice).toHaveLength(12);
    const location = new ICAL.Component(ICAL.parse(notice[0]!)).getFirstSubcomponent("vevent")!.getFirstPropertyValue("location");
    expect(location).toBe("Polizeipräsidium Köln, Raum 1.14");
    expect(h.sqlite.prepare("SELECT count(*) AS n FROM invitations WHERE answer = 'accepted'").get()).toEqual({ n: 1 });

    await h.say('tagesordnung 1 --neu "Lagebild Silvester"', ORGA);
    const agenda = parse((await one("ics 1", ORGA)).attachment!.content);
    expect(agenda.sequence).toBe(placed.sequence + 1);
    expect(outboxAttachments(`update:conf=1:seq=${agenda.sequence - 1}:`)[0]).toContain("Lagebild Silvester");
  });

  it("is refused in a room that is not bound to the organising KPB, with the confidentiality message", async () => {
    const reply = await one("ics 1", { user: ORGA.user, room: "flur" });
    expect(reply.attachment).toBeUndefined();
    expect(reply.text).toContain("nicht öffentlich");
    expect(reply.text).not.toContain("2027");

    await h.say("raum binden duesseldorf", { user: ADMIN.user, room: "ddorf" });
    const foreign = await one("ics 1", { user: ADMIN.user, room: "ddorf" });
    expect(foreign.attachment).toBeUndefined();
    expect(foreign.text).toContain("nicht öffentlich");
  });

  it("reaches an invited contact in a direct chat, with their own PARTSTAT", async () => {
    await h.say("zusage 1", ANNA);
    const reply = await one("ics 1", ANNA);
    expect(reply.attachment).toBeDefined();
    const cal = new ICAL.Component(ICAL.parse(reply.attachment!.content));
    const anna = cal
      .getFirstSubcomponent("vevent")!
      .getAllProperties("attendee")
      .find((p) => String(p.getFirstValue()).toLowerCase() === "mailto:anna.becker@sta-koeln.example")!;
    expect(anna.getParameter("partstat")).toBe("ACCEPTED");
    expect(anna.getParameter("cn")).toBe("Dr. Anna Becker");
  });

  it("does not reach a contact who is not invited, nor an invited one in a group room", async () => {
    await h.say('partner anlegen "Kölner Sicherheitsverein" --kategorie sonstige', ORGA);
    await h.say('kontakt anlegen "Kölner Sicherheitsverein" "Erika Muster" --email erika@verein.example', ORGA);
    const stranger = await one("ics 1", { user: "Erika Muster", room: "dm-erika", direct: true });
    expect(stranger.attachment).toBeUndefined();
    expect(stranger.text).toContain("nicht öffentlich");

    const inGroup = await one("ics 1", { user: ANNA.user, room: "partnerrunde" });
    expect(inGroup.attachment).toBeUndefined();
  });

  it("does not tell an unknown id from an invisible one", async () => {
    const reply = await one("ics 99", ORGA);
    expect(reply.attachment).toBeUndefined();
    expect(reply.text).toContain("#99");
  });

  it("answers in English to `ics` from an English room", async () => {
    await h.say("raum sprache en", ORGA);
    const reply = await one("ics 1", ORGA);
    expect(reply.text).toMatch(/^Calendar file for SiKo #1/);
    expect(reply.attachment).toBeDefined();
  });
});

describe("update notices", () => {
  it("say what changed: the place with the old one, the agenda item added or removed", async () => {
    const latest = (prefix: string) =>
      (JSON.parse((h.sqlite.prepare("SELECT message FROM outbox WHERE key LIKE ? ORDER BY id DESC LIMIT 1").get(`${prefix}%`) as { message: string }).message) as OutboundMessage).text;
    await h.say('ort 1 "Polizeipräsidium Köln, Raum 1.14"', ORGA);
    expect(latest("update:conf=1:seq=1:")).toContain("Geändert hat sich der Ort: neu Polizeipräsidium Köln, Raum 1.14, bisher noch offen.");
    await h.say('tagesordnung 1 --neu "Lagebild Silvester"', ORGA);
    expect(latest("update:conf=1:seq=2:")).toContain("Geändert hat sich die Tagesordnung: neu ist Punkt 8, Lagebild Silvester.");
    await h.say("tagesordnung 1 --weg 2", ORGA);
    expect(latest("update:conf=1:seq=3:")).toContain("Geändert hat sich die Tagesordnung: gestrichen ist Punkt 2, Räumliche Brennpunkte.");
  });
});

describe("what the calendar file says", () => {
  const vevent = (content: string) => new ICAL.Component(ICAL.parse(content)).getFirstSubcomponent("vevent")!;

  it("the invitation asks calendar programs for no reply and says in the text and the file how to answer", async () => {
    const [row] = h.sqlite.prepare("SELECT message FROM outbox WHERE key LIKE 'invite:conf=1:%' LIMIT 1").all() as { message: string }[];
    const message = JSON.parse(row!.message) as OutboundMessage;
    expect(message.text).toContain("Annehmen oder Ablehnen im Kalenderprogramm erreicht die einladende KPB nicht. Bitte hier antworten.");
    expect(message.attachment!.content).not.toContain("RSVP=TRUE");
    const event = vevent(message.attachment!.content);
    for (const p of event.getAllProperties("attendee")) expect(p.getParameter("rsvp")).toBeUndefined();
    expect(String(event.getFirstPropertyValue("description"))).toContain("Bitte im Chat mit dem siko-bot antworten");
    expect((await one("ics 1", ANNA)).text).toContain("Antworten aus dem Kalenderprogramm (Annehmen, Ablehnen) erreichen die einladende KPB nicht: bitte hier antworten, z. B. `zusage koeln#1`.");
  });

  it("“Fassung” in the chat is the file's SEQUENCE, and the file name does not repeat the year", async () => {
    const first = await one("ics 1", ORGA);
    expect(first.text).toContain("Fassung 1)");
    expect(vevent(first.attachment!.content).getFirstPropertyValue("sequence")).toBe(1);
    expect(first.attachment!.filename).toBe("2027-03-15-sicherheitskonferenz-pp-koeln.ics");
    await h.say('ort 1 "Raum 2"', ORGA);
    const second = await one("ics 1", ORGA);
    expect(second.text).toContain("Fassung 2)");
    expect(vevent(second.attachment!.content).getFirstPropertyValue("sequence")).toBe(2);
  });

  it("names the deputy of a delegating agency and the reason of a cancellation", async () => {
    await h.say('vertretung 1 "Peter Vertreter"', ANNA);
    const delegated = vevent((await one("ics 1", ORGA)).attachment!.content);
    expect(String(delegated.getFirstPropertyValue("description"))).toContain("Vertretung für Staatsanwaltschaft Köln: Peter Vertreter");
    const anna = delegated.getAllProperties("attendee").find((p) => String(p.getFirstValue()).toLowerCase() === "mailto:anna.becker@sta-koeln.example")!;
    expect(anna.getParameter("partstat")).toBe("DELEGATED");
    await h.say('absagen 1 --ja "Terminkollision mit dem Karneval"', ORGA);
    const cancel = vevent((await one("ics 1", ORGA)).attachment!.content);
    expect(String(cancel.getFirstPropertyValue("description"))).toContain("Abgesagt: Terminkollision mit dem Karneval");
  });
});

describe("the ORGANIZER address", () => {
  it("is SIKO_ORGANIZER_EMAIL, unless the KPB set its own with `kalender organisator`", async () => {
    h.close();
    h = startHarness({ organizerEmail: "siko@polizei.nrw.example" });
    await h.say("hilfe", ADMIN);
    h.db.transaction((tx) => loadDemo(tx, REFERENCE_DIR, h.clock.now(), { platform: "console", userId: ORGA.user, roomId: ORGA.room }));
    await h.say("planen 2027-03-15 10:00", ORGA);
    const organizer = async () => String(new ICAL.Component(ICAL.parse((await one("ics 1", ORGA)).attachment!.content)).getFirstSubcomponent("vevent")!.getFirstPropertyValue("organizer"));
    expect(await organizer()).toMatch(/^mailto:siko@polizei\.nrw\.example$/i);
    expect(await h.say("kalender organisator", ORGA)).toContain("nennen siko@polizei.nrw.example als Organisator (SIKO_ORGANIZER_EMAIL der Installation)");
    expect(await h.say("kalender organisator leitungsstab@polizei-koeln.example", ORGA)).toBe("Die Kalenderdateien von PP Köln nennen leitungsstab@polizei-koeln.example als Organisator.");
    expect(await organizer()).toMatch(/^mailto:leitungsstab@polizei-koeln\.example$/i);
    expect(h.sqlite.prepare("SELECT details FROM audit_log WHERE action = 'calendar.organizer'").all()).toEqual([
      { details: JSON.stringify({ before: null, after: "leitungsstab@polizei-koeln.example" }) },
    ]);
    await h.say("kalender organisator --weg", ORGA);
    expect(await organizer()).toMatch(/^mailto:siko@polizei\.nrw\.example$/i);
    expect(await h.say("kalender organisator kein-mail", ORGA)).toContain("keine gültige E-Mail-Adresse");
    expect(await h.say("kalender organisator x@y.example", { user: ANNA.user, room: ORGA.room })).toContain("Das dürfen Sie nicht");
  });
});

describe("kalender link / erneuern", () => {
  const linkRe = /http:\/\/localhost:3978\/calendar\/koeln\.ics\?token=([A-Za-z0-9_-]{43})/;
  const kpbRow = () => h.sqlite.prepare("SELECT id, feed_token AS feedToken FROM kpbs WHERE slug = 'koeln'").get() as { id: number; feedToken: string | null };
  const feed = () => createFeedService({ db: h.db, clock: h.clock, publicUrl: "http://localhost:3978", locale: "de" });
  /** The last link sent to a person directly (through the outbox), not into the room. */
  const personal = (user: string): string =>
    (JSON.parse((h.sqlite.prepare("SELECT message FROM outbox WHERE key LIKE 'calendar-link:%' AND address_kind = 'user' AND address_id = ? ORDER BY id DESC LIMIT 1").get(user) as { message: string }).message) as OutboundMessage).text;

  it("sends the secret link in a direct message, never into the group room, and the room reads that it was sent", async () => {
    const inRoom = await h.say("kalender link", ORGA);
    expect(inRoom).toBe("Den Abonnement-Link für PP Köln habe ich Ihnen persönlich geschickt (Direktnachricht); in diesem Raum erscheint er nicht.");
    expect(inRoom).not.toMatch(linkRe);
    expect(personal(ORGA.user)).toMatch(linkRe);
    expect(h.sqlite.prepare("SELECT address_kind, address_id FROM outbox WHERE key LIKE 'calendar-link:%'").all()).toEqual([{ address_kind: "user", address_id: ORGA.user }]);
  });

  it("creates the link on first use, stores only its digest, and cannot show it again", async () => {
    await h.say("kalender link", ORGA);
    const first = personal(ORGA.user);
    const token = linkRe.exec(first)?.[1];
    expect(token, first).toBeDefined();
    expect(first).toContain("Vertraulich");
    const stored = kpbRow().feedToken!;
    expect(stored).toMatch(/^sha256:[A-Za-z0-9_-]{43}$/);
    expect(stored).not.toContain(token!);
    expect(feed()("koeln", token)).toContain("BEGIN:VCALENDAR");

    const second = await h.say("kalender link", ORGA);
    expect(second).not.toMatch(linkRe);
    expect(second).toContain("kalender erneuern");
    expect(kpbRow().feedToken).toBe(stored);

    const audit = h.sqlite.prepare("SELECT actor, action, entity_id AS entityId, details FROM audit_log WHERE action LIKE 'calendar.%'").all() as {
      details: string;
      action: string;
    }[];
    expect(audit).toEqual([{ actor: "console:orga", action: "calendar.token.create", entityId: kpbRow().id, details: '{"hadToken":false}' }]);
    // Only the direct message waiting in the outbox carries it.
    expect(JSON.stringify(h.dump(["outbox"]))).not.toContain(token!);
  });

  it("`kalender erneuern` makes a new token; the old one stops working at once", async () => {
    await h.say("kalender link", ORGA);
    const old = linkRe.exec(personal(ORGA.user))![1]!;
    const answer = await h.say("kalender erneuern", ORGA);
    expect(answer).toContain("funktioniert ab sofort nicht mehr");
    expect(answer).not.toMatch(linkRe);
    const fresh = linkRe.exec(personal(ORGA.user))![1]!;
    expect(fresh).not.toBe(old);
    const lookup = feed();
    expect(lookup("koeln", old)).toBeNull();
    expect(lookup("koeln", fresh)).toContain("BEGIN:VCALENDAR");
    const actions = (h.sqlite.prepare("SELECT action FROM audit_log WHERE action LIKE 'calendar.%' ORDER BY id").all() as { action: string }[]).map((r) => r.action);
    expect(actions).toEqual(["calendar.token.create", "calendar.token.rotate"]);
  });

  it("lets a leader see a new link but only an organiser rotate it", async () => {
    await h.say("rolle geben chefin leitung --kpb koeln", ADMIN);
    const leader: Speaker = { user: "chefin", room: "lage" };
    expect(await h.say("kalender link", leader)).toContain("persönlich geschickt");
    expect(personal("chefin")).toMatch(linkRe);
    const refused = await h.say("kalender erneuern", leader);
    expect(refused).toContain("Das dürfen Sie nicht");
    expect(await h.say("kalender link --kpb koeln", ANNA)).toContain("Das dürfen Sie nicht");
  });

  it("shows the link only in the KPB's room or a direct chat, where it is the answer itself", async () => {
    const before = kpbRow().feedToken;
    const elsewhere = await h.say("kalender link --kpb koeln", { user: ORGA.user, room: "flur" });
    expect(elsewhere).not.toMatch(linkRe);
    expect(elsewhere).toContain("Die Konferenzen von PP Köln sind nicht öffentlich");
    expect(kpbRow().feedToken).toBe(before);
    expect(await h.say("calendar rotate --kpb koeln", { user: ORGA.user, room: "dm-orga", direct: true })).toMatch(linkRe);
  });

  it("keeps a link shown in a direct chat nowhere: a redelivery of the same event says it is not kept", async () => {
    const event = { kind: "command" as const, eventId: "dm-link-1", sender: { platform: "console" as const, id: ORGA.user }, room: { platform: "console" as const, id: "dm-orga", direct: true }, text: "kalender erneuern --kpb koeln" };
    const shown = await h.dispatcher.handle(event);
    const token = linkRe.exec(shown.replies[0]!.text)?.[1];
    expect(token).toBeDefined();
    const again = await h.dispatcher.handle(event);
    expect(again.outcome).toBe("duplicate");
    expect(again.replies[0]!.text).toBe("(Hier wurde ein Link gezeigt; aus Sicherheitsgründen wird er nicht aufbewahrt. Geben Sie den Befehl erneut ein.)");
    // Not in any table, the record of handled events included.
    for (const table of (h.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name))
      expect(JSON.stringify(h.sqlite.prepare(`SELECT * FROM "${table}"`).all()), table).not.toContain(token!);
  });

  it("speaks English with the English verbs", async () => {
    await h.say("sprache en", ORGA);
    expect(await h.say("calendar link", ORGA)).toMatch(/^I sent you the subscription link for PP Köln personally/);
    expect(personal(ORGA.user)).toMatch(/^Calendar subscription for PP Köln:/);
  });
});
