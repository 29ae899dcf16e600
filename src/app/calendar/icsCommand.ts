// `ics <id>`: the conference's current iCalendar file on demand, the same UID and SEQUENCE as the last one sent,
// so opening it updates the entry the partner already has. Who may see it is the dispatcher's R9 check.
import * as z from "zod";
import { icsAttachment, toIcsConference, versionOf } from "../../calendar/conferenceIcs.ts";
import { formatRange } from "../../domain/dates.ts";
import { defineCommand } from "../command.ts";
import { conferenceRef } from "../values.ts";
import { invitedAgencies } from "../../db/conferences.ts";
import { titleOf, typedRef } from "../../messages/conference.ts";

export const ics = defineCommand({
  id: "calendar.ics",
  readOnly: true,
  names: { de: "ics", en: "ics" },
  summary: "cmd.ics",
  args: [{ key: "conference", names: { de: "id", en: "id" } }],
  flags: [],
  input: z.object({ conference: conferenceRef }),
  access: { kind: "conference", roles: ["organiser", "leader"], invitees: true },
  run({ tx, t, locale, clock, conference, kpb, settings }) {
    const conf = conference!;
    const cancelled = conf.status === "cancelled";
    const view = toIcsConference(conf, kpb!, invitedAgencies(tx, conf.id), settings);
    const attachment = icsAttachment(view, cancelled ? "CANCEL" : "REQUEST", clock.now());
    const title = titleOf(conf, t);
    return {
      text: cancelled
        ? t("ics.cancel", { title })
        : t("ics.request", { title, range: formatRange(conf.startsAt, conf.endsAt, locale), version: versionOf(conf) }) +
          (settings.calendarRepliesRead ? "" : `\n${t("ics.answerInChat", { id: typedRef(conf, kpb!) })}`),
      attachment,
    };
  },
});
