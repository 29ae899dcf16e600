// The Matrix adapter on matrix-bot-sdk: commands in rooms (`!siko …` or a mention; anything in the bot's own
// direct rooms), answers as threaded replies, invitations in direct rooms the bot creates itself (unencrypted),
// answers by reaction (and MSC3381 polls where enabled), edits with m.replace. It translates; the core decides.
//
// Two rules carry the guarantees. (1) Every event an outbox row produces is sent with PUT …/send/{type}/{txnId}
// and a txnId derived from the outbox key, so a resend after a crash or a timeout is the same event: the
// homeserver answers with the first event id. (2) The sync token is stored only after the events of that
// sync were handled, so a crash makes the next start see them again, and the core's dedup by event id
// makes the repeat harmless. On start, reactions to open invitations are read back from the homeserver, so
// an answer given while the bot was down counts.
import { createHash, randomUUID } from "node:crypto";
import { dirname, resolve } from "node:path";
import { inspect } from "node:util";
import { LogLevel, LogService, MatrixClient, type ICryptoStorageProvider, type IStorageProvider } from "matrix-bot-sdk";
import { ConfigError, type Config } from "../../src/config.ts";
import { translate } from "../../src/messages/i18n/catalogue.ts";
import { plain } from "../../src/messages/rich.ts";
import {
  Unreachable,
  type AdapterCapabilities,
  type AdapterHost,
  type Address,
  type Attachment,
  type ButtonAction,
  type ChatAdapter,
  type DeliveryReceipt,
  type EventHandler,
  type EventResult,
  type OutboundMessage,
} from "../../src/port.ts";
import { describe, errcodeOf, networkCodeOf, nothingStored, redact, retryAfterMs, statusOf, toPortError } from "./errors.ts";
import { normaliseKey, pollContent, reactionButtons, renderMessage, replacement, type MessageContent } from "./render.ts";
import { StateStorage, SYNC_TOKEN_KEY } from "./stateStorage.ts";

export interface MatrixAdapterOptions {
  homeserverUrl: string;
  accessToken: string;
  /** SIKO_MATRIX_E2EE: use end-to-end encryption where the native crypto library is present. */
  e2ee: boolean;
  /** Where the crypto store lives when E2EE is on. */
  cryptoDir: string;
  /** User ids (`@a:b`) and server names (`b`) whose room invitations the bot accepts. */
  allowedInviters: readonly string[];
  /** SIKO_MATRIX_POLLS: an MSC3381 poll besides the reactions. */
  polls: boolean;
  /** Long-poll timeout of /sync. */
  syncTimeoutMs?: number;
}

/** A custom state event in each direct room the bot creates: it finds the room again after a crash. */
export const DIRECT_MARKER = "org.siko.direct";
const POLL_RESPONSE_TYPES = ["org.matrix.msc3381.poll.response", "m.poll.response"];
const SYNC_FILTER = { presence: { not_types: ["*"] }, room: { timeline: { limit: 50 }, ephemeral: { not_types: ["*"] } } };
const REPLY_TRIES = 5;

/** What the bot remembers of a message with answer controls: where it is, who may answer, and how. */
interface AnswerEntry {
  room: string;
  /** The person it was addressed to; only their reaction counts. Null in a group room (the core decides). */
  to: string | null;
  direct: boolean;
  /** Reaction key (normalised) → action; for a poll, answer id → action. */
  actions: Record<string, ButtonAction>;
  startsAt: string;
  open: boolean;
  poll?: boolean;
}

/** Posts one event of a unit (see MatrixAdapter.transactions); content made lazily when it costs an upload. */
type Put = (type: string, content: Record<string, unknown> | (() => Promise<Record<string, unknown>>), txnId: string) => Promise<string>;

type RawEvent = { event_id: string; type: string; sender: string; state_key?: string; content?: Record<string, unknown>; origin_server_ts?: number; unsigned?: Record<string, unknown> };

/** matrix-bot-sdk's client, with its sync handing each event to an awaited handler (not a fire-and-forget emitter). */
class SyncClient extends MatrixClient {
  handler: (type: string, ...payload: unknown[]) => Promise<void> = async () => {};
  /** When the last sync answered, and the last sync error since then (for the operator's /readyz). */
  lastSyncAt: number | null = null;
  lastSyncError: string | null = null;

  constructor(url: string, token: string, storage: IStorageProvider, crypto?: ICryptoStorageProvider) {
    super(url, token, storage, crypto);
    // The token of a sync is stored after its events were handled: a crash before that replays them.
    this.persistTokenAfterSync = true;
  }

  protected override startSyncInternal(): Promise<void> {
    return this.startSync((type, ...payload) => this.handler(type, ...payload));
  }

  protected override async doSync(token: string): Promise<unknown> {
    try {
      const res = await super.doSync(token);
      this.lastSyncAt = Date.now();
      this.lastSyncError = null;
      return res;
    } catch (e) {
      this.lastSyncError = describe(e);
      throw e;
    }
  }
}

