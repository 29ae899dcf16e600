// Drives the real bot as a child process (`node dist/main.js`, what `npm start` runs) with piped
// standard input, so the console adapter reads one command per line and exits at end of input. Then opens the
// SQLite file it wrote and checks the rows.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBot, type BotRun } from "../support/childBot.ts";

let tmp: string;
let dbCounter = 0;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "siko-e2e-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A fresh database path in a directory that does not exist yet (the bot must create it). */
function freshDb(): string {
  return join(tmp, `run-${++dbCounter}`, "siko.db");
}

function openDb(path: string): Database.Database {
  return new Database(path, { readonly: true, fileMustExist: true });
}

describe.concurrent("console adapter, help", () => {
  it("`hilfe` prints the German command list and exits 0", async () => {
    const r = await runBot([], ["hilfe"], { SIKO_DB_PATH: freshDb() });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Befehle von siko-bot \(Details: `hilfe <befehl>`\):\n/);
    for (const usage of ["kpb liste", "kpb import nrw", "partner anlegen <name> --kategorie <kategorie>", "kontakt anlegen <partner> <name>", "raum binden <kpb…>", "rolle geben <benutzer> <rolle>"])
      expect(r.stdout).toContain(`  ${usage}`);
    expect(r.stdout).toContain("Legt eine Partnerbehörde an.");
    expect(r.stdout).not.toContain("partner add");
  });

  it("with SIKO_LOCALE=en prints the English list", async () => {
    const r = await runBot([], ["hilfe"], { SIKO_DB_PATH: freshDb(), SIKO_LOCALE: "en" });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^siko-bot commands \(details: `help <command>`\):\n/);
    expect(r.stdout).toContain("  partner add <name> --category <category> [--kpb <kpb>]…");
    expect(r.stdout).toContain("  role grant <user> <role> [--kpb <kpb>]");
    expect(r.stdout).not.toContain("Befehle");
  });

  it("`help` prints the English list (issue 2: “with English locale or `help`, the English list”)", async () => {
    const r = await runBot([], ["help"], { SIKO_DB_PATH: freshDb() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^siko-bot commands \(details: `help <command>`\):\n/);
    expect(r.stdout).toContain("  partner add <name> --category <category> [--kpb <kpb>]…");
  });

  it("answers each piped line in order, skips blank lines and comments, and exits at end of input", async () => {
    const r = await runBot([], ["", "# Kommentar", "kpb liste", "quatsch", "kpb import nrw", "/zeit 2027-07-02 10:00"], { SIKO_DB_PATH: freshDb() });
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("Es sind noch keine KPB angelegt. Ein Admin lädt sie mit `kpb import nrw`.");
    expect(lines[1]).toBe("Unbekannter Befehl „quatsch“. `hilfe` zeigt alle Befehle.");
    // The first console user on a fresh database is admin, so the import works.
    expect(lines[2]).toBe("NRW-Referenzdaten geladen: 47 KPB neu angelegt, 0 schon vorhanden (unverändert). Insgesamt 47.");
    // Without a simulated clock, `/zeit` says how to get one.
    expect(lines[3]).toBe("Die Uhr ist nicht simuliert: `/zeit` gibt es nur, wenn der Bot mit SIKO_SIMULATED_TIME gestartet wurde.");
  });
});

