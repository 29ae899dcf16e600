import { eq } from "drizzle-orm";
import * as z from "zod";
import { formatDate, formatDateTime, parseFutureDateTime } from "../../domain/dates.ts";
import { deadlineFits } from "../../domain/conference.ts";
import * as s from "../../db/schema.ts";
import { defineCommand } from "../command.ts";
import type { ActionTable } from "../dispatcher.ts";
import { conferenceRef, text } from "../values.ts";
import { dateError, requireChangeable, schedulingNotes } from "./service.ts";
import { invitedAgencies } from "../../db/conferences.ts";
import { contactAddress } from "../../delivery/recipients.ts";
import { notifyInvitees } from "../../delivery/notify.ts";
import { queueEditsOfDelivered } from "../../delivery/outbox.ts";
import { bot, rich, user } from "../../messages/rich.ts";
import { partnerMessageContext, rsvpButtons, titleOf } from "../../messages/conference.ts";

/** The confirm button of `absagen` sends `cancel {conference, text: reason}`. */
export const cancelActions: ActionTable = {
  cancel: (data) => ({
    commandId: "conference.cancel",
    raw: { conference: { id: Number(data.conference) }, confirm: true, ...(data.text === undefined ? {} : { reason: String(data.text) }) },
  }),
};

export const reschedule = defineCommand({
  id: "conference.reschedule",
  names: { de: "verschieben", en: "reschedule" },
  summary: "cmd.reschedule",
  args: [
    { key: "conference", names: { de: "id", en: "id" } },
    { key: "date", names: { de: "datum", en: "date" } },
    { key: "time", names: { de: "zeit", en: "time" } },
  ],
  flags: [],
  input: z.object({ conference: conferenceRef, date: text(40), time: text(20) }),
  access: { kind: "conference", roles: ["organiser"] },
  run(ctx, input) {
    const { tx, t, locale, clock, conference, kpb, audit } = ctx;
    const conf = conference!;
    requireChangeable(conf, t, locale, clock);
    const when = parseFutureDateTime(input.date, input.time, clock);
    if (!when.ok) throw dateError(when.error);
    const startsAt = when.value.instant;
    if (startsAt.getTime() === conf.startsAt.getTime()) return { text: t("reschedule.same", { title: titleOf(conf, t), when: formatDateTime(startsAt, locale) }) };
    const invited = conf.status === "invited";
    // An answer deadline must lie before the conference's day (einladen --frist); one the move passed is dropped.
    const deadlinePassed = conf.rsvpDeadline !== null && !deadlineFits(conf.rsvpDeadline, startsAt);
    const updated = tx
      .update(s.conferences)
      .set({
        startsAt,
        endsAt: new Date(startsAt.getTime() + (conf.endsAt.getTime() - conf.startsAt.getTime())),
        sequence: invited ? conf.sequence + 1 : conf.sequence,
        ...(deadlinePassed ? { rsvpDeadline: null } : {}),
        updatedAt: clock.now(),
      })
      .where(eq(s.conferences.id, conf.id))
      .returning()
      .get();
    // Answers were given for the old date; they no longer say anything about the new one.
    const agencies = invitedAgencies(tx, conf.id);
    for (const a of agencies)
      if (a.invitation.answer !== null) {
        tx.update(s.invitations).set({ answer: null, deputyName: null, reason: null, answeredAt: null, answeredBy: null }).where(eq(s.invitations.id, a.invitation.id)).run();
        audit("rsvp.reset", "invitation", a.invitation.id, { conferenceId: conf.id, from: a.invitation.answer, reason: "rescheduled" });
      }
    audit("conference.reschedule", "conference", conf.id, { from: conf.startsAt.toISOString(), to: startsAt.toISOString() });
    // Every copy already delivered now says the date moved, and its answer controls are gone.
    if (invited) queueEditsOfDelivered(tx, ctx.settings.editablePlatforms, conf.id, "all", `seq=${updated.sequence}`, clock.now());
    const count = invited
      ? notifyInvitees(ctx, updated, kpb!, invitedAgencies(tx, conf.id), {
          kind: "update",
          keyBase: `update:conf=${conf.id}:seq=${updated.sequence}`,
          build: (tt, loc) => ({
            text:
              tt("message.rescheduled", { ...partnerMessageContext(updated, kpb!, tt, loc), old: formatDateTime(conf.startsAt, loc) }) +
              (ctx.settings.calendarRepliesRead ? "" : `\n${tt("message.calendarNoReply")}`),
            lead: bot(tt("view.moved", { old: formatDateTime(conf.startsAt, loc) })),
            buttons: rsvpButtons(updated, kpb!, tt),
          }),
        }).queued
      : 0;
    const fold = when.value.fold ? `\n${t("date.fold", { time: input.time, offset: when.value.fold.offsetHours })}` : "";
    const deadline = deadlinePassed ? `\n${t("reschedule.deadlineDropped", { date: formatDate(conf.rsvpDeadline!, locale), id: conf.number })}` : "";
    return { text: t("reschedule.done", { title: titleOf(updated, t), when: formatDateTime(startsAt, locale), count }) + fold + deadline + schedulingNotes(tx, t, locale, updated) };
  },
});