/** The txnId of one event an outbox row (or a reply) produces: deterministic, so a resend is the same event. */
export function txnIdFor(key: string, part: string): string {
  return `siko.${createHash("sha256").update(key).digest("base64url").slice(0, 32)}.${part}`;
}

/**
 * The command in a message, or null when the message is not for the bot: it starts with `!siko`, mentions the
 * bot (m.mentions, its MXID, or its display name at the start), or was written in one of the bot's direct rooms.
 */
export function commandTextOf(content: Record<string, unknown>, direct: boolean, bot: { userId: string; displayName: string | null }): string | null {
  if (typeof content.body !== "string") return null;
  // A reply's fallback quote (older clients) is not part of the command.
  const body = content.body.replace(/^(>.*\n)+\n?/, "").trim();
  if (/^[!/]siko\b/i.test(body)) return body;
  const mentions = (content["m.mentions"] as { user_ids?: unknown } | undefined)?.user_ids;
  const name = bot.displayName?.toLowerCase();
  // The display name counts as a word of its own at the start ("siko-bot: status 1", not "siko-botschaft").
  const startsWithName = (t: string) => !!name && t.toLowerCase().startsWith(name) && /^(?:$|[\s:,])/.test(t.slice(name.length));
  if ((Array.isArray(mentions) && mentions.includes(bot.userId)) || body.includes(bot.userId) || startsWithName(body)) {
    let text = body.split(bot.userId).join(" ").trim();
    if (startsWithName(text)) text = text.slice(name!.length);
    return text.replace(/^\s*[:,]?\s*/, "").trim();
  }
  return direct ? body : null;
}

export function isInviterAllowed(inviter: string, allowed: readonly string[]): boolean {
  const server = inviter.slice(inviter.indexOf(":") + 1).toLowerCase();
  return allowed.some((a) => (a.startsWith("@") ? a === inviter : a.replace(/^:/, "").toLowerCase() === server));
}

/** How many invitations have their answers read back at once at start. */
const RECONCILE_AT_ONCE = 8;

export class MatrixAdapter implements ChatAdapter {
  readonly platform = "matrix" as const;
  readonly capabilities: AdapterCapabilities = { buttons: true, files: true, edits: true, dedupesByKey: true, answerGesture: "reaction" };
  private client!: SyncClient;
  private storage: StateStorage | null = null;
  private host!: AdapterHost;
  private onEvent!: EventHandler;
  private userId = "";
  private displayName: string | null = null;
  private e2eeActive = false;
  private readonly directLocks = new Map<string, Promise<string>>();
  private stopped = false;

  constructor(private readonly opts: MatrixAdapterOptions) {}

  /** The bot's Matrix user id (after start). */
  get botUserId(): string {
    return this.userId;
  }

  async start(host: AdapterHost, onEvent: EventHandler): Promise<void> {
    this.host = host;
    this.onEvent = onEvent;
    this.stopped = false;
    this.routeSdkLogs();
    const cryptoStore = await this.cryptoStore();
    this.storage = new StateStorage(host.state);
    const client = new SyncClient(this.opts.homeserverUrl, this.opts.accessToken, this.storage, cryptoStore);
    client.syncingTimeout = this.opts.syncTimeoutMs ?? 30_000;
    // Events of a client that was stopped (a sync still in flight) are left for the next start.
    client.handler = async (type, ...payload) => {
      if (client === this.client && !this.stopped) await this.handle(type, payload);
    };
    this.client = client;

    try {
      this.userId = (await client.getWhoAmI()).user_id;
    } catch (e) {
      throw this.startupError(e);
    }
    this.displayName = await client
      .getUserProfile(this.userId)
      .then((p: { displayname?: string }) => p?.displayname ?? null)
      .catch(() => null);
    host.logger.info({ userId: this.userId, homeserver: this.opts.homeserverUrl }, "matrix: signed in");

    this.prune();
    try {
      await this.ensureFilter();
      if (!host.state.get(SYNC_TOKEN_KEY)) await this.skipHistory();
      await this.reconcile();
      await client.start(SYNC_FILTER);
    } catch (e) {
      throw this.startupError(e);
    }
  }

  /** Ready while the sync runs: its last long poll answered within twice its timeout and no error came since. */
  async readiness(): Promise<{ ready: boolean; detail?: string }> {
    const client = this.client;
    if (!client || this.stopped) return { ready: false, detail: "not started" };
    if (client.lastSyncError) return { ready: false, detail: `sync failing (${redact(client.lastSyncError, this.opts.accessToken).slice(0, 80)})` };
    const limit = 2 * (this.opts.syncTimeoutMs ?? 30_000) + 10_000;
    if (client.lastSyncAt === null || Date.now() - client.lastSyncAt > limit) return { ready: false, detail: "no sync yet" };
    return { ready: true };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.storage?.freeze();
    this.client?.stop();
  }

