import * as z from "zod";
import { contactsOfPartners, partnersOfKpb } from "../../db/directory.ts";
import { defineCommand } from "../command.ts";
import { name } from "../values.ts";

export const partnerList = defineCommand({
  id: "partner.list",
  readOnly: true,
  names: { de: "partner liste", en: "partner list" },
  summary: "cmd.partnerList",
  args: [],
  flags: [{ key: "kpb", names: { de: "kpb", en: "kpb" } }],
  input: z.object({ kpb: name.optional() }),
  access: { kind: "kpb", roles: ["organiser", "leader"] },
  run({ tx, t, kpb }) {
    const partners = partnersOfKpb(tx, kpb!.id);
    if (partners.length === 0) return { text: t("partner.listEmpty", { kpb: kpb!.name }) };
    const contacts = contactsOfPartners(tx, partners.map((p) => p.id), kpb!.id);
    const lines = [t("partner.listTitle", { kpb: kpb!.name, count: partners.length })];
    for (const p of partners) {
      lines.push(`- ${p.name} [${t(`category.${p.category}` as "category.zoll")}]`);
      const own = contacts.filter((c) => c.partnerAgencyId === p.id);
      if (own.length === 0) lines.push(`    (${t("partner.noContacts")})`);
      for (const c of own) {
        const details = [c.function, c.isLeadership ? t("partner.leadership") : null, c.email, c.matrixId, c.teamsId].filter(Boolean);
        lines.push(`    · ${c.name}${details.length ? ` – ${details.join(", ")}` : ""}${c.channel ? t("contact.channelNote", { channel: c.channel }) : ""}`);
      }
    }
    return { text: lines.join("\n") };
  },
});
