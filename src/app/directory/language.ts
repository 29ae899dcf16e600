import { eq } from "drizzle-orm";
import * as z from "zod";
import { translate } from "../../messages/i18n/catalogue.ts";
import * as s from "../../db/schema.ts";
import { defineCommand } from "../command.ts";
import { oneOf } from "../values.ts";

const localeArg = oneOf(["de", "en"]);

export const language = defineCommand({
  id: "language",
  names: { de: "sprache", en: "language" },
  summary: "cmd.language",
  args: [{ key: "locale", names: { de: "de|en", en: "de|en" } }],
  flags: [],
  input: z.object({ locale: localeArg }),
  access: { kind: "anyone" },
  run({ tx, caller, audit }, input) {
    tx.update(s.users).set({ locale: input.locale }).where(eq(s.users.id, caller.user.id)).run();
    audit("user.locale", "user", caller.user.id, { locale: input.locale });
    return { text: translate(input.locale, "language.set") };
  },
});

export const roomLanguage = defineCommand({
  id: "room.language",
  names: { de: "raum sprache", en: "room language" },
  summary: "cmd.roomLanguage",
  args: [{ key: "locale", names: { de: "de|en", en: "de|en" } }],
  // No --kpb: the role must hold for the KPB of the room whose language changes.
  flags: [],
  input: z.object({ locale: localeArg }),
  access: { kind: "kpb", roles: ["organiser"] },
  run({ tx, room, audit }, input) {
    tx.update(s.rooms).set({ locale: input.locale }).where(eq(s.rooms.id, room.id)).run();
    audit("room.locale", "room", room.id, { locale: input.locale });
    return { text: translate(input.locale, "room.languageSet") };
  },
});