  // --- sending -----------------------------------------------------------------------------------

  async send(to: Address, msg: OutboundMessage, key: string): Promise<DeliveryReceipt> {
    try {
      const direct = to.kind === "user";
      const roomId = direct ? await this.directRoom(to.id) : to.id;
      return await this.transactions(key, roomId, async (put) => {
        const eventId = await put("m.room.message", renderMessage(msg), txnIdFor(key, "text"));
        const reacts = reactionButtons(msg);
        if (reacts.length > 0 && msg.rsvp) {
          const actions = Object.fromEntries(reacts.map((b) => [normaliseKey(b.emoji!), b.action]));
          this.remember(eventId, { room: roomId, to: direct ? to.id : null, direct, actions, startsAt: msg.rsvp.startsAt, open: true });
        }
        if (msg.attachment) await this.sendFile(put, msg.attachment, key, null);
        for (const [i, b] of reacts.entries()) await put("m.reaction", { "m.relates_to": { rel_type: "m.annotation", event_id: eventId, key: b.emoji } }, txnIdFor(key, `react.${i}`));
        if (this.opts.polls && reacts.length > 0 && msg.rsvp) {
          const title = msg.view ? plain(msg.view.title) : msg.text.split("\n")[0]!;
          const poll = pollContent(msg, translate(msg.locale, "matrix.pollQuestion", { title }));
          const pollId = await put("org.matrix.msc3381.poll.start", poll, txnIdFor(key, "poll"));
          const actions = Object.fromEntries((msg.buttons ?? []).filter((b) => !b.needsText).map((b) => [String(b.action.data.answer ?? b.label), b.action]));
          this.remember(pollId, { room: roomId, to: direct ? to.id : null, direct, actions, startsAt: msg.rsvp.startsAt, open: true, poll: true });
        }
        return { messageId: eventId };
      });
    } catch (e) {
      throw toPortError(e, this.opts.accessToken);
    }
  }

  async edit(to: Address, messageId: string, msg: OutboundMessage, key: string): Promise<void> {
    try {
      // An edit is valid only in the room of the original (spec, event replacements): the room the message was
      // sent to, which is no longer the person's direct room once they came back after leaving it.
      const entry = this.entry(messageId);
      const roomId = to.kind === "room" ? to.id : (entry?.room ?? this.host.state.get(`dm.user:${to.id}`) ?? (await this.directRoom(to.id)));
      await this.transactions(key, roomId, (put) => put("m.room.message", replacement(messageId, renderMessage(msg)), txnIdFor(key, "edit")));
      // Once a conference moved, was cancelled or began, reactions to this copy no longer answer.
      if (entry && msg.rsvp && entry.open !== (msg.rsvp.state === "open")) this.remember(messageId, { ...entry, open: msg.rsvp.state === "open" });
    } catch (e) {
      throw toPortError(e, this.opts.accessToken);
    }
  }

  /**
   * The events of one outbox row (or the replies to one event), each with a txnId of our own (the SDK's
   * sendEvent makes a time-based one). The homeserver drops a repeated txnId only for a while (Synapse: about
   * half an hour), so the attempt is noted once before the first event and cleared when all went out: a resend
   * that finds the note first looks for its events in the room's history, and posts only what is not there.
   */
  private async transactions<T>(unit: string, roomId: string, send: (put: Put) => Promise<T>): Promise<T> {
    const { state, clock } = this.host;
    const marker = `txn:${unit}`;
    const fresh = !state.get(marker);
    let earlier = new Map<string, string>();
    if (fresh) state.set(marker, String(clock.now().getTime()));
    else earlier = await this.sentBefore(roomId);
    let posted = false;
    try {
      const result = await send(async (type, content, txnId) => {
        const id = earlier.get(txnId) ?? (await this.putRaw(roomId, type, typeof content === "function" ? await content() : content, txnId));
        posted = true;
        return id;
      });
      state.delete(marker);
      return result;
    } catch (e) {
      // A first attempt refused before anything of the unit was stored (a 429, a refused connection): the retry
      // needs no look at the history.
      if (fresh && !posted && nothingStored(e)) state.delete(marker);
      throw e;
    }
  }

  /** The bot's recent events in a room by their txnId (the sender's device sees its own transaction ids). */
  private async sentBefore(roomId: string): Promise<Map<string, string>> {
    const filter = JSON.stringify({ senders: [this.userId], lazy_load_members: true });
    const page = (await this.client.doRequest("GET", `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages`, { dir: "b", limit: 200, filter }).catch(() => null)) as {
      chunk?: RawEvent[];
    } | null;
    const mine = (page?.chunk ?? []).filter((e) => e.sender === this.userId && typeof e.unsigned?.transaction_id === "string");
    return new Map(mine.map((e) => [e.unsigned!.transaction_id as string, e.event_id]));
  }

