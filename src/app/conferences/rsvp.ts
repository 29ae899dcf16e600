// Zusage / Absage / Vorbehalt / Vertretung: one answer per invited agency, given by any of its contacts
// or by the organiser on its behalf. The same answer twice is one answer; every change is audited.
import { and, count, eq } from "drizzle-orm";
import * as z from "zod";
import { agenciesRepresentedAt, hasRole } from "../../domain/access.ts";
import { formatDateTime } from "../../domain/dates.ts";
import type { RsvpAnswer } from "../../domain/types.ts";
import { nameKey } from "../../db/directory.ts";
import { param, preparedQuery, setParam } from "../../db/prepared.ts";
import * as s from "../../db/schema.ts";
import { defineCommand, UserError, type CommandContext, type Reply } from "../command.ts";
import type { ActionTable } from "../dispatcher.ts";
import { conferenceRef, name, text } from "../values.ts";
import { invitedAgencies, type InvitedAgency } from "../../db/conferences.ts";
import { notifyOrganisers } from "../../delivery/notify.ts";
import { queueEditsOfDelivered } from "../../delivery/outbox.ts";
import { rsvpButtons, rsvpStateOf, titleOf } from "../../messages/conference.ts";

function respond(ctx: CommandContext, input: { for?: string; reason?: string; deputy?: string; announced?: number }, answer: RsvpAnswer): Reply {
  const { tx, t, locale, clock, caller, conference, audit } = ctx;
  const conf = conference!;
  const title = titleOf(conf, t);
  if (conf.status === "cancelled") throw new UserError("rsvp.cancelled", { title });
  // A button of a message announcing another start: the answer was meant for a date that no longer holds.
  if (input.announced !== undefined && input.announced !== conf.startsAt.getTime())
    throw new UserError("rsvp.moved", { title, when: formatDateTime(conf.startsAt, locale) });
  if (conf.startsAt.getTime() <= clock.now().getTime() || conf.status === "held")
    throw new UserError("rsvp.over", { title, when: formatDateTime(conf.startsAt, locale) });
  const agencies = invitedAgencies(tx, conf.id);
  if (agencies.length === 0) throw new UserError("rsvp.notYetInvited", { title });

  const agency = agencyAnsweredFor(ctx, agencies, input.for);
  const inv = agency.invitation;
  const deputy = answer === "delegated" ? input.deputy! : null;
  const reason = answer === "declined" ? (input.reason ?? null) : null;
  const answerLabel = t(`answer.${answer}`) + (deputy ? `: ${deputy}` : "");
  if (inv.answer === answer && inv.deputyName === deputy && inv.reason === reason)
    return { text: t("rsvp.unchanged", { partner: agency.partner.name, title, answer: answerLabel }) };

  const now = clock.now();
  recordAnswer(tx).run({ id: inv.id, answer, deputyName: deputy, reason, answeredAt: now, answeredBy: caller.principal });
  audit("rsvp", "invitation", inv.id, { conferenceId: conf.id, partnerAgencyId: agency.partner.id, from: inv.answer, to: answer, deputy, reason });

  // The caller's own contact entry for this agency at this KPB; none when an organiser answers on its behalf.
  const own = agenciesRepresentedAt(caller.contacts, conf.kpbId).has(agency.partner.id);
  const contactId = own ? (caller.contacts.find((c) => c.partnerAgencyId === agency.partner.id && c.kpbId === conf.kpbId)?.id ?? null) : null;
  const log = logAnswer(tx).get({ conferenceId: conf.id, partnerAgencyId: agency.partner.id, answer, deputyName: deputy, reason, sequence: conf.sequence, contactId, actor: caller.principal, at: now })!;
  // Every copy of the invitation the agency's contacts already have shows the new answer.
  queueEditsOfDelivered(tx, ctx.settings.editablePlatforms, conf.id, agency.contacts.map((c) => c.id), `rsvp=${log.id}`, now);
  queueAnswerNotice(ctx, now);
  // The agency's answer as it stands now: an adapter shows it on the card that was answered (the Teams invoke response).
  const rsvp = rsvpStateOf(conf, agency.partner, { answer, deputyName: deputy, reason }, { startsAt: conf.startsAt }, now, locale);
  return { text: t("rsvp.recorded", { partner: agency.partner.name, title, answer: answerLabel }), buttons: rsvpButtons(conf, ctx.kpb!, t), rsvp };
}

/** Which agency the caller answers for: their own; an organiser may name any invited agency. */
function agencyAnsweredFor(ctx: CommandContext, agencies: InvitedAgency[], forName: string | undefined): InvitedAgency {
  const { t, caller, conference } = ctx;
  const represented = agenciesRepresentedAt(caller.contacts, conference!.kpbId);
  const own = agencies.filter((a) => represented.has(a.partner.id));
  const isOrganiser = hasRole(caller.grants, ["organiser"], conference!.kpbId);
  if (forName !== undefined) {
    const named = agencies.find((a) => nameKey(a.partner.name) === nameKey(forName));
    if (named && (isOrganiser || own.includes(named))) return named;
    if (!isOrganiser && own.length > 0) throw new UserError("rsvp.forOtherAgency", { own: own.map((a) => a.partner.name).join(", "), other: forName });
    throw new UserError("rsvp.notInvited", { partner: forName, title: titleOf(conference!, t) });
  }
  if (own.length === 1) return own[0]!;
  const choices = (own.length ? own : agencies).map((a) => `„${a.partner.name}“`).join(", ");
  throw new UserError("rsvp.whichAgency", { choices });
}

