// The nightly round on a real database file: it runs once a night after 02:30 Berlin (late after downtime),
// keeps the newest backups, removes delivered messages and audit details past the retention period, and
// carries out an admin's `sicherung`, answering where the file is.
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { assertDurable, openDatabase } from "../../src/db/client.ts";
import * as s from "../../src/db/schema.ts";
import { enqueue } from "../../src/delivery/outbox.ts";
import { Housekeeping } from "../../src/ops/housekeeping.ts";
import { startHarness } from "../support/harness.ts";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), "siko-house-"));
  dirs.push(d);
  return d;
}

describe("the nightly round", () => {
  it("runs once a night after 02:30 Berlin, takes a backup and keeps only the newest ones", async () => {
    const dir = tmp();
    const backups = join(dir, "backups");
    const h = startHarness({ file: join(dir, "siko.db") });
    h.clock.set(new Date("2027-03-01T01:00:00Z")); // 02:00 Berlin: not yet
    let kicks = 0;
    const house = new Housekeeping({ db: h.db, sqlite: h.sqlite, clock: h.clock, logger: pino({ level: "silent" }), backupDir: backups, backupKeep: 2, retentionYears: 5, kick: () => kicks++ });
    await house.tick();
    expect(existsSync(backups)).toBe(false);
    for (let night = 0; night < 4; night++) {
      h.clock.set(new Date(Date.UTC(2027, 2, 1 + night, 2, 0))); // 03:00 Berlin
      await house.tick();
      await house.tick(); // a second tick the same night does nothing
    }
    expect(readdirSync(backups).sort()).toEqual(["siko-20270303-020000.db", "siko-20270304-020000.db"]);
    const copy = new Database(join(backups, "siko-20270304-020000.db"), { readonly: true });
    expect((copy.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number }).n).toBeGreaterThan(0);
    copy.close();
    h.close();
  });

  it("removes delivered messages and audit details older than the retention period, and nothing younger", async () => {
    const h = startHarness();
    const old = new Date("2020-01-01T10:00:00Z");
    const young = new Date("2026-06-01T10:00:00Z");
    h.db.transaction((tx) => {
      for (const [key, at] of [["old", old], ["young", young]] as const)
        enqueue(tx, { key, to: { platform: "console", kind: "user", id: "Dr. Anna Becker" }, message: { text: "Einladung", locale: "de" } }, at);
      tx.update(s.outbox).set({ status: "delivered" }).run();
      enqueue(tx, { key: "old-pending", to: { platform: "console", kind: "user", id: "x" }, message: { text: "wartet", locale: "de" } }, old);
      tx.insert(s.auditLog).values({ at: old, actor: "console:orga", action: "contact.add", entity: "contact", entityId: 1, details: { name: "Dr. Anna Becker" } }).run();
      tx.insert(s.auditLog).values({ at: young, actor: "console:orga", action: "contact.add", entity: "contact", entityId: 2, details: { name: "Petra Schmitz" } }).run();
    });
    h.clock.set(new Date("2026-11-30T03:00:00Z"));
    const house = new Housekeeping({ db: h.db, sqlite: h.sqlite, clock: h.clock, logger: pino({ level: "silent" }), backupKeep: 7, retentionYears: 5, kick: () => {} });
    const result = await house.night();
    expect(result).toMatchObject({ outboxRows: 1, auditDetails: 1, backup: null });
    expect(h.db.select({ key: s.outbox.key }).from(s.outbox).all().map((r) => r.key).sort()).toEqual(["old-pending", "young"]);
    const audit = h.db.select().from(s.auditLog).all();
    expect(audit.map((a) => [a.action, a.details])).toEqual([
      ["contact.add", { removed: "retention" }],
      ["contact.add", { name: "Petra Schmitz" }],
    ]);
    h.close();
  });

  it("`sicherung` by an admin: the backup is taken and the admin is told where it is", async () => {
    const dir = tmp();
    const h = startHarness({ file: join(dir, "siko.db") });
    h.settings.backupDir = join(dir, "backups");
    expect(await h.say("sicherung")).toContain("Die Sicherung wird erstellt");
    let kicked = 0;
    const house = new Housekeeping({ db: h.db, sqlite: h.sqlite, clock: h.clock, logger: pino({ level: "silent" }), backupDir: h.settings.backupDir, backupKeep: 7, retentionYears: 5, kick: () => kicked++ });
    await house.tick();
    const answer = h.db.select().from(s.outbox).all().find((r) => r.key.startsWith("backup:"))!;
    expect(answer.addressId).toBe("lage");
    expect((answer.message as { text: string }).text).toMatch(new RegExp(`^Sicherung fertig: ${join(dir, "backups")}/siko-\\d{8}-\\d{6}\\.db \\(\\d+ KB\\)\\.$`));
    expect(kicked).toBe(1);
    expect(readdirSync(join(dir, "backups"))).toHaveLength(1);
    h.close();
  });

  it("`sicherung` without a backup folder says what the operator must set, and is refused to non-admins", async () => {
    const h = startHarness();
    await h.say("ich"); // the first console user administers the installation
    expect(await h.say("sicherung")).toContain("SIKO_BACKUP_DIR");
    expect(await h.say("sicherung", { user: "gast", room: "lage" })).toContain("Das dürfen Sie nicht");
    h.close();
  });
});

describe("start-up checks", () => {
  it("a database without WAL and synchronous=FULL is refused", () => {
    const dir = tmp();
    const { sqlite, close } = openDatabase(join(dir, "siko.db"));
    expect(() => assertDurable(sqlite)).not.toThrow();
    sqlite.pragma("synchronous = NORMAL");
    expect(() => assertDurable(sqlite)).toThrow(/synchronous is 1, not 2 \(FULL\)/);
    close();
  });
});
