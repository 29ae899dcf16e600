// `uebersicht [jahr]`: the annual minimum of one KPB, track by track, with reason and next step.
// `uebersicht alle [jahr]`: one line per KPB for the LZPD, with counts per state.
// Two commands because access is declared, not checked by hand: the first is scoped to a KPB (its organisers
// and leaders, and the LZPD whose global role holds for every KPB), the second needs the global LZPD role.
import * as z from "zod";
import { hasRole, mayShowConference } from "../../domain/access.ts";
import { TRACK_STATES, type TrackEvaluation, type TrackState } from "../../domain/annualMinimum.ts";
import { tracksOf } from "../../domain/conference.ts";
import { formatDate, formatDateTime } from "../../domain/dates.ts";
import { berlinDateOf, berlinYearOf } from "../../domain/holidays.ts";
import type { Locale } from "../../domain/types.ts";
import * as s from "../../db/schema.ts";
import { defineCommand, type Reply } from "../command.ts";
import type { Translator } from "../../messages/i18n/catalogue.ts";
import { titleOf } from "../../messages/conference.ts";
import { name, year } from "../values.ts";
import { exercisesOfYear } from "../exercises/exercises.ts";
import { evaluateExercises } from "../../domain/exercises.ts";
import { exerciseThreshold } from "../../domain/reminderPolicy.ts";
import type { Clock } from "../../domain/clock.ts";
import type { Tx } from "../../db/client.ts";
import { nameOfPrincipal } from "../../db/directory.ts";
import { conferencesOfYear, evaluate, latestAcks, nextStep, watchOf, type AckRow, type Watch } from "./tracks.ts";
import type { ConferenceFacts } from "../../domain/conference.ts";

function reasonText(ev: TrackEvaluation, conferences: readonly ConferenceFacts[], t: Translator, locale: Locale, detailed: boolean, year: number, track: string): string {
  const r = ev.reason;
  const conf = conferences.find((c) => c.id === r.conferenceId);
  const title = conf ? titleOf(conf, t) : "";
  const when = r.startsAt ? formatDateTime(r.startsAt, locale) : "";
  const threshold = r.threshold ? formatDate(r.threshold, locale) : "";
  const deadline = r.deadline ? formatDate(r.deadline, locale) : "";
  switch (r.code) {
    case "held":
      return detailed ? t("overview.reason.held", { title, date: r.startsAt ? formatDate(r.startsAt, locale) : "" }) : t("overview.hidden.held");
    case "upcoming":
      return detailed ? t("overview.reason.upcoming", { title, when, status: conf ? t(`status.${conf.status}`) : "" }) : t("overview.hidden.upcoming");
    case "awaiting-record":
      return detailed ? t("overview.reason.awaitingRecord", { title, when }) : t("overview.hidden.awaitingRecord");
    case "unrecorded":
      return detailed ? t("overview.reason.unrecorded", { title, when, deadline }) : t("overview.hidden.unrecorded");
    case "before-threshold":
      return t("overview.reason.beforeThreshold", { threshold, deadline });
    case "nothing-planned":
      return t("overview.reason.nothingPlanned", { threshold, deadline });
    case "none-held":
      return t("overview.reason.noneHeld", { year, track, deadline });
    case "no-motorway-police":
      return t("overview.reason.noMotorwayPolice");
    case "not-connected":
      return t("overview.reason.notConnected");
    case "before-watch":
      return t("overview.reason.beforeWatch", { year, track });
  }
}

function ackText(ack: AckRow, who: string, t: Translator, locale: Locale): string {
  return t("overview.ack", {
    rule: t(`reminder.rule.${ack.rule}` as "reminder.rule.annual.escalation"),
    due: formatDate(ack.dueDate, locale),
    who,
    at: formatDateTime(ack.acknowledgedAt, locale),
    note: ack.note ? t("overview.ackNote", { note: ack.note }) : "",
  });
}

/** The crisis-staff exercise track (decree §4), its own annual minimum. */
function exerciseLine(tx: Tx, kpbId: number, year: number, t: Translator, locale: Locale, clock: Clock, threshold: string, watch: Watch): string {
  const attended = exercisesOfYear(tx, year, kpbId).filter((e) => e.kind === "exercise");
  const state = evaluateExercises(attended.map((e) => e.date), year, clock, { threshold, ...watch });
  const last = attended.at(-1);
  if (state === "held" && last) return t("overview.exercise.held", { count: attended.length, date: formatDate(last.date, locale), place: last.place });
  if (state === "untracked") return t("overview.exercise.untracked", { year });
  if (state === "not-connected") return t("overview.exercise.notConnected", { reason: t("overview.reason.notConnected") });
  return t("overview.exercise.open", { state: t(`exerciseState.${state}`), year, threshold: formatDate(`${year}-${threshold}`, locale) });
}