export const cancel = defineCommand({
  id: "conference.cancel",
  names: { de: "absagen", en: "cancel" },
  summary: "cmd.cancel",
  args: [
    { key: "conference", names: { de: "id", en: "id" } },
    { key: "reason", names: { de: "grund", en: "reason" }, optional: true, rest: true },
  ],
  flags: [{ key: "confirm", names: { de: "ja", en: "yes" }, boolean: true }],
  input: z.object({ conference: conferenceRef, reason: text(500).optional(), confirm: z.boolean().default(false) }),
  access: { kind: "conference", roles: ["organiser"] },
  // `absagen` (cancel the conference) is one letter from `absage` (decline): an invitee most likely meant that.
  inviteeHint: "cancel.meantDecline",
  run(ctx, input) {
    const { tx, t, locale, clock, conference, kpb, audit } = ctx;
    const conf = conference!;
    requireChangeable(conf, t, locale, clock);
    const invited = conf.status === "invited";
    // Cancelling tells everyone invited at once and cannot be taken back: asked once more, unless --ja.
    if (invited && !input.confirm) {
      // Those who will be told: the invited contacts with an address on a platform the bot runs on.
      const told = invitedAgencies(tx, conf.id).map((a) => a.contacts.filter((c) => contactAddress(c, ctx.settings.platforms) !== null).length);
      const reason = input.reason ? ` ${JSON.stringify(input.reason)}` : "";
      return {
        text: t("cancel.confirm", {
          title: titleOf(conf, t),
          contacts: told.reduce((n, c) => n + c, 0),
          partners: told.filter((c) => c > 0).length,
          command: `${t("cancel.command", { id: conf.number })}${reason}`,
        }),
        buttons: [{ label: t("button.confirmCancel"), action: { verb: "cancel", data: { conference: conf.id, ...(input.reason ? { text: input.reason } : {}) } } }],
      };
    }
    const updated = tx
      .update(s.conferences)
      .set({ status: "cancelled", cancelReason: input.reason ?? null, sequence: invited ? conf.sequence + 1 : conf.sequence, updatedAt: clock.now() })
      .where(eq(s.conferences.id, conf.id))
      .returning()
      .get();
    audit("conference.cancel", "conference", conf.id, { reason: input.reason ?? null, previousStatus: conf.status });
    if (invited) queueEditsOfDelivered(tx, ctx.settings.editablePlatforms, conf.id, "all", "cancelled", clock.now());
    const count = invited
      ? notifyInvitees(ctx, updated, kpb!, invitedAgencies(tx, conf.id), {
          kind: "cancellation",
          keyBase: `cancel:conf=${conf.id}`,
          build: (tt, loc) => ({
            text: tt("message.cancelled", {
              ...partnerMessageContext(updated, kpb!, tt, loc),
              reason: input.reason ? tt("message.reason", { reason: input.reason }) : "",
            }),
            ...(input.reason ? { lead: rich(loc, "view.cancelReason", { reason: user(input.reason) }) } : {}),
          }),
        }).queued
      : 0;
    return { text: t("cancel.done", { title: titleOf(updated, t), count }) };
  },
});