/**
 * Tells the organisers, after a short wait so that answers arriving close together make one notice. The notice
 * is written when it is sent, from the answers logged since the previous one (../../delivery/compose.ts), so
 * it is one small row here whatever came before, and never contradicts the state at the time it is sent.
 */
function queueAnswerNotice(ctx: CommandContext, now: Date): void {
  const conf = ctx.conference!;
  if (noticeWaiting(ctx.tx).get({ conferenceId: conf.id })) return;
  const round = noticesSoFar(ctx.tx).get({ conferenceId: conf.id })!.n;
  notifyOrganisers(ctx, conf.kpbId, `rsvp-notice:conf=${conf.id}:n=${round + 1}`, () => ({ text: "", kind: "rsvp-notice", compose: "rsvp-notice" }), {
    notBefore: new Date(now.getTime() + ctx.settings.rsvpNoticeDelayMs),
    conferenceId: conf.id,
  });
}

// The answer path runs for every answer of every agency: its queries are built once (src/db/prepared.ts).
const recordAnswer = preparedQuery((db) =>
  db
    .update(s.invitations)
    .set({
      answer: setParam<RsvpAnswer>("answer"),
      deputyName: setParam<string | null>("deputyName"),
      reason: setParam<string | null>("reason"),
      answeredAt: setParam<Date>("answeredAt"),
      answeredBy: setParam<string>("answeredBy"),
    })
    .where(eq(s.invitations.id, param("id")))
    .prepare(),
);
const logAnswer = preparedQuery((db) =>
  db
    .insert(s.rsvpLog)
    .values({
      conferenceId: param("conferenceId"),
      partnerAgencyId: param("partnerAgencyId"),
      answer: param("answer"),
      deputyName: param("deputyName"),
      reason: param("reason"),
      sequence: param("sequence"),
      contactId: param("contactId"),
      actor: param("actor"),
      at: param("at"),
    })
    .returning({ id: s.rsvpLog.id })
    .prepare(),
);
const answerNotices = (status?: "pending") =>
  and(eq(s.outbox.kind, "rsvp-notice"), eq(s.outbox.conferenceId, param("conferenceId")), status ? eq(s.outbox.status, status) : undefined);
const noticeWaiting = preparedQuery((db) => db.select({ id: s.outbox.id }).from(s.outbox).where(answerNotices("pending")).limit(1).prepare());
const noticesSoFar = preparedQuery((db) => db.select({ n: count() }).from(s.outbox).where(answerNotices()).prepare());

const idArg = { key: "conference", names: { de: "id", en: "id" } };
const forFlag = { key: "for", names: { de: "fuer", en: "for" }, valueName: { de: "behörde", en: "agency" } };
// `announced` comes with a button only (the start its message offered), never typed.
const base = { conference: conferenceRef, for: name.optional(), announced: z.number().int().optional() };
const access = { kind: "conference", roles: ["organiser"], invitees: true } as const;

export const accept = defineCommand({
  id: "rsvp.accept",
  names: { de: "zusage", en: "accept" },
  summary: "cmd.accept",
  args: [idArg],
  flags: [forFlag],
  input: z.object(base),
  access,
  run: (ctx, input) => respond(ctx, input, "accepted"),
});

export const decline = defineCommand({
  id: "rsvp.decline",
  names: { de: "absage", en: "decline" },
  summary: "cmd.decline",
  args: [idArg, { key: "reason", names: { de: "grund", en: "reason" }, optional: true, rest: true }],
  flags: [forFlag],
  input: z.object({ ...base, reason: text(500).optional() }),
  access,
  run: (ctx, input) => respond(ctx, input, "declined"),
});

export const tentative = defineCommand({
  id: "rsvp.tentative",
  names: { de: "vorbehalt", en: "tentative" },
  summary: "cmd.tentative",
  args: [idArg],
  flags: [forFlag],
  input: z.object(base),
  access,
  run: (ctx, input) => respond(ctx, input, "tentative"),
});

export const delegate = defineCommand({
  id: "rsvp.delegate",
  names: { de: "vertretung", en: "delegate" },
  summary: "cmd.delegate",
  args: [idArg, { key: "deputy", names: { de: "name", en: "name" }, rest: true }],
  flags: [forFlag],
  input: z.object({ ...base, deputy: name }),
  access,
  run: (ctx, input) => respond(ctx, input, "delegated"),
});

const BY_ANSWER: Record<RsvpAnswer, string> = { accepted: accept.id, declined: decline.id, tentative: tentative.id, delegated: delegate.id };

/** The four RSVP buttons send `rsvp {conference, answer}` (and the deputy's name as `text`). */
export const rsvpActions: ActionTable = {
  rsvp: (data) => {
    const commandId = BY_ANSWER[data.answer as RsvpAnswer];
    if (!commandId) return null;
    // Buttons carry the conference's internal id, which typed numbers (per KPB) are not.
    const raw: Record<string, unknown> = { conference: typeof data.conference === "number" ? { id: data.conference } : data.conference };
    if (data.answer === "delegated") raw.deputy = data.text === undefined ? undefined : String(data.text);
    if (data.answer === "declined" && data.text !== undefined) raw.reason = String(data.text);
    if (typeof data.at === "number") raw.announced = data.at;
    return { commandId, raw };
  },
};