export const overview = defineCommand({
  id: "overview.kpb",
  readOnly: true,
  names: { de: "uebersicht", en: "overview" },
  aliases: ["übersicht"],
  summary: "cmd.overview",
  args: [{ key: "year", names: { de: "jahr", en: "year" }, optional: true }],
  flags: [{ key: "kpb", names: { de: "kpb", en: "kpb" } }],
  input: z.object({ year: year.optional(), kpb: name.optional() }),
  // The LZPD's reporter role is global, so it holds for every KPB (`uebersicht --kpb koeln`).
  access: { kind: "kpb", roles: ["organiser", "leader", "reporter"] },
  run({ tx, t, locale, clock, kpb, room, caller, settings }, input): Reply {
    const k = kpb!;
    const y = input.year ?? berlinYearOf(clock.now());
    const conferences = conferencesOfYear(tx, y, k.id);
    const acks = latestAcks(tx, y, k.id);
    const watch = watchOf(tx)(k.id);
    // R9: dates and ids only where the KPB's conferences may be shown.
    const detailed = mayShowConference({
      conferenceKpbId: k.id,
      roomKpbId: room.kpbId,
      roomIsDirect: room.direct,
      callerIsInvited: false,
      callerIsKpbStaff: hasRole(caller.grants, ["organiser", "leader"], k.id),
    });
    const lines = [t("overview.title", { year: y, kpb: k.name, date: formatDateTime(clock.now(), locale) })];
    for (const track of tracksOf(k)) {
      const ev = evaluate(k, track, y, conferences, clock, settings.reminderPolicy, watch);
      const trackName = t(`track.${track}`);
      lines.push(t("overview.line", { track: trackName, state: t(`state.${ev.state}`), reason: reasonText(ev, conferences, t, locale, detailed, y, trackName) }));
      const next = detailed ? nextStep(ev, track, y, conferences, t, clock) : null;
      if (next) lines.push(t("overview.next", { command: next.command }));
      if (next?.note) lines.push(`  ${next.note}`);
      const ack = acks.get(`${k.id}:${track}`);
      if (ack) lines.push(ackText(ack, nameOfPrincipal(tx, ack.acknowledgedBy), t, locale));
    }
    lines.push(exerciseLine(tx, k.id, y, t, locale, clock, exerciseThreshold(settings.reminderPolicy), watch));
    lines.push("", t(detailed ? "overview.footer" : "overview.hiddenNote"));
    return { text: lines.join("\n") };
  },
});

export const overviewAll = defineCommand({
  id: "overview.all",
  readOnly: true,
  names: { de: "uebersicht alle", en: "overview all" },
  aliases: ["übersicht alle"],
  summary: "cmd.overviewAll",
  args: [{ key: "year", names: { de: "jahr", en: "year" }, optional: true }],
  flags: [],
  input: z.object({ year: year.optional() }),
  access: { kind: "global", roles: ["reporter"] },
  run({ tx, t, locale, clock, settings }, input): Reply {
    const y = input.year ?? berlinYearOf(clock.now());
    const kpbs = tx.select().from(s.kpbs).all().sort((a, b) => a.name.localeCompare(b.name, "de"));
    if (kpbs.length === 0) return { text: t("overview.all.empty") };
    const byKpb = new Map<number, ConferenceFacts[]>();
    for (const c of conferencesOfYear(tx, y)) {
      let list = byKpb.get(c.kpbId);
      if (!list) byKpb.set(c.kpbId, (list = []));
      list.push(c);
    }
    const acks = latestAcks(tx, y);
    const watch = watchOf(tx);
    // The crisis-staff exercise track (decree §4) beside the SiKo tracks: attended, or what is left of the year.
    const exerciseDates = new Map<number, string[]>();
    for (const e of exercisesOfYear(tx, y)) if (e.kind === "exercise") exerciseDates.set(e.kpbId, [...(exerciseDates.get(e.kpbId) ?? []), e.date]);
    const threshold = exerciseThreshold(settings.reminderPolicy);
    const counts = new Map<TrackState, number>();
    const lines: string[] = [];
    for (const k of kpbs) {
      const parts: string[] = [];
      for (const track of tracksOf(k)) {
        const ev = evaluate(k, track, y, byKpb.get(k.id) ?? [], clock, settings.reminderPolicy, watch(k.id));
        counts.set(ev.state, (counts.get(ev.state) ?? 0) + 1);
        const acked = acks.has(`${k.id}:${track}`) ? t("overview.all.acked") : "";
        parts.push(`${t(`track.${track}`)} ${t(`state.${ev.state}`)}${acked}`);
      }
      const exercise = evaluateExercises(exerciseDates.get(k.id) ?? [], y, clock, { threshold, ...watch(k.id) });
      parts.push(`${t("track.exercise")} ${t(`exerciseState.${exercise}`)}`);
      lines.push(t("overview.all.line", { kpb: k.name, tracks: parts.join(", ") }));
    }
    const summary = TRACK_STATES.filter((st) => counts.has(st))
      .map((st) => `${t(`state.${st}`)} ${counts.get(st)}`)
      .join(" · ");
    return {
      text: [
        t("overview.all.title", { year: y, count: kpbs.length, date: formatDate(berlinDateOf(clock.now()), locale) }),
        t("overview.all.counts", { counts: summary }),
        ...lines,
      ].join("\n"),
    };
  },
});
