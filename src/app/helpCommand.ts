import * as z from "zod";
import { normalizeWord } from "../domain/names.ts";
import { defineCommand, type CommandDef } from "./command.ts";
import { nearestVerb, renderHelpFor, renderHelpList } from "./help.ts";
import { text } from "./values.ts";

/** `hilfe` needs the command table it is part of, so the registry hands it over. */
export function helpCommand(all: () => readonly CommandDef[]) {
  return defineCommand({
    id: "help",
    readOnly: true,
    names: { de: "hilfe", en: "help" },
    aliases: ["?"],
    summary: "cmd.help",
    args: [{ key: "topic", names: { de: "befehl", en: "command" }, optional: true, rest: true }],
    flags: [],
    input: z.object({ topic: text(200).optional() }),
    access: { kind: "anyone" },
    run({ t, locale }, input) {
      if (!input.topic) return { text: renderHelpList(all(), locale) };
      const wanted = normalizeWord(input.topic);
      const match =
        all().find((c) => [c.names.de, c.names.en, ...(c.aliases ?? [])].some((n) => normalizeWord(n) === wanted)) ??
        all().find((c) => [c.names.de, c.names.en].some((n) => normalizeWord(n).startsWith(wanted)));
      if (match) return { text: renderHelpFor(match, locale) };
      const nearest = nearestVerb(input.topic, all(), locale);
      const suggestion = nearest ? t("engine.didYouMean", { name: `${t("help.verb")} ${nearest}` }) : "";
      return { text: `${t("help.unknown", { word: input.topic })}${suggestion}\n\n${renderHelpList(all(), locale)}` };
    },
  });
}
