// How an OutboundMessage reads in Matrix: an `m.room.message` with a plain `body` and an HTML `formatted_body`
// built from the structured view. What a user typed is HTML-escaped and never markup; the bot's own `…` spans
// become <code>. Pure functions, so the rendering is tested without a homeserver.
import { translate } from "../../src/messages/i18n/catalogue.ts";
import { botHtml, escapeHtml, richHtml, rsvpParts } from "../../src/messages/html.ts";
import type { Button, OutboundMessage, View } from "../../src/port.ts";

export interface MessageContent {
  msgtype: "m.text" | "m.notice";
  body: string;
  format: "org.matrix.custom.html";
  formatted_body: string;
  "m.mentions": { user_ids?: string[] };
  [key: string]: unknown;
}

/** Removes the variation selector U+FE0F, so "❤️" and "❤" (or "✅️" and "✅") are one reaction key. */
export function normaliseKey(key: string): string {
  return key.replace(/\uFE0F/g, "");
}

/** The buttons a person answers by reaction here (those with an emoji and no text to type). */
export function reactionButtons(msg: OutboundMessage): Button[] {
  if (msg.rsvp && msg.rsvp.state !== "open") return [];
  return (msg.buttons ?? []).filter((b) => b.emoji && !b.needsText);
}

/** The hint under an invitation: which reactions answer, and what to type for the rest (Vertretung). */
export function gestureHint(msg: OutboundMessage): string | null {
  const reacts = reactionButtons(msg);
  if (reacts.length === 0) return null;
  const reactions = reacts.map((b) => `${b.emoji} ${b.label}`).join(", ");
  const typed = (msg.buttons ?? []).find((b) => b.needsText)?.typed ?? reacts[0]!.typed ?? "";
  return translate(msg.locale, "gesture.answer.reaction", { reactions, typed });
}

function viewHtml(view: View): string {
  const parts: string[] = [`<p><strong>${richHtml(view.title)}</strong></p>`];
  if (view.lead?.length) parts.push(`<p>${richHtml(view.lead)}</p>`);
  const facts = (list: View["facts"]) => (list?.length ? `<p>${list.map((f) => `<b>${escapeHtml(f.label)}:</b> ${richHtml(f.value)}`).join("<br>")}</p>` : "");
  parts.push(facts(view.facts));
  for (const section of view.sections ?? []) {
    if (section.heading) parts.push(`<p><b>${escapeHtml(section.heading)}</b></p>`);
    parts.push(facts(section.facts));
    if (section.items?.length) parts.push(`<ol>${section.items.map((i) => `<li>${richHtml(i)}</li>`).join("")}</ol>`);
  }
  if (view.note?.length) parts.push(`<p><em>${richHtml(view.note)}</em></p>`);
  return parts.filter(Boolean).join("");
}

/**
 * The message as Matrix content. `body` is the core's plain text plus the answer state and the hint;
 * `formatted_body` the view when there is one, else the text. `mentions` are the users to ping (none by default).
 */
export function renderMessage(msg: OutboundMessage, opts: { mentions?: string[]; notice?: boolean } = {}): MessageContent {
  const extraPlain: string[] = [];
  const extraHtml: string[] = [];
  if (msg.rsvp) {
    const rsvp = rsvpParts(msg.rsvp);
    extraPlain.push(...rsvp.text);
    extraHtml.push(...rsvp.html);
  }
  const hint = gestureHint(msg);
  if (hint) {
    extraPlain.push(hint);
    extraHtml.push(`<p>${botHtml(hint)}</p>`);
  }
  const body = [msg.text, ...extraPlain].filter(Boolean).join("\n\n");
  const main = msg.view ? viewHtml(msg.view) : `<p>${botHtml(msg.text)}</p>`;
  return {
    msgtype: opts.notice ? "m.notice" : "m.text",
    body,
    format: "org.matrix.custom.html",
    formatted_body: [main, ...extraHtml].join(""),
    "m.mentions": opts.mentions?.length ? { user_ids: opts.mentions } : {},
  };
}

/** An edit (`m.replace`) of `eventId` that makes it read as `content`. */
export function replacement(eventId: string, content: MessageContent): Record<string, unknown> {
  return {
    msgtype: content.msgtype,
    body: `* ${content.body}`,
    format: content.format,
    formatted_body: `* ${content.formatted_body}`,
    "m.new_content": { ...content, "m.mentions": {} },
    "m.relates_to": { rel_type: "m.replace", event_id: eventId },
    // The edit pings nobody, whatever the original did.
    "m.mentions": {},
  };
}

/** An MSC3381 poll with its text fallback, answering with the same actions as the reactions. */
export function pollContent(msg: OutboundMessage, question: string): Record<string, unknown> {
  const answers = (msg.buttons ?? []).filter((b) => !b.needsText).map((b) => ({ id: String(b.action.data.answer ?? b.label), "org.matrix.msc1767.text": b.label }));
  const fallback = [question, ...answers.map((a, i) => `${i + 1}. ${a["org.matrix.msc1767.text"]}`)].join("\n");
  return {
    "org.matrix.msc3381.poll.start": {
      kind: "org.matrix.msc3381.poll.disclosed",
      max_selections: 1,
      question: { "org.matrix.msc1767.text": question },
      answers,
    },
    "org.matrix.msc1767.text": fallback,
    body: fallback,
    "m.mentions": {},
  };
}
