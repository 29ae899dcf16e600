// `kontakt auskunft` and `kontakt loeschen`: what the bot stores about a person of a partner agency (DSGVO Art. 15)
// as a JSON file, and erasing them (Art. 17) while the agency's answers and an anonymised audit trail stay.
import { and, eq, inArray, like, or } from "drizzle-orm";
import * as z from "zod";
import { ERASED, scrubEverywhere } from "../../db/erasure.ts";
import { nameKey } from "../../db/directory.ts";
import * as s from "../../db/schema.ts";
import type { ContactRow, KpbRow } from "../../db/schema.ts";
import type { Tx } from "../../db/client.ts";
import { canonicalUserId } from "../../port.ts";
import { defineCommand, UserError } from "../command.ts";
import { name } from "../values.ts";

const nameArg = { key: "name", names: { de: "name", en: "name" } };
const partnerFlag = { key: "partner", names: { de: "partner", en: "partner" }, valueName: { de: "behörde", en: "agency" } };
const input = z.object({ name, partner: name.optional(), kpb: name.optional() });

/** The KPB's registration of the person; with two of that name (at two agencies) `--partner` says which. */
function registration(tx: Tx, kpb: KpbRow, personName: string, partnerName?: string): ContactRow {
  const found = tx
    .select({ contact: s.contacts, partner: s.partnerAgencies.name, partnerKey: s.partnerAgencies.nameKey })
    .from(s.contacts)
    .innerJoin(s.partnerAgencies, eq(s.partnerAgencies.id, s.contacts.partnerAgencyId))
    .where(and(eq(s.contacts.kpbId, kpb.id), eq(s.contacts.nameKey, nameKey(personName))))
    .all()
    .filter((r) => partnerName === undefined || r.partnerKey === nameKey(partnerName));
  if (found.length === 0) throw new UserError("personal.notFound", { name: personName, kpb: kpb.name });
  if (found.length > 1) throw new UserError("personal.which", { name: personName, partners: found.map((f) => `„${f.partner}“`).join(", ") });
  return found[0]!.contact;
}

/** The person's ids on the platforms, as principals are written (`matrix:@x`), and their plain forms. */
function identifiers(c: ContactRow): string[] {
  const ids: Array<[string, string | null]> = [
    ["matrix", c.matrixId],
    ["teams", c.teamsId],
    ["email", c.email],
  ];
  return ids.flatMap(([platform, id]) => (id ? [id, `${platform}:${canonicalUserId(platform as "matrix", id)}`] : []));
}

/** The audit log's entities that belong to a KPB, by entity type: its conferences, their invitations, its contacts, itself. */
function ownedBy(tx: Tx, kpbId: number): Record<string, Set<number>> {
  const conferences = tx.select({ id: s.conferences.id }).from(s.conferences).where(eq(s.conferences.kpbId, kpbId)).all().map((r) => r.id);
  const invitations = conferences.length ? tx.select({ id: s.invitations.id }).from(s.invitations).where(inArray(s.invitations.conferenceId, conferences)).all().map((r) => r.id) : [];
  const contacts = tx.select({ id: s.contacts.id }).from(s.contacts).where(eq(s.contacts.kpbId, kpbId)).all().map((r) => r.id);
  return { conference: new Set(conferences), invitation: new Set(invitations), contact: new Set(contacts), kpb: new Set([kpbId]) };
}

