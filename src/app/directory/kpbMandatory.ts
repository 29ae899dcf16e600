import { eq } from "drizzle-orm";
import * as z from "zod";
import { CATEGORIES, MANDATORY_SIKO, mandatoryCategories } from "../../domain/categories.ts";
import * as s from "../../db/schema.ts";
import { defineCommand, UserError } from "../command.ts";
import { name, oneOf } from "../values.ts";

/** R4: a KPB may make an optional category mandatory for its own SiKo (Köln: the Jugendämter). */
export const kpbMandatory = defineCommand({
  id: "kpb.mandatory",
  names: { de: "kpb pflicht", en: "kpb mandatory" },
  summary: "cmd.kpbMandatory",
  args: [{ key: "category", names: { de: "kategorie", en: "category" } }],
  flags: [
    { key: "remove", names: { de: "weg", en: "remove" }, boolean: true },
    { key: "kpb", names: { de: "kpb", en: "kpb" } },
  ],
  input: z.object({ category: oneOf(CATEGORIES), remove: z.boolean().default(false), kpb: name.optional() }),
  access: { kind: "kpb", roles: ["organiser"] },
  run({ tx, t, kpb, audit }, input) {
    const label = t(`category.${input.category}`);
    if (MANDATORY_SIKO.includes(input.category) || input.category === "autobahn") throw new UserError("kpb.mandatoryFixed", { category: label });
    const extras = new Set(kpb!.mandatoryExtras);
    if (input.remove) extras.delete(input.category);
    else extras.add(input.category);
    tx.update(s.kpbs).set({ mandatoryExtras: [...extras] }).where(eq(s.kpbs.id, kpb!.id)).run();
    audit("kpb.mandatory", "kpb", kpb!.id, { before: kpb!.mandatoryExtras, after: [...extras] });
    const all = mandatoryCategories("siko", [...extras]).map((c) => t(`category.${c}`)).join(", ");
    return { text: t("kpb.mandatorySet", { kpb: kpb!.name, categories: all }) };
  },
});
