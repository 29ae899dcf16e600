// The annual report as a CSV file for German Excel: UTF-8 with BOM, `;` as separator, CRLF, dates TT.MM.JJJJ,
// RFC 4180 quoting by csv-stringify, one row per KPB. Every text cell that Excel could take for a formula is
// neutralised (OWASP CSV injection): names and places are typed by people.
import { stringify } from "csv-stringify/sync";
import type { AnnualReport, TrackReport } from "../domain/annualReport.ts";
import { formatDate } from "../domain/dates.ts";
import { TRACKS, type Locale } from "../domain/types.ts";
import type { Translator } from "./i18n/catalogue.ts";

/** Characters that make Excel (or LibreOffice) read a cell as a formula or split it, when they come first. */
const FORMULA_START = /^[=+\-@\t\r\n\0]/;

/** OWASP: a leading apostrophe makes the cell text; Excel does not show it. */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

function trackCells(tr: TrackReport, t: Translator): string[] {
  if (tr.state === "not-applicable") return [t("state.not-applicable"), "", "", "", "", "", "", "", ""];
  return [
    t(`state.${tr.state}`),
    tr.heldDates.map((d) => formatDate(d, "de")).join(", "),
    tr.heldPlaces.map((p) => p ?? "").join(" | "),
    tr.invitedCategories.map((c) => t(`category.${c}` as "category.zoll")).join(", "),
    tr.missingMandatory.map((c) => t(`category.${c}`)).join(", "),
    String(tr.invitations),
    String(tr.accepted),
    tr.acceptanceRate === null ? "" : String(Math.round(tr.acceptanceRate * 100)),
    tr.topicsDiscussed.join("; "),
  ];
}

/** One row per KPB and year; several years (the reporting period) follow each other. */
export function reportCsv(reports: AnnualReport | readonly AnnualReport[], t: Translator, locale: Locale): string {
  const list: readonly AnnualReport[] = Array.isArray(reports) ? reports : [reports as AnnualReport];
  const groupName = new Map(list.flatMap((r) => r.groups.map((g) => [g.key, g.name[locale]] as const)));
  const header = [t("report.csv.year"), t("report.csv.kpb"), t("report.csv.kind"), t("report.csv.groups"), t("report.csv.connected")];
  for (const track of TRACKS) {
    const name = t(`track.${track}`);
    for (const key of ["state", "dates", "places", "invited", "missing", "invitations", "accepted", "rate", "topics"] as const)
      header.push(t(`report.csv.${key}`, { track: name }));
  }
  header.push(t("report.csv.exerciseState"), t("report.csv.exerciseDates"), t("report.csv.exercisePlaces"), t("report.csv.shadowing"));
  const rows = list.flatMap((report) => report.kpbs.map((k) => [
    String(report.year),
    k.name,
    t(`kind.${k.kind}`),
    k.groups.map((g) => groupName.get(g) ?? g).join(", "),
    t(k.connected ? "report.csv.yes" : "report.csv.no"),
    ...k.tracks.flatMap((tr) => trackCells(tr, t)),
    t(`exerciseState.${k.exercise.state}`),
    k.exercise.dates.map((d) => formatDate(d, "de")).join(", "),
    k.exercise.places.join(" | "),
    String(k.shadowing),
  ]));
  return stringify([header, ...rows].map((r) => r.map(neutraliseCell)), { bom: true, delimiter: ";", record_delimiter: "windows" });
}
