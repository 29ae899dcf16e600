// The adapter port: the only surface between the platform-free core and a chat platform.
// Adapters translate platform events into InboundEvents and render OutboundMessages natively;
// they never touch the database and never decide anything.
import type { Locale, Platform } from "./domain/types.ts";

/** Who is speaking, as the platform knows them. */
export interface Sender {
  platform: Platform;
  /** Platform user id: console name, Matrix user id, Teams AAD object id. */
  id: string;
  displayName?: string;
}

/** Where a message goes: a room (group chat) or one person (direct chat). */
export type Address =
  | { platform: Platform; kind: "room"; id: string }
  | { platform: Platform; kind: "user"; id: string };

export interface Room {
  platform: Platform;
  id: string;
  /** A 1:1 chat between the bot and one person. */
  direct: boolean;
}

export type InboundEvent =
  | { kind: "command"; eventId: string; sender: Sender; room: Room; text: string }
  | { kind: "action"; eventId: string; sender: Sender; room: Room; action: ButtonAction };

/** A button is always a verb plus data; pressing it sends the same action as the typed command. */
export interface ButtonAction {
  verb: string;
  data: Record<string, string | number>;
}

export interface Button {
  label: string;
  action: ButtonAction;
  /** The action needs a free-text value from the user (e.g. the deputy's name). */
  needsText?: { prompt: string };
}

export interface Attachment {
  filename: string;
  contentType: string;
  content: string;
}

export interface OutboundMessage {
  /** Plain text; every adapter can show it. */
  text: string;
  /** Optional markdown rendering of the same content. */
  markdown?: string;
  buttons?: Button[];
  attachment?: Attachment;
  locale: Locale;
}

export interface DeliveryReceipt {
  /** Platform id of the posted message, when the platform gives one. */
  messageId?: string;
}

export interface AdapterCapabilities {
  buttons: boolean;
  files: boolean;
  editMessages: boolean;
  /**
   * The platform drops a second send with the same key (Matrix txnId). Only then may the outbox resend a
   * message whose first attempt ended in an unknown state (crash mid-send).
   */
  dedupesByKey: boolean;
}

/**
 * Thrown by send() when the platform proved nothing was posted (safe to retry),
 * as opposed to any other error whose outcome is unknown.
 */
export class RetryableDeliveryError extends Error {}

export interface ChatAdapter {
  readonly platform: Platform;
  readonly capabilities: AdapterCapabilities;
  start(onEvent: (e: InboundEvent) => Promise<void>): Promise<void>;
  /** `key` is the outbox key; platforms that dedupe by a client id (Matrix txnId) must use it. */
  send(to: Address, msg: OutboundMessage, key: string): Promise<DeliveryReceipt>;
  stop(): Promise<void>;
}
