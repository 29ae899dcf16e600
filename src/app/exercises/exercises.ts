// Crisis-staff exercises and job shadowing of a KPB: record, list, correct, remove (corrections and removals
// are audited with the values before and after).
import { and, eq, gte, lte } from "drizzle-orm";
import * as z from "zod";
import { parseDate } from "../../domain/dates.ts";
import type { ExerciseKind } from "../../domain/exercises.ts";
import { berlinDateOf, berlinYearOf } from "../../domain/holidays.ts";
import { formatDate } from "../../domain/dates.ts";
import type { Tx } from "../../db/client.ts";
import * as s from "../../db/schema.ts";
import { defineCommand, raise, UserError, type CommandContext } from "../command.ts";
import { name, positiveInt, text, year } from "../values.ts";
import { dateError } from "../conferences/service.ts";

export type ExerciseRow = typeof s.exerciseRecords.$inferSelect;

/** A past or present Berlin date: participation is recorded after the fact. */
function recordDate(input: string, ctx: Pick<CommandContext, "clock">): string {
  const d = parseDate(input);
  if (!d.ok) throw dateError(d.error);
  if (d.iso > berlinDateOf(ctx.clock.now())) throw new UserError("exercise.future", { date: d.iso });
  return d.iso;
}

export function exercisesOfYear(tx: Tx, year: number, kpbId?: number): ExerciseRow[] {
  const r = s.exerciseRecords;
  const inYear = and(gte(r.date, `${year}-01-01`), lte(r.date, `${year}-12-31`));
  return tx
    .select()
    .from(r)
    .where(kpbId === undefined ? inYear : and(inYear, eq(r.kpbId, kpbId)))
    .orderBy(r.date, r.id)
    .all();
}

function recordCommand(kind: ExerciseKind) {
  const ex = kind === "exercise";
  return defineCommand({
    id: `${kind}.record`,
    names: ex ? { de: "uebung erfassen", en: "exercise record" } : { de: "hospitation erfassen", en: "shadowing record" },
    aliases: ex ? ["übung erfassen"] : [],
    summary: ex ? "cmd.exerciseRecord" : "cmd.shadowingRecord",
    args: [
      { key: "date", names: { de: "datum", en: "date" } },
      { key: "place", names: ex ? { de: "stadt/kreis", en: "city/district" } : { de: "behörde", en: "agency" } },
      { key: "person", names: ex ? { de: "verbindungsbeamter", en: "liaison officer" } : { de: "person", en: "person" } },
    ],
    flags: [{ key: "kpb", names: { de: "kpb", en: "kpb" } }],
    input: z.object({ date: text(40), place: name, person: name, kpb: name.optional() }),
    access: { kind: "kpb", roles: ["organiser"] },
    run(ctx, input) {
      const date = recordDate(input.date, ctx);
      const now = ctx.clock.now();
      const row = ctx.tx
        .insert(s.exerciseRecords)
        .values({ kpbId: ctx.kpb!.id, kind, date, place: input.place, person: input.person, createdBy: ctx.caller.principal, createdAt: now, updatedAt: now })
        .returning()
        .get();
      ctx.audit(`${kind}.record`, "exercise_record", row.id, { date, place: input.place, person: input.person });
      return { text: ctx.t(ex ? "exercise.recorded" : "shadowing.recorded", { id: row.id, date: formatDate(date, ctx.locale), place: input.place, person: input.person, kpb: ctx.kpb!.name }) };
    },
  });
}

export const exerciseRecord = recordCommand("exercise");
export const shadowingRecord = recordCommand("shadowing");

