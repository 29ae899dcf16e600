// Partner agency categories from the decree (R3, R4) and the Köln practice.
import type { Track } from "./types.ts";

export const CATEGORIES = [
  "staatsanwaltschaft",
  "gericht",
  "kommune",
  "bundespolizei",
  "zoll",
  "schulamt",
  "jugendamt",
  "finanzverwaltung",
  "oepnv",
  "hilfsorganisation",
  "privat",
  "autobahn",
  "sonstige",
] as const;
export type Category = (typeof CATEGORIES)[number];

/** R3: the leadership of these must be invited to every SiKo. */
export const MANDATORY_SIKO: readonly Category[] = ["staatsanwaltschaft", "gericht", "kommune", "bundespolizei", "zoll", "schulamt"];

/** R2: a SiKo-AP needs the bodies concerned by motorway security. */
export const MANDATORY_SIKO_AP: readonly Category[] = ["autobahn"];

/** Mandatory by the decree itself (R2, R3), as opposed to made mandatory by a KPB for its own SiKo (R4). */
export function isDecreeMandatory(c: Category): boolean {
  return MANDATORY_SIKO.includes(c) || MANDATORY_SIKO_AP.includes(c);
}

/** Categories whose partners are invited to a conference of a track by default. */
export function categoriesForTrack(track: Track): (c: Category) => boolean {
  return track === "siko-ap" ? (c) => c === "autobahn" : (c) => c !== "autobahn";
}

export function mandatoryCategories(track: Track, kpbExtras: readonly string[]): Category[] {
  if (track === "siko-ap") return [...MANDATORY_SIKO_AP];
  const extras = kpbExtras.filter((c): c is Category => (CATEGORIES as readonly string[]).includes(c));
  return [...new Set([...MANDATORY_SIKO, ...extras])];
}

/** Mandatory categories not covered by any invited agency. */
export function missingCategories(mandatory: readonly Category[], invitedCategories: readonly string[]): Category[] {
  const have = new Set(invitedCategories);
  return mandatory.filter((c) => !have.has(c));
}