  private async putRaw(roomId: string, type: string, content: Record<string, unknown>, txnId: string): Promise<string> {
    let eventType = type;
    let body = content;
    if (this.e2eeActive && (await this.client.crypto?.isRoomEncrypted(roomId))) {
      body = (await this.client.crypto.encryptRoomEvent(roomId, type, content)) as unknown as Record<string, unknown>;
      eventType = "m.room.encrypted";
    }
    const path = `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/${encodeURIComponent(eventType)}/${encodeURIComponent(txnId)}`;
    const res = (await this.client.doRequest("PUT", path, null, body)) as { event_id?: string };
    if (!res?.event_id) throw new Error(`the homeserver answered without an event id (${path})`);
    return res.event_id;
  }

  /** The .ics as an m.file; uploaded only when its event is to be posted (not on a resend that finds it). */
  private async sendFile(put: Put, file: Attachment, key: string, relatesTo: Record<string, unknown> | null): Promise<void> {
    const bytes = Buffer.from(file.content, "utf8");
    await put(
      "m.room.message",
      async () => ({
        msgtype: "m.file",
        body: file.filename,
        filename: file.filename,
        url: await this.client.uploadContent(bytes, file.contentType, file.filename),
        info: { mimetype: file.contentType.split(";")[0], size: bytes.length },
        "m.mentions": {},
        ...(relatesTo ? { "m.relates_to": relatesTo } : {}),
      }),
      txnIdFor(key, "file"),
    );
  }

  // --- direct rooms ------------------------------------------------------------------------------

  /**
   * The bot's own direct room with a person: created once, unencrypted, marked direct (is_direct, m.direct).
   * Creating a room cannot be repeated safely, so the attempt is recorded first and, after a crash, the room
   * is found again by the marker state event that the creation carried.
   */
  private directRoom(userId: string): Promise<string> {
    const gone = this.host.state.get(`dm.gone:${userId}`);
    if (gone) return Promise.reject(new Unreachable(`${userId} left or rejected the direct room ${gone}`));
    const known = this.host.state.get(`dm.user:${userId}`);
    if (known) return Promise.resolve(known);
    const running = this.directLocks.get(userId);
    if (running) return running;
    const p = this.createDirectRoom(userId).finally(() => this.directLocks.delete(userId));
    this.directLocks.set(userId, p);
    return p;
  }

  private async createDirectRoom(userId: string): Promise<string> {
    const { state, logger } = this.host;
    const pending = state.get(`dm.pending:${userId}`);
    if (pending) {
      const found = await this.findDirectRoom(userId, pending);
      if (found) return this.rememberDirect(userId, found);
    }
    const attempt = randomUUID();
    state.set(`dm.pending:${userId}`, attempt);
    const roomId = await this.client.createRoom({
      preset: "trusted_private_chat",
      is_direct: true,
      invite: [userId],
      initial_state: [{ type: DIRECT_MARKER, state_key: "", content: { user: userId, attempt } }],
    });
    logger.info({ userId, roomId }, "matrix: created a direct room");
    return this.rememberDirect(userId, roomId);
  }

  private async findDirectRoom(userId: string, attempt: string): Promise<string | null> {
    for (const roomId of await this.client.getJoinedRooms()) {
      const marker = await this.client.getRoomStateEvent(roomId, DIRECT_MARKER, "").catch(() => null);
      if (marker?.user === userId && marker?.attempt === attempt) {
        this.host.logger.warn({ userId, roomId }, "matrix: found the direct room created before a crash");
        return roomId;
      }
    }
    return null;
  }

  private async rememberDirect(userId: string, roomId: string): Promise<string> {
    const { state } = this.host;
    state.set(`dm.user:${userId}`, roomId);
    state.set(`dm.room:${roomId}`, userId);
    state.delete(`dm.pending:${userId}`);
    // m.direct tells the bot's other sessions (and a person looking at its account) which rooms are direct.
    try {
      const direct = ((await this.client.getAccountData("m.direct").catch(() => ({}))) ?? {}) as Record<string, string[]>;
      if (!direct[userId]?.includes(roomId)) await this.client.setAccountData("m.direct", { ...direct, [userId]: [...(direct[userId] ?? []), roomId] });
    } catch (e) {
      this.host.logger.warn({ err: describe(e, this.opts.accessToken) }, "matrix: could not update m.direct");
    }
    return roomId;
  }

  // --- inbound -----------------------------------------------------------------------------------

