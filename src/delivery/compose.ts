// What the worker fills in at the moment it sends, so a message never contradicts the state at that moment:
// the answer state on every copy of an invitation, and the organisers' answer notice, written from the answers
// since the previous notice to the same address.
import { and, eq, gt, isNull, ne, sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { nameOfPrincipal } from "../db/directory.ts";
import * as s from "../db/schema.ts";
import type { OutboxRow } from "../db/schema.ts";
import { calendarMethodOf } from "../calendar/conferenceIcs.ts";
import { rsvpStateOf } from "../messages/conference.ts";
import { rich } from "../messages/rich.ts";
import type { OutboundMessage } from "../port.ts";
import { rsvpNoticeMessage, type NoticeAnswer } from "../messages/notices.ts";
import type { OutboxMessage } from "./outbox.ts";

/**
 * The message with the agency's answer as of `now`; without answer controls once they no longer apply, nor its
 * calendar invitation (REQUEST): the date it holds no longer stands, or answers are closed.
 */
export function withCurrentRsvp(tx: Tx | Db, message: OutboxMessage, now: Date): OutboxMessage {
  const rsvp = message.rsvp;
  if (!rsvp) return message;
  const conf = tx.select().from(s.conferences).where(eq(s.conferences.id, rsvp.conferenceId)).get();
  const partner = tx.select().from(s.partnerAgencies).where(eq(s.partnerAgencies.id, rsvp.partnerAgencyId)).get();
  if (!conf || !partner) return message;
  const invitation =
    tx
      .select()
      .from(s.invitations)
      .where(and(eq(s.invitations.conferenceId, conf.id), eq(s.invitations.partnerAgencyId, partner.id)))
      .get() ?? null;
  const state = rsvpStateOf(conf, partner, invitation, { startsAt: new Date(rsvp.startsAt), place: rsvp.place }, now, message.locale);
  if (state.state === "open") return { ...message, rsvp: state };
  const { buttons: _closed, attachment, ...rest } = message;
  return { ...rest, rsvp: state, ...(attachment && calendarMethodOf(attachment.contentType) !== "REQUEST" ? { attachment } : {}) };
}

/** A message as its recipient keeps it once they are no longer invited: as sent, its answer controls gone. */
export function withdrawn(message: OutboundMessage): OutboundMessage {
  const { buttons: _gone, ...rest } = message;
  return message.rsvp ? { ...rest, rsvp: { ...message.rsvp, state: "closed", note: rich(message.locale, "rsvpState.withdrawn") } } : rest;
}

/**
 * The organisers' answer notice for one address: every answer since the previous notice there, each agency
 * once with its latest answer, and only while that answer still stands (a reschedule resets answers). No
 * message when nothing is left to say; `upTo` is the last answer looked at either way.
 */
export function composeRsvpNotice(tx: Tx, row: OutboxRow): { message: OutboxMessage | null; upTo: number } {
  const conferenceId = row.conferenceId;
  const conf = conferenceId === null ? undefined : tx.select().from(s.conferences).where(eq(s.conferences.id, conferenceId)).get();
  if (!conf || conferenceId === null) return { message: null, upTo: 0 };
  // Each notice records the last answer it covered (`upTo`); the next one starts after the highest of them.
  const previous = tx
    .select({ upTo: sql<number | null>`max(json_extract(${s.outbox.message}, '$.upTo'))` })
    .from(s.outbox)
    .where(
      and(
        eq(s.outbox.kind, "rsvp-notice"),
        eq(s.outbox.conferenceId, conferenceId),
        eq(s.outbox.platform, row.platform),
        eq(s.outbox.addressKind, row.addressKind),
        eq(s.outbox.addressId, row.addressId),
        ne(s.outbox.id, row.id),
      ),
    )
    .get();
  const cursor = previous?.upTo ?? 0;
  const log = tx
    .select({ entry: s.rsvpLog, partnerName: s.partnerAgencies.name, contactName: s.contacts.name })
    .from(s.rsvpLog)
    .innerJoin(s.partnerAgencies, eq(s.partnerAgencies.id, s.rsvpLog.partnerAgencyId))
    .leftJoin(s.contacts, eq(s.contacts.id, s.rsvpLog.contactId))
    .where(and(eq(s.rsvpLog.conferenceId, conferenceId), gt(s.rsvpLog.id, cursor)))
    .orderBy(s.rsvpLog.id)
    .all();
  if (log.length === 0) return { message: null, upTo: cursor };
  const latest = new Map<number, (typeof log)[number]>();
  for (const l of log) {
    latest.delete(l.entry.partnerAgencyId);
    latest.set(l.entry.partnerAgencyId, l);
  }
  const invitations = new Map(tx.select().from(s.invitations).where(eq(s.invitations.conferenceId, conferenceId)).all().map((i) => [i.partnerAgencyId, i]));
  const answers: NoticeAnswer[] = [];
  for (const { entry, partnerName, contactName } of latest.values()) {
    const now = invitations.get(entry.partnerAgencyId);
    const stands = now?.answer === entry.answer && now.deputyName === entry.deputyName && now.reason === entry.reason;
    if (!stands) continue;
    answers.push({ partnerName, answer: entry.answer, deputyName: entry.deputyName, reason: entry.reason, contactName: entry.contactId === null ? null : contactName, enteredBy: nameOfPrincipal(tx, entry.actor) });
  }
  const upTo = log[log.length - 1]!.entry.id;
  if (answers.length === 0) return { message: null, upTo };
  const open = tx
    .select({ id: s.invitations.id })
    .from(s.invitations)
    .where(and(eq(s.invitations.conferenceId, conferenceId), isNull(s.invitations.answer)))
    .limit(1)
    .get();
  const message = rsvpNoticeMessage((row.message as unknown as OutboxMessage).locale, conf, answers, open ? null : invitations.size);
  return { message: { ...message, upTo }, upTo };
}
