// From database rows to the iCalendar view of a conference: who attends with which PARTSTAT, the organiser, the UID.
import type { InvitedAgency } from "../db/conferences.ts";
import type { ConferenceRow, ContactRow, KpbRow } from "../db/schema.ts";
import { MANDATORY_SIKO, MANDATORY_SIKO_AP } from "../domain/categories.ts";
import { berlinYearOf } from "../domain/holidays.ts";
import type { RsvpAnswer } from "../domain/types.ts";
import { buildInvitation, icsFilename, type IcsAttendee, type IcsConference } from "./ics.ts";

export interface InvitedContact {
  contact: ContactRow;
  category: string;
  answer: RsvpAnswer | null;
}

export function invitedContactsForIcs(agencies: readonly InvitedAgency[]): InvitedContact[] {
  return agencies.flatMap((a) => a.contacts.map((contact) => ({ contact, category: a.partner.category, answer: a.invitation.answer })));
}

const PARTSTAT: Record<RsvpAnswer, IcsAttendee["partstat"]> = {
  accepted: "ACCEPTED",
  declined: "DECLINED",
  tentative: "TENTATIVE",
  delegated: "DELEGATED",
};

/** Stable for the life of the conference: its id and creation instant, never the date or the server's URL. */
export function conferenceUid(conf: Pick<ConferenceRow, "id" | "createdAt">): string {
  return `siko-${conf.id}-${conf.createdAt.getTime()}@siko-bot`;
}

export function conferenceSummary(conf: Pick<ConferenceRow, "track" | "startsAt">, kpb: Pick<KpbRow, "name">): string {
  const kind = conf.track === "siko-ap" ? "Sicherheitskonferenz Autobahn (SiKo-AP)" : "Sicherheitskonferenz";
  return `${kind} ${kpb.name} ${berlinYearOf(conf.startsAt)}`;
}

/** The ORGANIZER address: per KPB under the bot's public host name; `.invalid` where that host is not a domain. */
export function organizerEmail(kpb: Pick<KpbRow, "slug">, publicUrl: string): string {
  const host = new URL(publicUrl).hostname;
  return `siko-${kpb.slug}@${/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(host) && !/^[\d.]+$/.test(host) ? host : "siko-bot.invalid"}`;
}

export function toIcsConference(conf: ConferenceRow, kpb: KpbRow, invited: readonly InvitedContact[], publicUrl: string): IcsConference {
  const mandatory = new Set<string>(conf.track === "siko-ap" ? MANDATORY_SIKO_AP : [...MANDATORY_SIKO, ...kpb.mandatoryExtras]);
  return {
    uid: conferenceUid(conf),
    sequence: conf.sequence,
    status: conf.status === "cancelled" ? "CANCELLED" : "CONFIRMED",
    summary: conferenceSummary(conf, kpb),
    location: conf.location,
    agenda: conf.agenda,
    descriptionIntro: "Vertraulich – nicht öffentlich.",
    startsAt: conf.startsAt,
    endsAt: conf.endsAt,
    organizer: { name: kpb.name, email: organizerEmail(kpb, publicUrl) },
    attendees: invited.map((i) => ({
      contactId: i.contact.id,
      name: i.contact.name,
      email: i.contact.email,
      role: mandatory.has(i.category) ? "REQ-PARTICIPANT" : "OPT-PARTICIPANT",
      partstat: i.answer ? PARTSTAT[i.answer] : "NEEDS-ACTION",
    })),
  };
}

export function icsAttachment(ics: IcsConference, method: "REQUEST" | "CANCEL", stamp: Date) {
  return {
    filename: icsFilename(ics),
    contentType: `text/calendar; charset=utf-8; method=${method}`,
    content: buildInvitation(ics, { method, stamp }),
  };
}