describe.concurrent("console adapter, the demo", () => {
  it("imports, adds a partner and a contact, binds a room, grants a role, and it is all in the database", async () => {
    const dbPath = freshDb();
    const r = await runBot(
      ["--demo"],
      [
        "partner liste",
        "kpb import nrw",
        `partner anlegen "Caritasverband Köln" --kategorie hilfsorganisation`,
        `kontakt anlegen "Caritasverband Köln" "Eva Engel" --funktion "Leiterin Fachdienst" --email eva.engel@caritas-koeln.example`,
        "/raum lagezentrum",
        "raum binden koeln",
        `rolle geben "Max Muster" leitung --kpb koeln`,
        `/als "Max Muster"`,
        "partner liste --kpb koeln",
        `/als "Dr. Anna Becker"`,
        "ich",
        `partner anlegen "Fremde Behörde" --kategorie sonstige --kpb koeln`,
      ],
      { SIKO_DB_PATH: dbPath },
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = r.stdout;

    // `partner liste` right after the demo: all 13 partners of PP Köln, each with its leadership contact.
    const first = out.slice(0, out.indexOf("NRW-Referenzdaten"));
    expect(first).toMatch(/^Partnerbehörden von PP Köln \(13\):\n/);
    expect(first.match(/^- /gm)).toHaveLength(13);
    expect(first.match(/^ {4}· /gm)).toHaveLength(13);
    expect(first).not.toContain("keine Kontakte");
    for (const [partner, contact] of [
      ["Staatsanwaltschaft Köln [Staatsanwaltschaft]", "Dr. Anna Becker – Leitende Oberstaatsanwältin, Leitung, anna.becker@sta-koeln.example"],
      ["Jugendamt Köln [Jugendamt]", "Julia Neumann – Leiterin des Jugendamts, Leitung"],
      ["Jugendamt Leverkusen [Jugendamt]", "Stefan Braun – Leiter des Jugendamts, Leitung"],
      ["Die Autobahn GmbH des Bundes, Niederlassung Rheinland [Autobahn]", "Frank Meyer"],
    ])
      expect(first).toContain(`- ${partner}\n    · ${contact}`);
    for (const category of ["Gericht", "Kommune", "Bundespolizei", "Zoll", "Schulamt", "Finanzverwaltung", "ÖPNV", "Hilfsorganisation", "private Organisation"])
      expect(first).toContain(`[${category}]`);

    expect(out).toContain("NRW-Referenzdaten geladen: 0 KPB neu angelegt, 47 schon vorhanden (unverändert). Insgesamt 47.");
    expect(out).toContain("Partnerbehörde „Caritasverband Köln“ (Hilfsorganisation) angelegt für PP Köln.");
    expect(out).toContain("Kontakt „Eva Engel“ bei „Caritasverband Köln“ angelegt (Leiterin Fachdienst). Erreichbar über: E-Mail eva.engel@caritas-koeln.example.");
    expect(out).toContain("Sie sind jetzt „konsole“ im Raum „lagezentrum“.");
    expect(out).toContain("Dieser Raum gehört jetzt zu PP Köln.");
    expect(out).toContain("console:Max Muster hat jetzt die Rolle leitung für PP Köln.");
    // Max, as leader, reads the list with the new partner.
    expect(out).toContain("Sie sind jetzt „Max Muster“ im Direktchat mit dem Bot.");
    expect(out).toContain("Partnerbehörden von PP Köln (14):");
    expect(out).toContain("- Caritasverband Köln [Hilfsorganisation]\n    · Eva Engel – Leiterin Fachdienst, Leitung, eva.engel@caritas-koeln.example");
    // Dr. Becker is a contact of the Staatsanwaltschaft and holds no role.
    expect(out).toContain("Sie sind console:Dr. Anna Becker.\nRollen: keine\nPartner-Kontakt für: Staatsanwaltschaft Köln");
    expect(out).toContain("Das dürfen Sie nicht: `partner anlegen` braucht die Rolle organisator für PP Köln.");

    const db = openDb(dbPath);
    try {
      const one = <T>(sql: string, ...p: unknown[]) => db.prepare(sql).get(...p) as T;
      const all = <T>(sql: string, ...p: unknown[]) => db.prepare(sql).all(...p) as T[];
      expect(one<{ n: number }>("SELECT count(*) AS n FROM kpbs").n).toBe(47);
      const koeln = one<{ id: number; cities: string; has_motorway_police: number }>("SELECT id, cities, has_motorway_police FROM kpbs WHERE slug = 'koeln'");
      expect(JSON.parse(koeln.cities)).toEqual(["Köln", "Leverkusen"]);
      expect(koeln.has_motorway_police).toBe(1);

      const caritas = one<{ id: number; category: string }>("SELECT id, category FROM partner_agencies WHERE name = 'Caritasverband Köln'");
      expect(caritas.category).toBe("hilfsorganisation");
      expect(all("SELECT kpb_id FROM partner_kpbs WHERE partner_agency_id = ?", caritas.id)).toEqual([{ kpb_id: koeln.id }]);
      expect(all("SELECT name, function, email, is_leadership FROM contacts WHERE partner_agency_id = ?", caritas.id)).toEqual([
        { name: "Eva Engel", function: "Leiterin Fachdienst", email: "eva.engel@caritas-koeln.example", is_leadership: 1 },
      ]);
      expect(one<{ n: number }>("SELECT count(*) AS n FROM partner_agencies WHERE name = 'Fremde Behörde'").n).toBe(0);

      expect(all("SELECT platform, platform_room_id, direct, kpb_id FROM rooms WHERE kpb_id IS NOT NULL ORDER BY platform_room_id")).toEqual([
        { platform: "console", platform_room_id: "konsole", direct: 0, kpb_id: koeln.id },
        { platform: "console", platform_room_id: "lagezentrum", direct: 0, kpb_id: koeln.id },
      ]);

      const grants = all<{ user: string; role: string; kpb_id: number | null; granted_by: string }>(
        "SELECT u.platform_user_id AS user, g.role, g.kpb_id, g.granted_by FROM role_grants g JOIN users u ON u.id = g.user_id ORDER BY g.id",
      );
      expect(grants).toEqual([
        { user: "konsole", role: "organiser", kpb_id: koeln.id, granted_by: "system:demo" },
        { user: "konsole", role: "admin", kpb_id: null, granted_by: "system:first-console-user" },
        { user: "Max Muster", role: "leader", kpb_id: koeln.id, granted_by: "console:konsole" },
      ]);

      const audit = all<{ actor: string; action: string; entity: string }>("SELECT actor, action, entity FROM audit_log ORDER BY id");
      expect(audit).toEqual([
        { actor: "system", action: "demo.load", entity: "kpb" },
        { actor: "system", action: "role.grant", entity: "user" },
        { actor: "console:konsole", action: "kpb.import", entity: "kpb" },
        { actor: "console:konsole", action: "partner.add", entity: "partner" },
        { actor: "console:konsole", action: "contact.add", entity: "contact" },
        { actor: "console:konsole", action: "room.bind", entity: "room" },
        { actor: "console:konsole", action: "role.grant", entity: "user" },
      ]);
      const at = all<{ at: number }>("SELECT at FROM audit_log");
      for (const row of at) expect(Math.abs(row.at - Date.now())).toBeLessThan(60_000);

      // The file is in WAL mode with full synchronous writes (DESIGN §4).
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    } finally {
      db.close();
    }
  });

  it("loading the demo twice changes nothing", async () => {
    const dbPath = freshDb();
    const counts = (): Record<string, number> => {
      const db = openDb(dbPath);
      try {
        const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'").all() as { name: string }[]).map((t) => t.name);
        return Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n]));
      } finally {
        db.close();
      }
    };
    const snapshot = (): unknown[] => {
      const db = openDb(dbPath);
      try {
        return [
          db.prepare("SELECT p.name, p.category, c.name AS contact, c.email FROM partner_agencies p JOIN contacts c ON c.partner_agency_id = p.id ORDER BY p.id, c.id").all(),
          db.prepare("SELECT * FROM kpbs ORDER BY id").all(),
          db.prepare("SELECT * FROM role_grants ORDER BY id").all(),
          db.prepare("SELECT * FROM rooms ORDER BY id").all(),
        ];
      } finally {
        db.close();
      }
    };

    const first = await runBot(["--demo"], [], { SIKO_DB_PATH: dbPath });
    expect(first.code).toBe(0);
    const after1 = counts();
    const rows1 = snapshot();
    expect(after1).toMatchObject({ kpbs: 47, partner_agencies: 13, partner_kpbs: 13, contacts: 13, rooms: 1, role_grants: 1, users: 1 });

    const second = await runBot(["--demo"], ["partner liste"], { SIKO_DB_PATH: dbPath });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^Partnerbehörden von PP Köln \(13\):\n/);
    expect(second.stdout.match(/^ {4}· /gm)).toHaveLength(13);
    const after2 = counts();
    // The second run's `partner liste` made the console user admin (first console user) and recorded its event;
    // apart from that, nothing was added. (The bot's own bookkeeping in meta, such as the night's housekeeping, is no data.)
    expect({ ...after2, role_grants: after2.role_grants! - 1, processed_events: after2.processed_events! - 1, audit_log: 0, meta: 0 }).toEqual({ ...after1, audit_log: 0, meta: 0 });
    const db = openDb(dbPath);
    try {
      const newAudit = db.prepare("SELECT action, details FROM audit_log WHERE id > ? ORDER BY id").all(after1.audit_log) as { action: string; details: string }[];
      // Loading the demo again changed nothing, so it wrote no "demo.load" entry either.
      expect(newAudit).toEqual([{ action: "role.grant", details: JSON.stringify({ role: "admin", reason: "first console user" }) }]);
    } finally {
      db.close();
    }
    expect(snapshot()[0]).toEqual(rows1[0]);
    expect(snapshot()[1]).toEqual(rows1[1]);
    expect(snapshot()[3]).toEqual(rows1[3]);
  });
});

