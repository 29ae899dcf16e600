// Rich text for structured views: catalogue sentences whose parameters may be what a user typed. Such a
// parameter is marked with `user(…)` and stays a separate `{ user }` piece, so no adapter renders it as markup.
import type { Inline, RichText } from "../port.ts";
import type { Locale } from "../domain/types.ts";
import { catalogue, choosePlurals, type MessageKey } from "./i18n/catalogue.ts";
import type { Entry } from "./i18n/entry.ts";

export interface UserText {
  user: string;
}

export type RichParams = Record<string, string | number | UserText>;

/** Marks a value as typed by a user (a name, a place, a reason). */
export function user(value: string): UserText {
  return { user: value };
}

/** The bot's own words as rich text. */
export function bot(text: string): RichText {
  return text ? [{ text }] : [];
}

/** A catalogue sentence as rich text; `{name|one|many}` plural forms work as in `translate`. */
export function rich(locale: Locale, key: MessageKey, params: RichParams = {}): RichText {
  const template = choosePlurals((catalogue[key] as Entry)[locale], (name) => (name in params ? Number(plainParam(params[name]!)) : undefined));
  const out: Inline[] = [];
  const push = (piece: Inline) => {
    const last = out[out.length - 1];
    if ("text" in piece && last && "text" in last) out[out.length - 1] = { text: last.text + piece.text };
    else if (("text" in piece && piece.text) || ("user" in piece && piece.user)) out.push(piece);
  };
  let at = 0;
  for (const m of template.matchAll(/\{(\w+)\}/g)) {
    push({ text: template.slice(at, m.index) });
    const name = m[1]!;
    const value = params[name];
    if (value === undefined) push({ text: m[0] });
    else if (typeof value === "object") push({ user: value.user });
    else push({ text: String(value) });
    at = m.index + m[0].length;
  }
  push({ text: template.slice(at) });
  return out;
}

/** The plain text of rich text (what a platform without formatting shows). */
export function plain(r: RichText): string {
  return r.map((p) => ("user" in p ? p.user : p.text)).join("");
}

/** Concatenates pieces of rich text. */
export function join(...parts: RichText[]): RichText {
  return parts.flat();
}

function plainParam(v: string | number | UserText): string | number {
  return typeof v === "object" ? v.user : v;
}
