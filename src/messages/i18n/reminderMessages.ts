// Sentences of the annual-minimum watch and its reminders, part of the one catalogue (catalogue.ts).
import type { Entry } from "./entry.ts";

export const reminderMessages = {
  // --- commands the reminders suggest (in the reader's language) ---------------------------------
  "reminder.cmd.plan": { de: "planen {date} 10:00{track}", en: "plan {date} 10:00{track}" },
  "reminder.cmd.trackFlag": { de: " --art siko-ap", en: " --track siko-ap" },
  "reminder.cmd.invite": { de: "einladen {id}", en: "invite {id}" },
  "reminder.cmd.status": { de: "status {id}", en: "status {id}" },
  "reminder.cmd.held": { de: "durchgefuehrt {id}", en: "held {id}" },
  "reminder.cmd.ack": { de: "quittieren {track} {year}", en: "acknowledge {track} {year}" },

  // --- reminders ---------------------------------------------------------------------------------
  "reminder.late": {
    de: "(verspätet zugestellt) Fällig war {due}; der Bot war zu dem Zeitpunkt nicht erreichbar.",
    en: "(delivered late) It was due {due}; the bot was not running at that time.",
  },
  "reminder.lateClock": {
    de: "(verspätet zugestellt) Fällig war {due}; die Uhr wurde über diesen Zeitpunkt hinaus vorgestellt.",
    en: "(delivered late) It was due {due}; the clock was moved forward past that time.",
  },
  "reminder.shortNotice": {
    de: "Achtung: Mit 14 Tagen Vorlauf ist {year} nicht mehr zu schaffen; das vorgeschlagene Datum ist der letzte Arbeitstag, der dafür noch bleibt.",
    en: "Note: with 14 days' notice {year} can no longer be met; the suggested date is the last working day still left for it.",
  },
  "reminder.yearLost": {
    de: "Das Jahresminimum {year} ist nicht mehr zu erreichen: Bis zum 31.12.{year} bleibt kein Arbeitstag. Der Vorschlag oben gilt für {next}; eine {track} dann zählt für {next}, nicht für {year}.",
    en: "The annual minimum for {year} can no longer be met: no working day is left until 31 Dec {year}. The suggestion above is for {next}; a {track} then counts for {next}, not for {year}.",
  },
  "reminder.annual.organisers": {
    de: "Jahresminimum gefährdet: {kpb} hat für {year} noch keine {track} durchgeführt oder geplant. Der Erlass verlangt mindestens eine {track} pro Kalenderjahr – also bis spätestens {deadline}.\nNächster Schritt im Raum der KPB: `{plan}` (Datum und Uhrzeit nach Bedarf anpassen), danach `einladen <id>`.",
    en: "Annual minimum at risk: {kpb} has neither held nor planned a {track} for {year}. The decree requires at least one {track} per calendar year – so by {deadline} at the latest.\nNext step in the KPB's room: `{plan}` (adjust date and time as needed), then `invite <id>`.",
  },
  "reminder.annual.leaders": {
    de: "An die Behördenleitung von {kpb}: Für {year} ist noch keine {track} durchgeführt oder geplant. Frist nach dem Erlass: {deadline} (noch {daysLeft} Tage).\nBitte veranlassen Sie die Planung – im Raum der KPB z. B. `{plan}`. Den Stand zeigt `uebersicht`.",
    en: "To the head of {kpb}: no {track} has been held or planned for {year} yet. Deadline under the decree: {deadline} ({daysLeft} days left).\nPlease have one planned – in the KPB's room e.g. `{plan}`. `overview` shows where things stand.",
  },
  "reminder.annual.escalation": {
    de: "Eskalation – {kpb}: Für {year} ist weiterhin keine {track} durchgeführt oder geplant. Noch {daysLeft} Tage bis zur Frist am {deadline}.\nNächster Schritt im Raum der KPB: `{plan}`. Mit `{ack}` bestätigen Sie den Eingang; die Erinnerungen laufen weiter, bis eine {track} geplant ist.",
    en: "Escalation – {kpb}: still no {track} held or planned for {year}. {daysLeft} days left until the deadline on {deadline}.\nNext step in the KPB's room: `{plan}`. `{ack}` confirms receipt; the reminders continue until a {track} is planned.",
  },
  "reminder.annual.overdue.leader": {
    de: "Überfällig: {kpb} hat {year} keine {track} durchgeführt (Erlass: mindestens eine pro Kalenderjahr, Frist war der {deadline}).{lzpd}\nBitte planen Sie die nächste {track} jetzt – im Raum der KPB: `{plan}`.",
    en: "Overdue: {kpb} held no {track} in {year} (decree: at least one per calendar year; the deadline was {deadline}).{lzpd}\nPlease plan the next {track} now – in the KPB's room: `{plan}`.",
  },
  "reminder.annual.overdue.leaderUnrecorded": {
    de: "Überfällig: Für {kpb} ist {year} keine {track} als durchgeführt festgehalten (Frist war der {deadline}). {title} am {when} wurde nie bestätigt.{lzpd}\nFalls sie stattgefunden hat, im Raum der KPB: `{held}`. Sonst bitte die nächste planen: `{plan}`.",
    en: "Overdue: no {track} of {kpb} is recorded as held for {year} (the deadline was {deadline}). {title} on {when} was never confirmed.{lzpd}\nIf it took place, in the KPB's room: `{held}`. Otherwise please plan the next one: `{plan}`.",
  },
  "reminder.lzpdTold": { de: " Das LZPD NRW ist informiert.", en: " LZPD NRW has been informed." },
  "reminder.digest.title": {
    de: "Jahresminimum {year} – Meldung an das LZPD NRW (Frist war der {deadline}):",
    en: "Annual minimum {year} – notice to LZPD NRW (the deadline was {deadline}):",
  },
  "reminder.digest.overdue": {
    de: "Überfällig: {count} {count|KPB hat|KPB haben} für {year} keine Konferenz als durchgeführt festgehalten.",
    en: "Overdue: {count} {count|KPB has|KPBs have} no conference recorded as held for {year}.",
  },
  "reminder.digest.header": { de: "KPB – Art – Behördenleitung informiert", en: "KPB – track – head of the KPB informed" },
  "reminder.digest.row": { de: "- {kpb} – {tracks} – {told}", en: "- {kpb} – {tracks} – {told}" },
  "reminder.digest.told": { de: "ja", en: "yes" },
  "reminder.digest.notTold": { de: "nein (keine erreichbare Leitung eingetragen)", en: "no (no reachable head registered)" },
  "reminder.digest.unrecorded": { de: " (Termin vorbei, nie als durchgeführt bestätigt)", en: " (date passed, never confirmed as held)" },
  "reminder.digest.allHeld": {
    de: "Jede KPB, die den Bot nutzt, hat für {year} eine Konferenz als durchgeführt festgehalten.",
    en: "Every KPB that uses the bot has a conference recorded as held for {year}.",
  },
  "reminder.digest.notConnected": {
    de: "Nicht angebunden ({count}) – {count|diese KPB hat|diese KPB haben} noch niemanden mit der Rolle „organisator“ und keinen gebundenen Raum, {count|nutzt|nutzen} den Bot also noch nicht und {count|zählt|zählen} nicht als überfällig: {kpbs}.",
    en: "Not connected ({count}) – {count|this KPB has|these KPBs have} no organiser and no bound room yet, so {count|it does|they do} not use the bot and {count|is|are} not counted as overdue: {kpbs}.",
  },
  "reminder.digest.footer": { de: "Stand aller KPBs: `uebersicht alle {year}`.", en: "All KPBs: `overview all {year}`." },
  "reminder.record": {
    de: "{again}{title} von {kpb} war am {when}. Bitte halten Sie fest, ob sie stattgefunden hat – im Raum der KPB: `{held}` (optional mit `--anwesend \"<Behörde>\"` und `--themen 1,2,5`). Erst dann zählt sie für das Jahresminimum {year}.",
    en: "{again}{title} of {kpb} was on {when}. Please record whether it took place – in the KPB's room: `{held}` (optionally with `--attended \"<agency>\"` and `--topics 1,2,5`). Only then does it count for the {year} annual minimum.",
  },
  "reminder.deadline": {
    de: "Antwortfrist abgelaufen: {title} von {kpb} am {when} – bis {deadline} haben diese Behörden nicht geantwortet:\n{silent}\nDiese Behörden werden weiter erinnert. Stand: `status {id}`, Antwort für eine Behörde eintragen: `zusage {id} --fuer \"<Behörde>\"`.",
    en: "Answer deadline passed: {title} of {kpb} on {when} – these agencies did not answer by {deadline}:\n{silent}\nThese agencies keep being reminded. Overview: `status {id}`, to enter an answer for an agency: `accept {id} --for \"<agency>\"`.",
  },
  "reminder.deadline.noAddress": { de: " (keine Adresse – wird nicht erinnert)", en: " (no address – not reminded)" },
  "reminder.record.again": { de: "Erneute Bitte: ", en: "Second request: " },
  // The agency's answer as it stands follows as the message's answer state (kept current by edits), and each
  // platform adds how to answer there: the reminder itself says neither, so it never contradicts them.
  "reminder.rsvp": {
    de: "Erinnerung: {title} von {kpb} am {when} – bitte antworten Sie für {partner}.",
    en: "Reminder: {title} of {kpb} on {when} – please answer for {partner}.",
  },

  "reminder.rule.annual.organisers": { de: "Hinweis an die Organisation", en: "notice to the organisers" },
  "reminder.rule.annual.leaders": { de: "Hinweis an die Leitung", en: "notice to the head" },
  "reminder.rule.annual.escalation": { de: "Eskalation", en: "escalation" },
  "reminder.rule.annual.overdue": { de: "Überfällig-Meldung", en: "overdue notice" },

  // --- uebersicht / overview -------------------------------------------------------------------
  "cmd.overview": {
    de: "Zeigt das Jahresminimum (SiKo, SiKo-AP) der KPB dieses Raums: Stand, Grund, nächster Schritt. LZPD: `uebersicht alle`.",
    en: "Shows the annual minimum (SiKo, SiKo-AP) of this room's KPB: state, reason, next step. LZPD: `overview all`.",
  },
  "cmd.overviewAll": {
    de: "Jahresminimum aller KPBs, eine Zeile je KPB, mit Zählung je Stand (LZPD).",
    en: "Annual minimum of every KPB, one line each, with counts per state (LZPD).",
  },
  "cmd.acknowledge": {
    de: "Bestätigt den Eingang der aktuellen Eskalation zum Jahresminimum (wird festgehalten; die Erinnerungen laufen weiter).",
    en: "Confirms receipt of the current annual-minimum escalation (recorded; the reminders continue).",
  },
  "state.held": { de: "durchgeführt", en: "held" },
  "state.scheduled": { de: "geplant", en: "scheduled" },
  "state.at-risk": { de: "gefährdet", en: "at risk" },
  "state.overdue": { de: "überfällig", en: "overdue" },
  "state.pending": { de: "offen", en: "pending" },
  "state.not-applicable": { de: "entfällt", en: "not applicable" },
  "state.not-connected": { de: "nicht angebunden", en: "not connected" },
  "state.untracked": { de: "nicht erfasst", en: "not tracked" },
  "overview.title": { de: "Jahresminimum {year} – {kpb} (Stand {date}):", en: "Annual minimum {year} – {kpb} (as of {date}):" },
  "overview.line": { de: "- {track}: {state} – {reason}", en: "- {track}: {state} – {reason}" },
  "overview.next": { de: "  Nächster Schritt: `{command}`", en: "  Next step: `{command}`" },
  "overview.ack": {
    de: "  Quittiert: {rule} vom {due}, durch {who} am {at}{note}",
    en: "  Acknowledged: {rule} of {due}, by {who} on {at}{note}",
  },
  "overview.ackNote": { de: " („{note}“)", en: " (“{note}”)" },
  "overview.footer": {
    de: "Eine Eskalation bestätigen: `quittieren <siko|siko-ap> [jahr]` – das hält keine Erinnerung an; sie enden erst, wenn eine Konferenz geplant oder durchgeführt ist.",
    en: "To confirm an escalation: `acknowledge <siko|siko-ap> [year]` – this stops no reminder; they end only once a conference is planned or held.",
  },
  "overview.reason.held": { de: "{title} am {date}", en: "{title} on {date}" },
  "overview.reason.upcoming": { de: "{title} am {when} ({status})", en: "{title} on {when} ({status})" },
  "overview.reason.awaitingRecord": {
    de: "{title} am {when} ist vorbei, aber noch nicht als durchgeführt festgehalten",
    en: "{title} on {when} has passed but is not recorded as held yet",
  },
  "overview.reason.beforeThreshold": {
    de: "noch nichts geplant; ab {threshold} gilt das Jahr als gefährdet (Frist {deadline})",
    en: "nothing planned yet; from {threshold} the year counts as at risk (deadline {deadline})",
  },
  "overview.reason.nothingPlanned": {
    de: "seit {threshold} weder durchgeführt noch geplant; Frist {deadline}",
    en: "neither held nor planned since {threshold}; deadline {deadline}",
  },
  "overview.reason.unrecorded": {
    de: "{title} am {when} wurde nie als durchgeführt festgehalten (Frist war der {deadline})",
    en: "{title} on {when} was never recorded as held (the deadline was {deadline})",
  },
  "overview.reason.noneHeld": { de: "{year} ohne {track} (Frist war der {deadline})", en: "no {track} in {year} (the deadline was {deadline})" },
  "overview.hidden.upcoming": { de: "eine Konferenz ist geplant", en: "a conference is planned" },
  "overview.hidden.awaitingRecord": {
    de: "Termin vorbei, noch nicht als durchgeführt festgehalten",
    en: "date passed, not recorded as held yet",
  },
  "overview.hidden.held": { de: "eine Konferenz ist festgehalten", en: "a conference is recorded" },
  "overview.hidden.unrecorded": { de: "eine Konferenz wurde nie als durchgeführt festgehalten", en: "a conference was never recorded as held" },
  "overview.hiddenNote": {
    de: "Termine, Nummern und nächste Schritte zeige ich nur im Raum der KPB oder ihrem eigenen Personal im Direktchat (SiKo sind nicht öffentlich).",
    en: "Dates, ids and next steps are shown only in the KPB's room or to its own staff in a direct chat (SiKo are not public).",
  },
  "overview.reason.noMotorwayPolice": { de: "keine Autobahnpolizei", en: "no motorway police" },
  "overview.reason.notConnected": {
    de: "nutzt den Bot noch nicht (keine Organisation eingetragen, kein Raum gebunden); daher nicht als gefährdet oder überfällig gezählt",
    en: "does not use the bot yet (no organiser named, no room bound); so not counted as at risk or overdue",
  },
  "overview.reason.beforeWatch": {
    de: "{year} liegt vor dem Beginn der Aufzeichnung; ob eine {track} stattfand, ist hier nicht erfasst",
    en: "{year} lies before the bot began keeping track; whether a {track} took place is not recorded here",
  },
  "overview.all.title": {
    de: "Jahresminimum {year} – alle {count} KPBs (Stand {date}):",
    en: "Annual minimum {year} – all {count} KPBs (as of {date}):",
  },
  "overview.all.counts": {
    de: "Je Stand (SiKo und SiKo-AP einzeln gezählt): {counts}",
    en: "Per state (SiKo and SiKo-AP counted separately): {counts}",
  },
  "overview.all.line": { de: "- {kpb}: {tracks}", en: "- {kpb}: {tracks}" },
  "overview.all.acked": { de: " (quittiert)", en: " (acknowledged)" },
  "overview.all.empty": {
    de: "Es sind noch keine KPBs angelegt. Ein Admin lädt sie mit `kpb import nrw`.",
    en: "No KPBs exist yet. An admin loads them with `kpb import nrw`.",
  },

  // --- quittieren / acknowledge ----------------------------------------------------------------
  "ack.done": {
    de: "Quittiert: {rule} vom {due} zu {track} {year} von {kpb}, festgehalten für {who}.\nDas hält keine Erinnerung an: Sie enden erst, wenn eine {track} geplant oder durchgeführt ist (Erlass). Nächster Schritt: `{plan}`.",
    en: "Acknowledged: {rule} of {due} about {track} {year} of {kpb}, recorded for {who}.\nThis stops no reminder: they end only once a {track} is planned or held (decree). Next step: `{plan}`.",
  },
  "ack.already": {
    de: "{rule} vom {due} zu {track} {year} wurde bereits am {at} von {who} quittiert.",
    en: "The {rule} of {due} about {track} {year} was already acknowledged on {at} by {who}.",
  },
  "ack.nothing": {
    de: "Zu {track} {year} von {kpb} liegt keine Eskalation vor, die sich quittieren ließe (Stand: {state}). Quittieren lässt sich eine zugestellte Erinnerung, solange das Jahresminimum gefährdet oder überfällig ist.",
    en: "There is no escalation about {track} {year} of {kpb} to acknowledge (state: {state}). A delivered reminder can be acknowledged while the annual minimum is at risk or overdue.",
  },
} satisfies Record<string, Entry>;
