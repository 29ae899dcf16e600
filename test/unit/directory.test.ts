import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { startHarness, type Harness, type Speaker } from "../support/harness.ts";

type Row = Record<string, unknown>;

describe("directory commands", () => {
  let h: Harness;
  const rows = (sql: string, ...params: unknown[]): Row[] => h.sqlite.prepare(sql).all(...params) as Row[];
  const partners = () => rows("SELECT id, name, name_key, category FROM partner_agencies ORDER BY id");

  beforeEach(async () => {
    h = startHarness();
    // An explicit language, so that the English verbs below answer in German too.
    expect(await h.say("sprache de")).toBe("Ich antworte Ihnen jetzt auf Deutsch.");
    expect(await h.say("kpb import nrw")).toContain("47 KPB neu angelegt");
    expect(await h.say("raum binden koeln")).toContain("PP Köln");
  });
  afterEach(() => h.close());

  /** Asserts the command is refused with `expected` and that no table changed, not even the event log. */
  async function refusedUnchanged(text: string, expected: string, as?: Speaker): Promise<string> {
    const before = h.dump();
    const reply = await h.say(text, as);
    expect(reply).toContain(expected);
    expect(h.dump()).toEqual(before);
    return reply;
  }

  describe("kpb import nrw", () => {
    it("loads the 47 NRW KPBs, five of them with motorway police", () => {
      expect(h.count("kpbs")).toBe(47);
      const motorway = rows("SELECT name FROM kpbs WHERE has_motorway_police = 1 ORDER BY name").map((r) => r.name);
      expect(motorway).toEqual(["PP Bielefeld", "PP Dortmund", "PP Düsseldorf", "PP Köln", "PP Münster"]);
      expect(rows("SELECT count(*) AS n FROM kpbs WHERE kind = 'pp'")[0]!.n).toBe(18);
      expect(rows("SELECT count(*) AS n FROM kpbs WHERE kind = 'landrat'")[0]!.n).toBe(29);
    });

    it("is idempotent: a second import adds nothing and keeps edits", async () => {
      const before = rows("SELECT * FROM kpbs ORDER BY id");
      expect(await h.say("kpb import nrw")).toBe(
        "NRW-Referenzdaten geladen: 0 KPB neu angelegt, 47 schon vorhanden (unverändert). Insgesamt 47.",
      );
      expect(rows("SELECT * FROM kpbs ORDER BY id")).toEqual(before);
      expect(rows("SELECT count(*) AS n FROM audit_log WHERE action = 'kpb.import'")[0]!.n).toBe(2);
    });

    it("finds a KPB by slug, full name and served city", async () => {
      expect(await h.say("kpb zeigen Leverkusen")).toContain("PP Köln");
      expect(await h.say("kpb zeigen duesseldorf")).toContain("PP Düsseldorf (`duesseldorf`)");
      expect(await h.say("kpb zeigen KPB Märkischer Kreis")).toContain("KPB Märkischer Kreis");
      expect(await h.say("kpb zeigen Atlantis")).toBe("Eine KPB „Atlantis“ kenne ich nicht. `kpb liste` zeigt alle.");
    });
  });

  describe("partner anlegen", () => {
    it("stores the partner, links it to the room's KPB and writes the audit log", async () => {
      expect(await h.say(`partner anlegen "Stadt Köln" --kategorie kommune`)).toContain("Partnerbehörde „Stadt Köln“ (Kommune) angelegt für PP Köln.");
      expect(partners()).toEqual([{ id: 1, name: "Stadt Köln", name_key: "stadt koeln", category: "kommune" }]);
      expect(rows("SELECT k.slug FROM partner_kpbs pk JOIN kpbs k ON k.id = pk.kpb_id")).toEqual([{ slug: "koeln" }]);
      const audit = rows("SELECT actor, action, entity, entity_id, details FROM audit_log WHERE action = 'partner.add'");
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor: "console:chef", entity: "partner", entity_id: 1 });
      expect(JSON.parse(audit[0]!.details as string)).toMatchObject({ name: "Stadt Köln", category: "kommune" });
    });

    it("refuses a duplicate name within a KPB, also spelled differently, and changes nothing", async () => {
      await h.say(`partner anlegen "Stadt Köln" --kategorie kommune`);
      const expected = "„Stadt Köln“ ist bereits Partnerbehörde von PP Köln. Doppelte Namen sind nicht erlaubt";
      await refusedUnchanged(`partner anlegen "Stadt Köln" --kategorie kommune`, expected);
      await refusedUnchanged(`partner anlegen "stadt koeln" --kategorie kommune`, expected);
      await refusedUnchanged(`partner anlegen "STADT  KÖLN" --kategorie kommune`, expected);
      await refusedUnchanged(`partner anlegen „Stadt Köln“ --kategorie kommune --kpb koeln`, expected);
      expect(partners()).toHaveLength(1);
    });

    it("links the same partner to a second KPB instead of duplicating it (R5)", async () => {
      await h.say(`partner anlegen "Bundespolizeiinspektion Köln" --kategorie bundespolizei`);
      const reply = await h.say(`partner anlegen "bundespolizeiinspektion koeln" --kategorie bundespolizei --kpb bonn`);
      expect(reply).toBe("„Bundespolizeiinspektion Köln“ gibt es schon (Kategorie Bundespolizei); sie ist jetzt auch Partner von PP Bonn.");
      expect(partners()).toHaveLength(1);
      expect(rows("SELECT k.slug FROM partner_kpbs pk JOIN kpbs k ON k.id = pk.kpb_id ORDER BY k.slug").map((r) => r.slug)).toEqual(["bonn", "koeln"]);
      expect(await h.say("partner liste --kpb bonn")).toContain("- Bundespolizeiinspektion Köln [Bundespolizei]");
      expect(rows("SELECT action FROM audit_log WHERE entity = 'partner' ORDER BY id").map((r) => r.action)).toEqual(["partner.add", "partner.link"]);
    });

    it("links once when the same KPB is named twice in different spellings", async () => {
      expect(await h.say(`partner anlegen "Hauptzollamt Köln" --kategorie zoll --kpb koeln --kpb "PP KÖLN" --kpb Leverkusen`)).toContain(
        "angelegt für PP Köln.",
      );
      expect(rows("SELECT partner_agency_id, kpb_id FROM partner_kpbs")).toHaveLength(1);
    });

    it("refuses to link an existing partner under another category", async () => {
      await h.say(`partner anlegen "Stadt Köln" --kategorie kommune`);
      await refusedUnchanged(
        `partner anlegen "Stadt Köln" --kategorie sonstige --kpb bonn`,
        "„Stadt Köln“ gibt es schon mit der Kategorie kommune, nicht sonstige.",
      );
    });

    it("stores umlauts, quotes and emoji faithfully", async () => {
      const names = [
        "Ordnungsamt Düsseldorf – Außendienst",
        'Verein "Sicher Leben" e.V.',
        "Kölsch-Brauerei O'Brien GmbH",
        "Feuerwehr 🚒 Köln 👩‍🚒",
        "Łódź Partnerstadt Ænglisch ĲSSEL",
      ];
      await h.say(`partner anlegen "Ordnungsamt Düsseldorf – Außendienst" --kategorie kommune`);
      await h.say(String.raw`partner anlegen "Verein \"Sicher Leben\" e.V." --kategorie sonstige`);
      await h.say(`partner anlegen "Kölsch-Brauerei O'Brien GmbH" --kategorie privat`);
      await h.say(`partner anlegen „Feuerwehr 🚒 Köln 👩‍🚒“ --kategorie hilfsorganisation`);
      await h.say(`partner anlegen 'Łódź Partnerstadt Ænglisch ĲSSEL' --kategorie sonstige`);
      expect(partners().map((p) => p.name)).toEqual(names);
      const list = await h.say("partner liste");
      for (const n of names) expect(list).toContain(n);
    });

    it("stores a name typed with decomposed umlauts in composed form, as one partner", async () => {
      await h.say(`partner anlegen "Stadt Ko\u0308ln" --kategorie kommune`);
      expect(partners()[0]!.name).toBe("Stadt Köln");
      await refusedUnchanged(`partner anlegen "Stadt Köln" --kategorie kommune`, "ist bereits Partnerbehörde");
    });

    it("accepts a name of 200 characters and refuses 201 and 10,000 clearly, changing nothing", async () => {
      expect(await h.say(`partner anlegen "${"a".repeat(200)}" --kategorie sonstige`)).toContain("angelegt für PP Köln");
      await refusedUnchanged(`partner anlegen "${"b".repeat(201)}" --kategorie sonstige`, "Ungültiger Wert für <name>: zu lang (höchstens 200 Zeichen)");
      const reply = await refusedUnchanged(`partner anlegen "${"Ä".repeat(10_000)}" --kategorie sonstige`, "zu lang (höchstens 200 Zeichen)");
      // The refusal does not echo the whole name back.
      expect(reply.length).toBeLessThan(500);
    });

    it("refuses control characters and bidi overrides clearly, changing nothing", async () => {
      const expected = "Ungültiger Wert für <name>: enthält Steuerzeichen";
      await refusedUnchanged(`partner anlegen "Stadt\u0007Köln" --kategorie kommune`, expected);
      await refusedUnchanged(`partner anlegen "Stadt \u202eKöln" --kategorie kommune`, expected);
      await refusedUnchanged(`partner anlegen "Stadt \u2066Köln\u2069" --kategorie kommune`, expected);
      await refusedUnchanged(`partner anlegen "Stadt\nKöln" --kategorie kommune`, expected);
      await refusedUnchanged(`partner anlegen "Stadt\u0000Köln" --kategorie kommune`, expected);
      await refusedUnchanged(`partner anlegen "Stadt\u2028Köln" --kategorie kommune`, expected);
      await refusedUnchanged(`partner anlegen "Stadt\u0085Köln" --kategorie kommune`, expected);
      await refusedUnchanged(`partner anlegen "Stadt Köln\u200f" --kategorie kommune`, expected);
      // Also in a contact's name and function, not only the partner's.
      await h.say(`partner anlegen "Stadt Köln" --kategorie kommune`);
      await refusedUnchanged(`kontakt anlegen "Stadt Köln" "Petra\u202eSchmitz"`, "Ungültiger Wert für <name>: enthält Steuerzeichen");
      await refusedUnchanged(`kontakt anlegen "Stadt Köln" "Petra Schmitz" --funktion "Leiterin\u0007"`, "Ungültiger Wert für --funktion: enthält Steuerzeichen");
    });

    it("refuses an empty or blank name", async () => {
      await refusedUnchanged(`partner anlegen "" --kategorie kommune`, "Ungültiger Wert für <name>: darf nicht leer sein");
      await refusedUnchanged(`partner anlegen "   " --kategorie kommune`, "darf nicht leer sein");
    });

    it("refuses a missing category with the usage line", async () => {
      const reply = await refusedUnchanged(`partner anlegen "Stadt Köln"`, "Es fehlt: --kategorie.");
      expect(reply).toContain("Aufruf: `partner anlegen <name> --kategorie <kategorie> [--kpb <kpb>]…`");
    });

    it("refuses an unknown --kpb by name", async () => {
      await refusedUnchanged(`partner anlegen "Stadt Köln" --kategorie kommune --kpb atlantis`, "Eine KPB „atlantis“ kenne ich nicht.");
    });
  });

  describe("kontakt anlegen", () => {
    beforeEach(async () => {
      await h.say(`partner anlegen "Stadt Köln" --kategorie kommune`);
    });

    it("stores a contact with all channels and lists it under its partner", async () => {
      const reply = await h.say(
        `kontakt anlegen "stadt koeln" "Petra Schmitz" --funktion Stadtdirektorin --email petra.schmitz@stadt-koeln.de --matrix @petra:stadt-koeln.de --teams 8F1C2D3E-1234-4ABC-9DEF-0123456789AB`,
      );
      expect(reply).toBe(
        "Kontakt „Petra Schmitz“ bei „Stadt Köln“ angelegt (Stadtdirektorin). Erreichbar über: E-Mail petra.schmitz@stadt-koeln.de, Matrix @petra:stadt-koeln.de, Teams 8f1c2d3e-1234-4abc-9def-0123456789ab.\n" +
          'Petra Schmitz gehört zur Leitung und wird zu den Konferenzen von PP Köln eingeladen. Sonst: `kontakt aendern "Stadt Köln" "Petra Schmitz" --leitung nein`.',
      );
      expect(rows("SELECT partner_agency_id, name, function, is_leadership, email, matrix_id, teams_id FROM contacts")).toEqual([
        {
          partner_agency_id: 1,
          name: "Petra Schmitz",
          function: "Stadtdirektorin",
          is_leadership: 1,
          email: "petra.schmitz@stadt-koeln.de",
          matrix_id: "@petra:stadt-koeln.de",
          teams_id: "8f1c2d3e-1234-4abc-9def-0123456789ab",
        },
      ]);
      expect(await h.say("partner liste")).toContain("    · Petra Schmitz – Stadtdirektorin, Leitung, petra.schmitz@stadt-koeln.de");
      expect(rows("SELECT count(*) AS n FROM audit_log WHERE action = 'contact.add'")[0]!.n).toBe(1);
    });

    it("says whether the person will be invited: without --leitung as the head, with --leitung nein not", async () => {
      expect(await h.say(`kontakt anlegen "Stadt Köln" "Petra Schmitz"`)).toContain("Petra Schmitz gehört zur Leitung und wird zu den Konferenzen von PP Köln eingeladen.");
      expect(await h.say(`kontakt anlegen "Stadt Köln" "Max Klein" --leitung nein`)).toContain(
        'Max Klein gehört nicht zur Leitung und wird nicht eingeladen, kann aber für Stadt Köln antworten. Einladen: `kontakt aendern "Stadt Köln" "Max Klein" --leitung ja`.',
      );
    });

    it("stores the channel a person is reached on, and refuses one without its address", async () => {
      expect(await h.say(`kontakt anlegen "Stadt Köln" "Petra Schmitz" --matrix @petra:stadt-koeln.de --kanal matrix`)).toContain(
        "Erreichbar über: Matrix @petra:stadt-koeln.de (Kanal: matrix).",
      );
      expect(rows("SELECT channel FROM contacts")).toEqual([{ channel: "matrix" }]);
      expect(await h.say("partner liste")).toContain("    · Petra Schmitz – Leitung, @petra:stadt-koeln.de (Kanal: matrix)");
      await refusedUnchanged(`kontakt anlegen "Stadt Köln" "Max Klein" --kanal email`, "Für den Kanal email fehlt die Adresse: bitte --email angeben.");
      await refusedUnchanged(`kontakt anlegen "Stadt Köln" "Max Klein" --kanal brieftaube`, "Ungültiger Wert für --kanal: erlaubt sind console, matrix, teams, email");
    });

    it("stores the leadership flag", async () => {
      await h.say(`kontakt anlegen "Stadt Köln" "Max Klein" --leitung nein`);
      expect(rows("SELECT is_leadership FROM contacts")).toEqual([{ is_leadership: 0 }]);
      await refusedUnchanged(`kontakt anlegen "Stadt Köln" "Eva Groß" --leitung vielleicht`, "bitte ja oder nein");
    });

    it("validates the e-mail address", async () => {
      for (const bad of ["petra", "petra@", "@stadt-koeln.de", "petra schmitz@stadt-koeln.de", "petra@stadt koeln.de"])
        await refusedUnchanged(`kontakt anlegen "Stadt Köln" "Petra Schmitz" --email "${bad}"`, "Ungültiger Wert für --email: keine gültige E-Mail-Adresse");
      await refusedUnchanged(`kontakt anlegen "Stadt Köln" "Petra Schmitz" --email ${"a".repeat(250)}@x.de`, "--email");
    });

    it("validates the Matrix id", async () => {
      for (const bad of ["petra", "petra:server.de", "@petra", "@petra:", "@pe tra:server.de", "#raum:server.de"])
        await refusedUnchanged(`kontakt anlegen "Stadt Köln" "Petra Schmitz" --matrix "${bad}"`, "Ungültiger Wert für --matrix: keine Matrix-ID");
      expect(await h.say(`kontakt anlegen "Stadt Köln" "Petra Schmitz" --matrix @petra.schmitz:matrix.stadt-koeln.de:8448`)).toContain(
        "Matrix @petra.schmitz:matrix.stadt-koeln.de:8448",
      );
    });

    it("validates the Teams object id", async () => {
      for (const bad of ["petra", "8f1c2d3e-1234-4abc-9def", "8f1c2d3e12344abc9def0123456789ab", "zzzzzzzz-1234-4abc-9def-0123456789ab"])
        await refusedUnchanged(`kontakt anlegen "Stadt Köln" "Petra Schmitz" --teams "${bad}"`, "Ungültiger Wert für --teams: keine Teams-/AAD-Objekt-ID");
    });

    it("refuses a duplicate contact of the same partner, spelled differently", async () => {
      await h.say(`kontakt anlegen "Stadt Köln" "Jürgen Groß"`);
      await refusedUnchanged(`kontakt anlegen "Stadt Köln" "juergen gross"`, "„Stadt Köln“ hat schon einen Kontakt „Jürgen Groß“.");
    });

    it("refuses a contact for a partner the KPB does not have", async () => {
      await h.say(`partner anlegen "Stadt Bonn" --kategorie kommune --kpb bonn`);
      await refusedUnchanged(`kontakt anlegen "Stadt Bonn" "Anna Bonn"`, "Eine Partnerbehörde „Stadt Bonn“ gibt es bei PP Köln nicht.");
      await refusedUnchanged(`kontakt anlegen "Stadtwerke Nirgendwo" "Anna"`, "gibt es bei PP Köln nicht");
    });
  });

  describe("kontakt aendern / kontakt entfernen", () => {
    beforeEach(async () => {
      await h.say(`partner anlegen "Stadt Köln" --kategorie kommune`);
      await h.say(`kontakt anlegen "Stadt Köln" "Petra Schmitz" --funktion Stadtdirektorin --email alt@stadt-koeln.de --matrix @petra:stadt-koeln.de`);
    });

    it("a changed address is stored, audited with before and after, and the answer says whether she is invited", async () => {
      const reply = await h.say(`kontakt ändern "Stadt Köln" "Petra Schmitz" --email neu@stadt-koeln.de --leitung nein`);
      expect(reply).toBe(
        "Kontakt „Petra Schmitz“ bei „Stadt Köln“ geändert (Stadtdirektorin). Erreichbar über: E-Mail neu@stadt-koeln.de, Matrix @petra:stadt-koeln.de.\n" +
          'Petra Schmitz gehört nicht zur Leitung und wird nicht eingeladen, kann aber für Stadt Köln antworten. Einladen: `kontakt aendern "Stadt Köln" "Petra Schmitz" --leitung ja`.',
      );
      expect(rows("SELECT email, is_leadership FROM contacts")).toEqual([{ email: "neu@stadt-koeln.de", is_leadership: 0 }]);
      const audit = rows("SELECT actor, details FROM audit_log WHERE action = 'contact.change'");
      expect(audit).toHaveLength(1);
      expect(JSON.parse(audit[0]!.details as string)).toMatchObject({ before: { email: "alt@stadt-koeln.de", isLeadership: true }, after: { email: "neu@stadt-koeln.de", isLeadership: false } });
    });

    it("renames, removes a detail with --weg, and refuses a change that changes nothing or a channel without its address", async () => {
      expect(await h.say(`contact change "Stadt Köln" "Petra Schmitz" --name "Dr. Petra Schmitz" --weg matrix --weg funktion`)).toContain(
        "Kontakt „Dr. Petra Schmitz“ bei „Stadt Köln“ geändert. Erreichbar über: E-Mail alt@stadt-koeln.de.",
      );
      expect(rows("SELECT name, name_key, function, matrix_id FROM contacts")).toEqual([{ name: "Dr. Petra Schmitz", name_key: "dr. petra schmitz", function: null, matrix_id: null }]);
      await refusedUnchanged(`kontakt aendern "Stadt Köln" "Dr. Petra Schmitz" --email alt@stadt-koeln.de`, "gibt es nichts zu ändern");
      await refusedUnchanged(`kontakt aendern "Stadt Köln" "Dr. Petra Schmitz" --kanal matrix`, "Für den Kanal matrix fehlt die Adresse: bitte --matrix angeben.");
      await refusedUnchanged(`kontakt aendern "Stadt Köln" "Niemand"`, "PP Köln hat bei „Stadt Köln“ keinen Kontakt „Niemand“.");
    });

    it("a removed contact is gone from the list and the audit log says who removed whom", async () => {
      expect(await h.say(`kontakt entfernen "Stadt Köln" "petra schmitz"`)).toBe(
        "Kontakt „Petra Schmitz“ bei „Stadt Köln“ entfernt. Die Person erhält keine Einladungen und Erinnerungen von PP Köln mehr und kann nicht mehr für die Behörde antworten.",
      );
      expect(h.count("contacts")).toBe(0);
      expect(await h.say("partner liste")).toContain("(keine Kontakte)");
      expect(rows("SELECT actor, details FROM audit_log WHERE action = 'contact.remove'").map((r) => JSON.parse(r.details as string))).toEqual([
        { kpbId: rows("SELECT id FROM kpbs WHERE slug = 'koeln'")[0]!.id, partnerAgencyId: 1, name: "Petra Schmitz" },
      ]);
    });

    it("only an organiser of the KPB may change or remove its contacts", async () => {
      await h.say("ich", { user: "bob", room: "lage" });
      await refusedUnchanged(`kontakt aendern "Stadt Köln" "Petra Schmitz" --email evil@example.org`, "Das dürfen Sie nicht", { user: "bob", room: "lage" });
      await refusedUnchanged(`kontakt entfernen "Stadt Köln" "Petra Schmitz"`, "Das dürfen Sie nicht", { user: "bob", room: "lage" });
    });
  });

  describe("raum binden", () => {
    it("binds a group room and records it", async () => {
      const room: Speaker = { user: "chef", room: "!abc:example.org", platform: "console" };
      expect(await h.say("raum binden bonn", room)).toBe("Dieser Raum gehört jetzt zu PP Bonn. Konferenzdetails dieser KPB werden hier angezeigt.");
      expect(rows("SELECT r.platform_room_id, k.slug FROM rooms r JOIN kpbs k ON k.id = r.kpb_id ORDER BY r.id")).toEqual([
        { platform_room_id: "lage", slug: "koeln" },
        { platform_room_id: "!abc:example.org", slug: "bonn" },
      ]);
      expect(rows("SELECT count(*) AS n FROM audit_log WHERE action = 'room.bind'")[0]!.n).toBe(2);
      expect(await h.say("raum binden bonn", room)).toBe("Dieser Raum gehört bereits zu PP Bonn.");
      expect(await h.say("room bind koeln", room)).toBe("Dieser Raum gehörte zu PP Bonn und gehört jetzt zu PP Köln.");
    });

    it("refuses to bind a direct chat, changing nothing", async () => {
      const direct: Speaker = { user: "chef", room: "direkt:chef", direct: true };
      await h.say("ich", direct);
      await refusedUnchanged("raum binden koeln", "Ein Direktchat kann keiner KPB zugeordnet werden", direct);
    });

    it("refuses an unknown KPB", async () => {
      await refusedUnchanged("raum binden atlantis", "Eine KPB „atlantis“ kenne ich nicht.");
    });
  });

  describe("rolle geben", () => {
    it("creates a Matrix user for @alice:example.org and grants the role for the named KPB", async () => {
      expect(await h.say("rolle geben @alice:example.org organisator --kpb bonn")).toBe("matrix:@alice:example.org hat jetzt die Rolle organisator für PP Bonn.");
      expect(rows("SELECT u.platform, u.platform_user_id, g.role, k.slug, g.granted_by FROM role_grants g JOIN users u ON u.id = g.user_id JOIN kpbs k ON k.id = g.kpb_id")).toEqual([
        { platform: "matrix", platform_user_id: "@alice:example.org", role: "organiser", slug: "bonn", granted_by: "console:chef" },
      ]);
      expect(rows("SELECT count(*) AS n FROM audit_log WHERE action = 'role.grant' AND actor = 'console:chef'")[0]!.n).toBe(1);
      // Alice, writing from Matrix, is now organiser of PP Bonn.
      const alice: Speaker = { user: "@alice:example.org", room: "!bonn:example.org", platform: "matrix" };
      expect(await h.say("ich", alice)).toContain("Rollen: organisator (PP Bonn)");
      expect(await h.say(`partner anlegen "Stadt Bonn" --kategorie kommune --kpb bonn`, alice)).toContain("angelegt für PP Bonn");
    });

    it("grants a KPB role in the room's KPB when no --kpb is given, once", async () => {
      expect(await h.say(`rolle geben "Max Muster" leitung`)).toBe("console:Max Muster hat jetzt die Rolle leitung für PP Köln.");
      const before = h.dump(["processed_events"]);
      expect(await h.say(`rolle geben "Max Muster" leitung`)).toBe("console:Max Muster hat die Rolle leitung für PP Köln bereits.");
      expect(h.dump(["processed_events"])).toEqual(before);
    });

    it("reads a Teams object id and the English role names", async () => {
      expect(await h.say("role grant 8F1C2D3E-1234-4ABC-9DEF-0123456789AB organizer --kpb koeln")).toContain(
        "teams:8f1c2d3e-1234-4abc-9def-0123456789ab hat jetzt die Rolle organisator für PP Köln.",
      );
    });

    it("grants LZPD state-wide and refuses --kpb with it", async () => {
      expect(await h.say("rolle geben lzpd-lage lzpd")).toBe("console:lzpd-lage hat jetzt die Rolle lzpd.");
      expect(rows("SELECT role, kpb_id FROM role_grants WHERE role = 'reporter'")).toEqual([{ role: "reporter", kpb_id: null }]);
      await refusedUnchanged("rolle geben jemand lzpd --kpb koeln", "Die Rolle lzpd gilt landesweit; `--kpb` passt dazu nicht.");
    });

    it("refuses an unknown role with the allowed ones", async () => {
      await refusedUnchanged("rolle geben jemand chef", "Ungültiger Wert für <rolle>: erlaubt sind admin, organisator, leitung, lzpd");
    });

    it("explains that partners are registered as contacts, not given a role", async () => {
      await refusedUnchanged("rolle geben @eva:example.org partner --kpb koeln", "Partner brauchen keine Rolle");
    });

    it("refuses a KPB role in an unbound room without --kpb", async () => {
      const unbound: Speaker = { user: "chef", room: "flur" };
      await h.say("ich", unbound);
      await refusedUnchanged("rolle geben jemand organisator", "Die Rolle organisator gilt für eine KPB", unbound);
    });
  });
});

