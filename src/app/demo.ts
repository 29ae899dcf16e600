// `npm start -- --demo`: PP Köln with one partner agency per category of the decree and the Köln page,
// each with a leadership contact, so a new user can plan a SiKo at once. Loading it again adds only what it
// never added before.
import { and, eq, like } from "drizzle-orm";
import type { Tx } from "../db/client.ts";
import { findKpb, findPartnerByName, nameKey, partnerServesKpb, upsertRoom, upsertUser } from "../db/directory.ts";
import * as s from "../db/schema.ts";
import type { Category } from "../domain/categories.ts";
import type { Platform } from "../domain/types.ts";
import { importNrwKpbs } from "./directory/kpbImport.ts";

export const DEMO_KPB = "PP Köln";
export const KOELN_EXTRA_TOPIC = "Schutz von Kindern und Jugendlichen vor sexuellem Missbrauch und sonstigen Straftaten";

export const DEMO_PARTNERS: ReadonlyArray<{ name: string; category: Category; contact: string; fn: string; email: string }> = [
  { name: "Staatsanwaltschaft Köln", category: "staatsanwaltschaft", contact: "Dr. Anna Becker", fn: "Leitende Oberstaatsanwältin", email: "anna.becker@sta-koeln.example" },
  { name: "Landgericht Köln", category: "gericht", contact: "Dr. Thomas Wagner", fn: "Präsident des Landgerichts", email: "thomas.wagner@lg-koeln.example" },
  { name: "Stadt Köln", category: "kommune", contact: "Petra Schmitz", fn: "Stadtdirektorin", email: "petra.schmitz@stadt-koeln.example" },
  { name: "Bundespolizeiinspektion Köln", category: "bundespolizei", contact: "Markus Hoffmann", fn: "Leiter der Inspektion", email: "markus.hoffmann@bundespolizei.example" },
  { name: "Hauptzollamt Köln", category: "zoll", contact: "Sabine Klein", fn: "Leiterin des Hauptzollamts", email: "sabine.klein@zoll.example" },
  { name: "Bezirksregierung Köln – Schulaufsicht", category: "schulamt", contact: "Dr. Claudia Richter", fn: "Abteilungsleiterin Schule", email: "claudia.richter@bezreg-koeln.example" },
  { name: "Jugendamt Köln", category: "jugendamt", contact: "Julia Neumann", fn: "Leiterin des Jugendamts", email: "julia.neumann@stadt-koeln.example" },
  { name: "Jugendamt Leverkusen", category: "jugendamt", contact: "Stefan Braun", fn: "Leiter des Jugendamts", email: "stefan.braun@stadt-leverkusen.example" },
  { name: "Finanzamt Köln-Mitte", category: "finanzverwaltung", contact: "Karin Schulz", fn: "Vorsteherin", email: "karin.schulz@finanzamt.example" },
  { name: "Kölner Verkehrs-Betriebe AG", category: "oepnv", contact: "Michael Lehmann", fn: "Vorstand Betrieb", email: "michael.lehmann@kvb.example" },
  { name: "Deutsches Rotes Kreuz Köln", category: "hilfsorganisation", contact: "Andrea Krüger", fn: "Vorständin", email: "andrea.krueger@drk-koeln.example" },
  { name: "Kölnmesse GmbH", category: "privat", contact: "Jan Zimmermann", fn: "Leiter Sicherheit", email: "jan.zimmermann@koelnmesse.example" },
  { name: "Die Autobahn GmbH des Bundes, Niederlassung Rheinland", category: "autobahn", contact: "Frank Meyer", fn: "Direktor der Niederlassung", email: "frank.meyer@autobahn.example" },
];

export interface DemoTarget {
  platform: Platform;
  userId: string;
  roomId: string;
}

/** meta key prefix: one row per demo item ever loaded (its value: when). */
export const DEMO_MARKER = "demo.loaded:";

