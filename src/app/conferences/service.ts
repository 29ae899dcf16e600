// What the conference commands share: loading an invitation round and building the messages partners and
// organisers receive (who gets them and in which language: ../recipients.ts). Everything here runs inside the calling command's transaction.
import { eq } from "drizzle-orm";
import { icsAttachment, toIcsConference, type InvitedContact } from "../../calendar/conferenceIcs.ts";
import type { Clock } from "../../domain/clock.ts";
import { formatDateTime, formatRange, type DateTimeError } from "../../domain/dates.ts";
import type { Locale } from "../../domain/types.ts";
import type { Tx } from "../../db/client.ts";
import * as s from "../../db/schema.ts";
import { addressedKey, enqueue } from "../../reminders/outbox.ts";
import type { Attachment, Button, OutboundMessage } from "../../port.ts";
import { UserError, type CommandContext, type ConferenceRow, type ContactRow, type KpbRow } from "../command.ts";
import { translator, type Translator } from "../i18n/catalogue.ts";
import { contactAddresses, localeBook, roomsByKpb } from "../recipients.ts";

export function titleOf(conf: Pick<ConferenceRow, "id" | "track">, t: Translator): string {
  return `${t(`track.${conf.track}`)} #${conf.id}`;
}

export function placeOf(conf: Pick<ConferenceRow, "location">, t: Translator): string {
  return conf.location ?? t("conference.placeOpen");
}

export function agendaText(conf: Pick<ConferenceRow, "agenda">, t: Translator): string {
  return [t("conference.agendaTitle"), ...conf.agenda.map((item, i) => `  ${i + 1}. ${item}`)].join("\n");
}

export function summaryOf(conf: ConferenceRow, kpb: KpbRow, t: Translator, locale: Locale): string {
  return t("conference.summary", {
    title: titleOf(conf, t),
    kpb: kpb.name,
    range: formatRange(conf.startsAt, conf.endsAt, locale),
    place: placeOf(conf, t),
    status: t(`status.${conf.status}`),
  });
}

export function dateError(e: DateTimeError): UserError {
  switch (e.code) {
    case "date-format":
      return new UserError("date.format", { input: e.input });
    case "time-format":
      return new UserError("date.timeFormat", { input: e.input });
    case "date-impossible":
      return new UserError("date.impossible", { input: e.input });
    case "time-gap":
      return new UserError("date.gap", { date: e.date, time: e.time });
    case "in-past":
      return new UserError("date.past", { when: e.when });
  }
}

/** Refuses changes to a conference that is cancelled, recorded as held, or already under way. */
export function requireChangeable(conf: ConferenceRow, t: Translator, locale: Locale, clock: Clock): void {
  if (conf.status === "cancelled" || conf.status === "held")
    throw new UserError("conference.notOpen", { title: titleOf(conf, t), status: t(`status.${conf.status}`) });
  if (conf.startsAt.getTime() <= clock.now().getTime())
    throw new UserError("conference.alreadyStarted", { title: titleOf(conf, t), when: formatDateTime(conf.startsAt, locale) });
}

export interface InvitedAgency {
  invitation: typeof s.invitations.$inferSelect;
  partner: typeof s.partnerAgencies.$inferSelect;
  contacts: ContactRow[];
}

/** The invitation round of a conference: each invited agency with its answer and the contacts it went to. */
export function invitedAgencies(tx: Tx, conferenceId: number): InvitedAgency[] {
  const rows = tx
    .select({ invitation: s.invitations, partner: s.partnerAgencies })
    .from(s.invitations)
    .innerJoin(s.partnerAgencies, eq(s.partnerAgencies.id, s.invitations.partnerAgencyId))
    .where(eq(s.invitations.conferenceId, conferenceId))
    .all();
  const contacts = tx
    .select({ contact: s.contacts })
    .from(s.invitedContacts)
    .innerJoin(s.contacts, eq(s.contacts.id, s.invitedContacts.contactId))
    .where(eq(s.invitedContacts.conferenceId, conferenceId))
    .all()
    .map((r) => r.contact);
  return rows
    .map((r) => ({ ...r, contacts: contacts.filter((c) => c.partnerAgencyId === r.partner.id) }))
    .sort((a, b) => a.partner.category.localeCompare(b.partner.category) || a.partner.name.localeCompare(b.partner.name, "de"));
}

