// Who receives what the bot sends on its own, and in which language: shared by the commands (invitations,
// notices) and the reminder sweep, so both address people by the same rules.
import { and, eq, isNotNull } from "drizzle-orm";
import type { Tx } from "../db/client.ts";
import * as s from "../db/schema.ts";
import type { Locale, Platform } from "../domain/types.ts";
import type { Address } from "../port.ts";
import type { ContactRow } from "../db/schema.ts";

/** Where a contact is reached: each configured platform on which they are registered (console: by name). */
export function contactAddresses(contact: ContactRow, platforms: readonly Platform[]): Address[] {
  const out: Address[] = [];
  if (platforms.includes("matrix") && contact.matrixId) out.push({ platform: "matrix", kind: "user", id: contact.matrixId });
  if (platforms.includes("teams") && contact.teamsId) out.push({ platform: "teams", kind: "user", id: contact.teamsId });
  if (platforms.includes("console")) out.push({ platform: "console", kind: "user", id: contact.name });
  return out;
}

/**
 * The group rooms bound to KPBs on the configured platforms: where organisers hear back. One query for one KPB
 * or, without `kpbId`, for all of them (the reminder sweep).
 */
export function roomsByKpb(tx: Tx, platforms: readonly Platform[], kpbId?: number): Map<number, Address[]> {
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
