// The one place the annual report's facts come from: KPBs, their conferences of the year with invitations,
// who organises for them and which rooms are bound; and the comparison groups from the reference data.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { and, eq, gte, inArray, lt } from "drizzle-orm";
import * as z from "zod";
import { buildAnnualReport, type AnnualReport, type ComparisonGroup, type ReportConference, type ReportKpbFacts } from "../../domain/annualReport.ts";
import type { Clock } from "../../domain/clock.ts";
import type { ConnectionFacts } from "../../domain/connection.ts";
import { berlinYearStart } from "../../domain/holidays.ts";
import { annualThreshold, exerciseThreshold, type ReminderPolicy } from "../../domain/reminderPolicy.ts";
import type { Tx } from "../../db/client.ts";
import { connectionFacts } from "../../db/directory.ts";
import { firstWatchedYear } from "../../db/meta.ts";
import * as s from "../../db/schema.ts";
import { UserError } from "../command.ts";
import { exercisesOfYear } from "../exercises/exercises.ts";

export const GROUPS_REFERENCE_FILE = "vergleichsgruppen.json";

const groupsSchema = z.object({
  groups: z
    .array(
      z.object({
        key: z.string().min(1).max(40),
        name: z.object({ de: z.string().min(1).max(200), en: z.string().min(1).max(200) }),
        kinds: z.array(z.enum(["pp", "landrat"])).optional(),
        kpbs: z.array(z.string().min(1).max(200)).optional(),
      }),
    )
    .min(1),
});

/** The operator-edited comparison groups; read at each report, so an edit needs no restart. */
export function loadComparisonGroups(referenceDir: string): ComparisonGroup[] {
  const file = join(referenceDir, GROUPS_REFERENCE_FILE);
  try {
    return groupsSchema.parse(JSON.parse(readFileSync(file, "utf8"))).groups;
  } catch (e) {
    throw new UserError("kpb.referenceBroken", { file, reason: (e as Error).message.slice(0, 300) });
  }
}

/**
 * The reports of the given Berlin years, for every KPB or the given ones. The thresholds follow the reminder
 * policy, as `uebersicht` judges them; who uses the bot is read once for all years.
 */
export function annualReports(
  tx: Tx,
  years: readonly number[],
  scope: { kpbIds?: readonly number[]; groups: readonly ComparisonGroup[] },
  policy: ReminderPolicy,
  clock: Clock,
): AnnualReport[] {
  const connections = connectionFacts(tx);
  const watchedFrom = firstWatchedYear(tx);
  return years.map((year) =>
    buildAnnualReport(
      {
        year,
        kpbs: loadReportFacts(tx, year, connections, scope.kpbIds),
        groups: scope.groups,
        firstThreshold: annualThreshold(policy),
        exerciseThreshold: exerciseThreshold(policy),
        watchedFrom,
      },
      clock,
    ),
  );
}

/** Facts of every KPB (or of the given ones) for one Berlin year. */
function loadReportFacts(tx: Tx, year: number, connections: ReadonlyMap<number, ConnectionFacts>, kpbIds?: readonly number[]): ReportKpbFacts[] {
  const kpbs = kpbIds ? tx.select().from(s.kpbs).where(inArray(s.kpbs.id, [...kpbIds])).all() : tx.select().from(s.kpbs).all();
  const inYear = and(gte(s.conferences.startsAt, berlinYearStart(year)), lt(s.conferences.startsAt, berlinYearStart(year + 1)));
  const confs = tx.select().from(s.conferences).where(inYear).all();
  const confIds = confs.map((c) => c.id);
  const invs = confIds.length
    ? tx
        .select({ conferenceId: s.invitations.conferenceId, answer: s.invitations.answer, category: s.partnerAgencies.category })
        .from(s.invitations)
        .innerJoin(s.partnerAgencies, eq(s.partnerAgencies.id, s.invitations.partnerAgencyId))
        .where(inArray(s.invitations.conferenceId, confIds))
        .all()
    : [];
  const invByConf = new Map<number, ReportConference["invitations"][number][]>();
  for (const i of invs) {
    let list = invByConf.get(i.conferenceId);
    if (!list) invByConf.set(i.conferenceId, (list = []));
    list.push({ category: i.category, answer: i.answer });
  }
  const confByKpb = new Map<number, ReportConference[]>();
  for (const c of confs) {
    let list = confByKpb.get(c.kpbId);
    if (!list) confByKpb.set(c.kpbId, (list = []));
    list.push({
      id: c.id,
      number: c.number,
      kpbId: c.kpbId,
      track: c.track,
      startsAt: c.startsAt,
      endsAt: c.endsAt,
      status: c.status,
      location: c.location,
      agenda: c.agenda,
      discussedItems: c.outcome?.discussedItems ?? null,
      invitations: invByConf.get(c.id) ?? [],
    });
  }
  const exercises = new Map<number, ReportKpbFacts["exercises"][number][]>();
  for (const e of exercisesOfYear(tx, year)) {
    let list = exercises.get(e.kpbId);
    if (!list) exercises.set(e.kpbId, (list = []));
    list.push({ kind: e.kind, date: e.date, place: e.place });
  }
  return kpbs.map((k) => ({
    id: k.id,
    name: k.name,
    kind: k.kind,
    hasMotorwayPolice: k.hasMotorwayPolice,
    mandatoryExtras: k.mandatoryExtras,
    organisers: connections.get(k.id)?.organisers ?? 0,
    boundRooms: connections.get(k.id)?.boundRooms ?? 0,
    conferences: confByKpb.get(k.id) ?? [],
    exercises: exercises.get(k.id) ?? [],
  }));
}