/**
 * Loads what the demo never loaded before. Each item (Köln's settings, each partner, each contact, the room, the
 * role) leaves a marker in the meta table when it is first added; a later load skips every marked item, so it
 * never revives a partner the user removed or undoes a setting the user changed, and still adds items that a
 * newer version of the demo brings.
 */
export function loadDemo(tx: Tx, referenceDir: string, now: Date, target: DemoTarget): { kpbId: number } {
  importNrwKpbs(tx, referenceDir, now);
  const kpb = findKpb(tx, DEMO_KPB)!;
  const loaded = new Set(tx.select({ key: s.meta.key }).from(s.meta).where(like(s.meta.key, `${DEMO_MARKER}%`)).all().map((m) => m.key));
  // Loaded before the markers existed: everything there was then is taken as loaded once already.
  const legacy = loaded.size === 0 && !!tx.select().from(s.auditLog).where(and(eq(s.auditLog.action, "demo.load"), eq(s.auditLog.entityId, kpb.id))).get();
  let added = 0;
  const once = (item: string, add: () => number): void => {
    const key = DEMO_MARKER + item;
    if (loaded.has(key)) return;
    tx.insert(s.meta).values({ key, value: now.toISOString() }).run();
    if (!legacy) added += add();
  };

  once(`kpb:${kpb.slug}`, () => {
    // Added to what the KPB has, never replacing what a user set before.
    const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])];
    tx.update(s.kpbs)
      .set({
        cities: union(kpb.cities, ["Köln", "Leverkusen"]),
        hasMotorwayPolice: true,
        mandatoryExtras: union(kpb.mandatoryExtras, ["jugendamt"]),
        extraAgendaTopics: union(kpb.extraAgendaTopics, [KOELN_EXTRA_TOPIC]),
      })
      .where(eq(s.kpbs.id, kpb.id))
      .run();
    return 1;
  });
  for (const p of DEMO_PARTNERS) {
    once(`partner:${nameKey(p.name)}`, () => {
      let n = 0;
      let partner = findPartnerByName(tx, p.name);
      if (!partner) {
        partner = tx.insert(s.partnerAgencies).values({ name: p.name, nameKey: nameKey(p.name), category: p.category, createdAt: now }).returning().get();
        n++;
      }
      if (!partnerServesKpb(tx, partner.id, kpb.id)) n += tx.insert(s.partnerKpbs).values({ partnerAgencyId: partner.id, kpbId: kpb.id }).run().changes;
      return n;
    });
    once(`contact:${nameKey(p.name)}:${nameKey(p.contact)}`, () => {
      const partner = findPartnerByName(tx, p.name);
      if (!partner) return 0;
      return tx
        .insert(s.contacts)
        .values({ partnerAgencyId: partner.id, kpbId: kpb.id, name: p.contact, nameKey: nameKey(p.contact), function: p.fn, isLeadership: true, email: p.email, createdAt: now })
        .onConflictDoNothing()
        .run().changes;
    });
  }
  once(`room:${target.platform}:${target.roomId}`, () => {
    // A room the user bound to another KPB stays where it is.
    const room = upsertRoom(tx, target.platform, target.roomId, false, now);
    return room.kpbId === null ? tx.update(s.rooms).set({ kpbId: kpb.id }).where(eq(s.rooms.id, room.id)).run().changes : 0;
  });
  once(`organiser:${target.platform}:${target.userId}`, () => {
    const user = upsertUser(tx, target.platform, target.userId, now);
    return tx.insert(s.roleGrants).values({ userId: user.id, role: "organiser", kpbId: kpb.id, grantedBy: "system:demo", createdAt: now }).onConflictDoNothing().run().changes;
  });
  // A load that adds nothing leaves no trace either.
  if (added > 0) tx.insert(s.auditLog).values({ at: now, actor: "system", action: "demo.load", entity: "kpb", entityId: kpb.id, details: { rowsAdded: added } }).run();
  return { kpbId: kpb.id };
}
