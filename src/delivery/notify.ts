// Queueing what a change tells people: the invitees of a conference (each with the current .ics) and the
// organisers in their KPB's rooms. Runs inside the calling command's transaction; delivery happens later.
import { icsAttachment, toIcsConference } from "../calendar/conferenceIcs.ts";
import type { Clock } from "../domain/clock.ts";
import type { Locale } from "../domain/types.ts";
import type { Tx } from "../db/client.ts";
import type { InvitedAgency } from "../db/conferences.ts";
import type { ConferenceRow, KpbRow } from "../db/schema.ts";
import { translator, type Translator } from "../messages/i18n/catalogue.ts";
import type { Attachment, Button, OutboundMessage } from "../port.ts";
import type { RuntimeSettings } from "../settings.ts";
import { addressedKey, enqueue } from "./outbox.ts";
import { contactAddresses, localeBook, roomsByKpb } from "./recipients.ts";

export interface NotifyContext {
  tx: Tx;
  clock: Clock;
  settings: RuntimeSettings;
}

export type PartnerMessage = (t: Translator, locale: Locale, agency: InvitedAgency) => { text: string; buttons?: Button[] };

/**
 * Queues one message per invited contact and platform, each with the current .ics (which lists every invited
 * contact). `only` limits the recipients (e.g. the newly invited). `keyBase` makes the keys: the same round
 * queued twice is one round.
 */
export function notifyInvitees(
  ctx: NotifyContext,
  conf: ConferenceRow,
  kpb: KpbRow,
  agencies: readonly InvitedAgency[],
  keyBase: string,
  method: "REQUEST" | "CANCEL",
  build: PartnerMessage,
  only?: ReadonlySet<number>,
): number {
  const now = ctx.clock.now();
  const attachment: Attachment = icsAttachment(toIcsConference(conf, kpb, agencies, ctx.settings), method, now);
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
export function notifyKpbRooms(ctx: NotifyContext, kpbId: number, key: string, build: (t: Translator, locale: Locale) => string, delayMs = 0): void {
  const now = ctx.clock.now();
  const localeOf = localeBook(ctx.tx, ctx.settings.defaultLocale);
  for (const to of roomsByKpb(ctx.tx, ctx.settings.platforms, kpbId).get(kpbId) ?? []) {
    const locale = localeOf(to);
    enqueue(ctx.tx, { key: addressedKey(key, to), to, message: { text: build(translator(locale), locale), locale } }, now, new Date(now.getTime() + delayMs));
  }
}
