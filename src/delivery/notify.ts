// Queueing what a change tells people: the invitees of a conference (each with the current .ics) and the
// organisers in their KPB's rooms. Runs inside the calling command's transaction; delivery happens later.
import { icsAttachment, toIcsConference } from "../calendar/conferenceIcs.ts";
import type { Clock } from "../domain/clock.ts";
import type { Locale } from "../domain/types.ts";
import type { Tx } from "../db/client.ts";
import type { InvitedAgency } from "../db/conferences.ts";
import type { ConferenceRow, ContactRow, KpbRow } from "../db/schema.ts";
import { partnerView, rsvpStateOf, type PartnerMessageKind } from "../messages/conference.ts";
import { translator, type Translator } from "../messages/i18n/catalogue.ts";
import type { Attachment, Button, RichText } from "../port.ts";
import type { RuntimeSettings } from "../settings.ts";
import { addressedKey, enqueue, type OutboxMessage } from "./outbox.ts";
import { contactAddress, localeBook, organiserAddresses } from "./recipients.ts";

export interface NotifyContext {
  tx: Tx;
  clock: Clock;
  settings: RuntimeSettings;
}

export interface PartnerNotice {
  kind: PartnerMessageKind;
  /** Makes the keys: the same round queued twice is one round. */
  keyBase: string;
  /** The plain text, what this message is about in a line or two (`lead`), and its buttons. */
  build: (t: Translator, locale: Locale, agency: InvitedAgency) => { text: string; lead?: RichText; buttons?: Button[] };
  deadline?: string | null;
  /** Only these contacts (e.g. the newly invited). */
  only?: ReadonlySet<number>;
}

export interface NotifyResult {
  /** Rows newly queued. */
  queued: number;
  /** Invited contacts without an address on any configured platform: they receive nothing. */
  unreachable: ContactRow[];
}

/**
 * Queues one message per invited contact, on the one platform they are reached on, each with the current .ics
 * (which lists every invited contact) and, except for a cancellation, the agency's answer state.
 */
export function notifyInvitees(ctx: NotifyContext, conf: ConferenceRow, kpb: KpbRow, agencies: readonly InvitedAgency[], notice: PartnerNotice): NotifyResult {
  const now = ctx.clock.now();
  const method = notice.kind === "cancellation" ? "CANCEL" : "REQUEST";
  const attachment: Attachment = icsAttachment(toIcsConference(conf, kpb, agencies, ctx.settings), method, now);
  const localeOf = localeBook(ctx.tx, ctx.settings.defaultLocale);
  const result: NotifyResult = { queued: 0, unreachable: [] };
  for (const agency of agencies)
    for (const contact of agency.contacts.filter((c) => !notice.only || notice.only.has(c.id))) {
      const to = contactAddress(contact, ctx.settings.platforms);
      if (!to) {
        result.unreachable.push(contact);
        continue;
      }
      const locale = localeOf(to);
      const { lead, ...body } = notice.build(translator(locale), locale, agency);
      const message: OutboxMessage = {
        ...body,
        locale,
        kind: notice.kind,
        view: partnerView(notice.kind, conf, kpb, agency.partner.name, locale, { lead, deadline: notice.deadline }),
        attachment,
        ...(notice.kind === "cancellation" ? {} : { rsvp: rsvpStateOf(conf, agency.partner, agency.invitation, { startsAt: conf.startsAt, place: conf.location }, now, locale) }),
      };
      const item = { key: `${notice.keyBase}:contact=${contact.id}:${to.platform}`, to, message, kpbId: kpb.id, conferenceId: conf.id, contactId: contact.id };
      if (enqueue(ctx.tx, item, now)) result.queued++;
    }
  return result;
}

/**
 * Queues a message to a KPB's organisers: in the KPB's rooms, or personally where it has none. `notBefore`
 * delays it (the answer notice waits for more answers); `conferenceId` ties it to a conference.
 */
export function notifyOrganisers(
  ctx: Pick<NotifyContext, "tx" | "clock"> & { settings: Pick<RuntimeSettings, "platforms" | "defaultLocale"> },
  kpbId: number,
  key: string,
  build: (t: Translator, locale: Locale) => Omit<OutboxMessage, "locale">,
  opts: { notBefore?: Date; conferenceId?: number } = {},
): number {
  const now = ctx.clock.now();
  const localeOf = localeBook(ctx.tx, ctx.settings.defaultLocale);
  let queued = 0;
  for (const { to } of organiserAddresses(ctx.tx, ctx.settings.platforms, kpbId)(kpbId)) {
    const locale = localeOf(to);
    const message: OutboxMessage = { ...build(translator(locale), locale), locale };
    if (enqueue(ctx.tx, { key: addressedKey(key, to), to, message, kpbId, conferenceId: opts.conferenceId ?? null, notBefore: opts.notBefore }, now)) queued++;
  }
  return queued;
}
