// Help is generated from the command declarations, so it can never disagree with the parser.
import type { Locale } from "../domain/types.ts";
import type { CommandDef } from "./command.ts";
import { translate } from "../messages/i18n/catalogue.ts";
import { normalizeWord } from "../domain/names.ts";
import { editDistance } from "./parser.ts";

export function usageOf(command: CommandDef, locale: Locale): string {
  const parts = [command.names[locale]];
  for (const a of command.args) {
    const name = a.literal ? a.names[locale] : `<${a.names[locale]}${a.rest ? "…" : ""}>`;
    parts.push(a.optional ? `[${name}]` : name);
  }
  for (const f of command.flags) {
    const value = f.boolean ? "" : ` <${(f.valueName ?? f.names)[locale]}>`;
    const flag = `--${f.names[locale]}${value}`;
    parts.push(`${f.required ? flag : `[${flag}]`}${f.repeatable ? "…" : ""}`);
  }
  return parts.join(" ");
}

/**
 * The command verb nearest to what was typed, in the reader's language, or null. Short words allow one typo, longer
 * ones two, so that `foo` suggests nothing rather than `room`.
 */
export function nearestVerb(word: string, commands: readonly CommandDef[], locale: Locale): string | null {
  const key = normalizeWord(word);
  const limit = key.length <= 4 ? 1 : 2;
  let best: { name: string; d: number } | null = null;
  for (const c of commands)
    for (const name of [c.names[locale], c.names[locale].split(" ")[0]!]) {
      const d = editDistance(key, normalizeWord(name));
      if (d <= limit && (!best || d < best.d)) best = { name, d };
    }
  return best?.name ?? null;
}

function rolesOf(command: CommandDef, locale: Locale): string {
  const a = command.access;
  if (a.kind === "anyone") return translate(locale, "help.anyone");
  const roles = a.roles.map((r) => translate(locale, `role.${r}` as "role.admin"));
  if ((a.kind === "conference" || a.kind === "kpb") && a.invitees) roles.push(translate(locale, "help.invitees"));
  return roles.join(", ");
}

/** The command list; a user sees the commands their roles allow first, but every command is listed. */
export function renderHelpList(commands: readonly CommandDef[], locale: Locale): string {
  const lines = [translate(locale, "help.title")];
  for (const c of commands) lines.push(`  ${usageOf(c, locale)}\n      ${translate(locale, c.summary)}`);
  return lines.join("\n");
}

export function renderHelpFor(command: CommandDef, locale: Locale): string {
  const other: Locale = locale === "de" ? "en" : "de";
  return [
    `\`${usageOf(command, locale)}\``,
    translate(locale, command.summary),
    translate(locale, "help.roles", { roles: rolesOf(command, locale) }),
    translate(locale, "help.alias", { other: usageOf(command, other) }),
  ].join("\n");
}