export const exerciseList = defineCommand({
  id: "exercise.list",
  names: { de: "uebung liste", en: "exercise list" },
  aliases: ["übung liste"],
  summary: "cmd.exerciseList",
  args: [{ key: "year", names: { de: "jahr", en: "year" }, optional: true }],
  flags: [{ key: "kpb", names: { de: "kpb", en: "kpb" } }],
  input: z.object({ year: year.optional(), kpb: name.optional() }),
  access: { kind: "kpb", roles: ["organiser", "leader", "reporter"] },
  run({ tx, t, locale, clock, kpb }, input) {
    const y = input.year ?? berlinYearOf(clock.now());
    const rows = exercisesOfYear(tx, y, kpb!.id);
    const lines = [t("exercise.listTitle", { year: y, kpb: kpb!.name })];
    if (rows.length === 0) lines.push(t("exercise.listEmpty"));
    for (const r of rows)
      lines.push(t(r.kind === "exercise" ? "exercise.line" : "shadowing.line", { id: r.id, date: formatDate(r.date, locale), place: r.place, person: r.person }));
    const n = rows.filter((r) => r.kind === "exercise").length;
    lines.push(t("exercise.listCounts", { exercises: n, shadowing: rows.length - n }));
    return { text: lines.join("\n") };
  },
});

function findRecord(ctx: CommandContext, id: number): ExerciseRow {
  const row = ctx.tx.select().from(s.exerciseRecords).where(eq(s.exerciseRecords.id, id)).get();
  // Another KPB's record reads as not found.
  return row && row.kpbId === ctx.kpb!.id ? row : raise(new UserError("exercise.notFound", { id }));
}

export const exerciseChange = defineCommand({
  id: "exercise.change",
  names: { de: "uebung aendern", en: "exercise change" },
  aliases: ["übung ändern", "uebung ändern", "hospitation aendern", "hospitation ändern", "shadowing change"],
  summary: "cmd.exerciseChange",
  args: [{ key: "id", names: { de: "nr", en: "no" } }],
  flags: [
    { key: "date", names: { de: "datum", en: "date" } },
    { key: "place", names: { de: "ort", en: "place" } },
    { key: "person", names: { de: "person", en: "person" } },
    { key: "kpb", names: { de: "kpb", en: "kpb" } },
  ],
  input: z.object({ id: positiveInt, date: text(40).optional(), place: name.optional(), person: name.optional(), kpb: name.optional() }),
  access: { kind: "kpb", roles: ["organiser"] },
  run(ctx, input) {
    const row = findRecord(ctx, input.id);
    if (input.date === undefined && input.place === undefined && input.person === undefined) throw new UserError("exercise.nothingToChange", { id: row.id });
    const after = { date: input.date === undefined ? row.date : recordDate(input.date, ctx), place: input.place ?? row.place, person: input.person ?? row.person };
    ctx.tx.update(s.exerciseRecords).set({ ...after, updatedAt: ctx.clock.now() }).where(eq(s.exerciseRecords.id, row.id)).run();
    ctx.audit(`${row.kind}.change`, "exercise_record", row.id, { before: { date: row.date, place: row.place, person: row.person }, after });
    return { text: ctx.t("exercise.changed", { id: row.id, date: formatDate(after.date, ctx.locale), place: after.place, person: after.person }) };
  },
});

export const exerciseRemove = defineCommand({
  id: "exercise.remove",
  names: { de: "uebung entfernen", en: "exercise remove" },
  aliases: ["übung entfernen", "hospitation entfernen", "shadowing remove"],
  summary: "cmd.exerciseRemove",
  args: [{ key: "id", names: { de: "nr", en: "no" } }],
  flags: [{ key: "kpb", names: { de: "kpb", en: "kpb" } }],
  input: z.object({ id: positiveInt, kpb: name.optional() }),
  access: { kind: "kpb", roles: ["organiser"] },
  run(ctx, input) {
    const row = findRecord(ctx, input.id);
    ctx.tx.delete(s.exerciseRecords).where(eq(s.exerciseRecords.id, row.id)).run();
    ctx.audit(`${row.kind}.remove`, "exercise_record", row.id, { kind: row.kind, date: row.date, place: row.place, person: row.person, createdBy: row.createdBy });
    return { text: ctx.t("exercise.removed", { id: row.id, date: formatDate(row.date, ctx.locale), place: row.place }) };
  },
});
