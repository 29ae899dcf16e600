// The whole SiKo lifecycle on the console, as one organiser and three partner contacts would type it:
// plan, a refused invitation while a mandatory category is missing, invitation, answers by button and by
// command, status, reschedule (answers reset, notices sent), and finally the record that it was held.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBot, type BotRun } from "../support/childBot.ts";

let dir: string;
let run: BotRun;
let db: Database.Database;

const SCRIPT = [
  'planen 2027-03-15 10:00 --ort "Polizeipräsidium Köln, Walter-Pauli-Ring 2–6"',
  'partner entfernen "Hauptzollamt Köln"',
  "einladen 1",
  'partner anlegen "Hauptzollamt Köln" --kategorie zoll',
  "einladen 1",
  '/als "Dr. Anna Becker"',
  "1",
  "2",
  '/als "Markus Hoffmann"',
  "4 Peter Vertreter",
  '/als "Dr. Thomas Wagner"',
  "zusage 1",
  "/als konsole",
  "status 1",
  "verschieben 1 2027-03-22 10:00",
  "status 1",
  "/zeit 2027-03-22 14:00",
  'durchgefuehrt 1 --anwesend "Landgericht Köln" --anwesend "Staatsanwaltschaft Köln" --themen 1,2,7',
  'durchgefuehrt 1 --gast "Feuerwehr Köln" --themen 1,2',
  "status 1",
  "liste 2027",
];

/** The part of stdout that answers the command at `index` in SCRIPT (up to the next command's answer). */
function section(from: string, to?: string): string {
  const start = run.stdout.indexOf(from);
  expect(start, `stdout contains “${from}”`).toBeGreaterThanOrEqual(0);
  const end = to ? run.stdout.indexOf(to, start + from.length) : -1;
  return run.stdout.slice(start, end < 0 ? undefined : end);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "siko-lifecycle-"));
  run = await runBot(["--demo"], SCRIPT, {
    SIKO_DB_PATH: join(dir, "siko.db"),
    SIKO_SIMULATED_TIME: "2027-02-01T08:00:00Z",
    SIKO_RSVP_NOTICE_DELAY_MS: "0",
    SIKO_ORGANIZER_EMAIL: "sicherheitskonferenz@polizei.nrw.example",
  });
  db = new Database(join(dir, "siko.db"), { readonly: true });
}, 60_000);

afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("SiKo lifecycle on the console", () => {
  it("exits cleanly", () => {
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
  });

  it("plans the conference with the decree's agenda and Köln's extra topic", () => {
    const planned = section("SiKo #1 geplant.", "ist nicht mehr Partnerbehörde");
    expect(planned).toContain("Wann: Mo, 15.03.2027, 10:00–13:00 Uhr");
    expect(planned).toContain("Wo: Polizeipräsidium Köln, Walter-Pauli-Ring 2–6");
    const agenda = db.prepare("SELECT agenda FROM conferences WHERE id = 1").get() as { agenda: string };
    expect(JSON.parse(agenda.agenda)).toHaveLength(7);
    expect(JSON.parse(agenda.agenda)[6]).toMatch(/Schutz von Kindern und Jugendlichen/);
  });

  it("refuses the invitation while the customs category is missing, and names it", () => {
    const refused = section("Einladung verweigert", "gibt es schon");
    expect(refused).toContain("Zoll");
    expect(refused).toContain("--trotzdem");
  });

  it("invites the leadership of every SiKo partner after the category is back", () => {
    expect(run.stdout).toContain("„Hauptzollamt Köln“ gibt es schon (Kategorie Zoll); sie ist jetzt auch Partner von PP Köln.");
    expect(run.stdout).toContain("Zu SiKo #1 eingeladen: 12 Kontakte von 12 Behörden.");
    // The motorway body is for the SiKo-AP track only.
    expect(section("Zu SiKo #1 eingeladen", "→ an")).not.toContain("Autobahn");
    const invites = db.prepare("SELECT key, status FROM outbox WHERE key LIKE 'invite:conf=1:%'").all() as { status: string }[];
    expect(invites).toHaveLength(12);
    expect(invites.every((r) => r.status === "delivered")).toBe(true);
  });

  it("shows a partner what they received, with buttons and the .ics", () => {
    const anna = section("Sie sind jetzt „Dr. Anna Becker“", "Antwort für");
    expect(anna).toContain("Einladung: SiKo #1 von PP Köln");
    expect(anna).toContain("Sie sind eingeladen als Leitung von Staatsanwaltschaft Köln.");
    expect(anna).toContain("[1] Zusage  [2] Absage  [3] Vorbehalt  [4] Vertretung");
    const file = /Datei: (.+\.ics)/.exec(anna)![1]!;
    const content = readFileSync(file, "utf8");
    const vevent = new ICAL.Component(ICAL.parse(content)).getFirstSubcomponent("vevent")!;
    expect(vevent.getFirstPropertyValue("summary")).toBe("Sicherheitskonferenz PP Köln 2027");
    // Replies by calendar would go nowhere yet: the file asks for none, and the message says how to answer.
    expect(content).not.toContain("RSVP=TRUE");
    expect(content.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(String(vevent.getFirstPropertyValue("organizer"))).toMatch(/^mailto:sicherheitskonferenz@polizei\.nrw\.example$/i);
    expect(anna).toContain("Annehmen oder Ablehnen im Kalenderprogramm erreicht die einladende KPB nicht. Bitte hier antworten.");
    expect(file).toMatch(/2027-03-15-sicherheitskonferenz-pp-koeln\.ics$/);
    // Attachments go to dateien/ beside the database file (data/dateien/ with the default SIKO_DB_PATH).
    expect(file.startsWith(join(dir, "dateien") + "/")).toBe(true);
  });

  it("records the answers: a change from Zusage to Absage, a deputy, a plain Zusage", () => {
    expect(run.stdout).toContain("Antwort für Staatsanwaltschaft Köln zu SiKo #1 gespeichert: Zusage.");
    expect(run.stdout).toContain("Antwort für Staatsanwaltschaft Köln zu SiKo #1 gespeichert: Absage.");
    expect(run.stdout).toContain("Antwort für Bundespolizeiinspektion Köln zu SiKo #1 gespeichert: Vertretung: Peter Vertreter.");
    expect(run.stdout).toContain("Antwort für Landgericht Köln zu SiKo #1 gespeichert: Zusage.");
    // The organisers' room hears of each answer, and from whom.
    expect(run.stdout).toContain("Neue Antworten zu SiKo #1\n- Staatsanwaltschaft Köln: Absage – Dr. Anna Becker");
    const trail = db
      .prepare("SELECT details FROM audit_log WHERE action = 'rsvp' ORDER BY id")
      .all()
      .map((r) => JSON.parse((r as { details: string }).details) as { from: string | null; to: string; deputy: string | null });
    expect(trail.map((d) => [d.from, d.to])).toEqual([
      [null, "accepted"],
      ["accepted", "declined"],
      [null, "delegated"],
      [null, "accepted"],
    ]);
    expect(trail[2]!.deputy).toBe("Peter Vertreter");
  });

  it("`/als konsole` shows what reached the room while one was someone else", () => {
    const back = section("Sie sind jetzt „konsole“ im Raum „konsole“.", "SiKo #1 – Antworten (3 von 12):");
    expect(back).toMatch(/Im Raum „konsole“ eingegangen \(\d+\):\n\(1\) Neue Antworten zu SiKo #1\n- Staatsanwaltschaft Köln: Zusage – Dr\. Anna Becker\n.*\n?\(2\) Neue Antworten zu SiKo #1\n- Staatsanwaltschaft Köln: Absage – Dr\. Anna Becker/);
  });

  it("status shows exactly those answers per mandatory category", () => {
    const status = section("SiKo #1 – Antworten (3 von 12):", "verschoben auf");
    expect(status).toContain("Staatsanwaltschaft – Staatsanwaltschaft Köln: Absage");
    expect(status).toContain("Gericht – Landgericht Köln: Zusage");
    expect(status).toContain("Bundespolizei – Bundespolizeiinspektion Köln: Vertretung: Peter Vertreter");
    expect(status).toContain("Zoll – Hauptzollamt Köln: keine Antwort");
    expect(status).toContain("Jugendamt – Jugendamt Köln: keine Antwort; Jugendamt Leverkusen: keine Antwort");
  });

  it("moving the conference resets the answers and notifies every invited contact", () => {
    expect(run.stdout).toContain("SiKo #1 verschoben auf Mo, 22.03.2027, 10:00 Uhr. 12 Kontakte wurden benachrichtigt");
    expect(section("verschoben auf", "Simulierte Zeit")).toContain("SiKo #1 – Antworten (0 von 12):");
    const updates = db.prepare("SELECT message FROM outbox WHERE key LIKE 'update:conf=1:seq=1:%' AND status = 'delivered'").all() as { message: string }[];
    expect(updates).toHaveLength(12);
    expect(JSON.parse(updates[0]!.message).text).toContain("Neu: Mo, 22.03.2027, 10:00–13:00 Uhr");
    const answers = db.prepare("SELECT answer FROM invitations WHERE conference_id = 1").all() as { answer: string | null }[];
    expect(answers.every((a) => a.answer === null)).toBe(true);
    expect(db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'rsvp.reset'").get()).toEqual({ n: 3 });
  });

  it("records the conference as held, with who attended and what was discussed", () => {
    expect(run.stdout).toContain("SiKo #1 als durchgeführt festgehalten. Teilgenommen: Landgericht Köln, Staatsanwaltschaft Köln.");
    const row = db.prepare("SELECT status, outcome FROM conferences WHERE id = 1").get() as { status: string; outcome: string };
    expect(row.status).toBe("held");
    expect(JSON.parse(row.outcome).discussedItems).toEqual([1, 2]);
    expect(run.stdout).toMatch(/SiKo #1 – Mo, 22\.03\.2027, 10:00 Uhr – Polizeipräsidium Köln, Walter-Pauli-Ring 2–6 – durchgeführt/);
  });

  it("a second durchgefuehrt corrects the record (a guest, fewer topics), audited, and status and liste show it", () => {
    expect(run.stdout).toContain(
      "SiKo #1: Die Angaben zur Durchführung sind korrigiert. Teilgenommen: Landgericht Köln, Staatsanwaltschaft Köln. Gäste ohne Einladung: Feuerwehr Köln. Besprochen: 1. Sicherheitslage",
    );
    const status = section("Die Angaben zur Durchführung sind korrigiert", "Konferenzen von PP Köln in 2027").split("SiKo #1 von PP Köln\n")[1]!;
    expect(status).toContain("Durchgeführt – Teilgenommen: Landgericht Köln, Staatsanwaltschaft Köln. Gäste ohne Einladung: Feuerwehr Köln. Besprochen: 1. ");
    expect(status).not.toContain("; 7. Schutz");
    const list = section("Konferenzen von PP Köln in 2027:");
    expect(list).toMatch(/– durchgeführt – 0\/12 Antworten\n {4}Teilgenommen: Landgericht Köln, Staatsanwaltschaft Köln\. Gäste ohne Einladung: Feuerwehr Köln\. Besprochen: 1\. /);
    const audit = db.prepare("SELECT action, details FROM audit_log WHERE action LIKE 'conference.held%' ORDER BY id").all() as { action: string; details: string }[];
    expect(audit.map((a) => a.action)).toEqual(["conference.held", "conference.held.correct"]);
    expect(JSON.parse(audit[1]!.details)).toMatchObject({ before: { discussedItems: [1, 2, 7] }, after: { guests: ["Feuerwehr Köln"], discussedItems: [1, 2] } });
  });

  it("delivered every queued message exactly once", () => {
    const counts = db.prepare("SELECT status, count(*) AS n FROM outbox GROUP BY status").all();
    expect(counts).toEqual([{ status: "delivered", n: (db.prepare("SELECT count(*) AS n FROM outbox").get() as { n: number }).n }]);
  });
});
