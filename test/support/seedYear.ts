// A seeded report year: the 47 NRW KPBs in mixed states, a few not connected, written straight into the
// database. Each KPB's scenario is returned, so a test can count what the report must say on its own.
import { berlinInstant } from "../../src/domain/holidays.ts";
import { DECREE_AGENDA, MOTORWAY_AGENDA } from "../../src/domain/agenda.ts";
import * as s from "../../src/db/schema.ts";
import type { RsvpAnswer } from "../../src/domain/types.ts";
import { startHarness, type Harness } from "./harness.ts";

export const SEED_YEAR = 2026;
/** The clock of the seeded year: after the at-risk threshold (1 July), before the year ends. */
export const SEED_NOW = new Date("2026-09-15T08:00:00Z");

export type Scenario = "held-full" | "held-missing" | "scheduled" | "nothing" | "not-connected";

export interface SeededKpb {
  id: number;
  name: string;
  kind: "pp" | "landrat";
  hasMotorwayPolice: boolean;
  scenario: Scenario;
  /** SiKo-AP held (motorway KPBs only). */
  apHeld: boolean;
  /** Berlin date of the held SiKo, "YYYY-MM-DD". */
  heldOn?: string;
  /** Berlin date of the crisis-staff exercise attended, if any. */
  exerciseOn?: string;
  shadowing: number;
}

const MANDATORY = ["staatsanwaltschaft", "gericht", "kommune", "bundespolizei", "zoll", "schulamt"];

/** Seeds KPBs (after `kpb import nrw`), partners and conferences of SEED_YEAR, with `names` used as partner names. */
export function seedYear(h: Harness, opts: { partnerName?: (i: number) => string; place?: (i: number) => string } = {}): SeededKpb[] {
  const now = new Date("2026-01-01T00:00:00Z");
  const db = h.db;
  const categories = [...MANDATORY, "jugendamt", "autobahn"];
  const partner = new Map<string, number>();
  categories.forEach((cat, i) => {
    const name = opts.partnerName?.(i) ?? `Partner ${cat}`;
    const row = db.insert(s.partnerAgencies).values({ name, nameKey: `k${i}-${cat}`, category: cat, createdAt: now }).returning().get();
    partner.set(cat, row.id);
  });
  const user = db.insert(s.users).values({ platform: "console", platformUserId: "seed-organiser", createdAt: now }).returning().get();
  const kpbs = db.select().from(s.kpbs).all().sort((a, b) => a.name.localeCompare(b.name, "de"));
  const seeded: SeededKpb[] = [];
  let confN = 0;
  const numbers = new Map<number, number>();
  const conference = (kpbId: number, track: "siko" | "siko-ap", date: string, status: "planned" | "invited" | "held" | "cancelled", invites: Array<[string, RsvpAnswer | null]>, discussed: number[] | null) => {
    const startsAt = berlinInstant(date, "10:00");
    const agenda = track === "siko" ? [...DECREE_AGENDA] : [...MOTORWAY_AGENDA];
    const c = db
      .insert(s.conferences)
      .values({
        kpbId,
        // Conference numbers count per KPB.
        number: numbers.set(kpbId, (numbers.get(kpbId) ?? 0) + 1).get(kpbId)!,
        track,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 2 * 3_600_000),
        location: opts.place?.(confN++) ?? "Rathaus",
        status,
        agenda,
        outcome: discussed ? { attendedPartnerIds: [], discussedItems: discussed } : null,
        createdBy: "seed",
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    for (const [cat, answer] of invites) db.insert(s.invitations).values({ conferenceId: c.id, partnerAgencyId: partner.get(cat)!, answer, createdAt: now }).run();
  };
  kpbs.forEach((k, i) => {
    const scenario: Scenario = i % 9 === 0 ? "not-connected" : (["held-full", "held-missing", "scheduled", "nothing"] as const)[i % 4]!;
    if (scenario !== "not-connected") {
      // Half are connected by a bound room, half by an organiser.
      if (i % 2 === 0) db.insert(s.rooms).values({ platform: "console", platformRoomId: `room-${k.slug}`, kpbId: k.id, createdAt: now }).run();
      else db.insert(s.roleGrants).values({ userId: user.id, role: "organiser", kpbId: k.id, grantedBy: "seed", createdAt: now }).run();
    }
    const month = String(1 + (i % 8)).padStart(2, "0");
    const heldOn = `2026-${month}-1${i % 10}`;
    switch (scenario) {
      case "held-full":
        conference(k.id, "siko", heldOn, "held", [
          ["staatsanwaltschaft", "accepted"],
          ["gericht", "accepted"],
          ["kommune", "accepted"],
          ["bundespolizei", "delegated"],
          ["zoll", "declined"],
          ["schulamt", "tentative"],
          ["jugendamt", null],
        ], [1, 3]);
        break;
      case "held-missing":
        conference(k.id, "siko", heldOn, "held", [
          ["staatsanwaltschaft", "accepted"],
          ["gericht", "accepted"],
          ["kommune", "declined"],
          ["bundespolizei", null],
        ], null);
        break;
      case "scheduled":
        conference(k.id, "siko", "2026-11-10", "invited", MANDATORY.map((c) => [c, null]), null);
        break;
      case "nothing":
        // Neither a cancelled conference nor last year's counts.
        conference(k.id, "siko", "2026-04-20", "cancelled", [["staatsanwaltschaft", "accepted"]], null);
        conference(k.id, "siko", "2025-06-02", "held", [["gericht", "accepted"]], [1]);
        break;
      case "not-connected":
        break;
    }
    let exerciseOn: string | undefined;
    let shadowing = 0;
    if (scenario !== "not-connected") {
      const ex = (date: string, kind: "exercise" | "shadowing", place: string) =>
        db.insert(s.exerciseRecords).values({ kpbId: k.id, kind, date, place, person: "POK Muster", createdBy: "seed", createdAt: now, updatedAt: now }).run();
      if (i % 3 === 0) ex((exerciseOn = `2026-05-0${1 + (i % 9)}`), "exercise", opts.place?.(1000 + i) ?? `Kreis ${i}`);
      if (i % 3 === 1) ex("2025-05-05", "exercise", "Vorjahr"); // last year's does not count
      if (i % 5 === 0) ex("2026-02-02", "shadowing", "Ordnungsamt"), (shadowing = 1);
    }
    const apHeld = k.hasMotorwayPolice && scenario !== "not-connected" && i % 2 === 0;
    if (apHeld) conference(k.id, "siko-ap", "2026-03-03", "held", [["autobahn", "accepted"]], [2]);
    seeded.push({ id: k.id, name: k.name, kind: k.kind, hasMotorwayPolice: k.hasMotorwayPolice, scenario, apHeld, heldOn: scenario.startsWith("held") ? heldOn : undefined, exerciseOn, shadowing });
  });
  return seeded;
}

/**
 * A harness on the seeded year, as the report tests start: the NRW KPBs imported, the LZPD's user "lzpd" granted,
 * the year seeded, the clock at SEED_NOW.
 */
export async function startSeededYear(opts: Parameters<typeof seedYear>[1] = {}): Promise<{ h: Harness; seeded: SeededKpb[] }> {
  const h = startHarness();
  const admin = { user: "chef", room: "lage" };
  await h.say("kpb import nrw", admin);
  await h.say("rolle geben lzpd lzpd", admin);
  const seeded = seedYear(h, opts);
  h.clock.set(SEED_NOW);
  return { h, seeded };
}