  /** Every event of a sync, in order; the sync token is stored only after all of them came back from here. */
  private async handle(type: string, payload: unknown[]): Promise<void> {
    try {
      if (type === "room.message") await this.onMessage(payload[0] as string, payload[1] as RawEvent);
      else if (type === "room.event") await this.onRoomEvent(payload[0] as string, payload[1] as RawEvent);
      else if (type === "room.invite") await this.onInvite(payload[0] as string, payload[1] as RawEvent);
      else if (type === "room.join") this.host.reachable({ platform: "matrix", kind: "room", id: payload[0] as string });
      else if (type === "room.leave") this.onBotLeft(payload[0] as string);
    } catch (e) {
      // One broken event must not stop the sync; its effect (if any) is deduplicated when it comes again.
      this.host.logger.error({ err: describe(e, this.opts.accessToken), type }, "matrix: could not handle an event");
    }
  }

  private isDirect(roomId: string): boolean {
    return this.host.state.get(`dm.room:${roomId}`) !== undefined || this.host.state.get(`direct:${roomId}`) !== undefined;
  }

  private async onMessage(roomId: string, ev: RawEvent): Promise<void> {
    if (ev.sender === this.userId || !ev.content) return;
    const rel = ev.content["m.relates_to"] as { rel_type?: string } | undefined;
    if (rel?.rel_type === "m.replace") return; // an edited command is not run again
    if (ev.content.msgtype !== "m.text") return; // notices are other bots talking
    const direct = this.isDirect(roomId);
    const text = commandTextOf(ev.content, direct, { userId: this.userId, displayName: this.displayName });
    if (text === null) return;
    const result = await this.onEvent({ kind: "command", eventId: ev.event_id, sender: { platform: "matrix", id: ev.sender }, room: { platform: "matrix", id: roomId, direct }, text });
    const thread = ev.content["m.relates_to"] as { rel_type?: string; event_id?: string } | undefined;
    const root = thread?.rel_type === "m.thread" && thread.event_id ? thread.event_id : ev.event_id;
    await this.reply(roomId, ev, result, { root, inReplyTo: ev.event_id, mention: direct ? null : ev.sender });
  }

  private async onRoomEvent(roomId: string, ev: RawEvent): Promise<void> {
    if (ev.type === "m.reaction") return this.onReaction(roomId, ev);
    if (POLL_RESPONSE_TYPES.includes(ev.type)) return this.onPollResponse(roomId, ev);
    if (ev.type === "m.room.member") return this.onMembership(roomId, ev);
    if (ev.type === "m.room.encrypted" && !this.e2eeActive && ev.sender !== this.userId) return this.onEncrypted(roomId, ev);
  }

  private async onReaction(roomId: string, ev: RawEvent): Promise<void> {
    if (ev.sender === this.userId) return;
    const rel = ev.content?.["m.relates_to"] as { rel_type?: string; event_id?: string; key?: string } | undefined;
    if (rel?.rel_type !== "m.annotation" || !rel.event_id || typeof rel.key !== "string") return;
    const entry = this.entry(rel.event_id);
    // A copy that says the conference moved, was cancelled or began takes no answers (its edit says why).
    const action = entry?.open && !entry.poll ? entry.actions[normaliseKey(rel.key)] : undefined;
    if (!entry || !action) return;
    await this.answer(roomId, ev, rel.event_id, entry, action);
  }

  private async onPollResponse(roomId: string, ev: RawEvent): Promise<void> {
    const rel = ev.content?.["m.relates_to"] as { rel_type?: string; event_id?: string } | undefined;
    const response = (ev.content?.["org.matrix.msc3381.poll.response"] ?? ev.content?.["m.poll.response"]) as { answers?: unknown[] } | undefined;
    const answer = response?.answers?.[0];
    if (ev.sender === this.userId || rel?.rel_type !== "m.reference" || !rel.event_id || typeof answer !== "string") return;
    const entry = this.entry(rel.event_id);
    const action = entry?.open && entry.poll ? entry.actions[answer] : undefined;
    if (!entry || !action) return;
    await this.answer(roomId, ev, rel.event_id, entry, action);
  }

  /** An answer by reaction or poll: only from the person the message was for; confirmed in the message's thread. */
  private async answer(roomId: string, ev: RawEvent, target: string, entry: AnswerEntry, action: ButtonAction): Promise<void> {
    if (entry.to !== null && entry.to !== ev.sender) {
      this.host.logger.info({ sender: ev.sender, target }, "matrix: ignored an answer by somebody the message was not for");
      return;
    }
    const result = await this.onEvent({ kind: "action", eventId: ev.event_id, sender: { platform: "matrix", id: ev.sender }, room: { platform: "matrix", id: roomId, direct: entry.direct }, action });
    await this.reply(roomId, ev, result, { root: target, inReplyTo: target, mention: entry.direct ? null : ev.sender });
  }

  /** A person left or rejected their direct room: their address is unreachable until they come back. */
  private async onMembership(roomId: string, ev: RawEvent): Promise<void> {
    const user = ev.state_key;
    if (!user || user === this.userId || this.host.state.get(`dm.room:${roomId}`) !== user) return;
    const membership = ev.content?.membership;
    if (membership === "leave" || membership === "ban") {
      if (!this.host.state.get(`dm.gone:${user}`)) this.host.logger.warn({ user, roomId }, "matrix: a person left or rejected the direct room; messages to them wait");
      this.host.state.set(`dm.gone:${user}`, roomId);
    } else if (membership === "join" && this.host.state.get(`dm.gone:${user}`)) {
      this.host.state.delete(`dm.gone:${user}`);
      this.host.reachable({ platform: "matrix", kind: "user", id: user });
    }
  }

