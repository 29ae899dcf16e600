// Sentences of the LZPD's annual report (issue 16), part of the one catalogue (catalogue.ts).
import type { Entry } from "./entry.ts";

export const reportMessages = {
  "cmd.report": {
    de: "Jahresbericht an das LZPD (Erlass §5): je KPB und Art die durchgeführten Konferenzen, Einladungen, fehlende Pflichtkategorien, Zusagequote und Themen; Summen je Vergleichsgruppe und für NRW. `--format csv` liefert eine Datei für Excel.",
    en: "Annual report to the LZPD (decree §5): per KPB and track the conferences held, invitations, missing mandatory categories, acceptance rate and topics; totals per comparison group and for NRW. `--format csv` gives a file for Excel.",
  },
  "report.title": { de: "# Jahresbericht Sicherheitskonferenzen {year} – {scope}", en: "# Annual report on security conferences {year} – {scope}" },
  "report.scopeNrw": { de: "NRW ({count} KPBs)", en: "NRW ({count} KPBs)" },
  "report.asOf": { de: "Stand: {date}. Quelle: siko-bot; „nicht angebunden“ heißt: die KPB nutzt den Bot nicht, es liegen keine Daten vor (nicht „überfällig“).", en: "As of {date}. Source: siko-bot; “not connected” means the KPB does not use the bot and there is no data (not “overdue”)." },
  "report.totalsHeading": { de: "## Summen", en: "## Totals" },
  "report.totalsHeader": {
    de: "| Gruppe | KPBs | angebunden | SiKo durchgeführt | SiKo-AP durchgeführt | Konferenzen | Zusagequote |",
    en: "| Group | KPBs | connected | SiKo held | SiKo-AP held | conferences | acceptance rate |",
  },
  "report.totalsRow": {
    de: "| {group} | {kpbs} | {connected} | {siko} | {sikoAp} | {held} | {rate} |",
    en: "| {group} | {kpbs} | {connected} | {siko} | {sikoAp} | {held} | {rate} |",
  },
  "report.nrw": { de: "NRW gesamt", en: "NRW total" },
  "report.ofApplicable": { de: "{n} von {of}", en: "{n} of {of}" },
  "report.statesLine": { de: "{track} je Stand: {states}", en: "{track} by state: {states}" },
  "report.kpbHeading": { de: "## Je KPB", en: "## Per KPB" },
  "report.kpbHeader": {
    de: "| KPB | Art | Stand | durchgeführt am | eingeladene Kategorien | fehlende Pflichtkategorien | Zusagequote | besprochene Themen |",
    en: "| KPB | track | state | held on | invited categories | missing mandatory categories | acceptance rate | topics discussed |",
  },
  "report.kpbRow": {
    de: "| {kpb} | {track} | {state} | {dates} | {invited} | {missing} | {rate} | {topics} |",
    en: "| {kpb} | {track} | {state} | {dates} | {invited} | {missing} | {rate} | {topics} |",
  },
  "report.none": { de: "–", en: "–" },
  "report.rate": { de: "{percent} % ({accepted}/{invitations})", en: "{percent}% ({accepted}/{invitations})" },
  "report.file": { de: "Jahresbericht {year} als Datei: {filename}", en: "Annual report {year} as a file: {filename}" },
  "report.directOnly": {
    de: "Der landesweite Bericht enthält Konferenzdaten aller KPBs (nicht öffentlich) und kommt nur im Direktchat. Schreiben Sie mir direkt, oder nennen Sie eine KPB: `bericht {year} --kpb <kpb>`.",
    en: "The state-wide report holds conference details of every KPB (not public) and is given only in a direct chat. Write to me directly, or name a KPB: `report {year} --kpb <kpb>`.",
  },
  "state.not-connected": { de: "nicht angebunden", en: "not connected" },
  "report.csv.kpb": { de: "KPB", en: "KPB" },
  "report.csv.kind": { de: "Behördenart", en: "kind" },
  "report.csv.connected": { de: "angebunden", en: "connected" },
  "report.csv.yes": { de: "ja", en: "yes" },
  "report.csv.no": { de: "nein", en: "no" },
  "report.csv.state": { de: "{track} Stand", en: "{track} state" },
  "report.csv.dates": { de: "{track} durchgeführt am", en: "{track} held on" },
  "report.csv.places": { de: "{track} Orte", en: "{track} places" },
  "report.csv.rate": { de: "{track} Zusagequote %", en: "{track} acceptance rate %" },
  "report.csv.invited": { de: "{track} eingeladene Kategorien", en: "{track} invited categories" },
  "report.csv.missing": { de: "{track} fehlende Pflichtkategorien", en: "{track} missing mandatory categories" },
  "report.csv.invitations": { de: "{track} Einladungen", en: "{track} invitations" },
  "report.csv.accepted": { de: "{track} Zusagen", en: "{track} acceptances" },
  "report.csv.topics": { de: "{track} besprochene Themen", en: "{track} topics discussed" },
  "report.csv.groups": { de: "Vergleichsgruppen", en: "comparison groups" },
  "kind.pp": { de: "Polizeipräsidium", en: "police headquarters" },
  "kind.landrat": { de: "Landrat", en: "district authority" },
} satisfies Record<string, Entry>;
