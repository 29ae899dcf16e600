import { eq } from "drizzle-orm";
import * as z from "zod";
import * as s from "../../db/schema.ts";
import { defineCommand } from "../command.ts";
import { conferenceRef, text } from "../values.ts";
import { requireChangeable } from "./service.ts";
import { invitedAgencies } from "../../db/conferences.ts";
import { notifyInvitees } from "../../delivery/notify.ts";
import { queueEditsOfDelivered } from "../../delivery/outbox.ts";
import { partnerMessageContext, rsvpButtons, placeOf, titleOf } from "../../messages/conference.ts";
import { bot } from "../../messages/rich.ts";

export const place = defineCommand({
  id: "conference.place",
  names: { de: "ort", en: "place" },
  summary: "cmd.place",
  args: [
    { key: "conference", names: { de: "id", en: "id" } },
    { key: "place", names: { de: "ort", en: "place" }, rest: true },
  ],
  flags: [],
  input: z.object({ conference: conferenceRef, place: text(300) }),
  access: { kind: "conference", roles: ["organiser"] },
  run(ctx, input) {
    const { tx, t, locale, clock, conference, kpb, audit } = ctx;
    const conf = conference!;
    requireChangeable(conf, t, locale, clock);
    if (conf.location === input.place) return { text: t("place.same", { title: titleOf(conf, t), place: input.place }) };
    // A new place is an update partners must see (same UID, higher SEQUENCE); their answers stand.
    const invited = conf.status === "invited";
    const updated = tx
      .update(s.conferences)
      .set({ location: input.place, sequence: invited ? conf.sequence + 1 : conf.sequence, updatedAt: clock.now() })
      .where(eq(s.conferences.id, conf.id))
      .returning()
      .get();
    audit("conference.place", "conference", conf.id, { from: conf.location, to: input.place });
    if (!invited) return { text: t("place.changed", { title: titleOf(updated, t), place: input.place, count: 0 }) };
    // The invitations and notices already in the chats say where it is now (where the platform can edit them);
    // a reminder to answer named no place.
    queueEditsOfDelivered(tx, ctx.settings.editablePlatforms, conf.id, "all", `place=${updated.sequence}`, clock.now(), (m) => m.rsvp?.place !== undefined);
    const count = notifyInvitees(ctx, updated, kpb!, invitedAgencies(tx, conf.id), {
      kind: "update",
      keyBase: `update:conf=${conf.id}:seq=${updated.sequence}`,
      build: (tt, loc) => {
        const change = tt("message.changed.place", { place: placeOf(updated, tt), old: placeOf(conf, tt) });
        // Answers stand, and who has not answered yet can do so on this message as on the invitation.
        return { text: tt("message.updated", { ...partnerMessageContext(updated, kpb!, tt, loc), change }), lead: bot(change), buttons: rsvpButtons(updated, kpb!, tt) };
      },
    }).queued;
    return { text: t("place.changed", { title: titleOf(updated, t), place: input.place, count }) };
  },
});
