// The answer page behind a personal link: GET shows the conference as the invitation showed it to this
// invitee, how the agency's answer stands now, and the four answers; only a POST answers (mail scanners and link previews follow GET links).
// Server-rendered, German first, no JavaScript, no-store, no referrer, a strict content-security policy, and a
// form token bound to the link (plus the browser's Origin / Sec-Fetch-Site) against cross-site requests.
import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Locale } from "../../src/domain/types.ts";
import { translate, type MessageKey } from "../../src/messages/i18n/catalogue.ts";
import type { AdapterLogger, EventHandler, EventResult, HttpHandler, RsvpState } from "../../src/port.ts";
import type { AnswerLinks, LinkRecord } from "./links.ts";
import { escapeHtml, rsvpParts } from "../../src/messages/html.ts";
import { viewHtml } from "./render.ts";

export const ANSWER_PATH = "/antwort";

const ANSWERS = [
  { value: "accepted", label: "button.accept" },
  { value: "declined", label: "button.decline" },
  { value: "tentative", label: "button.tentative" },
  { value: "delegated", label: "button.delegate" },
] as const satisfies ReadonlyArray<{ value: string; label: MessageKey }>;

const STYLE =
  "body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}" +
  "th{text-align:left;padding-right:1rem;vertical-align:top}button{margin:.25rem .5rem .25rem 0;padding:.5rem 1rem;font-size:1rem}" +
  "input[type=text]{width:100%;padding:.4rem;font-size:1rem;box-sizing:border-box}.result{border-left:4px solid #2a7;padding:.5rem 1rem;background:#f3faf6}";
const STYLE_HASH = createHash("sha256").update(STYLE).digest("base64");
const CSP = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; img-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

export interface AnswerPageDeps {
  links: AnswerLinks;
  onEvent: EventHandler;
  publicUrl: string;
  logger: AdapterLogger;
  clock: { now(): Date };
  /** The agency's answer as it stands now (a colleague's or the organiser's included), from the core. */
  answerNow(record: LinkRecord): RsvpState | undefined;
  /** Whether the link's address is still among the conference's invitees (the KPB may have removed the person). */
  invited(record: LinkRecord): boolean;
}

export function answerPage(deps: AnswerPageDeps): HttpHandler {
  const origin = new URL(deps.publicUrl).origin;
  return (req, res, next) => {
    handle(deps, origin, req, res).catch((e: unknown) => next(e));
  };
}

async function handle(deps: AnswerPageDeps, origin: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? "/").split("?")[0]!;
  const token = path.replace(/^\/+/, "").replace(/\/+$/, "");
  const link = deps.links.find(token);
  // A person the KPB has removed since reads nothing more through their link, as through an unknown one.
  const found = link && deps.invited(link.record) ? link : null;
  if (req.method === "GET" || req.method === "HEAD") {
    if (!found) return send(res, 404, invalidPage());
    return send(res, 200, answerPageHtml(deps, found.id, found.record));
  }
  if (req.method !== "POST") {
    res.setHeader("Allow", "GET, HEAD, POST");
    return send(res, 405, invalidPage());
  }
  const body = await readForm(req);
  if (!found) return send(res, 404, invalidPage());
  const { record } = found;
  // Cancelled or begun: the page says so and takes no answer.
  if (!answerable(deps, record)) return send(res, 410, answerPageHtml(deps, found.id, record));
  const site = req.headers["sec-fetch-site"];
  const from = req.headers.origin;
  // With Referrer-Policy no-referrer a browser sends `Origin: null` on its own forms; the form token decides then.
  const crossSite = (typeof site === "string" && site !== "same-origin" && site !== "none") || (typeof from === "string" && from !== origin && from !== "null");
  const nonce = body.get("nonce") ?? "";
  const form = body.get("form") ?? "";
  if (crossSite || !nonce || !deps.links.checkFormToken(found.id, nonce, form)) {
    deps.logger.warn({ link: found.id.slice(0, 8), crossSite }, "answer page: a POST without a valid form token was refused");
    return send(res, 403, page(record.locale, translate(record.locale, "email.page.title"), `<p>${escapeHtml(translate(record.locale, "email.page.forbidden"))}</p>`));
  }
  const answer = body.get("answer") ?? "";
  if (!ANSWERS.some((a) => a.value === answer)) return send(res, 400, answerPageHtml(deps, found.id, record));
  const text = (body.get("text") ?? "").trim().slice(0, 500);
  // One form rendering and one choice are one event: a repeated POST (reload, double click) is a duplicate.
  const eventId = `email-web:${createHash("sha256").update(`${found.id}\u0000${nonce}\u0000${answer}\u0000${text}`).digest("hex").slice(0, 32)}`;
  const data: Record<string, string | number> = { conference: record.conference, answer };
  if (text) data.text = text;
  // The start the page showed when it was loaded: an answer chosen on a page the conference has since moved away from changes nothing.
  const at = Number(body.get("at"));
  if (Number.isSafeInteger(at) && at > 0) data.at = at;
  const result: EventResult = await deps.onEvent({
    kind: "action",
    eventId,
    sender: { platform: "email", id: record.address },
    room: { platform: "email", id: record.address, direct: true },
    action: { verb: "rsvp", data },
  });
  const said = result.replies.map((r) => r.text).filter(Boolean);
  const ok = result.outcome === "done" || (result.outcome === "duplicate" && result.firstOutcome === "done");
  const banner = `<div class="result" role="status">${ok ? `<p><strong>${escapeHtml(translate(record.locale, "email.page.recorded"))}</strong></p>` : ""}${said
    .map((s) => `<p>${escapeHtml(s).replace(/\n/g, "<br>")}</p>`)
    .join("")}</div>`;
  return send(res, ok ? 200 : 422, answerPageHtml(deps, found.id, record, banner));
}

