// A person's data as the law requires: `kontakt auskunft` exports everything stored about them, `kontakt
// loeschen` erases them from every table while their agency's answers still count.
import { afterEach, describe, expect, it } from "vitest";
import { loadDemo } from "../../src/app/demo.ts";
import type { InboundEvent } from "../../src/port.ts";
import { FakePlatform } from "../support/fakePlatform.ts";
import { REFERENCE_DIR, startHarness, type Harness, type Speaker } from "../support/harness.ts";

const ORGANISER: Speaker = { platform: "matrix", user: "@orga:polizei.nrw.example", room: "!lage:polizei.nrw.example" };
const ANNA = "@anna.becker:sta-koeln.example";
const ANNA_MAIL = "anna.becker@sta-koeln.example";

let h: Harness;
afterEach(() => h?.close());

async function annaAnswered(): Promise<FakePlatform> {
  const chat = new FakePlatform("matrix");
  h = startHarness({ adapters: [chat] });
  await h.ready;
  h.clock.set(new Date("2027-02-01T08:00:00Z"));
  h.db.transaction((tx) => loadDemo(tx, REFERENCE_DIR, h.clock.now(), { platform: "matrix", userId: ORGANISER.user, roomId: ORGANISER.room }));
  h.sqlite.prepare("UPDATE contacts SET matrix_id = '@contact' || id || ':partner.example'").run();
  h.sqlite.prepare("UPDATE contacts SET matrix_id = ? WHERE name = 'Dr. Anna Becker'").run(ANNA);
  await h.say("planen 2027-03-15 10:00", ORGANISER);
  await h.say("einladen 1", ORGANISER);
  await h.worker.flush();
  chat.host.state.set(`dm:${ANNA}`, "!dm-anna:polizei.nrw.example");
  const event: InboundEvent = { kind: "action", eventId: "$r1", sender: { platform: "matrix", id: ANNA }, room: { platform: "matrix", id: "!dm-anna:polizei.nrw.example", direct: true }, action: { verb: "rsvp", data: { conference: 1, answer: "declined", text: "Termin bei Gericht" } } };
  expect((await chat.deliver(event)).outcome).toBe("done");
  h.clock.advance(61_000);
  await h.worker.flush();
  return chat;
}

describe("personal data", () => {
  it("kontakt auskunft exports the directory entry, invitations, answers, audit entries and messages as JSON", async () => {
    await annaAnswered();
    const result = await h.dispatcher.handle({ kind: "command", eventId: "$x", sender: { platform: "matrix", id: ORGANISER.user }, room: { platform: "matrix", id: ORGANISER.room, direct: false }, text: 'kontakt auskunft "Dr. Anna Becker"' });
    const reply = result.replies[0]!;
    expect(reply.text).toContain("Auskunft über Dr. Anna Becker: 1 Einladung, 1 Antwort");
    const data = JSON.parse(reply.attachment!.content) as { contact: { name: string; email: string; matrixId: string }; invitations: unknown[]; answersGiven: Array<{ answer: string; reason: string }>; auditEntries: unknown[]; messages: Array<{ kind: string }> };
    expect(data.contact).toMatchObject({ name: "Dr. Anna Becker", email: ANNA_MAIL, matrixId: ANNA });
    expect(data.invitations).toHaveLength(1);
    expect(data.answersGiven.map((a) => [a.answer, a.reason])).toEqual([["declined", "Termin bei Gericht"]]);
    expect(data.messages.map((m) => m.kind)).toContain("invitation");
    expect(data.auditEntries.length).toBeGreaterThan(0);
  });

  it("kontakt auskunft holds only what the asking KPB holds: another KPB's conference with the same person stays out", async () => {
    const chat = await annaAnswered();
    const BONN: Speaker = { platform: "matrix", user: "@orga:polizei-bonn.example", room: "!lage:polizei-bonn.example" };
    await h.say(`rolle geben ${BONN.user} organisator --kpb bonn`);
    expect(await h.say("raum binden bonn", BONN)).toContain("PP Bonn");
    expect(await h.say('partner anlegen "Staatsanwaltschaft Bonn" --kategorie staatsanwaltschaft', BONN)).toContain("Staatsanwaltschaft Bonn");
    expect(await h.say(`kontakt anlegen "Staatsanwaltschaft Bonn" "Dr. Anna Becker" --matrix ${ANNA} --leitung ja`, BONN)).toContain("Dr. Anna Becker");
    await h.say('planen 2027-03-20 10:00 --ort "Bonn Geheimort"', BONN);
    expect(await h.say("einladen 1 --trotzdem", BONN)).toContain("SiKo #1");
    await h.worker.flush();
    expect(chat.inboxOf(ANNA).some((m) => m.text.includes("Bonn") || JSON.stringify(m.view ?? {}).includes("Bonn Geheimort"))).toBe(true);

    const result = await h.dispatcher.handle({ kind: "command", eventId: "$x2", sender: { platform: "matrix", id: ORGANISER.user }, room: { platform: "matrix", id: ORGANISER.room, direct: false }, text: 'kontakt auskunft "Dr. Anna Becker"' });
    const file = result.replies[0]!.attachment!.content;
    expect(file).toContain("Dr. Anna Becker");
    expect(file).not.toContain("Geheimort");
    expect(file).not.toContain("PP Bonn");
    expect(file).not.toContain("Staatsanwaltschaft Bonn");
  });

  it("kontakt loeschen leaves the person's name and ids in no table, and the agency's answer still counts", async () => {
    await annaAnswered();
    const everything = () => JSON.stringify(h.dump());
    expect(everything()).toContain("Dr. Anna Becker");
    expect(everything()).toContain(ANNA);
    expect(await h.say('kontakt loeschen "Dr. Anna Becker"', ORGANISER)).toContain("Die Person ist gelöscht");
    const after = everything() + JSON.stringify(h.sqlite.prepare("SELECT * FROM processed_events").all());
    for (const trace of ["Anna Becker", ANNA, ANNA_MAIL]) expect(after).not.toContain(trace);
    const status = await h.say("status 1", ORGANISER);
    expect(status).toContain("Staatsanwaltschaft – Staatsanwaltschaft Köln: Absage");
    expect(status).toMatch(/Antworten \(1 von 12\)/);
  });

  it("is for the KPB's organisers, and names what is missing", async () => {
    await annaAnswered();
    expect(await h.say('kontakt loeschen "Niemand Bekannt"', ORGANISER)).toContain("PP Köln hat keinen Kontakt „Niemand Bekannt“.");
    expect(await h.say('kontakt loeschen "Dr. Anna Becker"', { platform: "matrix", user: "@fremd:example.org", room: ORGANISER.room })).toContain("Das dürfen Sie nicht");
  });
});
