// `kontakt anlegen / aendern / entfernen`: the people of a partner agency as this KPB registered them. Each KPB
// keeps its own registrations (schema: contacts), so an organiser only ever sees and changes those of their KPB.
import { and, eq } from "drizzle-orm";
import * as z from "zod";
import { PLATFORMS, type Platform } from "../../domain/types.ts";
import { findPartnerByName, nameKey, partnerServesKpb } from "../../db/directory.ts";
import * as s from "../../db/schema.ts";
import type { ContactRow, KpbRow, PartnerAgencyRow } from "../../db/schema.ts";
import type { Tx } from "../../db/client.ts";
import type { Translator } from "../../messages/i18n/catalogue.ts";
import { retryParkedOf } from "../../delivery/outbox.ts";
import { defineCommand, UserError, type FlagSpec, type Reply } from "../command.ts";
import { email, matrixUserId, name, oneOf, teamsObjectId, yesNo } from "../values.ts";

const partnerArg = { key: "partner", names: { de: "partner", en: "partner" } };
const nameArg = { key: "name", names: { de: "name", en: "name" } };
const kpbFlag: FlagSpec = { key: "kpb", names: { de: "kpb", en: "kpb" } };
const detailFlags: FlagSpec[] = [
  { key: "function", names: { de: "funktion", en: "function" } },
  { key: "matrix", names: { de: "matrix", en: "matrix" }, valueName: { de: "@name:server", en: "@name:server" } },
  { key: "teams", names: { de: "teams", en: "teams" }, valueName: { de: "aad-objekt-id", en: "aad-object-id" } },
  { key: "email", names: { de: "email", en: "email" } },
  { key: "channel", names: { de: "kanal", en: "channel" }, valueName: { de: PLATFORMS.join("|"), en: PLATFORMS.join("|") } },
  { key: "leadership", names: { de: "leitung", en: "leadership" }, valueName: { de: "ja|nein", en: "yes|no" } },
];
const details = {
  function: name.optional(),
  matrix: matrixUserId.optional(),
  teams: teamsObjectId.optional(),
  email: email.optional(),
  channel: oneOf(PLATFORMS).optional(),
  kpb: name.optional(),
};

/** The agency, which must be a partner of the KPB. */
function partnerOf(tx: Tx, kpb: KpbRow, partnerName: string): PartnerAgencyRow {
  const partner = findPartnerByName(tx, partnerName);
  if (!partner || !partnerServesKpb(tx, partner.id, kpb.id)) throw new UserError("partner.notFound", { name: partnerName, kpb: kpb.name });
  return partner;
}

/** This KPB's registration of a person of the agency; another KPB's registration of the same name is not it. */
function registrationOf(tx: Tx, kpb: KpbRow, partner: PartnerAgencyRow, contactName: string): ContactRow | null {
  return (
    tx
      .select()
      .from(s.contacts)
      .where(and(eq(s.contacts.kpbId, kpb.id), eq(s.contacts.partnerAgencyId, partner.id), eq(s.contacts.nameKey, nameKey(contactName))))
      .get() ?? null
  );
}

/** The KPB's registration that `kontakt aendern/entfernen` name, with its agency; refused when there is none. */
function existingRegistration(tx: Tx, kpb: KpbRow, partnerName: string, contactName: string): { partner: PartnerAgencyRow; contact: ContactRow } {
  const partner = partnerOf(tx, kpb, partnerName);
  const contact = registrationOf(tx, kpb, partner, contactName);
  if (!contact) throw new UserError("contact.notFound", { name: contactName, partner: partner.name, kpb: kpb.name });
  return { partner, contact };
}

/** The address each channel needs: a contact reached by Matrix needs a Matrix id, and so on (console: the name). */
const ADDRESS_OF: Record<Platform, { field: "matrixId" | "teamsId" | "email" | null; flag: string }> = {
  matrix: { field: "matrixId", flag: "--matrix" },
  teams: { field: "teamsId", flag: "--teams" },
  email: { field: "email", flag: "--email" },
  console: { field: null, flag: "" },
};

function requireChannelAddress(c: Pick<ContactRow, "channel" | "matrixId" | "teamsId" | "email">): void {
  if (!c.channel) return;
  const need = ADDRESS_OF[c.channel];
  if (need.field && !c[need.field]) throw new UserError("contact.channelWithoutAddress", { channel: c.channel, flag: need.flag });
}

/** "E-Mail …, Matrix …" and the chosen channel; what the organiser reads after adding or changing. */
function channelsText(c: ContactRow, t: Translator): string {
  const channels = [c.email && `E-Mail ${c.email}`, c.matrixId && `Matrix ${c.matrixId}`, c.teamsId && `Teams ${c.teamsId}`].filter(Boolean);
  const list = channels.length ? channels.join(", ") : t("contact.noChannel");
  return c.channel ? `${list}${t("contact.channelNote", { channel: c.channel })}` : list;
}

/**
 * The answer to adding or changing a contact: who, how reached, and whether the person is invited (the organiser
 * reads that after every change, so it never happens unnoticed).
 */
function contactReply(key: "contact.added" | "contact.changed", c: ContactRow, partner: PartnerAgencyRow, kpb: KpbRow, t: Translator): Reply {
  const described = t(key, { name: c.name, partner: partner.name, function: c.function ? ` (${c.function})` : "", channels: channelsText(c, t) });
  const invited = t(c.isLeadership ? "contact.invitedYes" : "contact.invitedNo", { name: c.name, partner: partner.name, kpb: kpb.name });
  return { text: `${described}\n${invited}` };
}

