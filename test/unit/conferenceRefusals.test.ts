// Every refusal of the conference commands: a clear answer, and the database exactly as it was.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadDemo } from "../../src/app/demo.ts";
import { REFERENCE_DIR, startHarness, type Harness, type Speaker } from "../support/harness.ts";

const ORGANISER: Speaker = { user: "orga", room: "lage-koeln" };
const ANNA: Speaker = { user: "Dr. Anna Becker", room: "direkt:anna", direct: true };
const CHEF: Speaker = { user: "chef", room: "lage-bonn" };
const STRANGER: Speaker = { user: "Erika Fremd", room: "direkt:erika", direct: true };

let h: Harness;

beforeEach(async () => {
  h = startHarness();
  h.clock.set(new Date("2027-02-01T08:00:00Z"));
  await h.say("ich", CHEF); // the first console user administers the installation
  h.db.transaction((tx) => loadDemo(tx, REFERENCE_DIR, h.clock.now(), { platform: "console", userId: ORGANISER.user, roomId: ORGANISER.room }));
  expect(await h.say("planen 2027-03-15 10:00 --ort Präsidium", ORGANISER)).toContain("SiKo #1 geplant.");
  expect(await h.say("einladen 1", ORGANISER)).toContain("Zu SiKo #1 eingeladen");
});
afterEach(() => h.close());

/** Runs the command, expects the answer to contain `expected`, and no table to have changed. */
async function refused(text: string, as: Speaker, expected: string): Promise<string> {
  const before = h.dump(["processed_events"]);
  const answer = await h.say(text, as);
  expect(answer).toContain(expected);
  expect(h.dump(["processed_events"])).toEqual(before);
  return answer;
}

