// `quittieren [siko|siko-ap] [jahr]`: a KPB's leader or organiser confirms receipt of the current
// annual-minimum escalation. It is recorded (table + audit log) and shown in `uebersicht`; it stops no
// reminder, because the decree leaves nobody the choice to snooze the annual minimum.
import { and, eq, gte, like, lt } from "drizzle-orm";
import * as z from "zod";
import { formatDate, formatDateTime } from "../../domain/dates.ts";
import { berlinYearOf } from "../../domain/holidays.ts";
import { TRACKS, type Track } from "../../domain/types.ts";
import * as s from "../../db/schema.ts";
import type { Tx } from "../../db/client.ts";
import { nameOfPrincipal } from "../../db/directory.ts";
import { defineCommand, UserError } from "../command.ts";
import type { KpbRow } from "../../db/schema.ts";
import { errorCode } from "../values.ts";
import { text } from "../values.ts";
import { conferencesOfYear, evaluate, suggestionFor, watchOf } from "./tracks.ts";

// The outbox key of an annual reminder: `${rule}:kpb=${id}:${track}:${year}:${dueDate}:${platform}:${address}`
// (dedup key from policy.ts, then the scheduler's address suffix).
const ANNUAL_KEY = /^(annual\.[a-z]+):kpb=(\d+):(siko|siko-ap):(\d{4}):(\d{4}-\d{2}-\d{2}):/;

/** The latest annual reminder about this KPB track and year that the outbox holds (was sent or is being sent). */
function latestReminder(tx: Tx, kpb: KpbRow, track: Track, year: number): { rule: string; dueDate: string } | null {
  const rows = tx
    .select({ key: s.outbox.key })
    .from(s.outbox)
    // The key range uses the unique index; the LIKE narrows to this KPB, track and year.
    .where(and(gte(s.outbox.key, "annual."), lt(s.outbox.key, "annual/"), like(s.outbox.key, `%:kpb=${kpb.id}:${track}:${year}:%`)))
    .all();
  let best: { rule: string; dueDate: string } | null = null;
  for (const { key } of rows) {
    const m = ANNUAL_KEY.exec(key);
    if (!m || Number(m[2]) !== kpb.id || m[3] !== track || Number(m[4]) !== year) continue;
    if (!best || m[5]! > best.dueDate) best = { rule: m[1]!, dueDate: m[5]! };
  }
  return best;
}

const trackOrYear = z.string().transform((v) => v.trim().toLowerCase());

export const acknowledge = defineCommand({
  id: "overview.acknowledge",
  names: { de: "quittieren", en: "acknowledge" },
  summary: "cmd.acknowledge",
  args: [
    { key: "track", names: { de: "siko|siko-ap", en: "siko|siko-ap" }, optional: true },
    { key: "year", names: { de: "jahr", en: "year" }, optional: true },
  ],
  flags: [{ key: "note", names: { de: "notiz", en: "note" }, valueName: { de: "text", en: "text" } }],
  input: z
    .object({ track: trackOrYear.optional(), year: trackOrYear.optional(), note: text(300).optional() })
    // `quittieren 2027` means the SiKo of 2027: a lone year may stand first.
    .transform((v) => (v.year === undefined && v.track !== undefined && /^\d{4}$/.test(v.track) ? { ...v, track: undefined, year: v.track } : v))
    .pipe(
      z.object({
        track: z.enum(TRACKS, { error: errorCode("value.oneOf", { allowed: TRACKS.join(", ") }) }).default("siko"),
        year: z
          .string()
          .regex(/^\d{4}$/, errorCode("value.year"))
          .transform(Number)
          .optional(),
        note: z.string().optional(),
      }),
    ),
  access: { kind: "kpb", roles: ["organiser", "leader"] },
  run({ tx, t, locale, clock, kpb, caller, settings, audit }, input) {
    const k = kpb!;
    const track = input.track;
    if (track === "siko-ap" && !k.hasMotorwayPolice) throw new UserError("track.noMotorway", { kpb: k.name });
    const nowYear = berlinYearOf(clock.now());
    // Without a year: the running year's escalation, else (early in the year) the overdue notice of the last.
    const years = input.year !== undefined ? [input.year] : [nowYear, nowYear - 1];
    let found: { year: number; rule: string; dueDate: string } | null = null;
    let stateOfFirst = "";
    const watch = watchOf(tx)(k.id);
    for (const y of years) {
      const ev = evaluate(k, track, y, conferencesOfYear(tx, y, k.id), clock, settings.reminderPolicy, watch);
      if (!stateOfFirst) stateOfFirst = t(`state.${ev.state}`);
      if (ev.state !== "at-risk" && ev.state !== "overdue") continue;
      const sent = latestReminder(tx, k, track, y);
      // During the year an old overdue notice is not "current"; only the overdue rule fits an overdue year.
      if (sent && (ev.state === "overdue") === (sent.rule === "annual.overdue")) {
        found = { year: y, ...sent };
        break;
      }
    }
    const trackName = t(`track.${track}`);
    if (!found) throw new UserError("ack.nothing", { track: trackName, year: years[0]!, kpb: k.name, state: stateOfFirst });
    const rule = t(`reminder.rule.${found.rule}` as "reminder.rule.annual.escalation");
    const due = formatDate(found.dueDate, locale);
    const a = s.escalationAcks;
    const existing = tx
      .select()
      .from(a)
      .where(and(eq(a.kpbId, k.id), eq(a.track, track), eq(a.year, found.year), eq(a.rule, found.rule), eq(a.dueDate, found.dueDate)))
      .get();
    if (existing)
      return { text: t("ack.already", { rule, due, track: trackName, year: found.year, at: formatDateTime(existing.acknowledgedAt, locale), who: nameOfPrincipal(tx, existing.acknowledgedBy) }) };
    const now = clock.now();
    const row = tx
      .insert(a)
      .values({ kpbId: k.id, track, year: found.year, rule: found.rule, dueDate: found.dueDate, note: input.note ?? null, acknowledgedBy: caller.principal, acknowledgedAt: now })
      .returning()
      .get();
    audit("escalation.acknowledge", "kpb", k.id, { ackId: row.id, track, year: found.year, rule: found.rule, dueDate: found.dueDate, note: input.note ?? null });
    const next = suggestionFor(found.year, track, t, clock);
    return {
      text: t("ack.done", { rule, due, track: trackName, year: found.year, kpb: k.name, who: caller.user.displayName || caller.user.platformUserId, plan: next.plan }) + (next.note ? `\n${next.note}` : ""),
    };
  },
});
