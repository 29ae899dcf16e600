// Cost of one reminder sweep as the data grows: 10,000 and 100,000 KPB-tracks, each with five years of
// conference history, measured in the same run so the ratio does not depend on the machine. The sweep is
// timed at the busiest kind of moment, 1 July 09:00 Berlin: a third of the tracks get the organisers'
// notice, a third have a conference in 14 days whose silent invitees are nudged; then a quiet sweep
// five minutes later (nothing due) shows the fixed cost of looking.
// Run alone: npx tsx bench/sweep.bench.ts
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { openDatabase, type OpenDb } from "../src/db/client.ts";
import { ManualClock } from "../src/domain/clock.ts";
import { WATCH_STARTED_KEY, WATERMARK_KEY } from "../src/db/meta.ts";
import { ReminderScheduler, type SweepResult } from "../src/reminders/scheduler.ts";
import { cpuMs, paired, report, runIfMain } from "./support.ts";

const HOUR = 3_600_000;
const NOW = new Date("2030-07-01T07:00:00Z"); // Monday 1 July 2030, 09:00 Berlin
const YEARS = [2026, 2027, 2028, 2029, 2030];

/** Builds `tracks` KPB-tracks (every KPB with motorway police: two tracks each) straight into SQLite. */
function build(dir: string, tracks: number): OpenDb {
  const o = openDatabase(join(dir, `sweep-${tracks}.db`));
  const db = o.sqlite;
  // Bulk load only: durability does not matter for throwaway data, speed does.
  db.pragma("synchronous = OFF");
  const t0 = 1_767_225_600_000; // 2026-01-01
  const kpb = db.prepare("INSERT INTO kpbs (id, name, slug, kind, has_motorway_police, created_at) VALUES (?, ?, ?, 'pp', 1, ?)");
  const user = db.prepare("INSERT INTO users (id, platform, platform_user_id, created_at) VALUES (?, 'matrix', ?, ?)");
  const grant = db.prepare("INSERT INTO role_grants (user_id, role, kpb_id, granted_by, created_at) VALUES (?, ?, ?, 'bench', ?)");
  const room = db.prepare("INSERT INTO rooms (platform, platform_room_id, direct, kpb_id, created_at) VALUES ('matrix', ?, 0, ?, ?)");
  const conf = db.prepare(
    // The number (per KPB) is the id here: unique per KPB is all it needs to be.
    "INSERT INTO conferences (id, number, kpb_id, track, starts_at, ends_at, status, agenda, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, '[]', 'bench', ?, ?)",
  );
  const partner = db.prepare("INSERT INTO partner_agencies (id, name, name_key, category, created_at) VALUES (?, ?, ?, 'kommune', ?)");
  const contact = db.prepare("INSERT INTO contacts (id, partner_agency_id, kpb_id, name, name_key, matrix_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
  const invitation = db.prepare("INSERT INTO invitations (conference_id, partner_agency_id, answer, created_at) VALUES (?, ?, ?, ?)");
  const invited = db.prepare("INSERT INTO invited_contacts (conference_id, contact_id, partner_agency_id) VALUES (?, ?, ?)");
  // Berlin 10:00 in summer is 08:00 UTC.
  const at = (iso: string) => Date.parse(`${iso}T08:00:00Z`);
  let confId = 0;
  let userId = 0;
  let partnerId = 0;
  db.transaction(() => {
    user.run(++userId, "@lzpd:polizei.nrw", t0);
    grant.run(userId, "reporter", null, t0);
    for (let k = 1; k <= tracks / 2; k++) {
      kpb.run(k, `KPB ${k}`, `kpb-${k}`, t0);
      user.run(++userId, `@org-${k}:polizei.nrw`, t0);
      grant.run(userId, "organiser", k, t0);
      user.run(++userId, `@ltg-${k}:polizei.nrw`, t0);
      grant.run(userId, "leader", k, t0);
      room.run(`!raum-${k}:polizei.nrw`, k, t0);
      for (const [ti, track] of (["siko", "siko-ap"] as const).entries()) {
        const i = k * 2 + ti;
        for (const year of YEARS) {
          const month = String(3 + (i % 8)).padStart(2, "0");
          if (year < 2030) {
            // History: held every year, with a cancelled first attempt now and then.
            if (i % 5 === year % 5) conf.run(++confId, confId, k, track, at(`${year}-${month}-05`), at(`${year}-${month}-05`) + 3 * HOUR, "cancelled", t0, t0);
            conf.run(++confId, confId, k, track, at(`${year}-${month}-12`), at(`${year}-${month}-12`) + 3 * HOUR, "held", t0, t0);
            continue;
          }
          if (i % 3 === 0) {
            conf.run(++confId, confId, k, track, at("2030-03-14"), at("2030-03-14") + 3 * HOUR, "held", t0, t0);
          } else if (i % 3 === 1) {
            // In 14 days: two agencies invited, one has answered, the other gets a nudge now.
            conf.run(++confId, confId, k, track, at("2030-07-15"), at("2030-07-15") + 3 * HOUR, "invited", t0, t0);
            for (const answer of ["accepted", null]) {
              partner.run(++partnerId, `Behörde ${partnerId}`, `behoerde ${partnerId}`, t0);
              contact.run(partnerId, partnerId, k, `Kontakt ${partnerId}`, `kontakt ${partnerId}`, `@kontakt-${partnerId}:stadt.nrw`, t0);
              invitation.run(confId, partnerId, answer, t0);
              invited.run(confId, partnerId, partnerId);
            }
          }
          // i % 3 === 2: nothing for 2030 — the organisers' notice is due.
        }
      }
    }
  })();
  db.pragma("synchronous = FULL");
  return o;
}

function reset(o: OpenDb, since: Date): void {
  o.sqlite.prepare("DELETE FROM outbox").run();
  const put = o.sqlite.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  put.run(WATERMARK_KEY, since.toISOString());
  put.run(WATCH_STARTED_KEY, "2026-01-01T00:00:00.000Z");
}

/**
 * The baseline: the state of every KPB-track for the year in one raw SQL query over the same database (what a
 * hand-written report would run): how many conferences each track has held or planned in the year.
 */
function rawStateQuery(o: OpenDb): number {
  const year = [Date.UTC(2029, 11, 31, 23), Date.UTC(2030, 11, 31, 23)];
  const rows = o.sqlite
    .prepare(
      `SELECT k.id, t.track, (SELECT count(*) FROM conferences c WHERE c.kpb_id = k.id AND c.track = t.track AND c.starts_at >= ? AND c.starts_at < ?
         AND c.status IN ('planned', 'invited', 'held')) AS n
       FROM kpbs k JOIN (SELECT 'siko' AS track UNION ALL SELECT 'siko-ap') t`,
    )
    .all(year[0], year[1]);
  return rows.length;
}

/**
 * A second baseline for the busy sweep: the raw state query plus writing the very rows the sweep wrote (taken
 * from its outbox, messages included) with one prepared insert in one transaction: the least any sweep that
 * queues those messages must do.
 */
function rawQueryAndRows(o: OpenDb, rows: unknown[][]): number {
  rawStateQuery(o);
  const insert = o.sqlite.prepare(
    "INSERT INTO outbox (key, kind, platform, address_kind, address_id, kpb_id, conference_id, contact_id, message, status, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT DO NOTHING",
  );
  o.sqlite.transaction(() => {
    for (const r of rows) insert.run(...r);
  }).immediate();
  return rows.length;
}

/** Paired rounds, CPU time: the busy sweep and the quiet one each against the raw state query. */
async function againstRaw(o: OpenDb, tracks: number): Promise<void> {
  const clock = new ManualClock(NOW);
  const scheduler = new ReminderScheduler({ db: o.db, clock, settings: { platforms: ["matrix"], defaultLocale: "de" }, logger: pino({ level: "silent" }), intervalMs: HOUR });
  const rounds = tracks <= 10_000 ? 5 : 3;
  const baseline = () => cpuMs(() => rawStateQuery(o));
  const busySweep = () => {
    reset(o, new Date(NOW.getTime() - 5 * 60_000));
    clock.set(NOW);
    return cpuMs(() => scheduler.sweep());
  };
  const busy = await paired(rounds, baseline, busySweep);
  report(`busy sweep vs raw SQL state query, ${tracks.toLocaleString("en")} tracks`, busy, 3);
  const written = o.sqlite
    .prepare("SELECT key, kind, platform, address_kind, address_id, kpb_id, conference_id, contact_id, message, next_attempt_at, created_at FROM outbox ORDER BY id")
    .raw()
    .all() as unknown[][];
  const withRows = await paired(
    rounds,
    () => {
      o.sqlite.prepare("DELETE FROM outbox").run();
      return cpuMs(() => rawQueryAndRows(o, written));
    },
    busySweep,
  );
  report(`busy sweep vs raw SQL state query + a bare insert of the same ${written.length.toLocaleString("en")} rows`, withRows);
  const quiet = await paired(rounds, baseline, () => {
    reset(o, NOW);
    clock.set(new Date(NOW.getTime() + 5 * 60_000));
    return cpuMs(() => scheduler.sweep());
  });
  report(`quiet sweep vs raw SQL state query, ${tracks.toLocaleString("en")} tracks`, quiet, 3);
}

interface Measured {
  busyMs: number;
  quietMs: number;
  result: SweepResult;
}

function measure(o: OpenDb, repeats: number): Measured {
  const clock = new ManualClock(NOW);
  const scheduler = new ReminderScheduler({
    db: o.db,
    clock,
    settings: { platforms: ["matrix"], defaultLocale: "de" },
    logger: pino({ level: "silent" }),
    intervalMs: HOUR,
  });
  let busyMs = Infinity;
  let quietMs = Infinity;
  let result: SweepResult | null = null;
  for (let r = 0; r < repeats; r++) {
    reset(o, new Date(NOW.getTime() - 5 * 60_000));
    clock.set(NOW);
    let t = performance.now();
    result = scheduler.sweep();
    busyMs = Math.min(busyMs, performance.now() - t);
    clock.set(new Date(NOW.getTime() + 5 * 60_000));
    t = performance.now();
    const quiet = scheduler.sweep();
    quietMs = Math.min(quietMs, performance.now() - t);
    if (quiet.due !== 0) throw new Error("bench setup: the quiet sweep found something due");
  }
  return { busyMs, quietMs, result: result! };
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "siko-sweep-bench-"));
  try {
    const sizes = [10_000, 100_000];
    const out: Array<{ tracks: number } & Measured> = [];
    // A small warm-up so the first size is not charged for JIT compilation.
    const warm = build(dir, 1_000);
    measure(warm, 2);
    warm.close();
    for (const tracks of sizes) {
      const t = performance.now();
      const o = build(dir, tracks);
      const buildMs = performance.now() - t;
      const m = measure(o, tracks <= 10_000 ? 3 : 2);
      await againstRaw(o, tracks);
      o.close();
      // Sanity: a third of the tracks at risk (two addresses each), a third with one silent invitee.
      const expectedDue = Math.round(tracks / 3) * 2;
      if (Math.abs(m.result.due - expectedDue) > 4) throw new Error(`bench setup: ${m.result.due} reminders due, expected about ${expectedDue}`);
      console.log(
        `sweep over ${tracks.toLocaleString("en")} KPB-tracks (5 years, ${(tracks * 5.3).toLocaleString("en", { maximumFractionDigits: 0 })} conferences; built in ${(buildMs / 1000).toFixed(1)} s):` +
          ` busy ${m.busyMs.toFixed(0)} ms = ${((m.busyMs * 1000) / tracks).toFixed(1)} µs/track (${m.result.due} due, ${m.result.queued} rows),` +
          ` quiet ${m.quietMs.toFixed(0)} ms = ${((m.quietMs * 1000) / tracks).toFixed(1)} µs/track`,
      );
      out.push({ tracks, ...m });
    }
    const [a, b] = out as [(typeof out)[0], (typeof out)[0]];
    const per = (ms: number, n: number) => ms / n;
    const busyRatio = per(b.busyMs, b.tracks) / per(a.busyMs, a.tracks);
    const quietRatio = per(b.quietMs, b.tracks) / per(a.quietMs, a.tracks);
    console.log(
      `time per KPB-track, ${b.tracks.toLocaleString("en")} vs ${a.tracks.toLocaleString("en")}: busy ×${busyRatio.toFixed(2)}, quiet ×${quietRatio.toFixed(2)}` +
        ` (1.00 = linear; below = better than linear); whole sweep 100k vs 10k: busy ×${(b.busyMs / a.busyMs).toFixed(1)}, quiet ×${(b.quietMs / a.quietMs).toFixed(1)}  goal ≤ ×10.5`,
    );
    // Linear or better, with room for cache effects of a 10× larger database.
    if (busyRatio > 1.5 || quietRatio > 1.5) {
      console.log("WARNING: the sweep grows faster than linearly");
      process.exitCode = 1;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

runIfMain(import.meta.url, run);
