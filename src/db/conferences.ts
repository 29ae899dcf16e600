// Queries on conferences and their invitation rounds, shared by the commands, the messages and delivery.
import { and, eq } from "drizzle-orm";
import type { Tx } from "./client.ts";
import { param, preparedQuery } from "./prepared.ts";
import * as s from "./schema.ts";
import type { ContactRow, InvitationRow, PartnerAgencyRow } from "./schema.ts";

export interface InvitedAgency {
  invitation: InvitationRow;
  partner: PartnerAgencyRow;
  contacts: ContactRow[];
}

/** The invitation round of a conference: each invited agency with its answer and the contacts it went to. */
export function invitedAgencies(tx: Tx, conferenceId: number): InvitedAgency[] {
  const rows = invitationsOf(tx).all({ conferenceId });
  const contacts = invitedContactsOf(tx)
    .all({ conferenceId })
    .map((r) => r.contact);
  return rows
    .map((r) => ({ ...r, contacts: contacts.filter((c) => c.partnerAgencyId === r.partner.id) }))
    .sort((a, b) => a.partner.category.localeCompare(b.partner.category) || a.partner.name.localeCompare(b.partner.name, "de"));
}

const invitationsOf = preparedQuery((db) =>
  db
    .select({ invitation: s.invitations, partner: s.partnerAgencies })
    .from(s.invitations)
    .innerJoin(s.partnerAgencies, eq(s.partnerAgencies.id, s.invitations.partnerAgencyId))
    .where(eq(s.invitations.conferenceId, param("conferenceId")))
    .prepare(),
);
const invitedContactsOf = preparedQuery((db) =>
  db
    .select({ contact: s.contacts })
    .from(s.invitedContacts)
    .innerJoin(s.contacts, eq(s.contacts.id, s.invitedContacts.contactId))
    .where(eq(s.invitedContacts.conferenceId, param("conferenceId")))
    .prepare(),
);

/** One contact among a conference's invitees; undefined once they are not (the KPB removed them). */
export function invitedContact(tx: Tx, conferenceId: number, contactId: number): ContactRow | undefined {
  return invitedContactOf(tx).get({ conferenceId, contactId })?.contact;
}

const invitedContactOf = preparedQuery((db) =>
  db
    .select({ contact: s.contacts })
    .from(s.invitedContacts)
    .innerJoin(s.contacts, eq(s.contacts.id, s.invitedContacts.contactId))
    .where(and(eq(s.invitedContacts.conferenceId, param("conferenceId")), eq(s.invitedContacts.contactId, param("contactId"))))
    .prepare(),
);
