import { and, eq, gte, inArray, lt } from "drizzle-orm";
import { z } from "zod";
import { formatDateTime } from "../../domain/dates.ts";
import { berlinYearOf, berlinYearStart } from "../../domain/holidays.ts";
import * as s from "../../db/schema.ts";
import { defineCommand } from "../command.ts";
import { name, year } from "../values.ts";
import { outcomeText, placeOf, titleOf } from "../../messages/conference.ts";

export const list = defineCommand({
  id: "conference.list",
  names: { de: "liste", en: "list" },
  summary: "cmd.list",
  args: [{ key: "year", names: { de: "jahr", en: "year" }, optional: true }],
  flags: [{ key: "kpb", names: { de: "kpb", en: "kpb" } }],
  input: z.object({ year: year.optional(), kpb: name.optional() }),
  access: { kind: "kpb", roles: ["organiser", "leader"], confidential: true },
  run({ tx, t, locale, clock, kpb }, input) {
    const y = input.year ?? berlinYearOf(clock.now());
    const conferences = tx
      .select()
      .from(s.conferences)
      .where(and(eq(s.conferences.kpbId, kpb!.id), gte(s.conferences.startsAt, berlinYearStart(y)), lt(s.conferences.startsAt, berlinYearStart(y + 1))))
      .orderBy(s.conferences.startsAt)
      .all();
    if (conferences.length === 0) return { text: t("list.empty", { kpb: kpb!.name, year: y }) };
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
    return { text: [t("list.title", { kpb: kpb!.name, year: y }), ...lines].join("\n") };
  },
});