describe.concurrent("console adapter, the demo again and the simulated clock", () => {
  // The first start edits the demo's data on a simulated clock that is moved over 1 July; the second loads the demo again.
  let first: BotRun;
  let second: BotRun;
  beforeAll(async () => {
    const dbPath = freshDb();
    first = await runBot(
      ["--demo"],
      ["/zeit", "kpb pflicht oepnv", "kpb pflicht jugendamt --weg", 'partner entfernen "Kölnmesse GmbH"', 'kontakt entfernen "Stadt Köln" "Petra Schmitz"', "/zeit 2027-07-02 10:00"],
      // Without an offset SIKO_SIMULATED_TIME is Berlin time, like every date the bot reads.
      { SIKO_DB_PATH: dbPath, SIKO_SIMULATED_TIME: "2027-06-28T09:00" },
    );
    second = await runBot(["--demo"], ["partner liste", "kpb zeigen koeln"], { SIKO_DB_PATH: dbPath });
  });

  it("a second --demo start keeps the partner the organiser removed and the mandatory categories the organiser changed", () => {
    expect(first.stderr).toBe("");
    expect(first.stdout).toContain("„Kölnmesse GmbH“ ist nicht mehr Partnerbehörde von PP Köln.");
    expect(second.stderr).toBe("");
    expect(second.stdout).toMatch(/^Partnerbehörden von PP Köln \(12\):\n/);
    expect(second.stdout).not.toContain("Kölnmesse");
    expect(second.stdout).not.toContain("Petra Schmitz");
    expect(second.stdout).toContain("Pflichtkategorien SiKo: Staatsanwaltschaft, Gericht, Kommune, Bundespolizei, Zoll, Schulamt, ÖPNV\n");
  });

  it("reminders that a clock jump brings are printed after the “Simulierte Zeit” line and do not claim the bot was down", () => {
    expect(first.stdout).toMatch(/^Simulierte Zeit: Mo, 28\.06\.2027, 09:00 Uhr\n/);
    const clockLine = first.stdout.indexOf("Simulierte Zeit: Fr, 02.07.2027, 10:00 Uhr");
    const reminder = first.stdout.indexOf("Jahresminimum gefährdet: PP Köln hat für 2027 noch keine SiKo");
    expect(clockLine).toBeGreaterThanOrEqual(0);
    expect(reminder).toBeGreaterThan(clockLine);
    expect(first.stdout).toContain("(verspätet zugestellt) Fällig war Do, 01.07.2027, 09:00 Uhr; die Uhr wurde über diesen Zeitpunkt hinaus vorgestellt.");
    expect(first.stdout).not.toContain("nicht erreichbar");
  });
});