describe("refusals leave the data as it was", () => {
  it("an answer from someone who was not invited", async () => {
    await refused("zusage 1", STRANGER, "nicht öffentlich");
  });

  it("an answer from someone not invited, typed in the KPB's own room", async () => {
    await refused("zusage 1", { user: "Erika Fremd", room: ORGANISER.room }, "Das dürfen Sie nicht");
  });

  it("an answer for another agency", async () => {
    await refused('zusage 1 --fuer "Landgericht Köln"', ANNA, "Sie sind Kontakt von Staatsanwaltschaft Köln und können nicht für Landgericht Köln antworten.");
  });

  it("a date in the past", async () => {
    await refused("planen 2026-12-01 10:00", ORGANISER, "2026-12-01 10:00 liegt in der Vergangenheit.");
  });

  it("31 February", async () => {
    await refused("planen 31.02.2027 10:00", ORGANISER, "Den 31.02.2027 gibt es nicht.");
  });

  it("a time in the spring DST gap", async () => {
    await refused("planen 2027-03-28 02:30", ORGANISER, "02:30 Uhr gibt es am 2027-03-28 nicht");
  });

  it("states which hour is meant in the autumn fold", async () => {
    const answer = await h.say("planen 2027-10-31 02:30", ORGANISER);
    expect(answer).toContain("02:30 Uhr gibt es in dieser Nacht zweimal; gemeint ist die erste, 02:30 MESZ (UTC+2).");
    const row = h.sqlite.prepare("SELECT starts_at FROM conferences WHERE id = 2").get() as { starts_at: number };
    expect(new Date(row.starts_at).toISOString()).toBe("2027-10-31T00:30:00.000Z");
  });

  it("an answer to a cancelled conference", async () => {
    expect(await h.say('absagen 1 --ja "Terminkollision"', ORGANISER)).toContain("SiKo #1 abgesagt. 12 Kontakte wurden benachrichtigt.");
    await refused("zusage 1", ANNA, "SiKo #1 wurde abgesagt; eine Antwort ist nicht mehr nötig.");
  });

  it("a cancellation that would notify people, until it is confirmed", async () => {
    const asked = await refused("absagen 1 Terminkollision", ORGANISER, "SiKo #1 wirklich absagen? 12 Kontakte von 12 Behörden werden sofort benachrichtigt");
    expect(asked).toContain('Bestätigen: `absagen 1 --ja "Terminkollision"`');
    expect(asked).not.toContain("Schaltfläche");
    // The button of that question confirms it, with the reason given.
    const {
      replies: [reply],
    } = await h.dispatcher.handle({
      kind: "action",
      eventId: "confirm-cancel",
      sender: { platform: "console", id: ORGANISER.user },
      room: { platform: "console", id: ORGANISER.room, direct: false },
      action: { verb: "cancel", data: { conference: 1, text: "Terminkollision" } },
    });
    expect(reply!.text).toBe("SiKo #1 abgesagt. 12 Kontakte wurden benachrichtigt.");
    expect(h.sqlite.prepare("SELECT status, cancel_reason FROM conferences WHERE id = 1").get()).toEqual({ status: "cancelled", cancel_reason: "Terminkollision" });
  });

  it("a partner typing `absagen` (cancel) is pointed to `absage` (decline)", async () => {
    await refused("absagen 1 Krankheit", ANNA, "Meinten Sie `absage koeln#1 [grund]`? Damit sagen Sie Ihre eigene Teilnahme ab.");
  });

  it("an invitation without a mandatory category says who made it mandatory: the decree, or the KPB itself", async () => {
    for (const p of ["Hauptzollamt Köln", "Jugendamt Köln", "Jugendamt Leverkusen"]) await h.say(`partner entfernen "${p}"`, ORGANISER);
    await h.say("planen 2027-06-14 10:00", ORGANISER);
    await refused("einladen 2", ORGANISER, "Für SiKo #2 fehlen Pflichtkategorien – nach dem Erlass (Abschnitt 2): Zoll; von PP Köln selbst zur Pflicht gemacht (`kpb pflicht`): Jugendamt.");
    // Invited anyway, the note stands on its own line after the list of those invited.
    expect(await h.say("einladen 2 --trotzdem", ORGANISER)).toMatch(/\n- [^\n]+\nBewusst ohne: Zoll, Jugendamt\.\n/);
  });

  it("a SiKo-AP without any motorway body says how to add one", async () => {
    await h.say('partner entfernen "Die Autobahn GmbH des Bundes, Niederlassung Rheinland"', ORGANISER);
    await h.say("planen 2027-06-15 10:00 --art siko-ap", ORGANISER);
    await refused("einladen 2", ORGANISER, 'PP Köln hat keine Partnerbehörden für SiKo-AP #2. Anlegen mit `partner anlegen "<Name>" --kategorie autobahn`.');
  });

  it("an answer after the start", async () => {
    h.clock.set(new Date("2027-03-15T09:30:00Z"));
    await refused("absage 1", ANNA, "SiKo #1 hat bereits begonnen");
  });

  it("confidential details in a room that is not bound to the KPB", async () => {
    await refused("status 1", { user: ORGANISER.user, room: "kantine" }, "Konferenz #1 kann ich hier nicht zeigen: Es gibt sie nicht, oder sie ist nicht öffentlich");
  });

  it("confidential details in a room bound to another KPB", async () => {
    expect(await h.say("raum binden bonn", CHEF)).toContain("gehört jetzt zu PP Bonn");
    expect(await h.say(`rolle geben ${ORGANISER.user} organisator --kpb bonn`, CHEF)).toContain("hat jetzt die Rolle organisator für PP Bonn");
    await refused("status 1", { user: ORGANISER.user, room: "lage-bonn" }, "Konferenz #1 kann ich hier nicht zeigen: Es gibt sie nicht, oder sie ist nicht öffentlich");
  });

  it("an unknown conference reads like a hidden one", async () => {
    const unknown = await refused("status 99", ORGANISER, "Konferenz #99 kann ich hier nicht zeigen");
    const hidden = await refused("status 1", { user: ORGANISER.user, room: "kantine" }, "Konferenz #1 kann ich hier nicht zeigen");
    expect(unknown.replace("#99", "#1")).toBe(hidden);
  });

  it("a SiKo-AP for a KPB without motorway police", async () => {
    expect(await h.say("raum binden bonn", CHEF)).toContain("gehört jetzt zu PP Bonn");
    expect(await h.say(`rolle geben ${ORGANISER.user} organisator --kpb bonn`, CHEF)).toContain("hat jetzt die Rolle organisator für PP Bonn");
    await refused("planen 2027-05-03 10:00 --art siko-ap", { user: ORGANISER.user, room: "lage-bonn" }, "PP Bonn hat keine Autobahnpolizei");
  });

  it("moving or cancelling a conference that was held", async () => {
    h.clock.set(new Date("2027-03-15T14:00:00Z"));
    const recorded = await h.say("durchgefuehrt 1", ORGANISER);
    expect(recorded).toContain("als durchgeführt festgehalten");
    // Nothing was said about who came and what was discussed: the record says what it took for granted.
    expect(recorded).toContain("Angenommen, da nicht angegeben: anwesend war, wer zugesagt hat; besprochen wurde die ganze Tagesordnung. Korrigieren: `durchgefuehrt 1 --anwesend");
    expect(await h.say("durchgefuehrt 1 --themen 1,2", ORGANISER)).not.toContain("Angenommen");
    await refused("verschieben 1 2027-04-01 10:00", ORGANISER, "SiKo #1 ist durchgeführt; das geht nicht mehr.");
    await refused("absagen 1", ORGANISER, "SiKo #1 ist durchgeführt; das geht nicht mehr.");
  });

  it("an answer deadline on or after the conference day", async () => {
    await refused("einladen 1 --frist 15.03.2027", ORGANISER, "Die Antwortfrist 15.03.2027 muss zwischen heute und dem Tag vor der Konferenz liegen.");
  });

  it("changing another room's language by naming another KPB", async () => {
    await refused("raum sprache en --kpb koeln", { user: "chef", room: "lage-bonn" }, "Unbekannte Option --kpb.");
  });

  it("an agency that was not invited named as present points to --gast", async () => {
    h.clock.set(new Date("2027-03-15T14:00:00Z"));
    await refused('durchgefuehrt 1 --anwesend "Feuerwehr Köln"', ORGANISER, "„Feuerwehr Köln“ war zu SiKo #1 nicht eingeladen. Kam die Behörde ohne Einladung, bitte als Gast: `durchgefuehrt 1 --gast \"Feuerwehr Köln\"`.");
    await refused('durchgefuehrt 1 --gast "Landgericht Köln"', ORGANISER, "„Landgericht Köln“ war zu SiKo #1 eingeladen; bitte mit `--anwesend");
  });

  it("recording a conference as held before it took place", async () => {
    await refused("durchgefuehrt 1", ORGANISER, "SiKo #1 beginnt erst");
  });
});