describe("configuration", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "siko-config-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const configError = (env: NodeJS.ProcessEnv): string => {
    try {
      loadConfig(env);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
    throw new Error("expected a ConfigError");
  };

  it("works on a fresh machine without any variable", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      SIKO_ADAPTERS: ["console"],
      SIKO_DB_PATH: "./data/siko.db",
      SIKO_LOCALE: "de",
      SIKO_HTTP_PORT: 3978,
      SIKO_PUBLIC_URL: "http://localhost:3978",
      SIKO_ADMINS: [],
      SIKO_MATRIX_E2EE: false,
      SIKO_TEAMS_ALLOW_ANONYMOUS: false,
    });
  });

  it("ignores variables that are not the bot's, and empty ones", () => {
    expect(loadConfig({ PATH: "/usr/bin", SIKO_LOCALE: "" }).SIKO_LOCALE).toBe("de");
  });

  it("reads lists and numbers", () => {
    const c = loadConfig({ SIKO_ADAPTERS: "console, matrix", SIKO_MATRIX_HOMESERVER_URL: "http://localhost:8008", SIKO_MATRIX_ACCESS_TOKEN: "t", SIKO_ADMINS: "@alice:example.org, @bob:example.org", SIKO_HTTP_PORT: "8080" });
    expect(c.SIKO_ADAPTERS).toEqual(["console", "matrix"]);
    expect(c.SIKO_ADMINS).toEqual(["@alice:example.org", "@bob:example.org"]);
    expect(c.SIKO_HTTP_PORT).toBe(8080);
  });

  it("names SIKO_LOCALE and the allowed values when the locale is wrong", () => {
    const msg = configError({ SIKO_LOCALE: "fr" });
    expect(msg).toMatch(/^Invalid configuration:\n {2}SIKO_LOCALE: /);
    expect(msg).toContain('"de"');
    expect(msg).toContain('"en"');
  });

  it("names SIKO_ADAPTERS and the allowed values when an adapter is unknown", () => {
    const msg = configError({ SIKO_ADAPTERS: "console,irc" });
    expect(msg).toMatch(/\n {2}SIKO_ADAPTERS: /);
    for (const p of ["console", "matrix", "teams"]) expect(msg).toContain(`"${p}"`);
  });

  it("names SIKO_HTTP_PORT when the port is not a port", () => {
    expect(configError({ SIKO_HTTP_PORT: "70000" })).toContain("SIKO_HTTP_PORT");
    expect(configError({ SIKO_HTTP_PORT: "abc" })).toContain("SIKO_HTTP_PORT");
  });

  it("requires the Matrix settings when the Matrix adapter is configured", () => {
    const msg = configError({ SIKO_ADAPTERS: "matrix" });
    expect(msg).toContain("SIKO_MATRIX_HOMESERVER_URL: required when SIKO_ADAPTERS contains matrix");
    expect(msg).toContain("SIKO_MATRIX_ACCESS_TOKEN");
  });

  it("reads SIKO_SIMULATED_TIME without an offset as Berlin time, and says what is wrong with it in the bot's language", () => {
    expect(loadConfig({ SIKO_SIMULATED_TIME: "2027-02-01T09:00" }).SIKO_SIMULATED_TIME).toEqual(new Date("2027-02-01T08:00:00Z"));
    expect(loadConfig({ SIKO_SIMULATED_TIME: "2027-07-01T09:00:00+02:00" }).SIKO_SIMULATED_TIME).toEqual(new Date("2027-07-01T07:00:00Z"));
    expect(configError({ SIKO_SIMULATED_TIME: "2027-03-28T02:30" })).toContain("SIKO_SIMULATED_TIME: 02:30 Uhr gibt es am 2027-03-28 nicht");
    expect(configError({ SIKO_SIMULATED_TIME: "tomorrow", SIKO_LOCALE: "en" })).toContain("SIKO_SIMULATED_TIME: “tomorrow” is not a point in time.");
  });

  it("merges SIKO_CONFIG_FILE with the environment, the environment winning", () => {
    const file = join(dir, "siko.json");
    writeFileSync(file, JSON.stringify({ SIKO_LOCALE: "en", SIKO_HTTP_PORT: 8080, SIKO_ADMINS: ["@alice:example.org", "@bob:example.org"], SIKO_DB_PATH: "/srv/siko.db" }));
    const c = loadConfig({ SIKO_CONFIG_FILE: file, SIKO_HTTP_PORT: "9090" });
    expect(c.SIKO_LOCALE).toBe("en");
    expect(c.SIKO_DB_PATH).toBe("/srv/siko.db");
    expect(c.SIKO_ADMINS).toEqual(["@alice:example.org", "@bob:example.org"]);
    expect(c.SIKO_HTTP_PORT).toBe(9090);
  });

  it("validates values from the file like those from the environment", () => {
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ SIKO_LOCALE: "fr" }));
    expect(configError({ SIKO_CONFIG_FILE: file })).toContain("SIKO_LOCALE");
  });

  it("names SIKO_CONFIG_FILE when the file is missing or not a JSON object", () => {
    expect(configError({ SIKO_CONFIG_FILE: join(dir, "missing.json") })).toMatch(/^SIKO_CONFIG_FILE: cannot read/);
    const file = join(dir, "list.json");
    writeFileSync(file, "[1, 2]");
    expect(configError({ SIKO_CONFIG_FILE: file })).toMatch(/^SIKO_CONFIG_FILE: /);
  });
});