export const contactAdd = defineCommand({
  id: "contact.add",
  names: { de: "kontakt anlegen", en: "contact add" },
  summary: "cmd.contactAdd",
  args: [partnerArg, nameArg],
  flags: [...detailFlags, kpbFlag],
  // Without --leitung the person is the agency's head and invited: whom a KPB registers is whom it invites to
  // its SiKo (the decree addresses the leadership). The answer always says so, and how to change it.
  input: z.object({ partner: name, name, ...details, leadership: yesNo.default(true) }),
  access: { kind: "kpb", roles: ["organiser"] },
  run({ tx, t, clock, kpb, audit }, input) {
    const k = kpb!;
    const partner = partnerOf(tx, k, input.partner);
    const twin = registrationOf(tx, k, partner, input.name);
    if (twin) throw new UserError("contact.duplicate", { partner: partner.name, name: twin.name });
    const values = {
      partnerAgencyId: partner.id,
      kpbId: k.id,
      name: input.name,
      nameKey: nameKey(input.name),
      function: input.function ?? null,
      isLeadership: input.leadership,
      email: input.email ?? null,
      matrixId: input.matrix ?? null,
      teamsId: input.teams ?? null,
      channel: input.channel ?? null,
      createdAt: clock.now(),
    };
    requireChannelAddress(values);
    const contact = tx.insert(s.contacts).values(values).returning().get();
    audit("contact.add", "contact", contact.id, { partnerAgencyId: partner.id, name: contact.name, kpbId: k.id, leadership: contact.isLeadership, channel: contact.channel });
    return contactReply("contact.added", contact, partner, k, t);
  },
});

const CLEARABLE = { funktion: "function", function: "function", email: "email", matrix: "matrixId", teams: "teamsId", kanal: "channel", channel: "channel" } as const;
/** What decides where a contact is reached (on the console, by name). */
const ADDRESS_FIELDS: readonly (keyof ContactRow)[] = ["email", "matrixId", "teamsId", "channel", "name"];

export const contactChange = defineCommand({
  id: "contact.change",
  names: { de: "kontakt aendern", en: "contact change" },
  aliases: ["kontakt ändern"],
  summary: "cmd.contactChange",
  args: [partnerArg, nameArg],
  flags: [
    { key: "rename", names: { de: "name", en: "name" }, valueName: { de: "neuer name", en: "new name" } },
    ...detailFlags,
    { key: "clear", names: { de: "weg", en: "clear" }, repeatable: true, valueName: { de: "funktion|email|matrix|teams|kanal", en: "function|email|matrix|teams|channel" } },
    kpbFlag,
  ],
  input: z.object({
    partner: name,
    name,
    rename: name.optional(),
    ...details,
    leadership: yesNo.optional(),
    clear: z.array(oneOf(["funktion", "function", "email", "matrix", "teams", "kanal", "channel"])).optional(),
  }),
  access: { kind: "kpb", roles: ["organiser"] },
  run({ tx, t, clock, kpb, audit }, input) {
    const k = kpb!;
    const { partner, contact: before } = existingRegistration(tx, k, input.partner, input.name);
    const after: ContactRow = { ...before };
    for (const field of input.clear ?? []) after[CLEARABLE[field]] = null;
    if (input.rename !== undefined) Object.assign(after, { name: input.rename, nameKey: nameKey(input.rename) });
    if (input.function !== undefined) after.function = input.function;
    if (input.email !== undefined) after.email = input.email;
    if (input.matrix !== undefined) after.matrixId = input.matrix;
    if (input.teams !== undefined) after.teamsId = input.teams;
    if (input.channel !== undefined) after.channel = input.channel;
    if (input.leadership !== undefined) after.isLeadership = input.leadership;
    const changed = (Object.keys(after) as (keyof ContactRow)[]).filter((f) => after[f] !== before[f] && f !== "nameKey");
    if (changed.length === 0) throw new UserError("contact.unchanged", { name: before.name, partner: partner.name });
    if (after.nameKey !== before.nameKey && registrationOf(tx, k, partner, after.name)) throw new UserError("contact.duplicate", { partner: partner.name, name: after.name });
    requireChannelAddress(after);
    const { id, ...fields } = after;
    tx.update(s.contacts).set(fields).where(eq(s.contacts.id, id)).run();
    if (changed.some((f) => ADDRESS_FIELDS.includes(f))) retryParkedOf(tx, id, clock.now());
    audit("contact.change", "contact", id, {
      kpbId: k.id,
      before: Object.fromEntries(changed.map((f) => [f, before[f]])),
      after: Object.fromEntries(changed.map((f) => [f, after[f]])),
    });
    return contactReply("contact.changed", after, partner, k, t);
  },
});

export const contactRemove = defineCommand({
  id: "contact.remove",
  names: { de: "kontakt entfernen", en: "contact remove" },
  summary: "cmd.contactRemove",
  args: [partnerArg, nameArg],
  flags: [kpbFlag],
  input: z.object({ partner: name, name, kpb: name.optional() }),
  access: { kind: "kpb", roles: ["organiser"] },
  run({ tx, t, kpb, audit }, input) {
    const k = kpb!;
    const { partner, contact } = existingRegistration(tx, k, input.partner, input.name);
    // The KPB no longer holds the person's data: gone from the invitation lists (also of past conferences, whose
    // answers stay with the agency) and from the registrations that let an identity answer.
    tx.delete(s.invitedContacts).where(eq(s.invitedContacts.contactId, contact.id)).run();
    tx.delete(s.contacts).where(eq(s.contacts.id, contact.id)).run();
    audit("contact.remove", "contact", contact.id, { kpbId: k.id, partnerAgencyId: partner.id, name: contact.name });
    return { text: t("contact.removed", { name: contact.name, partner: partner.name, kpb: k.name }) };
  },
});
