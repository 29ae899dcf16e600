// From database rows to the iCalendar view of a conference: who attends with which PARTSTAT, the organiser, the UID.
import type { InvitedAgency } from "../db/conferences.ts";
import type { ConferenceRow, ContactRow, KpbRow } from "../db/schema.ts";
import { MANDATORY_SIKO, MANDATORY_SIKO_AP } from "../domain/categories.ts";
import { berlinYearOf } from "../domain/holidays.ts";
import type { Platform, RsvpAnswer } from "../domain/types.ts";
import { buildInvitation, icsFilename, type IcsAttendee, type IcsConference } from "./ics.ts";

export interface InvitedContact {
  contact: ContactRow;
  category: string;
  answer: RsvpAnswer | null;
}

/** What the calendar files take from the installation's settings (RuntimeSettings has these). */
export interface IcsSettings {
  publicUrl: string;
  /** SIKO_ORGANIZER_EMAIL: the ORGANIZER unless the KPB set its own. */
  organizerEmail?: string;
  /**
   * Whether replies sent by calendar programs (to ORGANIZER, by e-mail) are read: only where the e-mail channel
   * reads its mailbox (SIKO_IMAP_URL). Otherwise the files ask for no reply, and say how to answer.
   */
  calendarRepliesRead?: boolean;
  /** The configured platforms: with e-mail among them, the file's text names the answer link as well as the chat. */
  platforms?: readonly Platform[];
}

function invitedContactsForIcs(agencies: readonly InvitedAgency[]): InvitedContact[] {
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

/**
 * The ORGANIZER address: the KPB's own (`kalender organisator`), else SIKO_ORGANIZER_EMAIL, else one per KPB under
 * the bot's public host name (`.invalid` where that host is not a domain).
 */
export function organizerEmail(kpb: Pick<KpbRow, "slug" | "organizerEmail">, settings: IcsSettings): string {
  if (kpb.organizerEmail) return kpb.organizerEmail;
  if (settings.organizerEmail) return settings.organizerEmail;
  const host = new URL(settings.publicUrl).hostname;
  return `siko-${kpb.slug}@${/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(host) && !/^[\d.]+$/.test(host) ? host : "siko-bot.invalid"}`;
}

/** The version of a conference people read in chat ("Fassung 1" for the first), and the file's SEQUENCE. */
export function versionOf(conf: Pick<ConferenceRow, "sequence">): number {
  return conf.sequence + 1;
}

export function toIcsConference(conf: ConferenceRow, kpb: KpbRow, agencies: readonly InvitedAgency[], settings: IcsSettings): IcsConference {
  const mandatory = new Set<string>(conf.track === "siko-ap" ? MANDATORY_SIKO_AP : [...MANDATORY_SIKO, ...kpb.mandatoryExtras]);
  const askForReplies = settings.calendarRepliesRead === true;
  const notes: string[] = [];
  if (conf.status === "cancelled") notes.push(`Abgesagt${conf.cancelReason ? `: ${conf.cancelReason}` : "."}`);
  // A deputy has a name but no address, so no ATTENDEE line of their own: the delegating head's line says
  // DELEGATED, and the description names who comes instead.
  for (const a of agencies) if (a.invitation.answer === "delegated" && a.invitation.deputyName) notes.push(`Vertretung für ${a.partner.name}: ${a.invitation.deputyName}`);
  return {
    uid: conferenceUid(conf),
    sequence: versionOf(conf),
    status: conf.status === "cancelled" ? "CANCELLED" : "CONFIRMED",
    summary: conferenceSummary(conf, kpb),
    location: conf.location,
    agenda: conf.agenda,
    descriptionIntro: askForReplies
      ? "Vertraulich – nicht öffentlich."
      : `Vertraulich – nicht öffentlich. ${
          settings.platforms?.includes("email")
            ? "Bitte im Chat mit dem siko-bot oder über den persönlichen Link in der Einladungs-E-Mail antworten"
            : "Bitte im Chat mit dem siko-bot antworten"
        } (Zusage, Absage, Vorbehalt, Vertretung); Antworten aus dem Kalenderprogramm erreichen die einladende KPB nicht.`,
    notes,
    askForReplies,
    startsAt: conf.startsAt,
    endsAt: conf.endsAt,
    organizer: { name: kpb.name, email: organizerEmail(kpb, settings) },
    attendees: invitedContactsForIcs(agencies).map((i) => ({
      contactId: i.contact.id,
      name: i.contact.name,
      email: i.contact.email,
      role: mandatory.has(i.category) ? "REQ-PARTICIPANT" : "OPT-PARTICIPANT",
      partstat: i.answer ? PARTSTAT[i.answer] : "NEEDS-ACTION",
    })),
  };
}

/** The iTIP method an attachment's content type names (`text/calendar; method=REQUEST`); null for other files. */
export function calendarMethodOf(contentType: string): string | null {
  return /^text\/calendar\b.*;\s*method=([A-Za-z-]+)/i.exec(contentType)?.[1]?.toUpperCase() ?? null;
}

export function icsAttachment(ics: IcsConference, method: "REQUEST" | "CANCEL", stamp: Date) {
  return {
    filename: icsFilename(ics),
    contentType: `text/calendar; charset=utf-8; method=${method}`,
    content: buildInvitation(ics, { method, stamp }),
  };
}
