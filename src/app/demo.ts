// `npm start -- --demo`: PP Köln with one partner agency per category of the decree and the Köln page,
// each with a leadership contact, so a new user can plan a SiKo at once. Loading it twice changes nothing.
import { and, eq } from "drizzle-orm";
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

export function loadDemo(tx: Tx, referenceDir: string, now: Date, target: DemoTarget): { kpbId: number } {
  importNrwKpbs(tx, referenceDir, now);
  const kpb = findKpb(tx, DEMO_KPB)!;
  tx.update(s.kpbs)
    .set({ cities: ["Köln", "Leverkusen"], hasMotorwayPolice: true, mandatoryExtras: ["jugendamt"], extraAgendaTopics: [KOELN_EXTRA_TOPIC] })
    .where(eq(s.kpbs.id, kpb.id))
    .run();
  let added = 0;
  for (const p of DEMO_PARTNERS) {
    let partner = findPartnerByName(tx, p.name);
    if (!partner) {
      partner = tx.insert(s.partnerAgencies).values({ name: p.name, nameKey: nameKey(p.name), category: p.category, createdAt: now }).returning().get();
      added++;
    }
    if (!partnerServesKpb(tx, partner.id, kpb.id)) added += tx.insert(s.partnerKpbs).values({ partnerAgencyId: partner.id, kpbId: kpb.id }).run().changes;
    added += tx
      .insert(s.contacts)
      .values({ partnerAgencyId: partner.id, kpbId: kpb.id, name: p.contact, nameKey: nameKey(p.contact), function: p.fn, isLeadership: true, email: p.email, createdAt: now })
      .onConflictDoNothing()
      .run().changes;
  }
  const room = upsertRoom(tx, target.platform, target.roomId, false, now);
  tx.update(s.rooms).set({ kpbId: kpb.id }).where(eq(s.rooms.id, room.id)).run();
  const user = upsertUser(tx, target.platform, target.userId, now);
  const granted = tx
    .select()
    .from(s.roleGrants)
    .where(and(eq(s.roleGrants.userId, user.id), eq(s.roleGrants.role, "organiser"), eq(s.roleGrants.kpbId, kpb.id)))
    .get();
  if (!granted) added += tx.insert(s.roleGrants).values({ userId: user.id, role: "organiser", kpbId: kpb.id, grantedBy: "system:demo", createdAt: now }).run().changes;
  // A second load changes nothing, so it leaves no trace either.
  if (added > 0) tx.insert(s.auditLog).values({ at: now, actor: "system", action: "demo.load", entity: "kpb", entityId: kpb.id, details: { rowsAdded: added } }).run();
  return { kpbId: kpb.id };
}
