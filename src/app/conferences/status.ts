import { and, desc, eq, inArray, isNotNull } from "drizzle-orm";
import { param, preparedQuery } from "../../db/prepared.ts";
import * as z from "zod";
import { mandatoryCategories } from "../../domain/categories.ts";
import { formatDate, formatRange } from "../../domain/dates.ts";
import type { Platform } from "../../domain/types.ts";
import type { Tx } from "../../db/client.ts";
import * as s from "../../db/schema.ts";
import type { ContactRow } from "../../db/schema.ts";
import { defineCommand } from "../command.ts";
import type { Translator } from "../../messages/i18n/catalogue.ts";
import { conferenceRef } from "../values.ts";
import { invitedAgencies } from "../../db/conferences.ts";
import { answerLabel, agendaText, outcomeText, placeOf, summaryOf, titleOf } from "../../messages/conference.ts";
import { bot, join, plain, user } from "../../messages/rich.ts";
import type { Fact, RichText, ViewSection } from "../../port.ts";

type DeliveryState = { status: string; platform: Platform } | null;

/** The latest message about the conference to each contact, and how far its delivery got. */
function deliveryOf(tx: Tx, conferenceId: number, contacts: readonly ContactRow[]): Map<number, DeliveryState> {
  const wanted = new Set(contacts.map((c) => c.id));
  const out = new Map<number, DeliveryState>();
  if (wanted.size === 0) return out;
  for (const r of messagesToContacts(tx).all({ conferenceId })) if (wanted.has(r.contactId!) && !out.has(r.contactId!)) out.set(r.contactId!, { status: r.status, platform: r.platform });
  return out;
}

/** The conference's messages to contacts, newest first. */
const messagesToContacts = preparedQuery((db) =>
  db
    .select({ contactId: s.outbox.contactId, status: s.outbox.status, platform: s.outbox.platform })
    .from(s.outbox)
    .where(
      and(
        eq(s.outbox.conferenceId, param("conferenceId")),
        eq(s.outbox.operation, "send"),
        inArray(s.outbox.kind, ["invitation", "update", "cancellation"]),
        isNotNull(s.outbox.contactId),
      ),
    )
    .orderBy(desc(s.outbox.id))
    .prepare(),
);

function deliveryText(state: DeliveryState | undefined, t: Translator, platforms: readonly Platform[]): string {
  if (!state) return t("delivery.none", { platforms: platforms.map((p) => t(`platform.${p}`)).join(", ") });
  const platform = t(`platform.${state.platform}`);
  switch (state.status) {
    case "delivered":
      return t("delivery.delivered", { platform });
    case "parked":
      return t("delivery.parked", { platform });
    case "failed":
      return t("delivery.failed", { platform });
    case "uncertain":
      return t("delivery.uncertain", { platform });
    case "superseded":
      return t("delivery.superseded", { platform });
    default:
      return t("delivery.waiting", { platform });
  }
}

export const status = defineCommand({
  id: "conference.status",
  readOnly: true,
  names: { de: "status", en: "status" },
  summary: "cmd.status",
  args: [{ key: "conference", names: { de: "id", en: "id" } }],
  flags: [],
  input: z.object({ conference: conferenceRef }),
  access: { kind: "conference", roles: ["organiser", "leader"] },
  run({ tx, t, locale, conference, kpb, settings }) {
    const conf = conference!;
    const agencies = invitedAgencies(tx, conf.id);
    const lines = [summaryOf(conf, kpb!, t, locale), agendaText(conf, t), ""];
    const facts: Fact[] = [
      { label: t("view.when"), value: bot(formatRange(conf.startsAt, conf.endsAt, locale)) },
      { label: t("view.where"), value: conf.location ? [{ user: conf.location }] : bot(placeOf(conf, t)) },
      { label: t("view.status"), value: bot(t(`status.${conf.status}`)) },
    ];
    const agenda: ViewSection = { heading: t("view.agenda"), items: conf.agenda.map((item) => [{ user: item }]) };
    const held: ViewSection[] = [];
    if (conf.outcome) {
      const outcome = outcomeText(conf, new Map(agencies.map((a) => [a.partner.id, a.partner.name])), t);
      lines.push(t("statusView.outcome", { outcome }), "");
      held.push({ heading: t("status.held"), items: [[{ user: outcome }]] });
    }
    const view = (sections: ViewSection[]) => ({ title: join(bot(`${titleOf(conf, t)} – `), [{ user: kpb!.name }]), facts, sections: [...held, ...sections, agenda] });
    if (agencies.length === 0) {
      lines.push(t("statusView.notInvitedYet", { id: conf.number }));
      return { text: lines.join("\n"), view: { ...view([]), note: bot(t("statusView.notInvitedYet", { id: conf.number })) } };
    }
    const answered = agencies.filter((a) => a.invitation.answer !== null).length;
    lines.push(t("statusView.title", { title: titleOf(conf, t), answered, total: agencies.length }));
    facts.push({ label: t("view.answers"), value: bot(`${answered} / ${agencies.length}`) });
    if (conf.rsvpDeadline) {
      lines.push(t("statusView.deadline", { date: formatDate(conf.rsvpDeadline, locale) }));
      facts.push({ label: t("view.deadline"), value: bot(formatDate(conf.rsvpDeadline, locale)) });
    }
    lines.push(t("statusView.mandatory"));
    const mandatory: RichText[] = [];
    for (const c of mandatoryCategories(conf.track, kpb!.mandatoryExtras)) {
      const of = agencies.filter((a) => a.partner.category === c);
      const answers = of.length ? of.map((a) => `${a.partner.name}: ${plain(answerLabel(locale, a.invitation.answer, a.invitation.deputyName, a.invitation.reason))}`).join("; ") : t("statusView.categoryMissing");
      lines.push(`  ${t(`category.${c}`)} – ${answers}`);
      mandatory.push(
        of.length
          ? join(bot(`${t(`category.${c}`)}: `), ...of.map((a, i) => join(bot(i ? "; " : ""), [{ user: a.partner.name }], bot(" – "), answerLabel(locale, a.invitation.answer, a.invitation.deputyName, a.invitation.reason))))
          : bot(`${t(`category.${c}`)}: ${t("statusView.categoryMissing")}`),
      );
    }
    lines.push(t("statusView.agencies"));
    const delivery = deliveryOf(tx, conf.id, agencies.flatMap((a) => a.contacts));
    const agencyItems: RichText[] = [];
    for (const a of agencies) {
      lines.push(`  - ${a.partner.name} [${t(`category.${a.partner.category}` as "category.zoll")}]: ${plain(answerLabel(locale, a.invitation.answer, a.invitation.deputyName, a.invitation.reason))}`);
      const reached = a.contacts.map((c) => ({ c, text: deliveryText(delivery.get(c.id), t, settings.platforms) }));
      for (const { c, text } of reached) lines.push(`      ${c.name}: ${text}`);
      agencyItems.push(
        join(
          [{ user: a.partner.name }],
          bot(": "),
          answerLabel(locale, a.invitation.answer, a.invitation.deputyName, a.invitation.reason),
          ...reached.map(({ c, text }) => join(bot(" · "), [user(c.name)], bot(`: ${text}`))),
        ),
      );
    }
    return {
      text: lines.join("\n"),
      view: view([
        { heading: t("view.mandatory"), items: mandatory },
        { heading: t("view.answers"), items: agencyItems },
      ]),
    };
  },
});
