import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { findPartnerByName, nameKey, partnerServesKpb } from "../../db/directory.ts";
import * as s from "../../db/schema.ts";
import { defineCommand, UserError } from "../command.ts";
import { email, matrixUserId, name, teamsObjectId, yesNo } from "../values.ts";

export const contactAdd = defineCommand({
  id: "contact.add",
  names: { de: "kontakt anlegen", en: "contact add" },
  summary: "cmd.contactAdd",
  args: [
    { key: "partner", names: { de: "partner", en: "partner" } },
    { key: "name", names: { de: "name", en: "name" } },
  ],
  flags: [
    { key: "function", names: { de: "funktion", en: "function" } },
    { key: "matrix", names: { de: "matrix", en: "matrix" }, valueName: { de: "@name:server", en: "@name:server" } },
    { key: "teams", names: { de: "teams", en: "teams" }, valueName: { de: "aad-objekt-id", en: "aad-object-id" } },
    { key: "email", names: { de: "email", en: "email" } },
    { key: "leadership", names: { de: "leitung", en: "leadership" }, valueName: { de: "ja|nein", en: "yes|no" } },
    { key: "kpb", names: { de: "kpb", en: "kpb" } },
  ],
  input: z.object({
    partner: name,
    name,
    function: name.optional(),
    matrix: matrixUserId.optional(),
    teams: teamsObjectId.optional(),
    email: email.optional(),
    leadership: yesNo.default(true),
    kpb: name.optional(),
  }),
  access: { kind: "kpb", roles: ["organiser"] },
  run({ tx, t, clock, kpb, audit }, input) {
    const partner = findPartnerByName(tx, input.partner);
    if (!partner || !partnerServesKpb(tx, partner.id, kpb!.id)) throw new UserError("partner.notFound", { name: input.partner, kpb: kpb!.name });
    const key = nameKey(input.name);
    // Only this KPB's own registrations count: another KPB may have registered the same person with other details.
    const twin = tx
      .select()
      .from(s.contacts)
      .where(and(eq(s.contacts.kpbId, kpb!.id), eq(s.contacts.partnerAgencyId, partner.id), eq(s.contacts.nameKey, key)))
      .get();
    if (twin) throw new UserError("contact.duplicate", { partner: partner.name, name: twin.name });
    const contact = tx
      .insert(s.contacts)
      .values({
        partnerAgencyId: partner.id,
        kpbId: kpb!.id,
        name: input.name,
        nameKey: key,
        function: input.function ?? null,
        isLeadership: input.leadership,
        email: input.email ?? null,
        matrixId: input.matrix ?? null,
        teamsId: input.teams ?? null,
        createdAt: clock.now(),
      })
      .returning()
      .get();
    audit("contact.add", "contact", contact.id, { partnerAgencyId: partner.id, name: contact.name, kpbId: kpb!.id });
    const channels = [contact.email && `E-Mail ${contact.email}`, contact.matrixId && `Matrix ${contact.matrixId}`, contact.teamsId && `Teams ${contact.teamsId}`].filter(Boolean);
    return {
      text: t("contact.added", {
        name: contact.name,
        partner: partner.name,
        function: contact.function ? ` (${contact.function})` : "",
        channels: channels.length ? channels.join(", ") : t("contact.noChannel"),
      }),
    };
  },
});
