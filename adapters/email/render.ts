// How an OutboundMessage reads as an e-mail: a subject, a text/plain body and a text/html body built from the
// structured view. What a user typed is HTML-escaped and never markup; the bot's own `…` spans become <code>.
// Pure functions, so the rendering is tested without a mail server.
import { translate } from "../../src/messages/i18n/catalogue.ts";
import { botHtml, escapeHtml, richHtml, rsvpParts } from "../../src/messages/html.ts";
import { plain } from "../../src/messages/rich.ts";
import type { OutboundMessage, View } from "../../src/port.ts";

/** The view as an HTML fragment (shared by the mail and the answer page). */
export function viewHtml(view: View): string {
  const parts: string[] = [`<h1>${richHtml(view.title)}</h1>`];
  if (view.lead?.length) parts.push(`<p>${richHtml(view.lead)}</p>`);
  const facts = (list: View["facts"]) =>
    list?.length ? `<table>${list.map((f) => `<tr><th scope="row" align="left">${escapeHtml(f.label)}</th><td>${richHtml(f.value)}</td></tr>`).join("")}</table>` : "";
  parts.push(facts(view.facts));
  for (const section of view.sections ?? []) {
    if (section.heading) parts.push(`<h2>${escapeHtml(section.heading)}</h2>`);
    parts.push(facts(section.facts));
    if (section.items?.length) parts.push(`<ol>${section.items.map((i) => `<li>${richHtml(i)}</li>`).join("")}</ol>`);
  }
  if (view.note?.length) parts.push(`<p><em>${richHtml(view.note)}</em></p>`);
  return parts.filter(Boolean).join("\n");
}

/**
 * The view as plain text, the mail's text/plain part: the same content as the HTML part, and so not the chat's
 * text, which tells people to type commands an e-mail reader cannot type.
 */
export function viewText(view: View): string {
  const facts = (list: View["facts"]) => (list ?? []).map((f) => `${f.label}: ${plain(f.value)}`);
  const lines: string[] = [plain(view.title), ""];
  if (view.lead?.length) lines.push(plain(view.lead), "");
  lines.push(...facts(view.facts));
  for (const section of view.sections ?? []) {
    lines.push("");
    if (section.heading) lines.push(`${section.heading}:`);
    lines.push(...facts(section.facts), ...(section.items ?? []).map((item, i) => `${i + 1}. ${plain(item)}`));
  }
  if (view.note?.length) lines.push("", plain(view.note));
  return lines.join("\n").replace(/\n{3,}/g, "\n\n").trim();
}

/** A subject line: the view's title, or the first line of the text. CR/LF never reach a header. */
export function subjectOf(msg: OutboundMessage): string {
  const raw = msg.view ? plain(msg.view.title) : (msg.text.split("\n").find((l) => l.trim()) ?? "siko-bot");
  const line = raw.replace(/[\r\n\t]+/g, " ").replace(/`/g, "").trim();
  return line.length > 180 ? `${line.slice(0, 177)}…` : line;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** The mail for `msg`; `link` is the recipient's personal answer page, when the message asks for an answer. */
export function renderMail(msg: OutboundMessage, link: string | null): RenderedMail {
  const t = (key: Parameters<typeof translate>[1], p?: Parameters<typeof translate>[2]) => translate(msg.locale, key, p);
  const textParts = [msg.view ? viewText(msg.view) : msg.text];
  const htmlParts = [msg.view ? viewHtml(msg.view) : `<p>${botHtml(msg.text)}</p>`];
  if (msg.rsvp) {
    const rsvp = rsvpParts(msg.rsvp);
    textParts.push(...rsvp.text);
    htmlParts.push(...rsvp.html);
  }
  if (link) {
    textParts.push(`${t("email.linkIntro")}\n${link}`);
    htmlParts.push(`<p>${escapeHtml(t("email.linkIntro"))}<br><a href="${escapeHtml(link)}">${escapeHtml(t("email.linkButton"))}</a></p>`);
  }
  textParts.push(`-- \n${t("email.footer")}`);
  htmlParts.push(`<hr><p><small>${escapeHtml(t("email.footer"))}</small></p>`);
  const html = `<!DOCTYPE html>\n<html lang="${msg.locale}"><head><meta charset="utf-8"><title>${escapeHtml(subjectOf(msg))}</title></head><body>\n${htmlParts.join("\n")}\n</body></html>`;
  return { subject: subjectOf(msg), text: textParts.filter(Boolean).join("\n\n"), html };
}

