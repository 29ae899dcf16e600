import * as z from "zod";
import * as s from "../../db/schema.ts";
import { defineCommand } from "../command.ts";

export const kpbList = defineCommand({
  id: "kpb.list",
  readOnly: true,
  names: { de: "kpb liste", en: "kpb list" },
  summary: "cmd.kpbList",
  args: [],
  flags: [],
  input: z.object({}),
  access: { kind: "anyone" },
  run({ tx, t }) {
    const all = tx.select().from(s.kpbs).all().sort((a, b) => a.name.localeCompare(b.name, "de"));
    if (all.length === 0) return { text: t("kpb.listEmpty") };
    const lines = all.map((k) => `- ${k.name} (\`${k.slug}\`)${k.hasMotorwayPolice ? t("kpb.motorwayMark") : ""}`);
    return { text: [t("kpb.listTitle", { count: all.length }), ...lines].join("\n") };
  },
});
