import { eq } from "drizzle-orm";
import * as z from "zod";
import { categoriesForTrack, isDecreeMandatory, mandatoryCategories, missingCategories, type Category } from "../../domain/categories.ts";
import { formatDate, parseDate } from "../../domain/dates.ts";
import { deadlineFits } from "../../domain/conference.ts";
import { berlinDateOf } from "../../domain/holidays.ts";
import { contactsOfPartners, partnersOfKpb } from "../../db/directory.ts";
import * as s from "../../db/schema.ts";
import { defineCommand, UserError } from "../command.ts";
import { conferenceRef, text } from "../values.ts";
import { dateError, requireChangeable } from "./service.ts";
import { invitedAgencies } from "../../db/conferences.ts";
import { notifyInvitees } from "../../delivery/notify.ts";
import { bot } from "../../messages/rich.ts";
import { partnerMessageContext, rsvpButtons, titleOf } from "../../messages/conference.ts";

export const invite = defineCommand({
  id: "conference.invite",
  names: { de: "einladen", en: "invite" },
  summary: "cmd.invite",
  args: [{ key: "conference", names: { de: "id", en: "id" } }],
  flags: [
    { key: "deadline", names: { de: "frist", en: "deadline" }, valueName: { de: "datum", en: "date" } },
    { key: "anyway", names: { de: "trotzdem", en: "anyway" }, boolean: true },
  ],
  input: z.object({ conference: conferenceRef, deadline: text(40).optional(), anyway: z.boolean().default(false) }),
  access: { kind: "conference", roles: ["organiser"] },
  run(ctx, input) {
    const { tx, t, locale, clock, conference, kpb, audit } = ctx;
    const conf = conference!;
    requireChangeable(conf, t, locale, clock);
    const title = titleOf(conf, t);

    let deadline = conf.rsvpDeadline;
    if (input.deadline !== undefined) {
      const d = parseDate(input.deadline);
      if (!d.ok) throw dateError(d.error);
      // The list of silent agencies goes out the working day after the deadline, so it must lie before the day.
      if (d.iso < berlinDateOf(clock.now()) || !deadlineFits(d.iso, conf.startsAt)) throw new UserError("invite.deadlineInvalid", { date: formatDate(d.iso, locale) });
      deadline = d.iso;
    }

    // The invitation list: every partner of the KPB whose category belongs to the track (SiKo or SiKo-AP).
    const inTrack = categoriesForTrack(conf.track);
    const partners = partnersOfKpb(tx, kpb!.id).filter((p) => inTrack(p.category as Category));
    if (partners.length === 0)
      throw new UserError("invite.noPartners", { kpb: kpb!.name, title, category: conf.track === "siko-ap" ? "autobahn" : t("invite.categoryPlaceholder") });
    const leaders = contactsOfPartners(tx, partners.map((p) => p.id), kpb!.id).filter((c) => c.isLeadership);
    const reachable = partners.filter((p) => leaders.some((c) => c.partnerAgencyId === p.id));

    // R3: a mandatory category counts only when an agency of it has a leadership contact to invite.
    const mandatory = mandatoryCategories(conf.track, kpb!.mandatoryExtras);
    const missing = missingCategories(mandatory, reachable.map((p) => p.category));
    if (missing.length > 0 && !input.anyway) {
      const described = (cs: Category[]) =>
        cs
          .map((c) => {
            const withoutContact = partners.filter((p) => p.category === c).map((p) => p.name);
            const category = t(`category.${c}`);
            return withoutContact.length ? t("invite.missingContact", { category, partners: withoutContact.join(", ") }) : category;
          })
          .join(", ");
      // Say who made each category mandatory: the decree, or the KPB itself (`kpb pflicht`).
      const byDecree = missing.filter((c) => isDecreeMandatory(c));
      const ownRule = missing.filter((c) => !isDecreeMandatory(c));
      const groups = [
        byDecree.length ? t("invite.missingDecree", { list: described(byDecree) }) : null,
        ownRule.length ? t("invite.missingOwn", { kpb: kpb!.name, list: described(ownRule) }) : null,
      ].filter(Boolean);
      throw new UserError("invite.missing", { title, missing: groups.join("; "), example: missing[0]!, id: conf.number });
    }

    const now = clock.now();
    // Re-running `einladen` invites what is new: agencies added since, and new leadership contacts of
    // agencies already invited (a new head of office). Nobody receives the invitation twice.
    const before = invitedAgencies(tx, conf.id);
    const invitedPartners = new Set(before.map((a) => a.partner.id));
    const invitedContacts = new Set(before.flatMap((a) => a.contacts.map((c) => c.id)));
    const freshPartners = partners.filter((p) => !invitedPartners.has(p.id));
    const freshContacts = leaders.filter((c) => !invitedContacts.has(c.id));
    for (const p of freshPartners) tx.insert(s.invitations).values({ conferenceId: conf.id, partnerAgencyId: p.id, createdAt: now }).run();
    for (const c of freshContacts) tx.insert(s.invitedContacts).values({ conferenceId: conf.id, contactId: c.id, partnerAgencyId: c.partnerAgencyId }).run();
    if (freshPartners.length === 0 && freshContacts.length === 0 && deadline === conf.rsvpDeadline)
      return { text: t("invite.nothingNew", { title, id: conf.number }) };

    const updated = tx
      .update(s.conferences)
      .set({ status: "invited", rsvpDeadline: deadline, updatedAt: now })
      .where(eq(s.conferences.id, conf.id))
      .returning()
      .get();
    const agencies = invitedAgencies(tx, conf.id);
    const freshIds = new Set(freshContacts.map((c) => c.id));
    const sent = notifyInvitees(ctx, updated, kpb!, agencies, {
      kind: "invitation",
      keyBase: `invite:conf=${conf.id}:seq=${updated.sequence}`,
      deadline,
      only: freshIds,
      build: (tt, loc, agency) => ({
        text:
          tt("message.invitation", {
            ...partnerMessageContext(updated, kpb!, tt, loc),
            partner: agency.partner.name,
            deadline: deadline ? tt("message.deadline", { date: formatDate(deadline, loc) }) : "",
          }) + (ctx.settings.calendarRepliesRead ? "" : `\n${tt("message.calendarNoReply")}`),
        buttons: rsvpButtons(updated, kpb!, tt),
      }),
    });
    const change = audit("conference.invite", "conference", conf.id, { partnerIds: freshPartners.map((p) => p.id), contactIds: [...freshIds], messages: sent.queued, deadline, missing, anyway: input.anyway });
    // Those invited before learn of a new deadline; the newly invited read it in their invitation.
    const told =
      deadline && deadline !== conf.rsvpDeadline && invitedContacts.size > 0
        ? notifyInvitees(ctx, updated, kpb!, agencies, {
            kind: "update",
            // Per change (its audit entry), not per date: a deadline set back to an earlier value is news again.
            keyBase: `deadline:conf=${conf.id}:change=${change}:${deadline}`,
            deadline,
            only: invitedContacts,
            build: (tt, loc) => ({
              text: tt("message.deadlineChanged", { ...partnerMessageContext(updated, kpb!, tt, loc), date: formatDate(deadline, loc) }),
              lead: bot(tt("message.deadlineChanged", { ...partnerMessageContext(updated, kpb!, tt, loc), date: formatDate(deadline, loc) })),
              buttons: rsvpButtons(updated, kpb!, tt),
            }),
          }).queued
        : 0;
    // Nobody new: what changed is the deadline alone.
    if (freshPartners.length === 0 && freshContacts.length === 0) return { text: t("invite.deadlineSet", { title, date: formatDate(deadline!, locale), count: told }) };

    const freshPartnerIds = new Set(freshPartners.map((p) => p.id));
    const list = agencies
      .filter((a) => freshPartnerIds.has(a.partner.id) || a.contacts.some((c) => freshIds.has(c.id)))
      .map((a) => `- ${a.partner.name}: ${a.contacts.filter((c) => freshIds.has(c.id)).map((c) => c.name).join(", ") || t("invite.noContact")}`)
      .join("\n");
    const platforms = ctx.settings.platforms.map((p) => t(`platform.${p}`)).join(", ");
    const unreachable = sent.unreachable.length
      ? `\n${t("invite.unreachable", { platforms, count: sent.unreachable.length, names: sent.unreachable.map((c) => c.name).join(", "), id: conf.id })}`
      : "";
    return {
      text:
        t("invite.sent", {
          title,
          contacts: freshIds.size,
          partners: new Set(freshContacts.map((c) => c.partnerAgencyId)).size,
          deadline: deadline ? t("invite.deadlineNote", { date: formatDate(deadline, locale) }) : "",
          list,
        }) +
        (missing.length ? `\n${t("invite.withoutMandatory", { missing: missing.map((c) => t(`category.${c}`)).join(", ") })}` : "") +
        `\n${t("invite.queued", { count: sent.queued })}` +
        unreachable,
    };
  },
});
