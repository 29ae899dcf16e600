// `durchgefuehrt`: records that a conference took place, who attended (invited agencies, and guests who came
// without an invitation) and which agenda items were discussed. Given again, it corrects the record: each of
// --anwesend, --gast and --themen replaces what was recorded, what is left out stays; every change is audited.
import { eq } from "drizzle-orm";
import * as z from "zod";
import { formatDateTime } from "../../domain/dates.ts";
import { nameKey } from "../../db/directory.ts";
import * as s from "../../db/schema.ts";
import type { Outcome } from "../../db/schema.ts";
import { defineCommand, raise, UserError } from "../command.ts";
import { conferenceRef, name, text } from "../values.ts";
import { invitedAgencies } from "../../db/conferences.ts";
import { outcomeText, titleOf } from "../../messages/conference.ts";

export const held = defineCommand({
  id: "conference.held",
  names: { de: "durchgefuehrt", en: "held" },
  aliases: ["durchgeführt"],
  summary: "cmd.held",
  args: [{ key: "conference", names: { de: "id", en: "id" } }],
  flags: [
    { key: "attended", names: { de: "anwesend", en: "attended" }, repeatable: true, valueName: { de: "behörde", en: "agency" } },
    { key: "guests", names: { de: "gast", en: "guest" }, repeatable: true, valueName: { de: "behörde", en: "agency" } },
    { key: "items", names: { de: "themen", en: "topics" }, valueName: { de: "1,2,5", en: "1,2,5" } },
  ],
  input: z.object({ conference: conferenceRef, attended: z.array(name).optional(), guests: z.array(name).optional(), items: text(200).optional() }),
  access: { kind: "conference", roles: ["organiser"] },
  run({ tx, t, locale, clock, conference, audit }, input) {
    const conf = conference!;
    const title = titleOf(conf, t);
    if (conf.status === "cancelled") throw new UserError("conference.notOpen", { title, status: t(`status.${conf.status}`) });
    if (conf.startsAt.getTime() > clock.now().getTime()) throw new UserError("conference.notYetStarted", { title, when: formatDateTime(conf.startsAt, locale) });
    const agencies = invitedAgencies(tx, conf.id);
    const invited = (n: string) => agencies.find((a) => nameKey(a.partner.name) === nameKey(n));
    const before = conf.status === "held" ? conf.outcome : null;

    // Without --anwesend, the agencies that said they would come (in person or by deputy) are taken as present.
    const attendedPartnerIds = input.attended
      ? [...new Set(input.attended.map((n) => (invited(n) ?? raise(new UserError("held.unknownPartner", { name: n, title, id: conf.number }))).partner.id))]
      : (before?.attendedPartnerIds ?? agencies.filter((a) => a.invitation.answer === "accepted" || a.invitation.answer === "delegated").map((a) => a.partner.id));
    const guests = input.guests
      ? [...new Map(input.guests.map((n) => (invited(n) ? raise(new UserError("held.guestInvited", { name: n, title })) : [nameKey(n), n] as const))).values()]
      : (before?.guests ?? []);
    let discussedItems = before?.discussedItems ?? conf.agenda.map((_, i) => i + 1);
    if (input.items !== undefined) {
      const parts = input.items.split(/[,;\s]+/).filter(Boolean).map(Number);
      if (parts.length === 0 || parts.some((n) => !Number.isInteger(n) || n < 1 || n > conf.agenda.length))
        throw new UserError("held.badItems", { input: input.items, max: conf.agenda.length });
      discussedItems = [...new Set(parts)].sort((a, b) => a - b);
    }
    const outcome: Outcome = { attendedPartnerIds, guests, discussedItems };
    // Shown in the agencies' order, as in `status`.
    const order = new Map(agencies.map((a, i) => [a.partner.id, i]));
    outcome.attendedPartnerIds.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
    const names = new Map(agencies.map((a) => [a.partner.id, a.partner.name]));
    const recorded = outcomeText({ agenda: conf.agenda, outcome }, names, t);
    const key = (o: Outcome) => JSON.stringify([[...o.attendedPartnerIds].sort(), o.guests ?? [], o.discussedItems]);
    if (before && key(before) === key(outcome)) return { text: t("held.same", { title, outcome: recorded, id: conf.number }) };

    tx.update(s.conferences).set({ status: "held", outcome, updatedAt: clock.now() }).where(eq(s.conferences.id, conf.id)).run();
    if (before) audit("conference.held.correct", "conference", conf.id, { before, after: outcome });
    else audit("conference.held", "conference", conf.id, { ...outcome });
    // What the first record took for granted goes to the LZPD's report: say so, and how to put it right.
    const assumed = before ? [] : [...(input.attended ? [] : [t("held.assumedAttended")]), ...(input.items === undefined && conf.agenda.length ? [t("held.assumedItems")] : [])];
    const note = assumed.length ? `\n${t("held.assumed", { what: assumed.join("; "), id: conf.number })}` : "";
    return { text: t(before ? "held.corrected" : "held.done", { title, outcome: recorded }) + note };
  },
});