  /** The bot itself was removed from a direct room (the person kicked it): like the person leaving. */
  private onBotLeft(roomId: string): void {
    const user = this.host.state.get(`dm.room:${roomId}`);
    if (!user || this.host.state.get(`dm.gone:${user}`)) return;
    this.host.logger.warn({ user, roomId }, "matrix: the bot was removed from a direct room; messages to that person wait");
    this.host.state.set(`dm.gone:${user}`, roomId);
  }

  /**
   * Invitations: accepted from the allowed inviters only. A person who left or rejected their direct room and
   * now invites the bot to a direct chat becomes reachable again: the bot declines their room (Element makes
   * direct chats encrypted, which the bot cannot read) and opens a new unencrypted direct room of its own with
   * the next message. Their invitation to a group room is an ordinary one.
   */
  private async onInvite(roomId: string, ev: RawEvent): Promise<void> {
    const inviter = ev.sender;
    const { state, logger } = this.host;
    const decline = () => this.client.leaveRoom(roomId).catch((e: unknown) => logger.warn({ err: describe(e, this.opts.accessToken) }, "matrix: could not decline an invitation"));
    if (ev.content?.is_direct === true && state.get(`dm.gone:${inviter}`)) {
      await decline();
      state.delete(`dm.gone:${inviter}`);
      const old = state.get(`dm.user:${inviter}`);
      if (old) state.delete(`dm.room:${old}`);
      state.delete(`dm.user:${inviter}`);
      logger.info({ inviter }, "matrix: a person who had left the direct room wrote again; a new direct room follows");
      this.host.reachable({ platform: "matrix", kind: "user", id: inviter });
      return;
    }
    if (!isInviterAllowed(inviter, this.opts.allowedInviters)) {
      await decline();
      logger.warn({ roomId, inviter }, "matrix: declined an invitation from somebody not on SIKO_MATRIX_ALLOWED_INVITERS");
      return;
    }
    await this.client.joinRoom(roomId);
    if (ev.content?.is_direct === true) state.set(`direct:${roomId}`, inviter);
    logger.info({ roomId, inviter }, "matrix: joined a room");
    const encrypted = await this.client.getRoomStateEvent(roomId, "m.room.encryption", "").catch(() => null);
    if (encrypted && !this.e2eeActive) await this.warnEncrypted(roomId);
  }

  private async onEncrypted(roomId: string, _ev: RawEvent): Promise<void> {
    if (this.host.state.get(`encrypted:${roomId}`)) return;
    await this.warnEncrypted(roomId);
  }

  /** Says once per room, unencrypted, that the bot cannot read this room. */
  private async warnEncrypted(roomId: string): Promise<void> {
    const { state } = this.host;
    if (state.get(`encrypted:${roomId}`)) return;
    state.set(`encrypted:${roomId}`, "1");
    const text = `${translate("de", "matrix.encryptedRoom")}\n\n${translate("en", "matrix.encryptedRoom")}`;
    const unit = `encrypted:${roomId}`;
    await this.transactions(unit, roomId, (put) => put("m.room.message", renderMessage({ text, locale: "de" }, { notice: true }), txnIdFor(unit, "notice"))).catch(() => undefined);
  }

  // --- replies in context --------------------------------------------------------------------------

  /**
   * The replies of a command or an answer, in the thread of `root`. A redelivered event (outcome "duplicate")
   * is answered only if its first answer never went out; the txnIds are derived from the event id, so a
   * repeat within the homeserver's transaction window is the same event anyway.
   */
  private async reply(roomId: string, ev: RawEvent, result: EventResult, at: { root: string; inReplyTo: string; mention: string | null }): Promise<void> {
    const marker = `replied:${ev.event_id}`;
    if (result.outcome === "duplicate" && this.host.state.get(marker)) return;
    const relation = { rel_type: "m.thread", event_id: at.root, is_falling_back: true, "m.in_reply_to": { event_id: at.inReplyTo } };
    const unit = `reply:${ev.event_id}`;
    await this.transactions(unit, roomId, async (put) => {
      for (const [i, r] of result.replies.entries()) {
        // The answer controls belong to the invitation; a reply shows its text (the state is in the edited invitation).
        const { buttons: _b, rsvp: _r, ...reply } = r;
        const content: MessageContent = { ...renderMessage(reply, { mentions: at.mention ? [at.mention] : [], notice: true }), "m.relates_to": relation };
        await this.withRetries(() => put("m.room.message", content, txnIdFor(unit, String(i))));
        if (reply.attachment) await this.withRetries(() => this.sendFile(put, reply.attachment!, `${unit}:${i}`, relation));
      }
    });
    this.host.state.set(marker, String(this.host.clock.now().getTime()));
  }

