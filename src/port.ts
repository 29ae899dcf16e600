// The adapter port: the only surface between the platform-free core and a chat platform (or e-mail).
//
// An adapter translates, the core decides. At start the core hands the adapter an AdapterHost (state, logger,
// clock, HTTP routes, "this address is reachable now") and an `onEvent` callback. The adapter turns each
// platform event into an InboundEvent, awaits the EventResult, and delivers its replies in context (a Matrix
// thread reply, the Teams turn or the invoke's HTTP response, the console's next lines). Everything the bot
// says on its own comes from the outbox through `send` and `edit`, each with a key made before the first
// attempt. An adapter never touches the database and never decides who may do what.
//
// How to build an adapter, in short:
//   1. Declare `capabilities` truthfully (a platform that cannot edit says `edits: false`; the core then never
//      calls `edit`). `answerGesture` says how people answer an invitation there; the adapter adds the matching
//      hint from the catalogue (`gesture.*` keys of src/messages) instead of the core naming a platform's gesture.
//   2. `start(host, onEvent)`: connect, then call `onEvent` for every command or button/reaction. The event id is
//      the platform's own id (Matrix event id, Teams activity id): a redelivered event gets the first result
//      back with outcome "duplicate" and has no second effect.
//   3. `send(to, msg, key)`: post one message; return the platform's message id (the outbox stores it for
//      edits). Where the platform dedupes by a client id (Matrix txnId) use `key` (or ids derived from it) and
//      set `dedupesByKey`. Throw the errors below so the outbox can tell waiting from failing.
//   4. Render `OutboundMessage.view` natively where you can (card, HTML), `text` where you cannot. Text marked
//      `user` in a view is what somebody typed: show it literally, never as markup. Bot text may contain `…`
//      spans naming a command to type; render those as code.
import type { Locale, Platform } from "./domain/types.ts";

export type { Platform } from "./domain/types.ts";

/** Who is speaking, as the platform knows them. */
export interface Sender {
  platform: Platform;
  /** Platform user id: console name, Matrix user id, Teams AAD object id, e-mail address. Canonical form: see `canonicalUserId`. */
  id: string;
  displayName?: string;
}

/** Where a message goes: a room (group chat, Teams channel) or one person (the bot's direct chat with them). */
export type Address =
  | { platform: Platform; kind: "room"; id: string }
  | { platform: Platform; kind: "user"; id: string };

export interface Room {
  platform: Platform;
  id: string;
  /** A 1:1 chat between the bot and one person. */
  direct: boolean;
}

/**
 * One form per platform user id, so the same person is one user and one contact however the platform spelled
 * them: Teams AAD object ids and e-mail addresses compare case-insensitively; Matrix ids and console names as typed.
 */
export function canonicalUserId(platform: Platform, id: string): string {
  const trimmed = id.trim();
  return platform === "teams" || platform === "email" ? trimmed.toLowerCase() : trimmed;
}

export type InboundEvent =
  | { kind: "command"; eventId: string; sender: Sender; room: Room; text: string }
  | { kind: "action"; eventId: string; sender: Sender; room: Room; action: ButtonAction };

/**
 * How the core took an event.
 * - done: it ran; refused: it was understood but cannot be done (bad value, a date in the past, …);
 * - not-allowed: the caller lacks the role; unknown: no such command or button;
 * - failed: an internal error (nothing was changed; the reply gives an error id);
 * - duplicate: the platform delivered this event id before; the replies are those of the first time.
 */
export const OUTCOMES = ["done", "refused", "not-allowed", "unknown", "failed", "duplicate"] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface EventResult {
  outcome: Outcome;
  /** For a duplicate: the outcome of the first delivery. */
  firstOutcome?: Exclude<Outcome, "duplicate">;
  /** What to answer in context, in order. */
  replies: OutboundMessage[];
}

/** A button is always a verb plus data; pressing it sends the same action as the typed command. */
export interface ButtonAction {
  verb: string;
  data: Record<string, string | number>;
}

