import { z } from "zod";
import { mandatoryCategories } from "../../domain/categories.ts";
import { formatDate } from "../../domain/dates.ts";
import { defineCommand } from "../command.ts";
import type { Translator } from "../../messages/i18n/catalogue.ts";
import { conferenceRef } from "../values.ts";
import { agendaText, outcomeText, summaryOf, titleOf } from "../../messages/conference.ts";
import { invitedAgencies, type InvitedAgency } from "../../db/conferences.ts";

export function answerText(a: InvitedAgency, t: Translator): string {
  const inv = a.invitation;
  if (!inv.answer) return t("answer.none");
  const base = t(`answer.${inv.answer}`);
  if (inv.answer === "delegated" && inv.deputyName) return `${base}: ${inv.deputyName}`;
  if (inv.answer === "declined" && inv.reason) return `${base} („${inv.reason}“)`;
  return base;
}

export const status = defineCommand({
  id: "conference.status",
  names: { de: "status", en: "status" },
  summary: "cmd.status",
  args: [{ key: "conference", names: { de: "id", en: "id" } }],
  flags: [],
  input: z.object({ conference: conferenceRef }),
  access: { kind: "conference", roles: ["organiser", "leader"] },
  run({ tx, t, locale, conference, kpb }) {
    const conf = conference!;
    const agencies = invitedAgencies(tx, conf.id);
    const lines = [summaryOf(conf, kpb!, t, locale), agendaText(conf, t), ""];
    if (conf.outcome) lines.push(t("statusView.outcome", { outcome: outcomeText(conf, new Map(agencies.map((a) => [a.partner.id, a.partner.name])), t) }), "");
    if (agencies.length === 0) {
      lines.push(t("statusView.notInvitedYet", { id: conf.number }));
      return { text: lines.join("\n") };
    }
    const answered = agencies.filter((a) => a.invitation.answer !== null).length;
    lines.push(t("statusView.title", { title: titleOf(conf, t), answered, total: agencies.length }));
    if (conf.rsvpDeadline) lines.push(t("statusView.deadline", { date: formatDate(conf.rsvpDeadline, locale) }));
    lines.push(t("statusView.mandatory"));
    for (const c of mandatoryCategories(conf.track, kpb!.mandatoryExtras)) {
      const of = agencies.filter((a) => a.partner.category === c);
      const answers = of.length ? of.map((a) => `${a.partner.name}: ${answerText(a, t)}`).join("; ") : t("statusView.categoryMissing");
      lines.push(`  ${t(`category.${c}`)} – ${answers}`);
    }
    lines.push(t("statusView.agencies"));
    for (const a of agencies) lines.push(`  - ${a.partner.name} [${t(`category.${a.partner.category}` as "category.zoll")}]: ${answerText(a, t)}`);
    return { text: lines.join("\n") };
  },
});
