import { eq, max } from "drizzle-orm";
import * as z from "zod";
import { defaultAgenda } from "../../domain/agenda.ts";
import { parseDuration, parseFutureDateTime } from "../../domain/dates.ts";
import { TRACKS } from "../../domain/types.ts";
import * as s from "../../db/schema.ts";
import { defineCommand, UserError } from "../command.ts";
import { oneOf, text } from "../values.ts";
import { dateError, schedulingNotes } from "./service.ts";
import { summaryOf, titleOf } from "../../messages/conference.ts";

export const DEFAULT_DURATION_MINUTES = 180;
const MAX_DURATION_MINUTES = 12 * 60;

export const plan = defineCommand({
  id: "conference.plan",
  names: { de: "planen", en: "plan" },
  summary: "cmd.plan",
  args: [
    { key: "date", names: { de: "datum", en: "date" } },
    { key: "time", names: { de: "zeit", en: "time" } },
  ],
  flags: [
    { key: "duration", names: { de: "dauer", en: "duration" }, valueName: { de: "2h", en: "2h" } },
    { key: "place", names: { de: "ort", en: "place" } },
    { key: "track", names: { de: "art", en: "track" }, valueName: { de: "siko|siko-ap", en: "siko|siko-ap" } },
  ],
  input: z.object({
    date: text(40),
    time: text(20),
    duration: text(20).optional(),
    place: text(300).optional(),
    track: oneOf(TRACKS).default("siko"),
  }),
  access: { kind: "kpb", roles: ["organiser"] },
  run({ tx, t, locale, clock, caller, kpb, audit }, input) {
    const when = parseFutureDateTime(input.date, input.time, clock);
    if (!when.ok) throw dateError(when.error);
    const minutes = input.duration === undefined ? DEFAULT_DURATION_MINUTES : parseDuration(input.duration);
    if (minutes === null || minutes <= 0 || minutes > MAX_DURATION_MINUTES) throw new UserError("duration.invalid", { input: input.duration ?? "" });
    if (input.track === "siko-ap" && !kpb!.hasMotorwayPolice) throw new UserError("track.noMotorway", { kpb: kpb!.name });
    const now = clock.now();
    const startsAt = when.value.instant;
    const last = tx.select({ n: max(s.conferences.number) }).from(s.conferences).where(eq(s.conferences.kpbId, kpb!.id)).get();
    const conference = tx
      .insert(s.conferences)
      .values({
        kpbId: kpb!.id,
        number: (last?.n ?? 0) + 1,
        track: input.track,
        startsAt,
        endsAt: new Date(startsAt.getTime() + minutes * 60_000),
        location: input.place ?? null,
        status: "planned",
        agenda: defaultAgenda(input.track, kpb!.extraAgendaTopics),
        createdBy: caller.principal,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    audit("conference.plan", "conference", conference.id, { startsAt: startsAt.toISOString(), minutes, track: input.track, place: input.place ?? null });
    const fold = when.value.fold ? `\n${t("date.fold", { time: input.time, offset: when.value.fold.offsetHours })}` : "";
    return {
      text:
        t("conference.planned", { title: titleOf(conference, t), summary: summaryOf(conference, kpb!, t, locale), id: conference.number }) +
        fold +
        schedulingNotes(tx, t, locale, conference),
    };
  },
});