export const contactExport = defineCommand({
  id: "contact.export",
  names: { de: "kontakt auskunft", en: "contact export" },
  summary: "cmd.contactExport",
  args: [nameArg],
  flags: [partnerFlag, { key: "kpb", names: { de: "kpb", en: "kpb" } }],
  input,
  access: { kind: "kpb", roles: ["organiser"], confidential: true },
  run({ tx, t, clock, kpb, audit }, input) {
    const contact = registration(tx, kpb!, input.name, input.partner);
    const ids = identifiers(contact);
    const partner = tx.select().from(s.partnerAgencies).where(eq(s.partnerAgencies.id, contact.partnerAgencyId)).get()!;
    const invitations = tx
      .select({ conference: s.conferences.number, track: s.conferences.track, startsAt: s.conferences.startsAt, answer: s.invitations.answer })
      .from(s.invitedContacts)
      .innerJoin(s.conferences, eq(s.conferences.id, s.invitedContacts.conferenceId))
      .leftJoin(s.invitations, and(eq(s.invitations.conferenceId, s.invitedContacts.conferenceId), eq(s.invitations.partnerAgencyId, s.invitedContacts.partnerAgencyId)))
      .where(eq(s.invitedContacts.contactId, contact.id))
      .all();
    const answers = tx.select().from(s.rsvpLog).where(eq(s.rsvpLog.contactId, contact.id)).all();
    // The KPB answers for what it holds: another KPB's registration of the same person, its conferences and its
    // messages to them stay out (R9), though the person's ids are the same there.
    const mine = ownedBy(tx, kpb!.id);
    const mentions = [contact.name, ...ids].map((n) => like(s.auditLog.details, `%${n}%`));
    const auditEntries = tx
      .select()
      .from(s.auditLog)
      .where(or(and(eq(s.auditLog.entity, "contact"), eq(s.auditLog.entityId, contact.id)), ...mentions, ids.length ? inArray(s.auditLog.actor, ids) : undefined))
      .all()
      .filter((e) => e.entityId !== null && mine[e.entity]?.has(e.entityId));
    const messages = tx
      .select({ at: s.outbox.createdAt, status: s.outbox.status, platform: s.outbox.platform, kind: s.outbox.kind, message: s.outbox.message })
      .from(s.outbox)
      .where(and(eq(s.outbox.kpbId, kpb!.id), or(eq(s.outbox.contactId, contact.id), ids.length ? inArray(s.outbox.addressId, ids) : undefined)))
      .all()
      .map((m) => ({ ...m, text: (m.message as { text?: string }).text, message: undefined }));
    const data = {
      exportedAt: clock.now().toISOString(),
      controller: kpb!.name,
      contact: { ...contact, agency: partner.name },
      invitations,
      answersGiven: answers,
      auditEntries,
      messages,
    };
    audit("contact.export", "contact", contact.id, { kpbId: kpb!.id });
    return {
      text: t("personal.exported", { name: contact.name, invitations: invitations.length, answers: answers.length, audit: auditEntries.length, messages: messages.length }),
      attachment: { filename: `auskunft-${contact.id}.json`, contentType: "application/json; charset=utf-8", content: JSON.stringify(data, null, 2) },
    };
  },
});

export const contactErase = defineCommand({
  id: "contact.erase",
  names: { de: "kontakt loeschen", en: "contact erase" },
  aliases: ["kontakt löschen"],
  summary: "cmd.contactErase",
  args: [nameArg],
  flags: [partnerFlag, { key: "kpb", names: { de: "kpb", en: "kpb" } }],
  input,
  access: { kind: "kpb", roles: ["organiser"] },
  run({ tx, t, kpb, audit }, input) {
    const contact = registration(tx, kpb!, input.name, input.partner);
    const ids = identifiers(contact);
    // Messages to the person go; their registration, their links to invitations, their user and what an adapter
    // kept for them (a direct room) too. The agency's answers stay; who gave them becomes "[gelöscht]".
    if (ids.length) {
      tx.delete(s.outbox).where(inArray(s.outbox.addressId, ids)).run();
      const users = tx.select({ id: s.users.id }).from(s.users).where(inArray(s.users.platformUserId, ids)).all().map((u) => u.id);
      if (users.length) {
        tx.delete(s.roleGrants).where(inArray(s.roleGrants.userId, users)).run();
        tx.delete(s.users).where(inArray(s.users.id, users)).run();
      }
      for (const id of ids) tx.delete(s.adapterState).where(or(like(s.adapterState.key, `%${id}%`), like(s.adapterState.value, `%${id}%`))).run();
    }
    tx.delete(s.outbox).where(eq(s.outbox.contactId, contact.id)).run();
    tx.update(s.rsvpLog).set({ contactId: null }).where(eq(s.rsvpLog.contactId, contact.id)).run();
    tx.delete(s.invitedContacts).where(eq(s.invitedContacts.contactId, contact.id)).run();
    tx.delete(s.contacts).where(eq(s.contacts.id, contact.id)).run();
    scrubEverywhere(tx, [contact.name, ...ids]);
    audit("contact.erase", "contact", contact.id, { kpbId: kpb!.id, partnerAgencyId: contact.partnerAgencyId, name: ERASED });
    return { text: t("personal.erased", { partner: kpb!.name }) };
  },
});