describe("kpb pflicht (R4)", () => {
  it("makes an optional category mandatory for the KPB, and the invitation then requires it", async () => {
    const h = startHarness();
    const admin = { user: "chef", room: "lage-bonn" };
    await h.say("kpb import nrw", admin);
    await h.say("raum binden bonn", admin);
    expect(await h.say("kpb pflicht oepnv", admin)).toBe(
      "Pflichtkategorien der SiKo von PP Bonn: Staatsanwaltschaft, Gericht, Kommune, Bundespolizei, Zoll, Schulamt, ÖPNV.",
    );
    expect(await h.say("kpb zeigen bonn", admin)).toContain("Pflichtkategorien SiKo: Staatsanwaltschaft, Gericht, Kommune, Bundespolizei, Zoll, Schulamt, ÖPNV");
    expect(await h.say("kpb pflicht oepnv --weg", admin)).not.toContain("ÖPNV");
    const before = h.dump();
    expect(await h.say("kpb pflicht zoll --weg", admin)).toBe("Zoll ist durch den Erlass festgelegt und lässt sich hier nicht ändern.");
    expect(h.dump()).toEqual(before);
    h.close();
  });
});

describe("SIKO_ADMINS", () => {
  it("makes the configured Matrix, Teams and console ids admins at start, once", async () => {
    const { grantConfiguredAdmins } = await import("../../src/app/bootstrap.ts");
    const h = startHarness();
    const ids = ["@alice:example.org", "8F1C2D3E-1234-4ABC-9DEF-0123456789AB", "console:chef"];
    expect(h.db.transaction((tx) => grantConfiguredAdmins(tx, ids, h.clock.now()))).toBe(3);
    expect(h.db.transaction((tx) => grantConfiguredAdmins(tx, ids, h.clock.now()))).toBe(0);
    const admins = h.sqlite
      .prepare("SELECT u.platform, u.platform_user_id AS id FROM role_grants g JOIN users u ON u.id = g.user_id WHERE g.role = 'admin' ORDER BY u.id")
      .all();
    expect(admins).toEqual([
      { platform: "matrix", id: "@alice:example.org" },
      { platform: "teams", id: "8f1c2d3e-1234-4abc-9def-0123456789ab" },
      { platform: "console", id: "chef" },
    ]);
    // With an admin configured, a console stranger is not made admin by typing first.
    expect(await h.say("kpb import nrw", { user: "zufall", room: "flur" })).toContain("Das dürfen Sie nicht");
    h.close();
  });
});

