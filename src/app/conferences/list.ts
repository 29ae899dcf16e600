// `liste [jahr]`: a KPB's conferences of a year, for its staff; in a direct chat with a partner contact, the
// conferences that contact's agencies are invited to, with their answers (whatever KPB invited them).
import { and, eq, gte, inArray, lt } from "drizzle-orm";
import * as z from "zod";
import { formatDateTime } from "../../domain/dates.ts";
import { berlinYearOf, berlinYearStart } from "../../domain/holidays.ts";
import * as s from "../../db/schema.ts";
import { defineCommand, type CommandContext, type Reply } from "../command.ts";
import { name, year } from "../values.ts";
import { outcomeText, placeOf, titleOf, typedRef } from "../../messages/conference.ts";

export const list = defineCommand({
  id: "conference.list",
  readOnly: true,
  names: { de: "liste", en: "list" },
  summary: "cmd.list",
  args: [{ key: "year", names: { de: "jahr", en: "year" }, optional: true }],
  flags: [{ key: "kpb", names: { de: "kpb", en: "kpb" } }],
  input: z.object({ year: year.optional(), kpb: name.optional() }),
  access: { kind: "kpb", roles: ["organiser", "leader"], confidential: true, invitees: true },
  run(ctx, input) {
    const { tx, t, locale, clock, kpb } = ctx;
    const y = input.year ?? berlinYearOf(clock.now());
    if (!kpb) return invitationsOf(ctx, y);
    const conferences = tx
      .select()
      .from(s.conferences)
      .where(and(eq(s.conferences.kpbId, kpb.id), gte(s.conferences.startsAt, berlinYearStart(y)), lt(s.conferences.startsAt, berlinYearStart(y + 1))))
      .orderBy(s.conferences.startsAt)
      .all();
    if (conferences.length === 0) return { text: t("list.empty", { kpb: kpb.name, year: y }) };
    const invitations = tx.select().from(s.invitations).where(inArray(s.invitations.conferenceId, conferences.map((c) => c.id))).all();
    const attended = [...new Set(conferences.flatMap((c) => c.outcome?.attendedPartnerIds ?? []))];
    const partnerNames = new Map(
      (attended.length ? tx.select().from(s.partnerAgencies).where(inArray(s.partnerAgencies.id, attended)).all() : []).map((p) => [p.id, p.name]),
    );
    const lines = conferences.map((c) => {
      const own = invitations.filter((i) => i.conferenceId === c.id);
      // A conference recorded as held shows what was recorded on the line below.
      const outcome = c.outcome ? `\n    ${outcomeText(c, partnerNames, t)}` : "";
      return `- ${t("list.line", {
        title: titleOf(c, t),
        when: formatDateTime(c.startsAt, locale),
        place: placeOf(c, t),
        status: t(`status.${c.status}`),
        answered: own.filter((i) => i.answer !== null).length,
        total: own.length,
      })}${outcome}`;
    });
    return { text: [t("list.title", { kpb: kpb.name, year: y }), ...lines].join("\n") };
  },
});

/** The conferences of the year that the caller's agencies are invited to, each by the KPB that registered the caller. */
function invitationsOf({ tx, t, locale, caller }: CommandContext, y: number): Reply {
  const rows = tx
    .select({ conference: s.conferences, invitation: s.invitations, partner: s.partnerAgencies, kpb: s.kpbs })
    .from(s.invitations)
    .innerJoin(s.conferences, eq(s.conferences.id, s.invitations.conferenceId))
    .innerJoin(s.partnerAgencies, eq(s.partnerAgencies.id, s.invitations.partnerAgencyId))
    .innerJoin(s.kpbs, eq(s.kpbs.id, s.conferences.kpbId))
    .where(and(inArray(s.invitations.partnerAgencyId, caller.contacts.map((c) => c.partnerAgencyId)), gte(s.conferences.startsAt, berlinYearStart(y)), lt(s.conferences.startsAt, berlinYearStart(y + 1))))
    .orderBy(s.conferences.startsAt)
    .all()
    // Only where the KPB itself registered the caller for that agency (the invitation is the KPB's).
    .filter((r) => caller.contacts.some((c) => c.kpbId === r.conference.kpbId && c.partnerAgencyId === r.partner.id));
  if (rows.length === 0) return { text: t("list.invitedEmpty", { year: y }) };
  const lines = rows.map(
    (r) =>
      `- ${t("list.invitedLine", {
        title: titleOf(r.conference, t),
        kpb: r.kpb.name,
        when: formatDateTime(r.conference.startsAt, locale),
        place: placeOf(r.conference, t),
        status: t(`status.${r.conference.status}`),
        partner: r.partner.name,
        answer: t(r.invitation.answer ? `answer.${r.invitation.answer}` : "answer.none"),
      })}`,
  );
  // Numbers count per KPB: where two KPBs' numbers meet, the answer needs the KPB in front.
  const numbers = rows.map((r) => r.conference.number);
  const shared = rows.find((r) => numbers.filter((n) => n === r.conference.number).length > 1);
  if (shared) lines.push(t("list.qualify", { example: typedRef(shared.conference, shared.kpb) }));
  return { text: [t("list.invitedTitle", { year: y }), ...lines].join("\n") };
}