describe("odd dates are planned with a warning, not refused", () => {
  it("a Saturday, a public holiday, a night, and the time of another conference of the KPB", async () => {
    const saturday = await h.say("planen 2027-03-20 10:00", ORGANISER);
    expect(saturday).toContain("SiKo #2 geplant.");
    expect(saturday).toContain("Achtung: Der 20.03.2027 ist ein Samstag.");
    expect(saturday).toContain("Eingetragen ist der Termin trotzdem; ändern mit `verschieben 2 <datum> <zeit>`.");
    expect(await h.say("planen 03.10.2027 10:00", ORGANISER)).toContain("Achtung: Der 03.10.2027 ist in NRW ein Feiertag (Tag der Deutschen Einheit).");
    expect(await h.say("planen 2027-04-13 19:00", ORGANISER)).toContain("Achtung: Di, 13.04.2027, 19:00–22:00 Uhr liegt teils außerhalb der üblichen Dienstzeit (07:00 bis 20:00 Uhr).");
    expect(await h.say("planen 2027-03-15 11:00 --art siko-ap", ORGANISER)).toContain("Achtung: Zur selben Zeit ist SiKo #1 angesetzt (Mo, 15.03.2027, 10:00–13:00 Uhr).");
    expect(h.count("conferences")).toBe(5);
    // Moving onto a holiday warns as well.
    expect(await h.say("verschieben 1 2027-05-06 10:00", ORGANISER)).toContain("Achtung: Der 06.05.2027 ist in NRW ein Feiertag (Christi Himmelfahrt).");
    // A plain working day says nothing of the kind.
    expect(await h.say("planen 2027-06-08 10:00", ORGANISER)).not.toContain("Achtung");
  });
});

