// Adaptive Cards (1.5) from the port's OutboundMessage: the invitation with its Action.Execute answer buttons,
// the agency's current answer, status and notices from their structured view, plain replies from their text.
// Pure and free of botbuilder, so tests validate every card with the official parser without loading the SDK.
//
// Text goes into RichTextBlock/TextRun only. A TextRun is never read as Markdown (TextBlock and FactSet values
// are), so what a user typed (`{ user }` pieces: names, places, reasons) can never become a link, a heading or
// bold text; the bot's own `…` spans become monospace runs. The one kind of link in a text is the address a link
// message (kind "link": a calendar feed, the report page) gives on a line of its own, under the bot's own public
// URL; Teams would otherwise show it as text to copy.
import { translate } from "../../src/messages/i18n/catalogue.ts";
import { plain } from "../../src/messages/rich.ts";
import type { Button, Inline, OutboundMessage, RichText } from "../../src/port.ts";

export const CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";

// --- the few element types the bot uses, typed ------------------------------------------------------

export interface TextRun {
  type: "TextRun";
  text: string;
  weight?: "Bolder";
  fontType?: "Monospace";
  isSubtle?: boolean;
  size?: "Small" | "Medium" | "Large";
  color?: "Good" | "Attention" | "Warning" | "Accent";
  /** A link on the run (a file's download, an address of the bot's own). */
  selectAction?: OpenUrlAction;
}

export interface RichTextBlock {
  type: "RichTextBlock";
  inlines: TextRun[];
  spacing?: "None" | "Small" | "Medium";
  separator?: boolean;
}

export interface TextInput {
  type: "Input.Text";
  id: string;
  label: string;
  isRequired: boolean;
  errorMessage: string;
  maxLength: number;
}

export interface ActionSet {
  type: "ActionSet";
  actions: CardAction[];
  spacing?: "None" | "Small" | "Medium";
}

export type Element = RichTextBlock | TextInput | ActionSet;

export interface ExecuteAction {
  type: "Action.Execute";
  title: string;
  verb: string;
  data: Record<string, string | number>;
  style?: "positive" | "destructive";
}

export interface ShowCardAction {
  type: "Action.ShowCard";
  title: string;
  card: AdaptiveCard;
}

export interface OpenUrlAction {
  type: "Action.OpenUrl";
  title: string;
  url: string;
}

export type CardAction = ExecuteAction | ShowCardAction | OpenUrlAction;

export interface AdaptiveCard {
  type: "AdaptiveCard";
  $schema?: string;
  version: "1.5";
  body: Element[];
  actions?: CardAction[];
  refresh?: { action: ExecuteAction; userIds: string[] };
  fallbackText?: string;
}

const BUTTONS_PER_ROW = 2;

/** Every button of a card, in order (they sit in the body's action rows). */
export function actionsOf(card: AdaptiveCard): CardAction[] {
  return [...card.body.flatMap((e) => (e.type === "ActionSet" ? e.actions : [])), ...(card.actions ?? [])];
}

/** The verb of the card's refresh action: answered by the adapter from the delivered copy, not by the core. */
export const REFRESH_VERB = "refresh";

// --- rich text to runs --------------------------------------------------------------------------------

type RunStyle = Omit<TextRun, "type" | "text" | "fontType">;

/** The bot's words with `…` spans as monospace runs; a user's words as one literal run. */
export function runsOf(text: RichText, style: RunStyle = {}): TextRun[] {
  return text.flatMap((piece: Inline) => ("user" in piece ? [run(piece.user, style)] : botRuns(piece.text, style)));
}

