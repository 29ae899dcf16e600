import * as z from "zod";
import { CATEGORIES } from "../../domain/categories.ts";
import { findPartnerByName, nameKey, partnerServesKpb } from "../../db/directory.ts";
import * as s from "../../db/schema.ts";
import { defineCommand, UserError } from "../command.ts";
import { name, oneOf } from "../values.ts";

export const partnerAdd = defineCommand({
  id: "partner.add",
  names: { de: "partner anlegen", en: "partner add" },
  summary: "cmd.partnerAdd",
  args: [{ key: "name", names: { de: "name", en: "name" } }],
  flags: [
    { key: "category", names: { de: "kategorie", en: "category" }, required: true },
    { key: "kpb", names: { de: "kpb", en: "kpb" }, repeatable: true },
  ],
  input: z.object({ name, category: oneOf(CATEGORIES), kpb: z.array(name).optional() }),
  access: { kind: "kpb", roles: ["organiser"] },
  run({ tx, t, clock, kpbs, audit }, input) {
    const now = clock.now();
    const existing = findPartnerByName(tx, input.name);
    if (existing) {
      const already = kpbs.find((k) => partnerServesKpb(tx, existing.id, k.id));
      if (already) throw new UserError("partner.duplicate", { name: existing.name, kpb: already.name });
      // R5: one agency may serve several KPBs; adding it again links it instead of creating a twin.
      if (existing.category !== input.category)
        throw new UserError("partner.categoryMismatch", { name: existing.name, existing: existing.category, requested: input.category });
    }
    const partner =
      existing ??
      tx.insert(s.partnerAgencies).values({ name: input.name, nameKey: nameKey(input.name), category: input.category, createdAt: now }).returning().get();
    for (const k of kpbs) tx.insert(s.partnerKpbs).values({ partnerAgencyId: partner.id, kpbId: k.id }).run();
    audit(existing ? "partner.link" : "partner.add", "partner", partner.id, { name: partner.name, category: partner.category, kpbIds: kpbs.map((k) => k.id) });
    const params = { name: partner.name, category: t(`category.${input.category}`), kpbs: kpbs.map((k) => k.name).join(", ") };
    return { text: t(existing ? "partner.linked" : "partner.added", params) };
  },
});