describe("answers", () => {
  it("the same answer twice is one answer", async () => {
    expect(await h.say("zusage 1", ANNA)).toContain("gespeichert: Zusage");
    const before = h.dump(["processed_events"]);
    expect(await h.say("zusage 1", ANNA)).toContain("bereits „Zusage“ gespeichert; nichts geändert");
    expect(h.dump(["processed_events"])).toEqual(before);
  });

  it("the organiser may answer on an agency's behalf, and the notice says so", async () => {
    expect(await h.say('absage 1 --fuer "Landgericht Köln" Urlaub', ORGANISER)).toContain("Antwort für Landgericht Köln zu SiKo #1 gespeichert: Absage.");
    const row = h.sqlite.prepare("SELECT answer, reason, answered_by FROM invitations WHERE partner_agency_id = (SELECT id FROM partner_agencies WHERE name = 'Landgericht Köln')").get();
    expect(row).toEqual({ answer: "declined", reason: "Urlaub", answered_by: "console:orga" });
  });

  it("a button press is the same answer as the typed command", async () => {
    const replies = await h.dispatcher.handle({
      kind: "action",
      eventId: "button-1",
      sender: { platform: "console", id: ANNA.user },
      room: { platform: "console", id: ANNA.room, direct: true },
      action: { verb: "rsvp", data: { conference: 1, answer: "delegated", text: "Jana Vertretung" } },
    });
    expect(replies.replies[0]!.text).toContain("gespeichert: Vertretung: Jana Vertretung");
    const again = await h.dispatcher.handle({
      kind: "action",
      eventId: "button-1",
      sender: { platform: "console", id: ANNA.user },
      room: { platform: "console", id: ANNA.room, direct: true },
      action: { verb: "rsvp", data: { conference: 1, answer: "accepted" } },
    });
    // A redelivered platform event is handled once: the first answer again, and the first answer stands.
    expect(again.outcome).toBe("duplicate");
    expect(again.replies).toEqual(replies.replies);
  });
});

describe("einladen again", () => {
  it("invites only what is new: an added agency and a new head of an invited one; the .ics lists everyone", async () => {
    expect(await h.say('kontakt anlegen "Stadt Köln" "Dr. Neue Leitung" --email neu@stadt-koeln.example', ORGANISER)).toContain("angelegt");
    await h.say('partner anlegen "Polizeibeirat Köln" --kategorie sonstige', ORGANISER);
    await h.say('kontakt anlegen "Polizeibeirat Köln" "Beate Beirat" --email beate@beirat.example', ORGANISER);
    const before = h.count("outbox");
    const answer = await h.say("einladen 1", ORGANISER);
    expect(answer).toContain("Zu SiKo #1 eingeladen: 2 Kontakte von 2 Behörden.");
    expect(answer).toContain("- Stadt Köln: Dr. Neue Leitung");
    expect(answer).toContain("- Polizeibeirat Köln: Beate Beirat");
    const fresh = h.sqlite.prepare("SELECT address_id, message FROM outbox WHERE key LIKE 'invite:%' ORDER BY id DESC LIMIT 2").all() as { address_id: string; message: string }[];
    expect(h.count("outbox") - before).toBe(2);
    expect(fresh.map((r) => r.address_id).sort()).toEqual(["Beate Beirat", "Dr. Neue Leitung"]);
    const ics = JSON.parse(fresh[0]!.message).attachment.content as string;
    expect(ics.match(/^ATTENDEE/gm)).toHaveLength(14);
    expect(await h.say("einladen 1", ORGANISER)).toContain("Alle Partnerbehörden sind zu SiKo #1 bereits eingeladen.");
  });
});

describe("contacts belong to the KPB that registered them (R9)", () => {
  it("another KPB's organiser cannot put someone on Köln's invitation list through a shared agency", async () => {
    const bonn = { user: "orga-bonn", room: "lage-bonn" };
    expect(await h.say("raum binden bonn", CHEF)).toContain("PP Bonn");
    await h.say(`rolle geben ${bonn.user} organisator --kpb bonn`, CHEF);
    expect(await h.say('partner anlegen "Staatsanwaltschaft Köln" --kategorie staatsanwaltschaft', bonn)).toContain("jetzt auch Partner von PP Bonn");
    expect(await h.say('kontakt anlegen "Staatsanwaltschaft Köln" "Eve Spion"', bonn)).toContain("angelegt");
    expect(await h.say("partner liste", ORGANISER)).not.toContain("Eve Spion");
    expect(await h.say("einladen 1", ORGANISER)).toContain("bereits eingeladen");
    const eve = { user: "Eve Spion", room: "direkt:eve", direct: true };
    await refused("zusage 1", eve, "nicht öffentlich");
    await refused("ics 1", eve, "nicht öffentlich");
    // Bonn may register Köln's real contact for its own conferences: a registration of its own, Köln's stays as it is.
    expect(await h.say('kontakt anlegen "Staatsanwaltschaft Köln" "Dr. Anna Becker" --email other@evil.example', bonn)).toContain("angelegt");
    expect(h.sqlite.prepare("SELECT k.slug, c.email FROM contacts c JOIN kpbs k ON k.id = c.kpb_id WHERE c.name = 'Dr. Anna Becker' ORDER BY k.slug").all()).toEqual([
      { slug: "bonn", email: "other@evil.example" },
      { slug: "koeln", email: "anna.becker@sta-koeln.example" },
    ]);
  });

  it("a removed contact can no longer answer and gets nothing more about the conference", async () => {
    expect(await h.say('kontakt entfernen "Staatsanwaltschaft Köln" "Dr. Anna Becker"', ORGANISER)).toContain("entfernt");
    await refused("zusage 1", ANNA, "nicht öffentlich");
    expect(h.sqlite.prepare("SELECT count(*) AS n FROM invited_contacts ic JOIN contacts c ON c.id = ic.contact_id WHERE c.name = 'Dr. Anna Becker'").get()).toEqual({ n: 0 });
    expect(await h.say('ort 1 "Raum 2"', ORGANISER)).toContain("11 Kontakte wurden benachrichtigt");
  });

  it("any contact Köln registered for an invited agency may answer for it, not only its head", async () => {
    expect(await h.say('kontakt anlegen "Staatsanwaltschaft Köln" "Max Referent" --leitung nein', ORGANISER)).toContain("angelegt");
    expect(await h.say("vorbehalt 1", { user: "Max Referent", room: "direkt:max", direct: true })).toContain("Antwort für Staatsanwaltschaft Köln zu SiKo #1 gespeichert: Vorbehalt.");
  });
});