export interface Button {
  label: string;
  action: ButtonAction;
  /** Shown beside the label, and used by platforms that answer with reactions (Matrix: the reaction key). */
  emoji?: string;
  /** primary: the expected answer; destructive: cannot be undone (cancel); secondary: everything else. */
  role?: "primary" | "secondary" | "destructive";
  /** The action needs a free-text value from the user (e.g. the deputy's name), sent as `data.text`. */
  needsText?: { prompt: string };
  /** The command that does the same by typing (for platforms without buttons, or when `needsText`). */
  typed?: string;
}

/** A piece of text: the bot's own words (`text`), or what a user typed (`user`), shown literally. */
export type Inline = { text: string } | { user: string };
export type RichText = readonly Inline[];

export interface Fact {
  label: string;
  value: RichText;
}

export interface ViewSection {
  heading?: string;
  facts?: readonly Fact[];
  items?: readonly RichText[];
}

/** A small structured rendering of a message: enough for a card or an HTML message, without parsing text. */
export interface View {
  title: RichText;
  /** The most important line under the title (what happened, or what is asked). */
  lead?: RichText;
  facts?: readonly Fact[];
  sections?: readonly ViewSection[];
  /** A closing remark (next step, a hint). */
  note?: RichText;
}

/**
 * What an invitation, update or nudge is about, as data: adapters build their answer controls and show the
 * agency's current answer from it, and an edit replaces it when the agency answers.
 */
export interface RsvpState {
  conferenceId: number;
  /** The agency the recipient answers for. */
  partnerAgencyId: number;
  /** The start this message announced (ISO instant): when the conference moves, older messages say so. */
  startsAt: string;
  /**
   * The place this message announced (null: none yet); when it changes, older messages say where it is now.
   * Absent on messages that name no place (a reminder to answer) and on those written before it was kept.
   */
  place?: string | null;
  /** open: the answer controls work; moved: a newer message has them; closed: cancelled or begun. */
  state: "open" | "moved" | "closed";
  /** The agency's current answer, or that there is none yet, in the reader's language. */
  answer: RichText;
  /** Why the controls are gone (moved or closed), or that the place changed, in the reader's language. */
  note?: RichText;
}

export interface Attachment {
  filename: string;
  contentType: string;
  content: string;
}

/**
 * What the message is, for adapters that render some kinds specially (the invitation card) and for status.
 * "link" carries a secret (the calendar feed's link): the outbox forgets its text once it is delivered.
 */
export type MessageKind =
  | "reply"
  | "invitation"
  | "update"
  | "cancellation"
  | "rsvp-notice"
  | "delivery-report"
  | "reminder"
  | "digest"
  | "link"
  | "message";

export interface OutboundMessage {
  /** Plain text with everything the message says; every adapter can show it, and it is the fallback. */
  text: string;
  locale: Locale;
  kind?: MessageKind;
  /** Replies: how the command went. */
  outcome?: Outcome;
  view?: View;
  buttons?: Button[];
  rsvp?: RsvpState;
  attachment?: Attachment;
}

export interface DeliveryReceipt {
  /** Platform id of the posted message (Matrix event id, Teams activity id); needed for later edits. */
  messageId?: string;
}

export interface AdapterCapabilities {
  buttons: boolean;
  files: boolean;
  /** `edit` changes a delivered message in place (Matrix m.replace, Teams updateActivity). */
  edits: boolean;
  /**
   * The platform drops a second send with the same key (Matrix txnId). Only then may the outbox resend a
   * message whose first attempt ended in an unknown state (a crash or a timeout mid-send).
   */
  dedupesByKey: boolean;
  /** How a person answers an invitation here; the adapter phrases the hint (catalogue `gesture.*`). */
  answerGesture: "button" | "reaction" | "choice" | "link";
}

// --- errors a send or edit may throw ---------------------------------------------------------------

/** The platform said "not now" (429 with retry_after_ms / Retry-After, 503): try again then; no attempt is counted. */
export class RetryAfter extends Error {
  constructor(
    readonly ms: number,
    message = `retry after ${ms} ms`,
  ) {
    super(message);
  }
}

