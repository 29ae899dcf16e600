// Who receives what the bot sends on its own, and in which language: shared by the commands (invitations,
// notices) and the reminder sweep, so both address people by the same rules.
import { and, eq, inArray, isNotNull } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { invitedContact } from "../db/conferences.ts";
import { contactsOfIdentity } from "../db/directory.ts";
import * as s from "../db/schema.ts";
import type { ContactRow } from "../db/schema.ts";
import type { Locale, Platform } from "../domain/types.ts";
import { canonicalUserId, type Address } from "../port.ts";

/** The contact's id on a platform, if they have one there (on the console everybody is reached by name). */
function contactIdOn(contact: Pick<ContactRow, "name" | "matrixId" | "teamsId" | "email">, platform: Platform): string | null {
  switch (platform) {
    case "console":
      return contact.name;
    case "matrix":
      return contact.matrixId;
    case "teams":
      return contact.teamsId;
    case "email":
      return contact.email;
  }
}

/**
 * Whether an address belongs to someone invited to the conference (for `partnerAgencyId`, when given): a contact
 * with that id on that platform is among its invitees. What the address was sent is shown as current only then;
 * not once the KPB removed the person or gave the contact another id (a successor, a corrected typo).
 */
export function invitedAt(tx: Tx | Db, conferenceId: number, to: Pick<Address, "platform" | "id">, partnerAgencyId?: number): boolean {
  const contacts = contactsOfIdentity(tx, to.platform, to.id)
    .filter((c) => partnerAgencyId === undefined || c.partnerAgencyId === partnerAgencyId)
    .map((c) => c.id);
  return contacts.length > 0 && tx.select({ id: s.invitedContacts.contactId }).from(s.invitedContacts).where(and(eq(s.invitedContacts.conferenceId, conferenceId), inArray(s.invitedContacts.contactId, contacts))).get() !== undefined;
}

/**
 * Where a message about a conference to one of its invited contacts goes when it is sent: where they are reached
 * then (after a corrected id or another channel, not where it was queued); null once the KPB removed them or when
 * they have no address.
 */
export function invitedContactAddress(tx: Tx, conferenceId: number, contactId: number, platforms: readonly Platform[]): Address | null {
  const contact = invitedContact(tx, conferenceId, contactId);
  return contact ? contactAddress(contact, platforms) : null;
}

/**
 * Where a contact is reached: ONE address, so a person with a Matrix and a Teams id does not get two copies
 * whose answers drift apart. Their chosen channel when it is configured and they have an id there, else the
 * first configured platform (in SIKO_ADAPTERS order) on which they have one; null when there is none.
 */
export function contactAddress(contact: Pick<ContactRow, "name" | "matrixId" | "teamsId" | "email" | "channel">, platforms: readonly Platform[]): Address | null {
  const order = contact.channel && platforms.includes(contact.channel) ? [contact.channel, ...platforms] : platforms;
  for (const platform of order) {
    const id = contactIdOn(contact, platform);
    if (id) return { platform, kind: "user", id: canonicalUserId(platform, id) };
  }
  return null;
}

/**
 * The group rooms bound to KPBs on the configured platforms: where organisers hear back. One query for one KPB
 * or, without `kpbId`, for all of them (the reminder sweep).
 */
function roomsByKpb(tx: Tx, platforms: readonly Platform[], kpbId?: number): Map<number, Address[]> {
  const rows = tx
    .select({ kpbId: s.rooms.kpbId, platform: s.rooms.platform, id: s.rooms.platformRoomId })
    .from(s.rooms)
    .where(and(kpbId === undefined ? isNotNull(s.rooms.kpbId) : eq(s.rooms.kpbId, kpbId), eq(s.rooms.direct, false)))
    .orderBy(s.rooms.id)
    .all();
  const byKpb = new Map<number, Address[]>();
  for (const r of rows) {
    if (!platforms.includes(r.platform)) continue;
    let list = byKpb.get(r.kpbId!);
    if (!list) byKpb.set(r.kpbId!, (list = []));
    list.push({ platform: r.platform, kind: "room", id: r.id });
  }
  return byKpb;
}

/**
 * The language each recipient reads: a person's own setting, a room's setting, or the installation's default.
 * Only users and rooms that chose a language are loaded, once, instead of a query per address.
 */
export function localeBook(tx: Tx, fallback: Locale): (to: Address) => Locale {
  const chosen = new Map<string, Locale>();
  for (const u of tx.select().from(s.users).where(isNotNull(s.users.locale)).all()) chosen.set(`user\u0000${u.platform}\u0000${u.platformUserId}`, u.locale!);
  for (const r of tx.select().from(s.rooms).where(isNotNull(s.rooms.locale)).all()) chosen.set(`room\u0000${r.platform}\u0000${r.platformRoomId}`, r.locale!);
  return (to) => chosen.get(`${to.kind}\u0000${to.platform}\u0000${to.id}`) ?? fallback;
}

/**
 * Where a KPB's organisers hear from the bot: the KPB's group rooms, or, where it has none on the configured
 * platforms, each organiser personally. One query each for all KPBs (the sweep) or for one.
 */
export function organiserAddresses(tx: Tx, platforms: readonly Platform[], kpbId?: number): (kpbId: number) => Array<{ to: Address; personal: boolean }> {
  const rooms = roomsByKpb(tx, platforms, kpbId);
  const grants = tx
    .select({ kpbId: s.roleGrants.kpbId, platform: s.users.platform, id: s.users.platformUserId })
    .from(s.roleGrants)
    .innerJoin(s.users, eq(s.users.id, s.roleGrants.userId))
    .where(and(eq(s.roleGrants.role, "organiser"), kpbId === undefined ? isNotNull(s.roleGrants.kpbId) : eq(s.roleGrants.kpbId, kpbId)))
    .orderBy(s.users.id)
    .all();
  const personal = new Map<number, Address[]>();
  for (const g of grants) {
    if (!platforms.includes(g.platform)) continue;
    const list = personal.get(g.kpbId!) ?? [];
    list.push({ platform: g.platform, kind: "user", id: g.id });
    personal.set(g.kpbId!, list);
  }
  return (id) => {
    const inRooms = rooms.get(id);
    if (inRooms?.length) return inRooms.map((to) => ({ to, personal: false }));
    return (personal.get(id) ?? []).map((to) => ({ to, personal: true }));
  };
}
