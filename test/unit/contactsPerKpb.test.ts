// Each KPB's registration of a person is its own, addresses included (issue 13, item 7). The attack of the issue,
// played through the dispatcher by Bonn's organiser and a planted identity on Matrix, and the migration that
// splits the contacts KPBs used to share.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadDemo } from "../../src/app/demo.ts";
import { openDatabase } from "../../src/db/client.ts";
import { REFERENCE_DIR, startHarness, type Harness, type Speaker } from "../support/harness.ts";
import { databaseAt } from "../support/migrations.ts";

const CHEF: Speaker = { user: "chef", room: "lage" };
const KOELN: Speaker = { user: "orga", room: "lage-koeln" };
const BONN: Speaker = { user: "@orga:bonn.example", room: "!lage:bonn.example", platform: "matrix" };
const SPY: Speaker = { user: "@spion:bonn.example", room: "!dm-spion:bonn.example", direct: true, platform: "matrix" };

describe("a KPB's registrations are its own", () => {
  let h: Harness;
  beforeEach(async () => {
    h = startHarness({ platforms: ["matrix", "console"] }) // a contact is reached on the first platform where they have an id;
    h.clock.set(new Date("2027-02-01T08:00:00Z"));
    await h.say("ich", CHEF);
    h.db.transaction((tx) => loadDemo(tx, REFERENCE_DIR, h.clock.now(), { platform: "console", userId: KOELN.user, roomId: KOELN.room }));
    expect(await h.say(`rolle geben ${BONN.user} organisator --kpb bonn`, CHEF)).toContain("organisator für PP Bonn");
    expect(await h.say("raum binden bonn", BONN)).toContain("gehört jetzt zu PP Bonn");
  });
  afterEach(() => h.close());

  it("Bonn's organiser cannot plant addresses that Köln's invitations use, nor a Matrix identity that answers for Köln", async () => {
    // Bonn links Köln's public prosecutor and registers a "new head" with Bonn's own addresses.
    expect(await h.say('partner anlegen "Staatsanwaltschaft Köln" --kategorie staatsanwaltschaft', BONN)).toContain("jetzt auch Partner von PP Bonn");
    expect(await h.say(`kontakt anlegen "Staatsanwaltschaft Köln" "Dr. Neue Leiterin" --email neue@bonn.example --matrix ${SPY.user}`, BONN)).toContain("angelegt");
    // Köln registers the real person: its own registration, with the addresses Köln typed.
    const koeln = await h.say('kontakt anlegen "Staatsanwaltschaft Köln" "Dr. Neue Leiterin" --email neue.leiterin@sta-koeln.example --matrix @neue:sta-koeln.example', KOELN);
    expect(koeln).toContain("Kontakt „Dr. Neue Leiterin“ bei „Staatsanwaltschaft Köln“ angelegt");
    expect(koeln).toContain("E-Mail neue.leiterin@sta-koeln.example, Matrix @neue:sta-koeln.example");

    expect(await h.say("planen 2027-03-15 10:00", KOELN)).toContain("geplant");
    expect(await h.say("einladen 1", KOELN)).toContain("Zu SiKo #1 eingeladen");
    const invites = h.sqlite.prepare("SELECT platform, address_id, message FROM outbox WHERE key LIKE 'invite:%'").all() as { platform: string; address_id: string; message: string }[];
    expect(invites.filter((r) => r.platform === "matrix").map((r) => r.address_id)).toEqual(["@neue:sta-koeln.example"]);
    for (const r of invites) {
      const ics = JSON.parse(r.message).attachment.content as string;
      expect(ics).toContain("neue.leiterin@sta-koeln.example");
      expect(ics).not.toContain("bonn.example");
    }

    // The identity Bonn registered is nobody at Köln: no answer, no calendar file, and nothing changes.
    const before = h.dump(["processed_events"]);
    expect(await h.say("absage 1 Krankheit", SPY)).toContain("Konferenz #1 kann ich hier nicht zeigen");
    expect(await h.say("ics 1", SPY)).toContain("Konferenz #1 kann ich hier nicht zeigen");
    expect(await h.say('zusage 1 --fuer "Staatsanwaltschaft Köln"', SPY)).toContain("Konferenz #1 kann ich hier nicht zeigen");
    expect(h.dump(["processed_events"])).toEqual(before);

    // Nor can Bonn change or remove Köln's registrations: it finds only its own.
    const untouched = h.dump(["processed_events"]);
    expect(await h.say('kontakt aendern "Staatsanwaltschaft Köln" "Dr. Anna Becker" --email evil@bonn.example', BONN)).toContain("PP Bonn hat bei „Staatsanwaltschaft Köln“ keinen Kontakt „Dr. Anna Becker“.");
    expect(await h.say('kontakt entfernen "Staatsanwaltschaft Köln" "Dr. Anna Becker"', BONN)).toContain("keinen Kontakt");
    expect(h.dump(["processed_events"])).toEqual(untouched);

    // Each KPB's list shows its own registrations only: Bonn does not read what Köln typed, nor Köln Bonn's.
    const bonnList = await h.say("partner liste", BONN);
    expect(bonnList).toContain("Dr. Neue Leiterin – Leitung, neue@bonn.example, @spion:bonn.example");
    for (const secret of ["sta-koeln.example", "Dr. Anna Becker", "Leitende Oberstaatsanwältin"]) expect(bonnList).not.toContain(secret);
    const koelnList = await h.say("partner liste", KOELN);
    expect(koelnList).toContain("Dr. Neue Leiterin – Leitung, neue.leiterin@sta-koeln.example, @neue:sta-koeln.example");
    expect(koelnList).not.toContain("bonn.example");
  });

  it("the identity Bonn registered answers for Bonn's own conference", async () => {
    await h.say('partner anlegen "Staatsanwaltschaft Köln" --kategorie staatsanwaltschaft', BONN);
    await h.say(`kontakt anlegen "Staatsanwaltschaft Köln" "Dr. Neue Leiterin" --matrix ${SPY.user}`, BONN);
    const planned = await h.say("planen 2027-04-12 10:00", BONN);
    const id = /#(\d+)/.exec(planned)![1];
    expect(await h.say(`einladen ${id} --trotzdem`, BONN)).toContain("eingeladen:");
    expect(await h.say(`zusage ${id}`, SPY)).toContain("Antwort für Staatsanwaltschaft Köln");
  });
});

