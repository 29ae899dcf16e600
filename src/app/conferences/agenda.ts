import { eq } from "drizzle-orm";
import * as z from "zod";
import { MAX_AGENDA_ITEMS } from "../../domain/agenda.ts";
import * as s from "../../db/schema.ts";
import { defineCommand, UserError } from "../command.ts";
import { conferenceRef, positiveInt, text } from "../values.ts";
import { requireChangeable } from "./service.ts";
import { agendaText, partnerMessageContext, titleOf } from "../../messages/conference.ts";
import { bot } from "../../messages/rich.ts";
import { invitedAgencies } from "../../db/conferences.ts";
import { notifyInvitees } from "../../delivery/notify.ts";

export const agenda = defineCommand({
  id: "conference.agenda",
  names: { de: "tagesordnung", en: "agenda" },
  summary: "cmd.agenda",
  args: [{ key: "conference", names: { de: "id", en: "id" } }],
  flags: [
    { key: "add", names: { de: "neu", en: "add" }, valueName: { de: "thema", en: "topic" } },
    { key: "remove", names: { de: "weg", en: "remove" }, valueName: { de: "nr", en: "no" } },
  ],
  input: z.object({ conference: conferenceRef, add: text(300).optional(), remove: positiveInt.optional() }),
  access: { kind: "conference", roles: ["organiser"] },
  run(ctx, input) {
    const { tx, t, locale, clock, conference, kpb, audit } = ctx;
    const conf = conference!;
    if (input.add === undefined && input.remove === undefined) return { text: `${titleOf(conf, t)}\n${agendaText(conf, t)}` };
    if (input.add !== undefined && input.remove !== undefined) throw new UserError("agenda.oneChange");
    requireChangeable(conf, t, locale, clock);
    const items = [...conf.agenda];
    // What changed, in the words of the organiser's answer and of the partners' update notice.
    let change: { key: "agenda.added" | "agenda.removed"; notice: "message.changed.agendaAdded" | "message.changed.agendaRemoved"; n: number; topic: string };
    if (input.add !== undefined) {
      if (items.length >= MAX_AGENDA_ITEMS) throw new UserError("agenda.full", { max: MAX_AGENDA_ITEMS });
      if (items.some((i) => i.toLowerCase() === input.add!.toLowerCase())) throw new UserError("agenda.duplicate", { topic: input.add });
      items.push(input.add);
      change = { key: "agenda.added", notice: "message.changed.agendaAdded", n: items.length, topic: input.add };
    } else {
      const n = input.remove!;
      if (n < 1 || n > items.length) throw new UserError("agenda.noSuchItem", { n, max: items.length });
      const [removed] = items.splice(n - 1, 1);
      change = { key: "agenda.removed", notice: "message.changed.agendaRemoved", n, topic: removed! };
    }
    const note = t(change.key, { n: change.n, topic: change.topic });
    // Once partners have the invitation, a changed agenda is an update they must see (higher SEQUENCE).
    const invited = conf.status === "invited";
    const updated = tx
      .update(s.conferences)
      .set({ agenda: items, sequence: invited ? conf.sequence + 1 : conf.sequence, updatedAt: clock.now() })
      .where(eq(s.conferences.id, conf.id))
      .returning()
      .get();
    audit("conference.agenda", "conference", conf.id, { before: conf.agenda, after: items });
    if (invited)
      notifyInvitees(ctx, updated, kpb!, invitedAgencies(tx, conf.id), {
        kind: "update",
        keyBase: `update:conf=${conf.id}:seq=${updated.sequence}`,
        build: (tt, loc) => {
          const what = tt(change.notice, { n: change.n, topic: change.topic });
          return { text: tt("message.updated", { ...partnerMessageContext(updated, kpb!, tt, loc), change: what }), lead: bot(what) };
        },
      });
    return { text: `${note}\n${agendaText(updated, t)}` };
  },
});