describe.concurrent("console adapter, the end of a year nobody planned for", () => {
  // One run: the 27 December escalation to the leadership, then the 2 January overdue notices and the LZPD's digest.
  let r: BotRun;
  beforeAll(async () => {
    r = await runBot(
      ["--demo"],
      ["rolle geben konsole leitung --kpb koeln", "rolle geben lzpd lzpd", "/zeit 2027-12-27 10:00", "/zeit 2028-01-03 10:00", "/als lzpd", "uebersicht alle 2027"],
      { SIKO_DB_PATH: freshDb(), SIKO_SIMULATED_TIME: "2027-12-20T12:00" },
    );
  });

  it("the 27 December escalation suggests a working day of that year, not one in January", () => {
    expect(r.stderr).toBe("");
    const december = r.stdout.slice(r.stdout.indexOf("Simulierte Zeit: Mo, 27.12.2027"), r.stdout.indexOf("Simulierte Zeit: Mo, 03.01.2028"));
    const escalations = december.split("→ an konsole").slice(1);
    expect(escalations).toHaveLength(2); // SiKo and SiKo-AP
    for (const e of escalations) {
      expect(e).toContain("Eskalation – PP Köln");
      expect(e).toMatch(/`planen 2027-12-30 10:00( --art siko-ap)?`/);
      expect(e).toContain("Mit 14 Tagen Vorlauf ist 2027 nicht mehr zu schaffen");
      expect(e).not.toContain("2028");
    }
  });

  it("the LZPD receives one digest for all KPBs: Köln overdue with its leadership told, the KPBs that do not use the bot listed apart", () => {
    expect(r.stdout).toContain("Eingegangen bei „lzpd“ (1):");
    const digest = r.stdout.slice(r.stdout.indexOf("(1) Jahresminimum 2027 – Meldung an das LZPD NRW"));
    expect(digest).toContain("Überfällig: 1 KPB hat für 2027 keine Konferenz als durchgeführt festgehalten.");
    expect(digest).toContain("- PP Köln – SiKo, SiKo-AP – ja");
    expect(digest).toMatch(/Nicht angebunden \(46\) – .*: KPB Borken, /);
    expect(r.stdout).toContain("Je Stand (SiKo und SiKo-AP einzeln gezählt): überfällig 2 · nicht angebunden 50");
    expect(r.stdout).toContain("- PP Aachen: SiKo nicht angebunden");
  });
});