describe("migration 0004: shared contacts become one registration per KPB", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "siko-migration-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps the first KPB's row with its addresses, gives every other KPB its own row without them, and re-points invitations", () => {
    const { path, sqlite } = databaseAt(dir, "0003");
    sqlite.exec(`
      INSERT INTO kpbs (id, name, slug, kind, created_at) VALUES (1, 'PP Köln', 'koeln', 'pp', 0), (2, 'PP Bonn', 'bonn', 'pp', 0);
      INSERT INTO partner_agencies (id, name, name_key, category, created_at) VALUES (1, 'Staatsanwaltschaft Köln', 'staatsanwaltschaft koeln', 'staatsanwaltschaft', 0);
      INSERT INTO partner_kpbs VALUES (1, 1), (1, 2);
      INSERT INTO contacts (id, partner_agency_id, name, name_key, function, is_leadership, email, matrix_id, created_at)
        VALUES (1, 1, 'Dr. Anna Becker', 'dr. anna becker', 'LOStA', 1, 'anna@sta-koeln.example', '@anna:sta-koeln.example', 0),
               (2, 1, 'Eve Spion', 'eve spion', NULL, 1, 'eve@bonn.example', NULL, 0);
      INSERT INTO contact_kpbs VALUES (1, 1), (1, 2), (2, 2);
      INSERT INTO audit_log (at, actor, action, entity, entity_id, details) VALUES
        (0, 'console:orga', 'contact.add', 'contact', 1, '{"kpbId":1}'),
        (0, 'matrix:@b:bonn.example', 'contact.add', 'contact', 2, '{"kpbId":2}');
      INSERT INTO conferences (id, kpb_id, track, starts_at, ends_at, status, agenda, created_by, created_at, updated_at)
        VALUES (1, 1, 'siko', 0, 1, 'invited', '[]', 'x', 0, 0), (2, 2, 'siko', 0, 1, 'invited', '[]', 'x', 0, 0);
      INSERT INTO invitations (conference_id, partner_agency_id, created_at) VALUES (1, 1, 0), (2, 1, 0);
      INSERT INTO invited_contacts VALUES (1, 1, 1), (2, 1, 1), (2, 2, 1);
    `);
    sqlite.close();

    const o = openDatabase(path);
    try {
      const rows = (sql: string) => o.sqlite.prepare(sql).all();
      expect(rows("SELECT id, kpb_id, name, function, email, matrix_id FROM contacts ORDER BY id")).toEqual([
        { id: 1, kpb_id: 1, name: "Dr. Anna Becker", function: "LOStA", email: "anna@sta-koeln.example", matrix_id: "@anna:sta-koeln.example" },
        { id: 2, kpb_id: 2, name: "Eve Spion", function: null, email: "eve@bonn.example", matrix_id: null },
        // Bonn's registration of Dr. Becker: the addresses were typed by Köln, so Bonn's row has none.
        { id: 3, kpb_id: 2, name: "Dr. Anna Becker", function: "LOStA", email: null, matrix_id: null },
      ]);
      expect(rows("SELECT conference_id, contact_id FROM invited_contacts ORDER BY conference_id, contact_id")).toEqual([
        { conference_id: 1, contact_id: 1 },
        { conference_id: 2, contact_id: 2 },
        { conference_id: 2, contact_id: 3 },
      ]);
      expect(rows("SELECT name FROM sqlite_master WHERE name = 'contact_kpbs'")).toEqual([]);
    } finally {
      o.close();
    }
  });
});
