// A test adapter that behaves like a chat platform behind the port: it keeps what was posted (and dedupes by
// client key where the platform does, as Matrix does with txnIds), keeps edits, and can be told to answer like
// a real server does: 429 or 503 with a wait, 403 for somebody who cannot be reached, 400, 500, a refused
// connection, an answer lost after posting, or to be slow. It translates those into the port's errors exactly
// as src/port.ts tells a real adapter to (RetryAfter, Unreachable, PermanentFailure, NotPosted, an unknown
// outcome), so the core is tested on the same path as in production.
import { randomUUID } from "node:crypto";
import {
  NotPosted,
  PermanentFailure,
  RetryAfter,
  Unreachable,
  type AdapterCapabilities,
  type AdapterHost,
  type Address,
  type ChatAdapter,
  type DeliveryReceipt,
  type EventHandler,
  type EventResult,
  type InboundEvent,
  type OutboundMessage,
} from "../../src/port.ts";
import type { Platform } from "../../src/domain/types.ts";

export interface Posted {
  to: Address;
  message: OutboundMessage;
  key: string;
  messageId: string;
}

export interface Edited {
  to: Address;
  messageId: string;
  message: OutboundMessage;
  key: string;
}

/** What the platform answers to the next request(s): an HTTP-like status, or a delay before it answers. */
export type Answer =
  /** "Not now": 429 with retry_after_ms / Retry-After, or 503 with Retry-After. */
  | { status: 429 | 503; retryAfterMs: number }
  | { status: 403 | 400 | 500 | 502 }
  | { slowMs: number }
  /** The request never left (connection refused): provably nothing posted. */
  | { refusedBeforeSending: true }
  /** The request reaches the server and is posted, but the answer is lost (a connection reset after sending). */
  | { lostAfterPosting: true };

export class FakePlatform implements ChatAdapter {
  readonly capabilities: AdapterCapabilities;
  /** Every message the platform holds, in the order posted; a repeat of a client key adds none where it dedupes. */
  readonly posted: Posted[] = [];
  readonly edited: Edited[] = [];
  /** Every request the bot made (a refused or repeated one too). */
  readonly requests: Array<{ kind: "send" | "edit"; key: string; to: Address }> = [];
  host!: AdapterHost;
  private onEvent!: EventHandler;
  private readonly script: Answer[] = [];
  private readonly unreachable = new Set<string>();

  constructor(
    readonly platform: Platform = "matrix",
    capabilities: Partial<AdapterCapabilities> = {},
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.capabilities = { buttons: true, files: true, edits: true, dedupesByKey: true, answerGesture: "button", ...capabilities };
  }

  async start(host: AdapterHost, onEvent: EventHandler): Promise<void> {
    this.host = host;
    this.onEvent = onEvent;
  }

  async stop(): Promise<void> {}

  /** The next requests get these answers, one each, in order; after them the platform works normally. */
  answerNext(...answers: Answer[]): void {
    this.script.push(...answers);
  }

  /** Requests to this person are refused with 403 (not in the roster, app not installed) until `reach`. */
  block(id: string): void {
    this.unreachable.add(id);
  }

  /** The person can be reached now (installed the app); the platform tells the bot, as Teams does. */
  reach(id: string): void {
    this.unreachable.delete(id);
    this.host.reachable({ platform: this.platform, kind: "user", id });
  }

  /** A person does something on the platform: the event goes to the core and its result comes back. */
  deliver(event: InboundEvent): Promise<EventResult> {
    return this.onEvent(event);
  }

  /** The messages a person holds, with every edit applied. */
  inboxOf(id: string): OutboundMessage[] {
    return this.posted.filter((p) => p.to.id === id).map((p) => this.current(p.messageId) ?? p.message);
  }

  /** A message as it reads now, after the last edit. */
  current(messageId: string): OutboundMessage | undefined {
    const edits = this.edited.filter((e) => e.messageId === messageId);
    return edits.length ? edits[edits.length - 1]!.message : this.posted.find((p) => p.messageId === messageId)?.message;
  }

  async send(to: Address, message: OutboundMessage, key: string): Promise<DeliveryReceipt> {
    this.requests.push({ kind: "send", key, to });
    const lost = await this.answer(to);
    const repeat = this.capabilities.dedupesByKey ? this.posted.find((p) => p.key === key) : undefined;
    const messageId = repeat?.messageId ?? `$${randomUUID()}`;
    if (!repeat) this.posted.push({ to, message, key, messageId });
    if (lost) throw new Error("socket hang up");
    return { messageId };
  }

  async edit(to: Address, messageId: string, message: OutboundMessage, key: string): Promise<void> {
    this.requests.push({ kind: "edit", key, to });
    const lost = await this.answer(to);
    if (!this.posted.some((p) => p.messageId === messageId)) throw new PermanentFailure(`400 M_UNKNOWN: no message ${messageId}`);
    if (!this.edited.some((e) => e.key === key)) this.edited.push({ to, messageId, message, key });
    if (lost) throw new Error("socket hang up");
  }

  /**
   * Waits or refuses as scripted, the way an adapter turns an HTTP answer into the port's errors. True when
   * the request goes through but its answer will be lost (the caller throws after doing it).
   */
  private async answer(to: Address): Promise<boolean> {
    if (this.unreachable.has(to.id)) throw new Unreachable(`403 Forbidden: ${to.id} cannot be reached`);
    const next = this.script.shift();
    if (!next) return false;
    if ("slowMs" in next) return this.sleep(next.slowMs).then(() => false);
    if ("lostAfterPosting" in next) return true;
    if ("refusedBeforeSending" in next) throw new NotPosted("connect ECONNREFUSED");
    switch (next.status) {
      case 429:
        throw new RetryAfter(next.retryAfterMs, `429 M_LIMIT_EXCEEDED (retry_after_ms ${next.retryAfterMs})`);
      case 503:
        throw new RetryAfter(next.retryAfterMs, `503 Service Unavailable (Retry-After ${next.retryAfterMs / 1000})`);
      case 403:
        throw new Unreachable("403 Forbidden");
      case 400:
        throw new PermanentFailure("400 Bad Request");
      default:
        throw new Error(`${next.status} server error`);
    }
  }
}