function botRuns(text: string, style: RunStyle): TextRun[] {
  const out: TextRun[] = [];
  text.split(/(`[^`\n]+`)/).forEach((part, i) => {
    if (!part) return;
    out.push(i % 2 === 1 ? { ...run(part.slice(1, -1), style), fontType: "Monospace" } : run(part, style));
  });
  return out;
}

/** `line` when it is one address and nothing else, on the bot's own origin and under its path (after `..`). */
export function ownAddress(line: string, ownUrl: string): string | null {
  if (!/^https?:\/\/\S+$/.test(line)) return null;
  try {
    const url = new URL(line);
    const own = new URL(ownUrl);
    return url.origin === own.origin && url.pathname.startsWith(own.pathname) ? url.href : null;
  } catch {
    return null;
  }
}

function run(text: string, style: RunStyle): TextRun {
  return { type: "TextRun", text, ...style };
}

function block(inlines: TextRun[], extra: Omit<RichTextBlock, "type" | "inlines"> = {}): RichTextBlock {
  return { type: "RichTextBlock", inlines, ...extra };
}

/**
 * Plain text (a reply without a view) as paragraphs, line by line: a list item `- x` becomes a bullet, a
 * deeply indented line (help's explanations) is shown subtle. Nothing in it is read as markup, but for the shape
 * of the annual report: a `#` heading is bold, and a Markdown table (a header row, then `|---|`) becomes one line
 * per row, its first cell bold and every other cell named by its column ("Stand: offen"), empty ones left out,
 * which reads on a phone where a wide table does not.
 */
export function textBlocks(text: string, linksUnder?: string): RichTextBlock[] {
  const out: RichTextBlock[] = [];
  const lines = text.split("\n");
  let gap = false;
  let header: string[] | null = null;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (!raw.trim()) {
      gap = true;
      header = null;
      continue;
    }
    const spacing = out.length === 0 ? {} : { spacing: gap ? ("Medium" as const) : ("None" as const) };
    gap = false;
    const cells = tableCells(raw);
    if (cells && tableCells(lines[i + 1] ?? "")?.every((c) => /^:?-{3,}:?$/.test(c))) {
      header = cells;
      i++;
      continue;
    }
    if (cells && header) {
      const [first, ...rest] = cells;
      const named = rest.flatMap((c, j) => (c && c !== "–" ? [`${header![j + 1] ?? ""}: ${c}`] : []));
      out.push(block([run(first ?? "", { weight: "Bolder" }), ...(named.length ? botRuns(` · ${named.join(" · ")}`, {}) : [])], spacing));
      continue;
    }
    header = null;
    const heading = /^(#{1,3}) (.+)$/.exec(raw.trim());
    if (heading) {
      out.push(block([run(heading[2]!, { weight: "Bolder", ...(heading[1] === "#" ? { size: "Medium" as const } : {}) })], out.length ? { spacing: "Medium" } : {}));
      continue;
    }
    const indent = raw.length - raw.trimStart().length;
    const line = raw.trim().replace(/^- /, "• ");
    const style: RunStyle = indent >= 4 ? { isSubtle: true } : {};
    const address = linksUnder ? ownAddress(line, linksUnder) : null;
    out.push(block(address ? [{ ...run(line, style), selectAction: { type: "Action.OpenUrl", title: line, url: address } }] : botRuns(line, style), spacing));
  }
  return out;
}

/** The cells of a Markdown table row, or null for another line; `\|` and `\\` in a cell are a pipe and a backslash (the report escapes them). */
function tableCells(line: string): string[] | null {
  const t = line.trim();
  if (t.length < 2 || !t.startsWith("|") || !t.endsWith("|")) return null;
  const cells: string[] = [];
  let cell = "";
  for (let i = 1; i < t.length - 1; i++) {
    const c = t[i]!;
    if (c === "\\" && i + 1 < t.length - 1) cell += t[++i];
    else if (c === "|") (cells.push(cell.trim()), (cell = ""));
    else cell += c;
  }
  cells.push(cell.trim());
  return cells;
}

// --- a message as a card ------------------------------------------------------------------------------

export interface CardOptions {
  /** The download link of the message's file, a calendar or another (Teams bots cannot attach files to proactive messages). */
  file?: { url: string; filename: string; calendar: boolean };
  /** Teams user MRIs (29:…) whose client refreshes the card when it is shown: the invited person. */
  refreshFor?: string[];
  /** The bot's public URL (SIKO_PUBLIC_URL with a closing slash): in a link message, its address becomes a link. */
  ownUrl?: string;
  /** A line above everything: the outcome of a click ("good") or why it changed nothing ("attention"). */
  banner?: { text: string; tone: "good" | "attention" };
}

export function messageCard(msg: OutboundMessage, opts: CardOptions = {}): AdaptiveCard {
  const locale = msg.locale;
  const body: Element[] = [];
  if (opts.banner) body.push(...textBlocks(opts.banner.text).map((b) => colour(b, opts.banner!.tone === "good" ? "Good" : "Attention")));
  const view = msg.view;
  if (view) {
    body.push(block(runsOf(view.title, { weight: "Bolder", size: "Medium" }), body.length ? { spacing: "Medium" } : {}));
    if (view.lead) body.push(block(runsOf(view.lead)));
    for (const f of view.facts ?? []) body.push(fact(f.label, f.value));
    const agendaHeading = translate(locale, "view.agenda");
    for (const section of view.sections ?? []) {
      const numbered = section.heading === agendaHeading;
      if (section.heading) body.push(block([run(section.heading, { weight: "Bolder" })], { spacing: "Medium" }));
      for (const f of section.facts ?? []) body.push(fact(f.label, f.value));
      (section.items ?? []).forEach((item, i) => body.push(block([run(numbered ? `${i + 1}. ` : "• ", {}), ...runsOf(item)], { spacing: "None" })));
      if (numbered && (section.items ?? []).length === 0) body.push(block([run("–", { isSubtle: true })], { spacing: "None" }));
    }
  } else {
    body.push(...textBlocks(msg.text, msg.kind === "link" ? opts.ownUrl : undefined));
  }
  if (msg.rsvp) {
    body.push(block(runsOf(msg.rsvp.answer, { weight: "Bolder", color: "Accent" }), { spacing: "Medium", separator: true }));
    if (msg.rsvp.note) body.push(block(runsOf(msg.rsvp.note, { color: "Warning" })));
  }
  if (view?.note) body.push(block(runsOf(view.note, { isSubtle: true, size: "Small" }), { spacing: "Medium" }));
  const buttons = msg.buttons ?? [];
  // "Answer with a button" is for an invitation's answers; a confirmation or a next step speaks for itself.
  if (buttons.length && msg.rsvp && msg.kind !== "reply") body.push(block([run(translate(locale, "gesture.answer.button"), { isSubtle: true, size: "Small" })]));

  // The file is a link in the text, not a fifth button: four answer buttons already fill a phone's width.
  if (opts.file) {
    const label = opts.file.calendar ? translate(locale, "teams.icsLink") : translate(locale, "teams.fileLink", { filename: opts.file.filename });
    body.push(block([{ ...run(label, { color: "Accent", weight: "Bolder" }), selectAction: { type: "Action.OpenUrl", title: label, url: opts.file.url } }], { spacing: "Medium" }));
  }
  // Two buttons a row: a row of four does not fit a phone's width (checked at 360 px).
  const actions = buttons.map((b) => buttonAction(b, locale));
  for (let i = 0; i < actions.length; i += BUTTONS_PER_ROW) body.push({ type: "ActionSet", actions: actions.slice(i, i + BUTTONS_PER_ROW), spacing: i === 0 ? "Medium" : "Small" });
  const card: AdaptiveCard = { type: "AdaptiveCard", $schema: "http://adaptivecards.io/schemas/adaptive-card.json", version: "1.5", body, fallbackText: msg.text.slice(0, 1000) };
  if (opts.refreshFor?.length) card.refresh = { action: { type: "Action.Execute", title: translate(locale, "teams.refresh"), verb: REFRESH_VERB, data: {} }, userIds: opts.refreshFor };
  return card;
}

function fact(label: string, value: RichText): RichTextBlock {
  return block([run(`${label}: `, { weight: "Bolder" }), ...runsOf(value)], { spacing: "None" });
}

function colour(b: RichTextBlock, color: TextRun["color"]): RichTextBlock {
  return { ...b, inlines: b.inlines.map((r) => ({ ...r, color, weight: "Bolder" })) };
}

/** A button is a verb plus data; one that needs a text (the deputy's name) opens a small form first. */
function buttonAction(b: Button, locale: OutboundMessage["locale"]): CardAction {
  const title = b.emoji ? `${b.emoji} ${b.label}` : b.label;
  const execute: ExecuteAction = { type: "Action.Execute", title, verb: b.action.verb, data: { ...b.action.data } };
  if (b.role === "primary") execute.style = "positive";
  if (b.role === "destructive") execute.style = "destructive";
  if (!b.needsText) return execute;
  const input: TextInput = {
    type: "Input.Text",
    id: "text",
    label: b.needsText.prompt,
    isRequired: true,
    errorMessage: translate(locale, "teams.textRequired"),
    maxLength: 200,
  };
  return {
    type: "Action.ShowCard",
    title,
    card: { type: "AdaptiveCard", version: "1.5", body: [input], actions: [{ ...execute, title: translate(locale, "teams.send") }] },
  };
}

/** The first line of a message, for the notification and the chat list (Activity.summary). */
export function summaryOf(msg: OutboundMessage): string {
  const first = msg.view ? plain(msg.view.title) : (msg.text.split("\n").find((l) => l.trim()) ?? "");
  return first.replace(/`/g, "").slice(0, 200);
}

/** Teams refuses messages much above 28 KB; long text replies (help, lists, the report) are split below that. */
const MAX_CARD_BYTES = 24_000;

/** A long plain-text message in parts under Teams' size limit, split at line ends. */
export function splitLong(msg: OutboundMessage): OutboundMessage[] {
  if (msg.view || Buffer.byteLength(msg.text) * 3 < MAX_CARD_BYTES) return [msg];
  const parts: OutboundMessage[] = [];
  let lines: string[] = [];
  let size = 0;
  // A table split across cards starts again with its header row and rule, so each part reads on its own.
  let tableHead: string[] = [];
  const all = msg.text.split("\n");
  all.forEach((line, i) => {
    const bytes = Buffer.byteLength(line) * 3 + 200;
    const row = line.trim().startsWith("|");
    if (row && /^\|[\s:|-]+\|$/.test(all[i + 1]?.trim() ?? "")) tableHead = [line, all[i + 1]!];
    else if (!row) tableHead = [];
    if (size + bytes > MAX_CARD_BYTES && lines.length) {
      parts.push({ ...msg, text: lines.join("\n"), buttons: undefined, attachment: undefined });
      lines = row && tableHead.length && line !== tableHead[0] && line !== tableHead[1] ? [...tableHead] : [];
      size = lines.reduce((n, l) => n + Buffer.byteLength(l) * 3 + 200, 0);
    }
    lines.push(line);
    size += bytes;
  });
  parts.push({ ...msg, text: lines.join("\n") });
  return parts;
}
