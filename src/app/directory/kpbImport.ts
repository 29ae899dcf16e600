import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as z from "zod";
import type { Tx } from "../../db/client.ts";
import { slugOf } from "../../db/directory.ts";
import * as s from "../../db/schema.ts";
import { defineCommand, UserError } from "../command.ts";
import { oneOf } from "../values.ts";

const referenceSchema = z.object({
  kpbs: z
    .array(
      z.object({
        name: z.string().min(1).max(200),
        kind: z.enum(["pp", "landrat"]),
        cities: z.array(z.string().min(1).max(200)).default([]),
        hasMotorwayPolice: z.boolean().default(false),
      }),
    )
    .min(1),
});

export const NRW_REFERENCE_FILE = "nrw-kpbs.json";

/** Adds the KPBs of the reference file that are missing; existing ones (maybe edited since) stay as they are. */
export function importNrwKpbs(tx: Tx, referenceDir: string, now: Date): { added: number; kept: number; total: number } {
  const file = join(referenceDir, NRW_REFERENCE_FILE);
  let data: z.infer<typeof referenceSchema>;
  try {
    data = referenceSchema.parse(JSON.parse(readFileSync(file, "utf8")));
  } catch (e) {
    throw new UserError("kpb.referenceBroken", { file, reason: (e as Error).message.slice(0, 300) });
  }
  let added = 0;
  for (const k of data.kpbs) {
    const result = tx
      .insert(s.kpbs)
      .values({ name: k.name, slug: slugOf(k.name), kind: k.kind, cities: k.cities, hasMotorwayPolice: k.hasMotorwayPolice, createdAt: now })
      .onConflictDoNothing()
      .run();
    added += result.changes;
  }
  return { added, kept: data.kpbs.length - added, total: tx.select().from(s.kpbs).all().length };
}

export const kpbImport = defineCommand({
  id: "kpb.import",
  names: { de: "kpb import", en: "kpb import" },
  summary: "cmd.kpbImport",
  args: [{ key: "dataset", names: { de: "nrw", en: "nrw" }, literal: true }],
  flags: [],
  input: z.object({ dataset: oneOf(["nrw"]) }),
  access: { kind: "global", roles: ["admin"] },
  run({ tx, t, clock, settings, audit }) {
    const result = importNrwKpbs(tx, settings.referenceDir, clock.now());
    audit("kpb.import", "kpb", null, result);
    return { text: t("kpb.imported", result) };
  },
});
