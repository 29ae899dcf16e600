import * as z from "zod";
import { mandatoryCategories } from "../../domain/categories.ts";
import { findKpb, partnersOfKpb } from "../../db/directory.ts";
import { defineCommand, UserError } from "../command.ts";
import { name } from "../values.ts";

export const kpbShow = defineCommand({
  id: "kpb.show",
  readOnly: true,
  names: { de: "kpb zeigen", en: "kpb show" },
  summary: "cmd.kpbShow",
  args: [{ key: "ref", names: { de: "kpb", en: "kpb" }, rest: true }],
  flags: [],
  input: z.object({ ref: name }),
  access: { kind: "anyone" },
  run({ tx, t }, input) {
    const kpb = findKpb(tx, input.ref);
    if (!kpb) throw new UserError("kpb.notFound", { ref: input.ref });
    return {
      text: t("kpb.show", {
        name: kpb.name,
        slug: kpb.slug,
        cities: kpb.cities.join(", ") || "–",
        motorway: t(kpb.hasMotorwayPolice ? "yes" : "no"),
        mandatory: mandatoryCategories("siko", kpb.mandatoryExtras)
          .map((c) => t(`category.${c}`))
          .join(", "),
        partners: partnersOfKpb(tx, kpb.id).length,
      }),
    };
  },
});
