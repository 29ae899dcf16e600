// Domain vocabulary shared by the rules, the commands and the adapters.
export const TIME_ZONE = "Europe/Berlin";

export const TRACKS = ["siko", "siko-ap"] as const;
export type Track = (typeof TRACKS)[number];

export const ROLES = ["admin", "organiser", "leader", "partner", "reporter"] as const;
export type Role = (typeof ROLES)[number];

export const LOCALES = ["de", "en"] as const;
export type Locale = (typeof LOCALES)[number];

export const PLATFORMS = ["console", "matrix", "teams", "email"] as const;
export type Platform = (typeof PLATFORMS)[number];

export const RSVP_ANSWERS = ["accepted", "declined", "tentative", "delegated"] as const;
export type RsvpAnswer = (typeof RSVP_ANSWERS)[number];

export const CONFERENCE_STATUSES = ["planned", "invited", "cancelled", "held"] as const;
export type ConferenceStatus = (typeof CONFERENCE_STATUSES)[number];