describe("partners in a direct chat", () => {
  it("`liste` shows the conferences their agency is invited to, with its answer", async () => {
    await h.say("zusage 1", ANNA);
    expect(await h.say("liste", ANNA)).toBe(
      "Ihre Einladungen in 2027:\n- SiKo #1 von PP Köln – Mo, 15.03.2027, 10:00 Uhr – Präsidium – eingeladen – Antwort für Staatsanwaltschaft Köln: Zusage",
    );
    expect(await h.say("liste 2028", ANNA)).toBe("Für 2028 liegen keine Einladungen an Sie vor.");
    // Someone who is no contact still learns how to name a KPB.
    expect(await h.say("liste", STRANGER)).toContain("Im Direktchat weiß ich nicht, um welche KPB es geht.");
  });
});

describe("leaders in a direct chat", () => {
  it("see their one KPB's list in a direct chat, but never in a room that is not the KPB's", async () => {
    expect(await h.say("rolle geben ltg leitung --kpb koeln", CHEF)).toContain("hat jetzt die Rolle leitung für PP Köln");
    expect(await h.say("liste 2027", { user: "ltg", room: "direkt:ltg", direct: true })).toContain("SiKo #1 – Mo, 15.03.2027, 10:00 Uhr");
    await refused("liste 2027 --kpb koeln", { user: "ltg", room: "kantine" }, "Die Konferenzen von PP Köln sind nicht öffentlich");
    expect(await h.say("rolle geben ltg leitung --kpb bonn", CHEF)).toContain("PP Bonn");
    await refused("liste 2027", { user: "ltg", room: "direkt:ltg", direct: true }, "Sie haben Rollen bei mehreren KPB (bonn, koeln).");
    expect(await h.say("liste 2027 --kpb koeln", { user: "ltg", room: "direkt:ltg", direct: true })).toContain("SiKo #1");
  });
});

describe("answer deadline set after the invitation", () => {
  it("tells everyone invited before, once, and adds the deadline to status", async () => {
    const answer = await h.say("einladen 1 --frist 01.03.2027", ORGANISER);
    expect(answer).toContain("Antwortfrist: 01.03.2027.");
    // A deadline alone invites nobody: the answer says who is told, not "0 Kontakte".
    expect(answer).toBe("SiKo #1 – Antwortfrist: 01.03.2027. 12 Eingeladene werden darüber benachrichtigt.");
    const notices = () => h.sqlite.prepare("SELECT message FROM outbox WHERE key LIKE 'deadline:conf=1:%'").all() as { message: string }[];
    expect(notices()).toHaveLength(12);
    expect(JSON.parse(notices()[0]!.message).text).toContain("Bitte antworten Sie bis 01.03.2027.");
    expect(await h.say("einladen 1 --frist 01.03.2027", ORGANISER)).toContain("bereits eingeladen");
    expect(notices()).toHaveLength(12);
    expect(await h.say("status 1", ORGANISER)).toContain("Antwortfrist: 01.03.2027");
  });
});
