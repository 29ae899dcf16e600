// Conference numbers are counted per KPB, so Bonn's first SiKo is #1 and says nothing about Köln's; numbers from
// before keep working, and where no KPB is implied (a partner's direct chat) a number that fits several is asked about.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadDemo } from "../../src/app/demo.ts";
import { openDatabase } from "../../src/db/client.ts";
import type { OutboundMessage } from "../../src/port.ts";
import { REFERENCE_DIR, startHarness, type Harness, type Speaker } from "../support/harness.ts";
import { databaseAt } from "../support/migrations.ts";

const CHEF: Speaker = { user: "chef", room: "lage" };
const KOELN: Speaker = { user: "orga", room: "lage-koeln" };
const BONN: Speaker = { user: "orga-bonn", room: "lage-bonn" };
const ANNA: Speaker = { user: "Dr. Anna Becker", room: "dm-anna", direct: true };

describe("conference numbers per KPB", () => {
  let h: Harness;
  beforeEach(async () => {
    h = startHarness();
    h.clock.set(new Date("2027-02-01T08:00:00Z"));
    await h.say("ich", CHEF);
    h.db.transaction((tx) => loadDemo(tx, REFERENCE_DIR, h.clock.now(), { platform: "console", userId: KOELN.user, roomId: KOELN.room }));
    await h.say(`rolle geben ${BONN.user} organisator --kpb bonn`, CHEF);
    await h.say("raum binden bonn", BONN);
  });
  afterEach(() => h.close());

  it("Bonn's first conference is #1 although Köln already planned two, and each room's #1 is its own", async () => {
    expect(await h.say("planen 2027-03-15 10:00", KOELN)).toContain("SiKo #1 geplant.");
    expect(await h.say("planen 2027-06-15 10:00", KOELN)).toContain("SiKo #2 geplant.");
    expect(await h.say("planen 2027-04-20 10:00 --ort Bonn", BONN)).toContain("SiKo #1 geplant.");
    expect(await h.say("status 1", BONN)).toContain("SiKo #1 von PP Bonn");
    expect(await h.say("status 1", KOELN)).toContain("SiKo #1 von PP Köln");
    // Bonn's room does not show Köln's #2, whichever way it is named.
    expect(await h.say("status 2", BONN)).toContain("Konferenz #2 kann ich hier nicht zeigen");
    expect(await h.say("status koeln#2", BONN)).toContain("Konferenz koeln#2 kann ich hier nicht zeigen");
  });

  it("a partner invited to Köln's #1 and Bonn's #1 is asked which one is meant, and `koeln#1` answers Köln's", async () => {
    await h.say('partner anlegen "Staatsanwaltschaft Köln" --kategorie staatsanwaltschaft', BONN);
    await h.say('kontakt anlegen "Staatsanwaltschaft Köln" "Dr. Anna Becker"', BONN);
    await h.say("planen 2027-03-15 10:00", KOELN);
    await h.say("einladen 1", KOELN);
    await h.say("planen 2027-04-20 10:00", BONN);
    await h.say("einladen 1 --trotzdem", BONN);
    const before = h.dump(["processed_events"]);
    expect(await h.say("zusage 1", ANNA)).toBe("#1 gibt es bei mehreren KPB, deren Konferenzen Sie sehen: Bitte mit der KPB angeben, `bonn#1`, `koeln#1`.");
    expect(h.dump(["processed_events"])).toEqual(before);
    expect(await h.say("zusage koeln#1", ANNA)).toBe(
      "Antwort für Staatsanwaltschaft Köln zu SiKo #1 gespeichert: Zusage. Ändern ist bis zum Beginn möglich.",
    );
    expect(await h.say("liste", ANNA)).toContain("Dieselbe Nummer gibt es bei mehreren KPB: bitte mit der KPB angeben, z. B. `zusage koeln#1`.");
    // What each invitation tells her to type names its KPB, so it works as it reads.
    const invitations = (h.sqlite.prepare("SELECT message FROM outbox WHERE kind = 'invitation' AND address_id = ?").all(ANNA.user) as { message: string }[]).map((r) => JSON.parse(r.message) as OutboundMessage);
    expect(invitations.map((m) => m.buttons![0]!.typed).sort()).toEqual(["zusage bonn#1", "zusage koeln#1"]);
    const fromBonn = invitations.find((m) => m.text.includes("PP Bonn"))!;
    expect(fromBonn.text).toContain("Antwort mit `zusage bonn#1`, `absage bonn#1`");
    expect(await h.say("absage bonn#1", ANNA)).toContain("Antwort für Staatsanwaltschaft Köln zu SiKo #1 gespeichert: Absage.");
    const answers = h.sqlite.prepare("SELECT k.slug, i.answer FROM invitations i JOIN conferences c ON c.id = i.conference_id JOIN kpbs k ON k.id = c.kpb_id ORDER BY k.slug").all();
    expect(answers.filter((a) => (a as { answer: string | null }).answer !== null)).toEqual([
      { slug: "bonn", answer: "declined" },
      { slug: "koeln", answer: "accepted" },
    ]);
  });
});

describe("migration 0006: numbers from before keep working", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "siko-numbers-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("an existing conference keeps its number, also where it is not the KPB's first", async () => {
    const { path, sqlite } = databaseAt(dir, "0005");
    sqlite.exec(`
      INSERT INTO kpbs (id, name, slug, kind, created_at) VALUES (1, 'PP Köln', 'koeln', 'pp', 0), (2, 'PP Bonn', 'bonn', 'pp', 0);
      INSERT INTO conferences (id, kpb_id, track, starts_at, ends_at, status, agenda, created_by, created_at, updated_at) VALUES
        (1, 1, 'siko', 0, 1, 'held', '[]', 'x', 0, 0), (2, 1, 'siko', 0, 1, 'held', '[]', 'x', 0, 0), (3, 2, 'siko', 0, 1, 'held', '[]', 'x', 0, 0);
    `);
    sqlite.close();
    const o = openDatabase(path);
    expect(o.sqlite.prepare("SELECT id, number FROM conferences ORDER BY id").all()).toEqual([
      { id: 1, number: 1 },
      { id: 2, number: 2 },
      { id: 3, number: 3 },
    ]);
    o.close();
  });
});
