// What a command is: one declaration object with its names, arguments, permission and executor.
// The dispatcher binds tokens to the declaration, validates with zod, enforces `access`, and runs `run`
// inside one transaction. Executors return data (Reply); adapters render it.
import type { z } from "zod";
import type { Clock } from "../domain/clock.ts";
import { visible } from "../domain/text.ts";
import type { Locale, Role } from "../domain/types.ts";
import type { Tx } from "../db/client.ts";
import type { ContactRow, ConferenceRow, KpbRow, RoleGrantRow, RoomRow, UserRow } from "../db/schema.ts";
import type { OutboundMessage } from "../port.ts";
import type { RuntimeSettings } from "../settings.ts";
import type { MessageKey, Params, Translator } from "../messages/i18n/catalogue.ts";


export interface Names {
  de: string;
  en: string;
}

export interface ArgSpec {
  key: string;
  names: Names;
  optional?: boolean;
  /** The last argument may take all remaining words (`hilfe partner anlegen`). */
  rest?: boolean;
  /** A fixed word rather than a placeholder (`kpb import nrw`). */
  literal?: boolean;
}

export interface FlagSpec {
  key: string;
  names: Names;
  /** A switch without a value (`--trotzdem`). */
  boolean?: boolean;
  repeatable?: boolean;
  /** Shown without brackets in the usage line; the zod schema is what enforces it. */
  required?: boolean;
  valueName?: Names;
}

/**
 * Who may run a command.
 * - anyone: every user.
 * - roles/global: a role held for every KPB (admin, lzpd).
 * - roles/kpb: a role for the KPB the room is bound to, or the KPB named by the `kpb` flag (in a direct chat:
 *   the one KPB the caller holds the role for). `confidential`: the answer shows conference details, so it is
 *   given only where R9 allows them (the KPB's room, or a direct chat with its staff). `invitees`: in a direct
 *   chat, a registered partner contact without a KPB role may run it too, with `kpb` null (their own view).
 * - roles/conference: a role for the KPB of the conference named by the `conference` argument; with
 *   `invitees`, a contact of an agency invited to that conference may run it too. The conference must also
 *   be visible where the command was typed (R9).
 * Admin satisfies every role.
 */
export type Access =
  | { kind: "anyone" }
  | { kind: "global"; roles: readonly Role[] }
  | {
      kind: "kpb";
      roles: readonly Role[];
      confidential?: boolean;
      invitees?: boolean;
      /** A caller holding one of these roles globally who names no KPB gets the whole state: `kpb` is null. */
      wholeState?: readonly Role[];
    }
  | { kind: "conference"; roles: readonly Role[]; invitees?: boolean };


export interface Caller {
  user: UserRow;
  /** "platform:id", as written to the audit log. */
  principal: string;
  grants: RoleGrantRow[];
  /** Contacts of partner agencies that this platform identity is registered as. */
  contacts: ContactRow[];
}

/** What an executor returns; the dispatcher adds the reader's language and the outcome. */
export type Reply = Omit<OutboundMessage, "locale" | "outcome">;

export interface CommandContext {
  tx: Tx;
  clock: Clock;
  locale: Locale;
  t: Translator;
  caller: Caller;
  room: RoomRow;
  /** The KPB the room is bound to. */
  roomKpb: KpbRow | null;
  /** Resolved by the dispatcher for kpb- and conference-scoped commands. */
  kpb: KpbRow | null;
  /** Every KPB named by a repeatable `--kpb` flag (the first is `kpb`). */
  kpbs: KpbRow[];
  conference: ConferenceRow | null;
  settings: RuntimeSettings;
  /** Writes one row of the audit log, in the command's transaction; returns its id (unique per change, so it can key what the change queues). */
  audit(action: string, entity: string, entityId: number | null, details: Record<string, unknown>): number;
}

export interface CommandDef<S extends z.ZodType = z.ZodType> {
  id: string;
  names: Names;
  /** Further spellings accepted when typed (e.g. `durchgeführt`). */
  aliases?: string[];
  summary: MessageKey;
  args: ArgSpec[];
  flags: FlagSpec[];
  input: S;
  access: Access;
  /** For a conference command: what an invitee who may not run it most likely meant (params: the number as {id}). */
  inviteeHint?: MessageKey;
  /**
   * Reads and changes nothing (status, lists, help): it runs with the database read-only, and when the event
   * writes nothing but the record that it was handled (the person and the room are known), that record is
   * committed without waiting for the disk (see commitWithoutWaiting).
   */
  readOnly?: true;
  run(ctx: CommandContext, input: z.infer<S>): Reply | Reply[];
}

export function defineCommand<S extends z.ZodType>(def: CommandDef<S>): CommandDef<S> {
  return def;
}

/**
 * A refusal the user can act on: the transaction is rolled back and the message shown. Its parameters often
 * quote what was typed, so control and bidi characters in them are made visible.
 */
export class UserError extends Error {
  readonly params: Params;
  constructor(
    readonly key: MessageKey,
    params: Params = {},
  ) {
    super(key);
    this.params = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === "string" ? visible(v) : v]));
  }
}

/** `x ?? raise(new UserError(…))`: refuse inside an expression. */
export function raise(e: Error): never {
  throw e;
}