/** An HTTP Retry-After value (seconds, or an HTTP date) as milliseconds from now; undefined when absent or unreadable. */
export function retryAfterHeaderMs(value: string | null | undefined): number | undefined {
  const raw = value?.trim();
  if (!raw) return undefined;
  if (/^\d+$/.test(raw)) return Number(raw) * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * The address cannot be reached yet: a Teams user without the app (403, no conversation reference), a Matrix
 * user who left or rejected the direct room. The row waits until the adapter calls `host.reachable(address)`.
 */
export class Unreachable extends Error {}

/** The platform refused the message for good (400, unknown user): failed at once, the organisers are told. */
export class PermanentFailure extends Error {}

/**
 * The platform proved that nothing was posted (a connection refused before the request was sent): safe to
 * retry even where the platform does not dedupe. Counted as an attempt.
 */
export class NotPosted extends Error {}

// Any other error: the outcome is unknown. It is retried only where the platform dedupes by key;
// elsewhere the row becomes "uncertain" and is reported instead of posted twice.

// --- what the core offers an adapter ---------------------------------------------------------------

/** A small synchronous key-value store scoped to one platform, kept in the database across restarts. */
export interface AdapterState {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  delete(key: string): void;
  /** Every key starting with `prefix`, with its value. */
  entries(prefix?: string): Array<[string, string]>;
}

export interface AdapterLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** A Node request handler in connect style; an express Router is one. */
export type HttpHandler = (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse, next: (err?: unknown) => void) => void;

export interface DeliveredMessage {
  message: OutboundMessage;
  at: Date;
  messageId: string | null;
}

export interface AdapterHost {
  readonly state: AdapterState;
  readonly logger: AdapterLogger;
  readonly clock: { now(): Date };
  /** How links in messages reach the bot's HTTP server (SIKO_PUBLIC_URL). */
  readonly publicUrl: string;
  /** Serves `handler` under `path` on the bot's HTTP server (the Teams endpoint `/api/messages`). */
  mount(path: string, handler: HttpHandler): void;
  /** The address can be reached now (a Teams user installed the app, a Matrix user joined): parked rows go out. */
  reachable(to: Address): void;
  /** Messages already delivered to an address, oldest first (the console shows them again after a restart). */
  delivered(to: Address, limit?: number): DeliveredMessage[];
  /**
   * The delivered message the platform knows by this id at the address (the card a Teams button was pressed on),
   * as it reads now: the agency's current answer, and whether its answer controls still apply and why not.
   */
  deliveredMessage(to: Address, messageId: string): DeliveredMessage | undefined;
  /**
   * Whether a contact at this address is among the conference's invitees: once the KPB removed the person,
   * what the adapter still holds for them about it (an answer page) shows nothing more.
   */
  invited(to: Address, conferenceId: number): boolean;
  /**
   * Resolves when a delivery round has ended, on every platform: nothing due is left anywhere (the console waits
   * for it to keep its transcript in order, so beside a chat platform it also waits for that platform's sends).
   */
  outboxIdle(): Promise<void>;
}

export type EventHandler = (e: InboundEvent) => Promise<EventResult>;

export interface ChatAdapter {
  readonly platform: Platform;
  readonly capabilities: AdapterCapabilities;
  start(host: AdapterHost, onEvent: EventHandler): Promise<void>;
  /** `key` is the outbox key; platforms that dedupe by a client id (Matrix txnId) must use it. */
  send(to: Address, msg: OutboundMessage, key: string): Promise<DeliveryReceipt>;
  /**
   * Whether the adapter can work now (Matrix: syncing; Teams: endpoint mounted; e-mail: SMTP reachable), for the
   * operator's /readyz. `detail` says what is wrong in a few words, never a secret or a person's data.
   */
  readiness?(): Promise<{ ready: boolean; detail?: string }>;
  /** Replaces the message `messageId` that an earlier send to `to` returned. Required, and called, only when `capabilities.edits`. */
  edit?(to: Address, messageId: string, msg: OutboundMessage, key: string): Promise<void>;
  stop(): Promise<void>;
}