export function invitedContactsForIcs(agencies: readonly InvitedAgency[]): InvitedContact[] {
  return agencies.flatMap((a) => a.contacts.map((contact) => ({ contact, category: a.partner.category, answer: a.invitation.answer })));
}

export function rsvpButtons(conferenceId: number, t: Translator): Button[] {
  const action = (answer: string) => ({ verb: "rsvp", data: { conference: conferenceId, answer } });
  return [
    { label: t("button.accept"), action: action("accepted") },
    { label: t("button.decline"), action: action("declined") },
    { label: t("button.tentative"), action: action("tentative") },
    { label: t("button.delegate"), action: action("delegated"), needsText: { prompt: t("button.deputyPrompt") } },
  ];
}

export type PartnerMessage = (t: Translator, locale: Locale, agency: InvitedAgency) => { text: string; buttons?: Button[] };

/**
 * Queues one message per invited contact and platform, each with the current .ics (which lists every invited
 * contact). `only` limits the recipients (e.g. the newly invited). `keyBase` makes the keys: the same round
 * queued twice is one round.
 */
export function notifyInvitees(
  ctx: Pick<CommandContext, "tx" | "clock" | "settings">,
  conf: ConferenceRow,
  kpb: KpbRow,
  agencies: readonly InvitedAgency[],
  keyBase: string,
  method: "REQUEST" | "CANCEL",
  build: PartnerMessage,
  only?: ReadonlySet<number>,
): number {
  const now = ctx.clock.now();
  const attachment: Attachment = icsAttachment(toIcsConference(conf, kpb, invitedContactsForIcs(agencies), ctx.settings.publicUrl), method, now);
  const localeOf = localeBook(ctx.tx, ctx.settings.defaultLocale);
  let count = 0;
  for (const agency of agencies)
    for (const contact of agency.contacts.filter((c) => !only || only.has(c.id)))
      for (const to of contactAddresses(contact, ctx.settings.platforms)) {
        const locale = localeOf(to);
        const body = build(translator(locale), locale, agency);
        const message: OutboundMessage = { ...body, attachment, locale };
        if (enqueue(ctx.tx, { key: `${keyBase}:contact=${contact.id}:${to.platform}`, to, message }, now)) count++;
      }
  return count;
}

/** Queues a notice to every room of the KPB. */
export function notifyKpbRooms(
  ctx: Pick<CommandContext, "tx" | "clock" | "settings">,
  kpbId: number,
  key: string,
  build: (t: Translator, locale: Locale) => string,
  delayMs = 0,
): void {
  const now = ctx.clock.now();
  const localeOf = localeBook(ctx.tx, ctx.settings.defaultLocale);
  for (const to of roomsByKpb(ctx.tx, ctx.settings.platforms, kpbId).get(kpbId) ?? []) {
    const locale = localeOf(to);
    enqueue(ctx.tx, { key: addressedKey(key, to), to, message: { text: build(translator(locale), locale), locale } }, now, new Date(now.getTime() + delayMs));
  }
}

export function partnerMessageContext(conf: ConferenceRow, kpb: KpbRow, t: Translator, locale: Locale) {
  return {
    title: titleOf(conf, t),
    kpb: kpb.name,
    when: formatDateTime(conf.startsAt, locale),
    range: formatRange(conf.startsAt, conf.endsAt, locale),
    place: placeOf(conf, t),
    agenda: agendaText(conf, t),
    id: conf.id,
  };
}