function answerPageHtml(deps: AnswerPageDeps, linkId: string, record: LinkRecord, banner = ""): string {
  const l = record.locale;
  const t = (key: MessageKey) => escapeHtml(translate(l, key));
  const shown = record.view ? viewHtml(record.view) : `<p>${escapeHtml(record.text).replace(/\n/g, "<br>")}</p>`;
  if (!record.open) return page(l, translate(l, "email.page.title"), `${banner}\n${shown}`);
  const rsvp = deps.answerNow(record);
  const details = rsvp ? [shown, ...rsvpParts(rsvp).html].join("\n") : shown;
  if (begun(deps, record)) return page(l, translate(l, "email.page.title"), `${banner}\n<p role="status"><strong>${t("rsvpState.begun")}</strong></p>\n${details}`);
  // The core says why the shown message takes no answer here any more (its note is among the details).
  if (rsvp && rsvp.state !== "open") return page(l, translate(l, "email.page.title"), `${banner}\n${details}`);
  const nonce = randomBytes(16).toString("base64url");
  const formToken = deps.links.formToken(linkId, nonce);
  const buttons = ANSWERS.map((a) => `<button type="submit" name="answer" value="${a.value}">${t(a.label)}</button>`).join("\n");
  const form = `<form method="post" action="">
<input type="hidden" name="nonce" value="${nonce}">
<input type="hidden" name="form" value="${formToken}">${record.startsAt ? `\n<input type="hidden" name="at" value="${Date.parse(record.startsAt)}">` : ""}
<h2>${t("email.answerHere")}</h2>
<p><label for="text">${t("email.page.text")}</label><br><input type="text" id="text" name="text" maxlength="500" autocomplete="off"></p>
<p>${t("email.page.choose")}</p>
<p>${buttons}</p>
<p><small>${t("email.page.change")}</small></p>
</form>`;
  return page(l, translate(l, "email.page.title"), `${banner}\n${details}\n${form}`);
}

function begun(deps: AnswerPageDeps, record: LinkRecord): boolean {
  return record.startsAt !== undefined && deps.clock.now().getTime() >= Date.parse(record.startsAt);
}

/**
 * Open (not cancelled), not begun (answers are taken until the conference begins), and the message shown still
 * takes answers at this address as the core sees it (not when its agency's contact there was removed).
 */
function answerable(deps: AnswerPageDeps, record: LinkRecord): boolean {
  return record.open && !begun(deps, record) && (deps.answerNow(record)?.state ?? "open") === "open";
}

function invalidPage(): string {
  return page("de", "siko-bot", `<p>${escapeHtml(translate("de", "email.page.invalid"))}</p>\n<p lang="en">${escapeHtml(translate("en", "email.page.invalid"))}</p>`);
}

function page(locale: Locale, title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>
${body}
</body></html>`;
}

function send(res: ServerResponse, status: number, html: string): void {
  res.statusCode = status;
  res.setHeader("Content-Type", "text/html; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Referrer-Policy", "no-referrer");
  res.setHeader("Content-Security-Policy", CSP);
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", "DENY");
  res.end(html);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 16_384) break;
    chunks.push(chunk);
  }
  const type = String(req.headers["content-type"] ?? "");
  return type.startsWith("application/x-www-form-urlencoded") ? new URLSearchParams(Buffer.concat(chunks).toString("utf8")) : new URLSearchParams();
}
