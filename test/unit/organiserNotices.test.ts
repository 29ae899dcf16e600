// What the organisers read in their room about answers: one notice for answers that arrive close together,
// naming who answered and why, written when it is sent so it never contradicts the state at that moment.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadDemo } from "../../src/app/demo.ts";
import { plain } from "../../src/messages/rich.ts";
import { FakePlatform } from "../support/fakePlatform.ts";
import { REFERENCE_DIR, startHarness, type Harness, type Speaker } from "../support/harness.ts";

const ORGANISER: Speaker = { user: "orga", room: "lage-koeln" };
const ANNA: Speaker = { user: "Dr. Anna Becker", room: "direkt:anna", direct: true };
const MARKUS: Speaker = { user: "Markus Hoffmann", room: "direkt:markus", direct: true };
const THOMAS: Speaker = { user: "Dr. Thomas Wagner", room: "direkt:thomas", direct: true };

let h: Harness;
let chat: FakePlatform;

/** PP Köln's demo on a console-like platform, a SiKo planned and invited, the invitations delivered. */
async function invited(platform: FakePlatform): Promise<Harness> {
  const harness = startHarness({ adapters: [platform] });
  harness.clock.set(new Date("2027-02-01T08:00:00Z"));
  await harness.say("ich", { user: "chef", room: "lage-bonn" });
  harness.db.transaction((tx) => loadDemo(tx, REFERENCE_DIR, harness.clock.now(), { platform: "console", userId: ORGANISER.user, roomId: ORGANISER.room }));
  await harness.say("planen 2027-03-15 10:00 --ort Präsidium", ORGANISER);
  await harness.say("einladen 1", ORGANISER);
  await harness.worker.flush();
  return harness;
}

beforeEach(async () => {
  chat = new FakePlatform("console", { edits: false });
  h = await invited(chat);
});
afterEach(() => h.close());

/** The answer notices the organisers' room received, as plain text. */
function notices(): string[] {
  return chat.posted.filter((p) => p.to.kind === "room" && p.message.kind === "rsvp-notice").map((p) => p.message.text);
}

async function afterNoticeWindow(): Promise<void> {
  h.clock.advance(61_000);
  await h.worker.flush();
}

describe("the organisers' answer notice", () => {
  it("gathers answers close together into one notice that names who answered and the reason of a decline", async () => {
    await h.say("zusage 1", ANNA);
    await h.say("absage 1 Dienstreise nach Berlin", MARKUS);
    await h.worker.flush();
    expect(notices()).toEqual([]); // still waiting for more answers
    await afterNoticeWindow();
    expect(notices()).toHaveLength(1);
    const [notice] = notices();
    expect(notice).toContain("Neue Antworten zu SiKo #1");
    expect(notice).toContain("Staatsanwaltschaft Köln: Zusage – Dr. Anna Becker");
    expect(notice).toContain("Bundespolizeiinspektion Köln: Absage („Dienstreise nach Berlin“) – Markus Hoffmann");
    const view = chat.posted.find((p) => p.message.kind === "rsvp-notice")!.message.view!;
    // The reason is what somebody typed: marked as such in the structured view.
    expect(view.sections![0]!.items!.some((item) => item.some((piece) => "user" in piece && piece.user.includes("Dienstreise")))).toBe(true);
  });

  it("says who entered an answer on an agency's behalf", async () => {
    await h.say('zusage 1 --fuer "Landgericht Köln"', ORGANISER);
    await afterNoticeWindow();
    expect(notices()[0]).toContain("Landgericht Köln: Zusage – eingetragen von orga");
  });

  it("a later notice has only the answers since the previous one", async () => {
    await h.say("zusage 1", ANNA);
    await afterNoticeWindow();
    await h.say("absage 1", THOMAS);
    await afterNoticeWindow();
    expect(notices()).toHaveLength(2);
    expect(notices()[1]).toContain("Landgericht Köln: Absage – Dr. Thomas Wagner");
    expect(notices()[1]).not.toContain("Staatsanwaltschaft");
  });

  it("an answer given while the notice is being sent goes into the next notice, not lost", async () => {
    await h.say("zusage 1", ANNA);
    h.clock.advance(61_000);
    chat.answerNext({ slowMs: 30 });
    const sending = h.worker.flush();
    await waitFor(() => chat.requests.length > 0); // the notice is in flight
    await h.say("absage 1", THOMAS);
    await sending;
    await afterNoticeWindow();
    expect(notices()).toHaveLength(2);
    expect(notices()[0]).toContain("Staatsanwaltschaft Köln: Zusage");
    expect(notices()[0]).not.toContain("Landgericht");
    expect(notices()[1]).toContain("Landgericht Köln: Absage");
  });

  it("an answer reset by a reschedule within the notice window is not announced: the room never reads „Zusage“ while status shows none", async () => {
    await h.say("zusage 1", ANNA);
    await h.say("verschieben 1 2027-03-22 10:00", ORGANISER);
    await afterNoticeWindow();
    expect(notices().join("\n")).not.toContain("Zusage");
    expect(await h.say("status 1", ORGANISER)).toContain("Staatsanwaltschaft – Staatsanwaltschaft Köln: keine Antwort");
  });

  it("says when every invited agency has answered", async () => {
    const agencies = h.sqlite.prepare("SELECT p.name FROM invitations i JOIN partner_agencies p ON p.id = i.partner_agency_id WHERE i.conference_id = 1").all() as { name: string }[];
    for (const a of agencies) await h.say(`zusage 1 --fuer "${a.name}"`, ORGANISER);
    await afterNoticeWindow();
    expect(notices()).toHaveLength(1);
    expect(notices()[0]).toContain(`Alle ${agencies.length} eingeladenen Behörden haben geantwortet.`);
  });
});

describe("what partners see of their agency's answer", () => {
  it("an invitation sent after a colleague answered already shows that answer", async () => {
    // Anna's copy is parked (she cannot be reached yet) while her agency's answer is given by the organiser.
    const parkedChat = new FakePlatform("console", { edits: false });
    parkedChat.block("Dr. Anna Becker");
    const h2 = await invited(parkedChat);
    try {
      await h2.say('vertretung 1 --fuer "Staatsanwaltschaft Köln" "OStA Klaus Berg"', ORGANISER);
      parkedChat.reach("Dr. Anna Becker");
      await h2.worker.flush();
      const invitation = parkedChat.inboxOf("Dr. Anna Becker").find((m) => m.kind === "invitation")!;
      expect(plain(invitation.rsvp!.answer)).toBe("Antwort von Staatsanwaltschaft Köln: Vertretung: OStA Klaus Berg");
    } finally {
      h2.close();
    }
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((r) => setImmediate(r));
  expect(condition()).toBe(true);
}
