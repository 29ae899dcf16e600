// The annual report as Markdown (chat and file): totals first, then one table row per KPB and track.
import { type AnnualReport, type KpbReport, type Totals, type TrackReport } from "../domain/annualReport.ts";
import { formatDate } from "../domain/dates.ts";
import type { Locale, Track } from "../domain/types.ts";
import { TRACK_STATES } from "../domain/annualMinimum.ts";
import { EXERCISE_STATES } from "../domain/exercises.ts";
import type { Translator } from "./i18n/catalogue.ts";

/** A table cell: user-typed text (agenda topics) must not end the cell or the row. */
function cell(text: string): string {
  return text.replace(/[\r\n\t]+/g, " ").replace(/\\/g, "\\\\").replace(/\|/g, "\\|");
}

export function percent(n: number, locale: Locale): string {
  return (n * 100).toLocaleString(locale === "de" ? "de-DE" : "en-GB", { maximumFractionDigits: 0 });
}

export function rateText(tr: { accepted: number; invitations: number }, t: Translator, locale: Locale): string {
  return tr.invitations ? t("report.rate", { percent: percent(tr.accepted / tr.invitations, locale), accepted: tr.accepted, invitations: tr.invitations }) : t("report.none");
}

/** The tracks a report row shows: SiKo-AP only where it applies. */
export function shownTracks(k: KpbReport): TrackReport[] {
  return k.tracks.filter((tr) => tr.state !== "not-applicable");
}

function totalsRow(name: string, tot: Totals, t: Translator, locale: Locale): string {
  const held = (track: Track) => (tot.applicable[track] ? t("report.ofApplicable", { n: tot.states[track].held ?? 0, of: tot.applicable[track] }) : t("report.none"));
  return t("report.totalsRow", {
    group: cell(name),
    kpbs: tot.kpbs,
    connected: tot.connected,
    siko: held("siko"),
    sikoAp: held("siko-ap"),
    held: tot.heldConferences,
    rate: rateText(tot, t, locale),
  });
}

function statesLine(tot: Totals, track: Track, t: Translator): string | null {
  if (!tot.applicable[track]) return null;
  const parts = TRACK_STATES.filter((st) => tot.states[track][st]).map((st) => `${t(`state.${st}`)} ${tot.states[track][st]}`);
  return t("report.statesLine", { track: t(`track.${track}`), states: parts.join(" · ") });
}

export function reportMarkdown(report: AnnualReport, t: Translator, locale: Locale, scope?: string): string {
  const lines = [
    t("report.title", { year: report.year, scope: scope ?? t("report.scopeNrw", { count: report.kpbs.length }) }),
    "",
    t("report.asOf", { date: formatDate(report.generatedAt, locale) }),
    "",
  ];
  if (!scope) {
    lines.push(t("report.totalsHeading"), "", t("report.totalsHeader"), "|---|---:|---:|---:|---:|---:|---:|");
    for (const g of report.groups) lines.push(totalsRow(g.name[locale], g.totals, t, locale));
    lines.push(totalsRow(t("report.nrw"), report.nrw, t, locale), "");
    for (const track of ["siko", "siko-ap"] as const) {
      const l = statesLine(report.nrw, track, t);
      if (l) lines.push(`- ${l}`);
    }
    const ex = EXERCISE_STATES.filter((st) => report.nrw.exerciseStates[st]).map((st) => `${t(`exerciseState.${st}`)} ${report.nrw.exerciseStates[st]}`);
    lines.push(`- ${t("report.exerciseStates", { states: ex.join(" · ") })}`, `- ${t("report.shadowingTotal", { n: report.nrw.shadowing })}`);
    lines.push("");
  }
  lines.push(t("report.kpbHeading"), "", t("report.kpbHeader"), "|---|---|---|---|---|---|---|---|");
  for (const k of report.kpbs) {
    for (const tr of shownTracks(k)) {
      lines.push(
        t("report.kpbRow", {
          kpb: cell(k.name),
          track: t(`track.${tr.track}`),
          state: t(`state.${tr.state}`),
          dates: tr.heldDates.map((d) => formatDate(d, locale)).join(", ") || t("report.none"),
          invited: tr.invitedCategories.map((c) => t(`category.${c}` as "category.zoll")).join(", ") || t("report.none"),
          missing: tr.missingMandatory.map((c) => t(`category.${c}`)).join(", ") || t("report.none"),
          rate: rateText(tr, t, locale),
          topics: cell(tr.topicsDiscussed.join("; ")) || t("report.none"),
        }),
      );
    }
  }
  lines.push("", t("report.exerciseHeading"), "", t("report.exerciseHeader"), "|---|---|---|---|---:|");
  for (const k of report.kpbs) {
    lines.push(
      t("report.exerciseRow", {
        kpb: cell(k.name),
        state: t(`exerciseState.${k.exercise.state}`),
        dates: k.exercise.dates.map((d) => formatDate(d, locale)).join(", ") || t("report.none"),
        places: cell(k.exercise.places.join("; ")) || t("report.none"),
        shadowing: k.shadowing,
      }),
    );
  }
  return lines.join("\n");
}
