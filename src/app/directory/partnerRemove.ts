import { and, eq } from "drizzle-orm";
import * as z from "zod";
import { findPartnerByName, partnerServesKpb } from "../../db/directory.ts";
import * as s from "../../db/schema.ts";
import { defineCommand, UserError } from "../command.ts";
import { name } from "../values.ts";

/** Ends an agency's partnership with a KPB. The agency, its contacts and past invitations stay on record. */
export const partnerRemove = defineCommand({
  id: "partner.remove",
  names: { de: "partner entfernen", en: "partner remove" },
  summary: "cmd.partnerRemove",
  args: [{ key: "name", names: { de: "name", en: "name" } }],
  flags: [{ key: "kpb", names: { de: "kpb", en: "kpb" } }],
  input: z.object({ name, kpb: name.optional() }),
  access: { kind: "kpb", roles: ["organiser"] },
  run({ tx, t, kpb, audit }, input) {
    const partner = findPartnerByName(tx, input.name);
    if (!partner || !partnerServesKpb(tx, partner.id, kpb!.id)) throw new UserError("partner.notFound", { name: input.name, kpb: kpb!.name });
    tx.delete(s.partnerKpbs).where(and(eq(s.partnerKpbs.partnerAgencyId, partner.id), eq(s.partnerKpbs.kpbId, kpb!.id))).run();
    audit("partner.unlink", "partner", partner.id, { kpbId: kpb!.id });
    return { text: t("partner.removed", { name: partner.name, kpb: kpb!.name }) };
  },
});