  /** Replies are not in the outbox: a rate limit or a short outage is waited out here, a few times. */
  private async withRetries<T>(f: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await f();
      } catch (e) {
        const status = statusOf(e);
        const transient = status === 429 || (status !== undefined && status >= 500) || (status === undefined && networkCodeOf(e) !== undefined);
        if (!transient || attempt >= REPLY_TRIES || this.stopped) throw e;
        await new Promise((r) => setTimeout(r, Math.min(retryAfterMs(e) ?? 1000 * attempt, 30_000)));
      }
    }
  }

  // --- start-up ----------------------------------------------------------------------------------

  /**
   * The sync filter, made here rather than by the SDK: the SDK drops the sync token whenever it makes a new
   * filter, and a sync without a token would run the last commands of every room again.
   */
  private async ensureFilter(): Promise<void> {
    const stored = this.storage!.getFilter();
    if (stored && JSON.stringify(stored.filter) === JSON.stringify(SYNC_FILTER)) return;
    const res = (await this.client.doRequest("POST", `/_matrix/client/v3/user/${encodeURIComponent(this.userId)}/filter`, null, SYNC_FILTER)) as { filter_id: string };
    // The SDK types the id as a number; the spec makes it a string (Conduit's are not numeric): kept as given.
    this.storage!.setFilter({ id: res.filter_id as unknown as number, filter: SYNC_FILTER });
  }

  /**
   * A first start reads no history: it takes the current position of the sync (so old `!siko` lines in
   * rooms the bot is in are not run now), and answers the invitations waiting for it.
   */
  private async skipHistory(): Promise<void> {
    const res = (await this.client.doRequest("GET", "/_matrix/client/v3/sync", { timeout: 0, filter: JSON.stringify({ room: { timeline: { limit: 0 } } }) })) as {
      next_batch: string;
      rooms?: { invite?: Record<string, { invite_state?: { events?: RawEvent[] } }> };
    };
    for (const [roomId, room] of Object.entries(res.rooms?.invite ?? {})) {
      const invite = room.invite_state?.events?.find((e) => e.type === "m.room.member" && e.state_key === this.userId);
      if (invite) await this.handle("room.invite", [roomId, invite]);
    }
    this.host.state.set(SYNC_TOKEN_KEY, res.next_batch);
  }

  /**
   * Answers given to open invitations while the bot was down: read back from the relations, a few invitations at
   * a time (start waits for this, and a state-wide installation has hundreds open), then taken oldest first
   * across all of them, so that of two answers for one agency on different copies the later one counts.
   */
  private async reconcile(): Promise<void> {
    const now = this.host.clock.now().getTime();
    const open = this.host.state
      .entries("answer:")
      .map(([key, value]) => ({ eventId: key.slice("answer:".length), entry: JSON.parse(value) as AnswerEntry }))
      .filter(({ entry }) => entry.open && Date.parse(entry.startsAt) > now);
    // Per invitation, its related events in the order the homeserver gave them; ties in time keep that order.
    const found: Array<{ room: string; ev: RawEvent; invitation: number; index: number }> = [];
    for (let i = 0; i < open.length; i += RECONCILE_AT_ONCE) {
      await Promise.all(
        open.slice(i, i + RECONCILE_AT_ONCE).map(async ({ eventId, entry }, j) => {
          try {
            (await this.relationsOf(entry.room, eventId)).forEach((ev, index) => found.push({ room: entry.room, ev, invitation: i + j, index }));
          } catch (e) {
            this.host.logger.warn({ err: describe(e, this.opts.accessToken), eventId }, "matrix: could not read the answers to an invitation");
          }
        }),
      );
    }
    found.sort((a, b) => (a.ev.origin_server_ts ?? 0) - (b.ev.origin_server_ts ?? 0) || a.invitation - b.invitation || a.index - b.index);
    for (const { room, ev } of found) await this.handle("room.event", [room, ev]);
    if (found.length > 0) this.host.logger.info({ answers: found.length }, "matrix: read back the answers to open invitations");
  }

  /** Every event related to `eventId` (the reactions and replies to an invitation), all pages. */
  private async relationsOf(roomId: string, eventId: string): Promise<RawEvent[]> {
    const related: RawEvent[] = [];
    let from: string | undefined;
    do {
      const page = (await this.client.doRequest("GET", `/_matrix/client/v1/rooms/${encodeURIComponent(roomId)}/relations/${encodeURIComponent(eventId)}`, {
        dir: "f",
        limit: 100,
        ...(from ? { from } : {}),
      })) as { chunk: RawEvent[]; next_batch?: string };
      related.push(...page.chunk);
      from = page.next_batch;
    } while (from);
    return related;
  }

  /** Forgets answer entries of conferences long past, and reply markers and attempts given up after two weeks. */
  private prune(): void {
    const now = this.host.clock.now().getTime();
    for (const [key, value] of this.host.state.entries("answer:")) if (Date.parse((JSON.parse(value) as AnswerEntry).startsAt) < now - 60 * 86_400_000) this.host.state.delete(key);
    for (const prefix of ["replied:", "txn:"]) for (const [key, value] of this.host.state.entries(prefix)) if (Number(value) < now - 14 * 86_400_000) this.host.state.delete(key);
  }

  private remember(eventId: string, entry: AnswerEntry): void {
    this.host.state.set(`answer:${eventId}`, JSON.stringify(entry));
  }

  private entry(eventId: string): AnswerEntry | null {
    const raw = this.host.state.get(`answer:${eventId}`);
    return raw ? (JSON.parse(raw) as AnswerEntry) : null;
  }

  /** End-to-end encryption only where asked for and the native library is really there; one log line either way. */
  private async cryptoStore(): Promise<ICryptoStorageProvider | undefined> {
    const { logger } = this.host;
    const lib = (await import("@matrix-org/matrix-sdk-crypto-nodejs").catch(() => null)) as { isStub?: boolean } | null;
    const present = lib !== null && lib.isStub !== true;
    if (!this.opts.e2ee) {
      logger.info({ e2ee: false }, "matrix: end-to-end encryption is off (SIKO_MATRIX_E2EE is not set); the bot uses unencrypted rooms");
      return undefined;
    }
    if (!present) {
      logger.warn({ e2ee: false }, "matrix: SIKO_MATRIX_E2EE=true, but the native crypto library is not installed (the stub is); running without end-to-end encryption, encrypted rooms cannot be read");
      return undefined;
    }
    const { RustSdkCryptoStorageProvider } = await import("matrix-bot-sdk");
    this.e2eeActive = true;
    logger.info({ e2ee: true, store: this.opts.cryptoDir }, "matrix: end-to-end encryption is on");
    return new RustSdkCryptoStorageProvider(this.opts.cryptoDir);
  }

  /** The SDK's log lines go to the bot's logger, at most at warn, with the token removed. */
  private routeSdkLogs(): void {
    const { logger } = this.host;
    const line = (module: string, args: unknown[]) => ({ sdk: module, msg: redact(args.map((a) => (typeof a === "string" ? a : inspect(a, { depth: 2 }))).join(" "), this.opts.accessToken) });
    LogService.setLogger({
      trace: () => {},
      debug: (m: string, ...a: unknown[]) => logger.debug(line(m, a)),
      info: (m: string, ...a: unknown[]) => logger.debug(line(m, a)),
      warn: (m: string, ...a: unknown[]) => logger.warn(line(m, a)),
      // The SDK logs every non-2xx answer as an error; what matters is decided and logged by the adapter.
      error: (m: string, ...a: unknown[]) => logger.debug(line(m, a)),
    });
    LogService.setLevel(LogLevel.DEBUG);
    LogService.muteModule("Metrics");
  }

  private startupError(e: unknown): ConfigError {
    const url = this.opts.homeserverUrl;
    const code = networkCodeOf(e);
    const errcode = errcodeOf(e);
    const status = statusOf(e);
    if (status === 401 || errcode === "M_UNKNOWN_TOKEN" || errcode === "M_MISSING_TOKEN")
      return new ConfigError(`SIKO_MATRIX_ACCESS_TOKEN: the homeserver at ${url} refused the access token (${errcode ?? status}). Log in as the bot again and set the new token.`);
    if (code || status === undefined)
      return new ConfigError(`SIKO_MATRIX_HOMESERVER_URL: cannot reach the homeserver at ${url} (${code ?? describe(e, this.opts.accessToken)}). Is the address right and the homeserver running?`);
    return new ConfigError(`SIKO_MATRIX_HOMESERVER_URL: ${url} answered ${describe(e, this.opts.accessToken)} to /account/whoami; is it the homeserver's client API address (without /_matrix)?`);
  }
}

/** The adapter as the composition root makes it from the configuration. */
export function createMatrixAdapter(config: Config): MatrixAdapter {
  return new MatrixAdapter({
    homeserverUrl: config.SIKO_MATRIX_HOMESERVER_URL!.replace(/\/+$/, ""),
    accessToken: config.SIKO_MATRIX_ACCESS_TOKEN!,
    e2ee: config.SIKO_MATRIX_E2EE,
    cryptoDir: resolve(dirname(resolve(config.SIKO_DB_PATH)), "matrix-crypto"),
    allowedInviters: [...config.SIKO_MATRIX_ALLOWED_INVITERS, ...config.SIKO_ADMINS.filter((a) => a.startsWith("@"))],
    polls: config.SIKO_MATRIX_POLLS,
  });
}
