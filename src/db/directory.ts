// Queries on the directory (KPBs, partner agencies, contacts, users, rooms) shared by several commands.
import { and, count, eq, inArray, isNotNull, lt } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { ConnectionFacts } from "../domain/connection.ts";
import { normalizeWord } from "../domain/names.ts";
import type { Platform } from "../domain/types.ts";
import type { Db, Tx } from "./client.ts";
import { param, preparedQuery } from "./prepared.ts";
import * as s from "./schema.ts";

/** The key that makes "Stadt Köln", "stadt koeln" and "STADT  KÖLN" one name. */
export function nameKey(name: string): string {
  return normalizeWord(name).replace(/\s+/g, " ").trim();
}

export function slugOf(name: string): string {
  return nameKey(name)
    .replace(/^(pp|polizeipraesidium|landrat|kreispolizeibehoerde)\s+/, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** Finds a KPB by slug (`koeln`), full name (`PP Köln`) or city name, folded for case and umlauts. */
const allKpbs = preparedQuery((db) => db.select().from(s.kpbs).prepare());

export function findKpb(tx: Tx, ref: string) {
  const key = nameKey(ref);
  const all = allKpbs(tx).all();
  return (
    all.find((k) => k.slug === key || k.slug === slugOf(ref) || nameKey(k.name) === key) ??
    all.find((k) => k.cities.some((c) => nameKey(c) === key)) ??
    null
  );
}

export function findPartnerByName(tx: Tx, name: string) {
  return tx.select().from(s.partnerAgencies).where(eq(s.partnerAgencies.nameKey, nameKey(name))).get() ?? null;
}

export function partnerServesKpb(tx: Tx, partnerAgencyId: number, kpbId: number): boolean {
  return !!tx
    .select()
    .from(s.partnerKpbs)
    .where(and(eq(s.partnerKpbs.partnerAgencyId, partnerAgencyId), eq(s.partnerKpbs.kpbId, kpbId)))
    .get();
}

export function partnersOfKpb(tx: Tx, kpbId: number) {
  return tx
    .select({ partner: s.partnerAgencies })
    .from(s.partnerKpbs)
    .innerJoin(s.partnerAgencies, eq(s.partnerAgencies.id, s.partnerKpbs.partnerAgencyId))
    .where(eq(s.partnerKpbs.kpbId, kpbId))
    .all()
    .map((r) => r.partner)
    .sort((a, b) => a.category.localeCompare(b.category) || a.name.localeCompare(b.name, "de"));
}

/** The contacts of these agencies as the KPB registered them; other KPBs' registrations are theirs. */
export function contactsOfPartners(tx: Tx, partnerIds: number[], kpbId: number) {
  if (partnerIds.length === 0) return [];
  return tx
    .select()
    .from(s.contacts)
    .where(and(eq(s.contacts.kpbId, kpbId), inArray(s.contacts.partnerAgencyId, partnerIds)))
    .all();
}

/**
 * The partner contacts a platform identity is registered as (on the console, by the contact's name). `id` is
 * in the port's canonical form (Teams ids and e-mail addresses lower case), as the contact's ids are stored.
 */
export function contactsOfIdentity(tx: Db | Tx, platform: Platform, id: string) {
  return contactsBy[platform](tx).all({ id: platform === "console" ? nameKey(id) : id });
}

const contactsWhere = (column: SQLiteColumn) => preparedQuery((db) => db.select().from(s.contacts).where(eq(column, param("id"))).prepare());
const contactsBy = { matrix: contactsWhere(s.contacts.matrixId), teams: contactsWhere(s.contacts.teamsId), email: contactsWhere(s.contacts.email), console: contactsWhere(s.contacts.nameKey) };

const userByPlatformId = preparedQuery((db) =>
  db
    .select()
    .from(s.users)
    .where(and(eq(s.users.platform, param("platform")), eq(s.users.platformUserId, param("id"))))
    .prepare(),
);

export function upsertUser(tx: Tx, platform: Platform, platformUserId: string, now: Date, displayName?: string) {
  const existing = userByPlatformId(tx).get({ platform, id: platformUserId });
  // The name the platform gives now (a person granted a role by id first is named once they write).
  if (existing && displayName && existing.displayName !== displayName) return tx.update(s.users).set({ displayName }).where(eq(s.users.id, existing.id)).returning().get();
  if (existing) return existing;
  return tx
    .insert(s.users)
    .values({ platform, platformUserId, displayName: displayName ?? null, createdAt: now })
    .returning()
    .get();
}

const roomByPlatformId = preparedQuery((db) =>
  db
    .select()
    .from(s.rooms)
    .where(and(eq(s.rooms.platform, param("platform")), eq(s.rooms.platformRoomId, param("id"))))
    .prepare(),
);

/** Whether the bot knows this person (by the name given) and this room already, so that an event from them writes neither. */
export function knowsUserAndRoom(db: Db | Tx, platform: Platform, platformUserId: string, platformRoomId: string, displayName?: string): boolean {
  const user = userByPlatformId(db).get({ platform, id: platformUserId });
  return user !== undefined && (!displayName || user.displayName === displayName) && roomByPlatformId(db).get({ platform, id: platformRoomId }) !== undefined;
}

export function upsertRoom(tx: Tx, platform: Platform, platformRoomId: string, direct: boolean, now: Date) {
  const existing = roomByPlatformId(tx).get({ platform, id: platformRoomId });
  if (existing) return existing;
  return tx.insert(s.rooms).values({ platform, platformRoomId, direct, createdAt: now }).returning().get();
}

const grantsOfUser = preparedQuery((db) => db.select().from(s.roleGrants).where(eq(s.roleGrants.userId, param("userId"))).prepare());

/**
 * A person as the bot names them to others, from the `platform:id` it records as the actor of a change: the
 * display name the platform gave, else their id there (never `teams:<GUID>`).
 */
export function nameOfPrincipal(tx: Tx, principal: string): string {
  const at = principal.indexOf(":");
  if (at < 0) return principal;
  const id = principal.slice(at + 1);
  return userByPlatformId(tx).get({ platform: principal.slice(0, at), id })?.displayName || id;
}

export function grantsOf(tx: Tx, userId: number) {
  return grantsOfUser(tx).all({ userId });
}

/** The facts `isConnected` judges, for every KPB that has an organiser or a bound group room. */
export function connectionFacts(tx: Pick<Tx, "select">): Map<number, ConnectionFacts> {
  const out = new Map<number, ConnectionFacts>();
  const of = (kpbId: number) => out.get(kpbId) ?? (out.set(kpbId, { organisers: 0, boundRooms: 0 }), out.get(kpbId)!);
  const organisers = tx
    .select({ kpbId: s.roleGrants.kpbId, n: count() })
    .from(s.roleGrants)
    .where(and(eq(s.roleGrants.role, "organiser"), isNotNull(s.roleGrants.kpbId)))
    .groupBy(s.roleGrants.kpbId)
    .all();
  for (const r of organisers) of(r.kpbId!).organisers = r.n;
  const rooms = tx
    .select({ kpbId: s.rooms.kpbId, n: count() })
    .from(s.rooms)
    .where(and(isNotNull(s.rooms.kpbId), eq(s.rooms.direct, false)))
    .groupBy(s.rooms.kpbId)
    .all();
  for (const r of rooms) of(r.kpbId!).boundRooms = r.n;
  return out;
}

/** Platforms redeliver within minutes (Teams after 15 s, a Matrix sync after a crash); a month of ids is plenty. */
export const PROCESSED_EVENT_RETENTION_MS = 30 * 86_400_000;

export function pruneProcessedEvents(tx: Pick<Tx, "delete">, now: Date): number {
  return tx.delete(s.processedEvents).where(lt(s.processedEvents.at, new Date(now.getTime() - PROCESSED_EVENT_RETENTION_MS))).run().changes;
}
