import { eq } from "drizzle-orm";
import { z } from "zod";
import { formatDateTime } from "../../domain/dates.ts";
import { nameKey } from "../../db/directory.ts";
import * as s from "../../db/schema.ts";
import { defineCommand, raise, UserError } from "../command.ts";
import { conferenceRef, name, text } from "../values.ts";
import { invitedAgencies } from "../../db/conferences.ts";
import { titleOf } from "../../messages/conference.ts";

export const held = defineCommand({
  id: "conference.held",
  names: { de: "durchgefuehrt", en: "held" },
  aliases: ["durchgeführt"],
  summary: "cmd.held",
  args: [{ key: "conference", names: { de: "id", en: "id" } }],
  flags: [
    { key: "attended", names: { de: "anwesend", en: "attended" }, repeatable: true, valueName: { de: "behörde", en: "agency" } },
    { key: "items", names: { de: "themen", en: "topics" }, valueName: { de: "1,2,5", en: "1,2,5" } },
  ],
  input: z.object({ conference: conferenceRef, attended: z.array(name).optional(), items: text(200).optional() }),
  access: { kind: "conference", roles: ["organiser"] },
  run({ tx, t, locale, clock, conference, audit }, input) {
    const conf = conference!;
    const title = titleOf(conf, t);
    if (conf.status === "cancelled" || conf.status === "held") throw new UserError("conference.notOpen", { title, status: t(`status.${conf.status}`) });
    if (conf.startsAt.getTime() > clock.now().getTime()) throw new UserError("conference.notYetStarted", { title, when: formatDateTime(conf.startsAt, locale) });
    const agencies = invitedAgencies(tx, conf.id);
    // Without --anwesend, the agencies that said they would come (in person or by deputy) are taken as present.
    const attended = input.attended
      ? input.attended.map((n) => agencies.find((a) => nameKey(a.partner.name) === nameKey(n)) ?? raise(new UserError("held.unknownPartner", { name: n, title })))
      : agencies.filter((a) => a.invitation.answer === "accepted" || a.invitation.answer === "delegated");
    let items = conf.agenda.map((_, i) => i + 1);
    if (input.items !== undefined) {
      const parts = input.items.split(/[,;\s]+/).filter(Boolean).map(Number);
      if (parts.length === 0 || parts.some((n) => !Number.isInteger(n) || n < 1 || n > conf.agenda.length))
        throw new UserError("held.badItems", { input: input.items, max: conf.agenda.length });
      items = [...new Set(parts)].sort((a, b) => a - b);
    }
    const outcome = { attendedPartnerIds: attended.map((a) => a.partner.id), discussedItems: items };
    tx.update(s.conferences).set({ status: "held", outcome, updatedAt: clock.now() }).where(eq(s.conferences.id, conf.id)).run();
    audit("conference.held", "conference", conf.id, outcome);
    return {
      text: t("held.done", {
        title,
        attended: attended.map((a) => a.partner.name).join(", ") || "–",
        items: items.map((n) => `${n}. ${conf.agenda[n - 1]}`).join("; "),
      }),
    };
  },
});
