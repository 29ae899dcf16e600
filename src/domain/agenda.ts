// The standard agenda of a SiKo (R6): the decree's topics, then the KPB's local ones (Köln: child protection).
import type { Track } from "./types.ts";

export const DECREE_AGENDA: readonly string[] = [
  "Sicherheitslage (Einsatz-, Kriminalitäts- und Verkehrsunfalllage)",
  "Räumliche Brennpunkte",
  "Banden- und Intensivtäterstrukturen, Clankriminalität",
  "Sicherheit von Großveranstaltungen",
  "Entwicklung gemeinsamer Strategien und Aktionen",
  "Kooperationsstrukturen, wie Ordnungspartnerschaften und andere Formen",
];

/** A SiKo-AP is about motorway security: its default agenda starts from the motorway situation. */
export const MOTORWAY_AGENDA: readonly string[] = [
  "Sicherheitslage auf den Bundesautobahnen (Einsatz- und Verkehrsunfalllage)",
  "Einrichtungen, Anlagen, Zu- und Abfahrten: Brennpunkte",
  "Baustellen und Großveranstaltungen",
  "Entwicklung gemeinsamer Strategien und Aktionen",
];

export const MAX_AGENDA_ITEMS = 30;

export function defaultAgenda(track: Track, kpbExtraTopics: readonly string[]): string[] {
  return track === "siko-ap" ? [...MOTORWAY_AGENDA] : [...DECREE_AGENDA, ...kpbExtraTopics];
}