describe.concurrent("console adapter, bad configuration", () => {
  it("stops with exit code 2 and names the variable and what is allowed", async () => {
    const r = await runBot([], ["hilfe"], { SIKO_DB_PATH: freshDb(), SIKO_LOCALE: "fr" });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("SIKO_LOCALE");
    expect(r.stderr).toMatch(/"de".*"en"/);
  });

  it("names SIKO_ADAPTERS for an unknown adapter", async () => {
    const r = await runBot([], [], { SIKO_DB_PATH: freshDb(), SIKO_ADAPTERS: "console,irc" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("SIKO_ADAPTERS");
    expect(r.stderr).toContain('"teams"');
  });
});

describe.concurrent("console adapter, the simulated clock", () => {
  it("`/zeit 31.12.9999 23:59` says why it is refused and the bot goes on; `/zeit` alone shows the time; it never moves back", async () => {
    const r = await runBot(
      [],
      ["/zeit", "/zeit 31.12.9999 23:59", "/zeit 31.02.2027 10:00", "/zeit 2027-01-01 10:00", "/zeit morgen 10:00", "/zeit morgen", "kpb liste", '/als "\u001b[2Jx"', "\u001b]0;pwned\u0007"],
      { SIKO_DB_PATH: freshDb(), SIKO_SIMULATED_TIME: "2027-02-01T08:00:00Z" },
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("Simulierte Zeit: Mo, 01.02.2027, 09:00 Uhr");
    expect(lines[1]).toBe("Ein Datum nach dem Jahr 2200 nehme ich nicht an („31.12.9999“).");
    expect(r.stdout).toContain("Den 31.02.2027 gibt es nicht.");
    expect(r.stdout).toContain("Die simulierte Uhr läuft nur vorwärts: Fr, 01.01.2027, 10:00 Uhr liegt vor der simulierten Zeit (Mo, 01.02.2027, 09:00 Uhr).");
    expect(r.stdout).toContain("„morgen“ ist kein Datum.");
    expect(r.stdout).toContain("Aufruf: `/zeit` zeigt die simulierte Zeit");
    // The process is still there for the next line.
    expect(r.stdout).toContain("Es sind noch keine KPB angelegt.");
    // A terminal escape typed in `/als` or as a command is printed visibly, never sent to the terminal.
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(r.stdout).toContain("Sie sind jetzt „␛[2Jx“ im Direktchat mit dem Bot.");
  });
});
