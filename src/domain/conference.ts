// The facts about a conference that the pure rules (annual minimum, reminders, iCalendar) work on.
import type { ConferenceStatus, RsvpAnswer, Track } from "./types.ts";
import { berlinDateOf } from "./holidays.ts";

export interface ConferenceFacts {
  id: number;
  /** What people type and read (`#2`): counted per KPB. */
  number: number;
  kpbId: number;
  track: Track;
  /** UTC instants. */
  startsAt: Date;
  endsAt: Date;
  status: ConferenceStatus;
  /** Berlin date ("YYYY-MM-DD") by which invitees were asked to answer (`einladen --frist`). */
  rsvpDeadline?: string | null;
}

export interface KpbFacts {
  id: number;
  name: string;
  /** The short name people type (`koeln#1`). */
  slug: string;
  hasMotorwayPolice: boolean;
}

/** One invited contact and its current answer (null: no answer yet). */
export interface InvitationFacts {
  conferenceId: number;
  contactId: number;
  partnerAgencyId: number;
  answer: RsvpAnswer | null;
}

/** Tracks a KPB must hold at least once per calendar year (R1, R2). */
export function tracksOf(kpb: Pick<KpbFacts, "hasMotorwayPolice">): Array<Track> {
  return kpb.hasMotorwayPolice ? ["siko", "siko-ap"] : ["siko"];
}

/**
 * Whether an answer deadline (a Berlin date) fits the conference: it lies before the conference's day, since the
 * list of silent agencies goes out the working day after it.
 */
export function deadlineFits(deadline: string, startsAt: Date): boolean {
  return deadline < berlinDateOf(startsAt);
}