describe("SIKO_REMINDER_POLICY_FILE", () => {
  it("overrides parts of the reminder policy and names the file and the field when it is wrong", async () => {
    const { loadReminderPolicy } = await import("../../src/config.ts");
    const dir = mkdtempSync(join(tmpdir(), "siko-policy-"));
    const good = join(dir, "good.json");
    writeFileSync(good, JSON.stringify({ annual: { organisers: "06-01" }, rsvp: { nudgeDaysBefore: [21, 7] } }));
    const policy = loadReminderPolicy({ SIKO_REMINDER_POLICY_FILE: good });
    expect(policy.annual.organisers).toBe("06-01");
    expect(policy.annual.leaders).toBe("09-01");
    expect(policy.rsvp.nudgeDaysBefore).toEqual([21, 7]);
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ annual: { leaders: "02-30" } }));
    expect(() => loadReminderPolicy({ SIKO_REMINDER_POLICY_FILE: bad })).toThrow(/SIKO_REMINDER_POLICY_FILE .*bad\.json:\n  annual\.leaders: expected MM-DD/);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe("the demo", () => {
  it("an installation that loaded the demo before its markers existed gets nothing revived either", async () => {
    const { loadDemo, DEMO_MARKER } = await import("../../src/app/demo.ts");
    const { REFERENCE_DIR } = await import("../support/harness.ts");
    const h = startHarness();
    const target = { platform: "console" as const, userId: "orga", roomId: "lage" };
    h.db.transaction((tx) => loadDemo(tx, REFERENCE_DIR, h.clock.now(), target));
    // As an older version left it: the demo's audit entry, no markers.
    h.sqlite.prepare("DELETE FROM meta WHERE key LIKE ?").run(`${DEMO_MARKER}%`);
    expect(await h.say('partner entfernen "Kölnmesse GmbH"', { user: "orga", room: "lage" })).toContain("nicht mehr Partnerbehörde");
    const before = h.dump(["meta", "processed_events"]);
    h.db.transaction((tx) => loadDemo(tx, REFERENCE_DIR, h.clock.now(), target));
    expect(h.dump(["meta", "processed_events"])).toEqual(before);
    h.close();
  });
});
