// Rich text as HTML, for the adapters that render HTML (Matrix formatted_body, e-mail, the answer page) and the
// report page: what a user typed is escaped and never markup; the bot's own `…` spans become <code>.
import type { Inline, RichText, RsvpState } from "../port.ts";
import { plain } from "./rich.ts";

/** The five characters that matter in HTML text and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** The bot's own words: escaped, with `…` spans as code and line breaks kept. */
export function botHtml(text: string): string {
  return text
    .split(/(`[^`\n]*`)/g)
    .map((part) => (part.length > 1 && part.startsWith("`") && part.endsWith("`") ? `<code>${escapeHtml(part.slice(1, -1))}</code>` : escapeHtml(part)))
    .join("")
    .replace(/\n/g, "<br>");
}

function inlineHtml(piece: Inline): string {
  return "user" in piece ? escapeHtml(piece.user).replace(/\n/g, "<br>") : botHtml(piece.text);
}

export function richHtml(r: RichText): string {
  return r.map(inlineHtml).join("");
}

/** An invitation's answer state (the answer, and the note under it) as plain-text paragraphs and as HTML. */
export function rsvpParts(rsvp: Pick<RsvpState, "answer" | "note">): { text: string[]; html: string[] } {
  const text = [plain(rsvp.answer)];
  const html = [`<p><strong>${richHtml(rsvp.answer)}</strong></p>`];
  if (rsvp.note?.length) {
    text.push(plain(rsvp.note));
    html.push(`<p><em>${richHtml(rsvp.note)}</em></p>`);
  }
  return { text, html };
}
