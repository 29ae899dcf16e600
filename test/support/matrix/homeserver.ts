// A small Matrix homeserver for the tests, shaped after the Client-Server API specification (v1.11,
// matrix-org/matrix-spec `data/api/client-server/`), not after what our adapter happens to call: sync as a long
// poll with `since`, `timeout`, `filter` and `full_state`; send with transaction ids that are idempotent per
// device and endpoint; room state; createRoom with presets, `is_direct` and `initial_state`; join, invite, leave (a rejected
// invite is a leave); account data (m.direct); media upload and download; relations and redactions (the
// redaction algorithm strips the content, and redacted annotations leave the relations); /messages for
// history; whoami; and errors as the spec words them (M_UNKNOWN_TOKEN, M_FORBIDDEN, M_NOT_FOUND, M_DUPLICATE_ANNOTATION,
// M_LIMIT_EXCEEDED with retry_after_ms and Retry-After). Tests can make it answer 429 or 502 for a while, like a busy server
// or a proxy whose homeserver restarts. Everything lives in memory; one server name, no federation.
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface HsUser {
  userId: string;
  accessToken: string;
  deviceId: string;
}

export interface MatrixEvent {
  event_id: string;
  room_id: string;
  type: string;
  sender: string;
  content: Record<string, unknown>;
  origin_server_ts: number;
  state_key?: string;
  redacts?: string;
  unsigned?: Record<string, unknown>;
}

interface Stored {
  pos: number;
  event: MatrixEvent;
  redactedBy?: MatrixEvent;
  /** The sending device's transaction id: shown in `unsigned` to that device only (spec: "the same one which sent it"). */
  txn?: { deviceKey: string; id: string };
}

interface Room {
  id: string;
  timeline: Stored[];
  /** Current state, by `type\u0000state_key`. */
  state: Map<string, Stored>;
}

/** A scripted answer to matching requests: a rate limit, or a gateway error (what a proxy says while the homeserver is down). */
export type Fault = { status: 429; retryAfterMs: number; header?: boolean } | { status: 502 | 503 | 500 };

export interface FaultRule {
  method?: string;
  path: RegExp;
  fault: Fault;
  /** How many requests get it; or `until` (epoch ms) for every request before then. */
  times?: number;
  until?: number;
}

export interface RequestRecord {
  method: string;
  path: string;
  query: URLSearchParams;
  userId?: string;
  status: number;
  body: unknown;
  response: unknown;
}

const SPEC_VERSIONS = ["r0.6.1", "v1.1", "v1.2", "v1.3", "v1.4", "v1.5", "v1.6", "v1.7", "v1.8", "v1.9", "v1.10", "v1.11"];
const DEFAULT_TIMELINE_LIMIT = 20;

class MatrixHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errcode: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const forbidden = (msg: string) => new MatrixHttpError(403, "M_FORBIDDEN", msg);
const notFound = (msg: string) => new MatrixHttpError(404, "M_NOT_FOUND", msg);
const badJson = (msg: string) => new MatrixHttpError(400, "M_BAD_JSON", msg);

/** Content keys the redaction algorithm keeps, per event type (room versions 1–10). */
const KEPT_ON_REDACTION: Record<string, string[]> = {
  "m.room.member": ["membership"],
  "m.room.create": ["creator"],
  "m.room.join_rules": ["join_rule"],
  "m.room.power_levels": ["ban", "events", "events_default", "kick", "redact", "state_default", "users", "users_default"],
  "m.room.history_visibility": ["history_visibility"],
};

type Handler = (req: Ctx) => unknown | Promise<unknown>;

interface Ctx {
  method: string;
  path: string;
  params: string[];
  query: URLSearchParams;
  body: unknown;
  raw: Buffer;
  headers: IncomingMessage["headers"];
  user: HsUser | null;
  /** Set by a handler that answers with bytes (media download). */
  respond?: { status: number; headers: Record<string, string>; bytes: Buffer };
  status?: number;
}

export class TestHomeserver {
  readonly serverName: string;
  private server: Server | null = null;
  private pos = 0;
  private readonly users = new Map<string, HsUser & { displayName?: string }>();
  private readonly byToken = new Map<string, HsUser>();
  private readonly rooms = new Map<string, Room>();
  private readonly eventIndex = new Map<string, { room: Room; stored: Stored }>();
  /** `${userId}|${deviceId}|${method} ${path}` → event id: the spec scopes a transaction id to one device and one endpoint. */
  private readonly txns = new Map<string, string>();
  private readonly accountData = new Map<string, Map<string, { content: Record<string, unknown>; pos: number }>>();
  private readonly filters = new Map<string, Map<string, Record<string, unknown>>>();
  private readonly media = new Map<string, { contentType: string; filename?: string; bytes: Buffer }>();
  private readonly waiters = new Set<() => void>();
  private readonly syncSockets = new Map<import("node:net").Socket, string>();
  private readonly faults: FaultRule[] = [];
  private readonly holds: Array<{ match: (record: RequestRecord) => boolean; onHeld: (record: RequestRecord) => void }> = [];
  private readonly routes: Array<{ method: string; pattern: RegExp; handler: Handler; auth: boolean }> = [];
  /** Every request and its answer, for tests that check what the server said (and against the spec's schemas). */
  readonly log: RequestRecord[] = [];
  url = "";

  constructor(opts: { serverName?: string } = {}) {
    this.serverName = opts.serverName ?? "siko.test";
    this.defineRoutes();
  }

  async listen(port = 0, host = "127.0.0.1"): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    // A sync long poll holds its connection; keep-alive sockets must not keep close() waiting.
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    const addr = this.server.address() as AddressInfo;
    this.url = `http://${host}:${addr.port}`;
    return this.url;
  }

  async close(): Promise<void> {
    for (const w of [...this.waiters]) w();
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }

  // --- administration (what an operator does outside the Client-Server API) ----------------------

  /**
   * Registers a user with one device and returns its access token. `server` gives the user id another server
   * name: a stand-in for a user of another homeserver (there is no federation here).
   */
  registerUser(localpart: string, displayName?: string, accessToken?: string, server = this.serverName): HsUser {
    const userId = `@${localpart}:${server}`;
    const user = { userId, accessToken: accessToken ?? `syt_${localpart}_${randomBytes(12).toString("base64url")}`, deviceId: `DEV${randomBytes(4).toString("hex").toUpperCase()}`, displayName };
    this.users.set(userId, user);
    this.byToken.set(user.accessToken, user);
    return { userId, accessToken: user.accessToken, deviceId: user.deviceId };
  }

  /** The requests matching `rule` get its fault instead of an answer. */
  inject(rule: FaultRule): void {
    this.faults.push({ ...rule });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /**
   * The first request `match` accepts is carried out, but its answer never leaves: the client cannot tell
   * whether it was. For killing a bot between a send and its "delivered" mark.
   */
  holdAnswer(match: (record: RequestRecord) => boolean, onHeld: (record: RequestRecord) => void): void {
    this.holds.push({ match, onHeld });
  }

  /** The room's timeline as the server holds it (redacted events in their redacted form). */
  timeline(roomId: string): MatrixEvent[] {
    return (this.rooms.get(roomId)?.timeline ?? []).map((s) => this.clientEvent(s, true));
  }

  /** Forgets the transaction ids seen so far, as a homeserver does after a while (Synapse: about 30 minutes). */
  forgetTransactions(): void {
    this.txns.clear();
  }

  /** Cuts a user's sync long polls in flight (the connection fails), as a network outage would. */
  dropSyncsOf(userId: string): void {
    for (const [socket, owner] of this.syncSockets) if (owner === userId) socket.destroy();
  }

  accountDataOf(userId: string, type: string): Record<string, unknown> | undefined {
    return this.accountData.get(userId)?.get(type)?.content;
  }

  roomIds(): string[] {
    return [...this.rooms.keys()];
  }

  membership(roomId: string, userId: string): string | undefined {
    return this.rooms.get(roomId)?.state.get(`m.room.member\u0000${userId}`)?.event.content.membership as string | undefined;
  }

  // --- HTTP ---------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const method = req.method ?? "GET";
    const record: RequestRecord = { method, path: url.pathname, query: url.searchParams, status: 0, body: undefined, response: undefined };
    // CORS, so a browser client (Element, Cinny) can be pointed at the standalone server.
    const headers: Record<string, string> = {
      "Access-Control-Allow-Origin": "*",
      "Access-Control-Allow-Methods": "GET, POST, PUT, DELETE, OPTIONS",
      "Access-Control-Allow-Headers": "Origin, X-Requested-With, Content-Type, Accept, Authorization",
    };
    const answer = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      record.status = status;
      record.response = body;
      this.log.push(record);
      if (this.log.length > 5000) this.log.splice(0, 1000);
      res.writeHead(status, { ...headers, "Content-Type": "application/json", ...extra });
      res.end(JSON.stringify(body));
    };
    if (method === "OPTIONS") return void (res.writeHead(204, headers), res.end());

    const fault = this.faultFor(method, url.pathname);
    if (fault) {
      if (fault.status === 429) {
        const extra: Record<string, string> = fault.header === false ? {} : { "Retry-After": String(Math.ceil(fault.retryAfterMs / 1000)) };
        return answer(429, { errcode: "M_LIMIT_EXCEEDED", error: "Too many requests", retry_after_ms: fault.retryAfterMs }, extra);
      }
      // A reverse proxy in front of a homeserver that is down answers with HTML, not JSON.
      record.status = fault.status;
      this.log.push(record);
      res.writeHead(fault.status, { ...headers, "Content-Type": "text/html" });
      return void res.end(`<html><body><h1>${fault.status} Bad Gateway</h1></body></html>`);
    }

    const route = this.routes.find((r) => r.method === method && r.pattern.test(url.pathname));
    if (!route) {
      const known = this.routes.some((r) => r.pattern.test(url.pathname));
      return known
        ? answer(405, { errcode: "M_UNRECOGNIZED", error: "Unrecognized request" })
        : answer(404, { errcode: "M_UNRECOGNIZED", error: "Unrecognized request" });
    }
    const params = route.pattern.exec(url.pathname)!.slice(1).map((p) => decodeURIComponent(p ?? ""));
    const token = (req.headers.authorization ?? "").replace(/^Bearer\s+/i, "") || url.searchParams.get("access_token") || "";
    const user = this.byToken.get(token) ?? null;
    record.userId = user?.userId;
    if (route.auth && !token) return answer(401, { errcode: "M_MISSING_TOKEN", error: "Missing access token" });
    if (route.auth && !user) return answer(401, { errcode: "M_UNKNOWN_TOKEN", error: "Unrecognised access token", soft_logout: false });
    let body: unknown = undefined;
    const isJson = (req.headers["content-type"] ?? "application/json").startsWith("application/json");
    if (raw.length && isJson && !route.pattern.source.includes("upload")) {
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch {
        return answer(400, { errcode: "M_NOT_JSON", error: "Content not JSON." });
      }
    }
    record.body = body;
    const ctx: Ctx = { method, path: url.pathname, params, query: url.searchParams, body, raw, headers: req.headers, user };
    const isSync = url.pathname.endsWith("/sync") && user !== null;
    if (isSync) this.syncSockets.set(req.socket, user.userId);
    try {
      const result = await route.handler(ctx);
      record.status = ctx.status ?? 200;
      record.response = result;
      const hold = ctx.respond ? -1 : this.holds.findIndex((h) => h.match(record));
      if (hold >= 0) {
        const [h] = this.holds.splice(hold, 1);
        this.log.push(record);
        return h!.onHeld(record);
      }
      if (ctx.respond) {
        record.status = ctx.respond.status;
        this.log.push(record);
        res.writeHead(ctx.respond.status, { ...headers, ...ctx.respond.headers });
        return void res.end(ctx.respond.bytes);
      }
      if (req.socket.destroyed) return;
      answer(ctx.status ?? 200, result);
    } catch (e) {
      if (e instanceof MatrixHttpError) return answer(e.status, { errcode: e.errcode, error: e.message, ...e.extra });
      answer(500, { errcode: "M_UNKNOWN", error: String((e as Error)?.message ?? e) });
    } finally {
      if (isSync) this.syncSockets.delete(req.socket);
    }
  }

  private faultFor(method: string, path: string): Fault | null {
    const now = Date.now();
    for (const rule of this.faults) {
      if (rule.method && rule.method !== method) continue;
      if (!rule.path.test(path)) continue;
      if (rule.until !== undefined) {
        if (now < rule.until) return rule.fault;
        continue;
      }
      if ((rule.times ?? 0) > 0) {
        rule.times!--;
        return rule.fault;
      }
    }
    return null;
  }

  private route(method: string, path: string, handler: Handler, auth = true): void {
    // `{x}` is one path segment.
    // A state key may be empty (`/state/m.room.name/`).
    const pattern = new RegExp(`^${path.replace("{stateKey}", "([^/]*)").replace(/\{\w+\}/g, "([^/]+)")}$`);
    this.routes.push({ method, pattern, handler, auth });
  }

  private defineRoutes(): void {
    const C = "/_matrix/client/v3";
    const V1 = "/_matrix/client/v1";
    const sendRoom = C + "/rooms/{roomId}";
    this.route("GET", "/_matrix/client/versions", () => ({ versions: SPEC_VERSIONS, unstable_features: {} }), false);
    this.route("GET", C + "/login", () => ({ flows: [{ type: "m.login.password" }] }), false);
    this.route("POST", C + "/login", (c) => this.login(objectBody(c.body)), false);
    this.route("GET", C + "/account/whoami", (c) => ({ user_id: c.user!.userId, device_id: c.user!.deviceId, is_guest: false }));
    this.route("GET", C + "/capabilities", () => ({ capabilities: { "m.change_password": { enabled: false }, "m.room_versions": { default: "10", available: { "10": "stable" } } } }));
    this.route("GET", C + "/pushrules/", () => ({ global: { override: [], content: [], room: [], sender: [], underride: [] } }));
    this.route("GET", C + "/profile/{userId}", (c) => this.profile(c.params[0]!));
    this.route("GET", C + "/profile/{userId}/displayname", (c) => ({ displayname: this.profile(c.params[0]!).displayname }));
    this.route("POST", C + "/user/{userId}/filter", (c) => this.createFilter(c));
    this.route("GET", C + "/user/{userId}/filter/{filterId}", (c) => {
      const f = this.filters.get(c.user!.userId)?.get(c.params[1]!);
      if (!f || c.params[0] !== c.user!.userId) throw notFound("No such filter");
      return f;
    });
    this.route("GET", C + "/user/{userId}/account_data/{type}", (c) => {
      if (c.params[0] !== c.user!.userId) throw forbidden("Cannot get account data for other users.");
      const d = this.accountData.get(c.user!.userId)?.get(c.params[1]!);
      if (!d) throw notFound("Account data not found");
      return d.content;
    });
    this.route("PUT", C + "/user/{userId}/account_data/{type}", (c) => {
      if (c.params[0] !== c.user!.userId) throw forbidden("Cannot add account data for other users.");
      this.setAccountData(c.user!.userId, c.params[1]!, objectBody(c.body));
      return {};
    });
    this.route("GET", C + "/sync", (c) => this.sync(c));
    this.route("GET", C + "/joined_rooms", (c) => ({ joined_rooms: [...this.rooms.values()].filter((r) => this.memberOf(r, c.user!.userId) === "join").map((r) => r.id) }));
    this.route("POST", C + "/createRoom", (c) => ({ room_id: this.createRoom(c.user!, objectBody(c.body)) }));
    this.route("POST", C + "/join/{roomIdOrAlias}", (c) => ({ room_id: this.join(c.user!, c.params[0]!) }));
    this.route("POST", sendRoom + "/join", (c) => ({ room_id: this.join(c.user!, c.params[0]!) }));
    this.route("POST", sendRoom + "/leave", (c) => (this.leave(c.user!, c.params[0]!), {}));
    this.route("POST", sendRoom + "/invite", (c) => {
      const body = objectBody(c.body);
      if (typeof body.user_id !== "string") throw badJson("user_id missing");
      this.invite(c.user!, c.params[0]!, body.user_id, {});
      return {};
    });
    this.route("PUT", sendRoom + "/send/{eventType}/{txnId}", (c) => ({ event_id: this.sendTxn(c, c.params[0]!, c.params[1]!, c.params[2]!) }));
    this.route("PUT", sendRoom + "/state/{eventType}/{stateKey}", (c) => ({ event_id: this.sendState(c.user!, c.params[0]!, c.params[1]!, c.params[2]!, objectBody(c.body)) }));
    this.route("PUT", sendRoom + "/state/{eventType}", (c) => ({ event_id: this.sendState(c.user!, c.params[0]!, c.params[1]!, "", objectBody(c.body)) }));
    this.route("GET", sendRoom + "/state", (c) => {
      return [...this.visibleRoom(c.user!, c.params[0]!).state.values()].map((s) => this.clientEvent(s, true, c.user!));
    });
    this.route("GET", sendRoom + "/state/{eventType}/{stateKey}", (c) => this.stateContent(c, c.params[0]!, c.params[1]!, c.params[2]!));
    this.route("GET", sendRoom + "/state/{eventType}", (c) => this.stateContent(c, c.params[0]!, c.params[1]!, ""));
    this.route("GET", sendRoom + "/event/{eventId}", (c) => {
      const { room, upTo } = this.visibleRoom(c.user!, c.params[0]!);
      const found = this.eventIndex.get(c.params[1]!);
      if (!found || found.room !== room || found.stored.pos > upTo) throw notFound("Event not found.");
      return this.clientEvent(found.stored, true, c.user!);
    });
    this.route("GET", sendRoom + "/joined_members", (c) => {
      // rooms.yaml: "The current user must be in the room for it to work" – a former member gets 403, unlike /members.
      const visible = this.visibleRoom(c.user!, c.params[0]!);
      if (visible.room.state.get(`m.room.member\u0000${c.user!.userId}`)?.event.content.membership !== "join") throw forbidden(`User ${c.user!.userId} not in room ${c.params[0]!}`);
      const joined: Record<string, { display_name?: string }> = {};
      for (const [key, s] of visible.state) if (key.startsWith("m.room.member\u0000") && s.event.content.membership === "join") joined[s.event.state_key!] = { display_name: s.event.content.displayname as string | undefined };
      return { joined };
    });
    this.route("GET", sendRoom + "/members", (c) => {
      return { chunk: [...this.visibleRoom(c.user!, c.params[0]!).state.entries()].filter(([k]) => k.startsWith("m.room.member\u0000")).map(([, s]) => this.clientEvent(s, true, c.user!)) };
    });
    this.route("GET", sendRoom + "/messages", (c) => this.messages(c));
    this.route("PUT", sendRoom + "/redact/{eventId}/{txnId}", (c) => ({ event_id: this.redact(c) }));
    this.route("PUT", sendRoom + "/typing/{userId}", () => ({}));
    this.route("POST", sendRoom + "/receipt/{receiptType}/{eventId}", () => ({}));
    this.route("POST", sendRoom + "/read_markers", () => ({}));
    for (const base of [V1 + "/rooms/{roomId}/relations/{eventId}", V1 + "/rooms/{roomId}/relations/{eventId}/{relType}", V1 + "/rooms/{roomId}/relations/{eventId}/{relType}/{eventType}"])
      this.route("GET", base, (c) => this.relations(c));
    this.route("POST", "/_matrix/media/v3/upload", (c) => this.upload(c));
    this.route("GET", "/_matrix/media/v3/config", () => ({ "m.upload.size": 50 * 1024 * 1024 }));
    this.route("GET", V1 + "/media/config", () => ({ "m.upload.size": 50 * 1024 * 1024 }));
    for (const base of ["/_matrix/media/v3/download/{serverName}/{mediaId}", V1 + "/media/download/{serverName}/{mediaId}"]) {
      const authed = base.startsWith(V1);
      this.route("GET", base, (c) => this.download(c), authed);
      this.route("GET", base + "/{fileName}", (c) => this.download(c), authed);
    }
  }

  // --- rooms and events ------------------------------------------------------------------------------

  private memberOf(room: Room, userId: string): string | undefined {
    return room.state.get(`m.room.member\u0000${userId}`)?.event.content.membership as string | undefined;
  }

  private roomOr404(roomId: string): Room {
    const room = this.rooms.get(roomId);
    if (!room) throw notFound(`Unknown room ${roomId}`);
    return room;
  }

  /**
   * A room whose state and history a user may read: joined now, or was. A former member reads the history up
   * to the leave and "the state of the room when they left" (spec, GET /rooms/{roomId}/state), nothing after.
   */
  private visibleRoom(user: HsUser, roomId: string): { room: Room; upTo: number; state: Map<string, Stored> } {
    const room = this.rooms.get(roomId);
    const member = room?.state.get(`m.room.member\u0000${user.userId}`);
    const m = member?.event.content.membership;
    if (!room || !member || m === "invite") throw forbidden(`User ${user.userId} not in room ${roomId}`);
    return m === "join" ? { room, upTo: this.pos, state: room.state } : { room, upTo: member.pos, state: this.stateAt(room, member.pos + 1) };
  }

  private append(room: Room, event: Omit<MatrixEvent, "event_id" | "room_id" | "origin_server_ts">): MatrixEvent {
    const full: MatrixEvent = { ...event, event_id: `$${randomBytes(16).toString("base64url")}`, room_id: room.id, origin_server_ts: Date.now() };
    const stored: Stored = { pos: ++this.pos, event: full };
    room.timeline.push(stored);
    this.eventIndex.set(full.event_id, { room, stored });
    if (full.state_key !== undefined) {
      const prev = room.state.get(`${full.type}\u0000${full.state_key}`);
      if (prev) full.unsigned = { ...full.unsigned, replaces_state: prev.event.event_id, prev_content: prev.event.content };
      room.state.set(`${full.type}\u0000${full.state_key}`, stored);
    }
    this.wake();
    return full;
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  private createRoom(user: HsUser, body: Record<string, unknown>): string {
    const preset = (body.preset as string | undefined) ?? (body.visibility === "public" ? "public_chat" : "private_chat");
    if (!["private_chat", "trusted_private_chat", "public_chat"].includes(preset)) throw new MatrixHttpError(400, "M_INVALID_PARAM", `Unknown preset ${preset}`);
    const invitees = Array.isArray(body.invite) ? (body.invite as string[]) : [];
    const room: Room = { id: `!${randomBytes(12).toString("base64url")}:${this.serverName}`, timeline: [], state: new Map() };
    this.rooms.set(room.id, room);
    const roomVersion = (body.room_version as string | undefined) ?? "10";
    const creation = (body.creation_content as Record<string, unknown> | undefined) ?? {};
    const state = (type: string, content: Record<string, unknown>, stateKey = "") => this.append(room, { type, sender: user.userId, state_key: stateKey, content });
    state("m.room.create", { ...creation, creator: user.userId, room_version: roomVersion });
    state("m.room.member", { membership: "join", displayname: this.users.get(user.userId)?.displayName }, user.userId);
    const users: Record<string, number> = { [user.userId]: 100 };
    if (preset === "trusted_private_chat") for (const i of invitees) users[i] = 100;
    state("m.room.power_levels", {
      users,
      users_default: 0,
      events: { "m.room.name": 50, "m.room.power_levels": 100, "m.room.history_visibility": 100, "m.room.canonical_alias": 50, "m.room.avatar": 50, "m.room.encryption": 100 },
      events_default: 0,
      state_default: 50,
      ban: 50,
      kick: 50,
      redact: 50,
      invite: 0,
      ...((body.power_level_content_override as Record<string, unknown> | undefined) ?? {}),
    });
    state("m.room.join_rules", { join_rule: preset === "public_chat" ? "public" : "invite" });
    state("m.room.history_visibility", { history_visibility: "shared" });
    if (preset !== "public_chat") state("m.room.guest_access", { guest_access: "can_join" });
    for (const ev of (body.initial_state as Array<{ type: string; state_key?: string; content: Record<string, unknown> }> | undefined) ?? [])
      state(ev.type, ev.content, ev.state_key ?? "");
    if (typeof body.name === "string") state("m.room.name", { name: body.name });
    if (typeof body.topic === "string") state("m.room.topic", { topic: body.topic });
    for (const invitee of invitees) this.invite(user, room.id, invitee, body.is_direct === true ? { is_direct: true } : {});
    return room.id;
  }

  private invite(user: HsUser, roomId: string, target: string, extra: Record<string, unknown>): void {
    const room = this.roomOr404(roomId);
    if (this.memberOf(room, user.userId) !== "join") throw forbidden(`${user.userId} is not in the room`);
    const current = this.memberOf(room, target);
    if (current === "join") throw forbidden(`${target} is already in the room.`);
    if (current === "ban") throw forbidden(`${target} is banned from the room`);
    if (!/^@[^:]+:.+$/.test(target)) throw new MatrixHttpError(400, "M_INVALID_PARAM", "Invalid user id");
    this.append(room, { type: "m.room.member", sender: user.userId, state_key: target, content: { membership: "invite", displayname: this.users.get(target)?.displayName, ...extra } });
  }

  private join(user: HsUser, roomIdOrAlias: string): string {
    const room = this.roomOr404(roomIdOrAlias);
    const m = this.memberOf(room, user.userId);
    if (m === "join") return room.id;
    const rule = room.state.get("m.room.join_rules\u0000")?.event.content.join_rule;
    if (m !== "invite" && rule !== "public") throw forbidden("You are not invited to this room.");
    this.append(room, { type: "m.room.member", sender: user.userId, state_key: user.userId, content: { membership: "join", displayname: this.users.get(user.userId)?.displayName } });
    return room.id;
  }

  private leave(user: HsUser, roomId: string): void {
    const room = this.roomOr404(roomId);
    const m = this.memberOf(room, user.userId);
    if (m !== "join" && m !== "invite") throw forbidden(`User ${user.userId} is not in room ${roomId}`);
    this.append(room, { type: "m.room.member", sender: user.userId, state_key: user.userId, content: { membership: "leave" } });
  }

  /**
   * A device's transaction: the first request makes the event, a retransmission (same device, same method and
   * path, so the same txnId in another room or on another endpoint is a new request) gets the same event id.
   */
  private transaction(c: Ctx, roomId: string, txnId: string, make: (room: Room) => MatrixEvent): string {
    const user = c.user!;
    const key = `${deviceKey(user)}|${c.method} ${c.path}`;
    const earlier = this.txns.get(key);
    if (earlier) return earlier;
    const room = this.roomOr404(roomId);
    if (this.memberOf(room, user.userId) !== "join") throw forbidden(`User ${user.userId} not in room ${roomId}`);
    const ev = make(room);
    this.eventIndex.get(ev.event_id)!.stored.txn = { deviceKey: deviceKey(user), id: txnId };
    this.txns.set(key, ev.event_id);
    return ev.event_id;
  }

  private sendTxn(c: Ctx, roomId: string, type: string, txnId: string): string {
    return this.transaction(c, roomId, txnId, (room) => {
      const content = objectBody(c.body);
      const sender = c.user!.userId;
      // Spec (event annotations, server behaviour): a second annotation with the same type and key on the same event is refused.
      const rel = content["m.relates_to"] as { rel_type?: string; event_id?: string; key?: string } | undefined;
      const same = (s: Stored) => {
        const r = s.event.content["m.relates_to"] as typeof rel;
        return !s.redactedBy && s.event.sender === sender && s.event.type === type && r?.rel_type === "m.annotation" && r.event_id === rel!.event_id && r.key === rel!.key;
      };
      if (rel?.rel_type === "m.annotation" && room.timeline.some(same)) throw new MatrixHttpError(400, "M_DUPLICATE_ANNOTATION", "Can't send same reaction twice");
      return this.append(room, { type, sender, content });
    });
  }

  private sendState(user: HsUser, roomId: string, type: string, stateKey: string, content: Record<string, unknown>): string {
    const room = this.roomOr404(roomId);
    if (this.memberOf(room, user.userId) !== "join") throw forbidden(`User ${user.userId} not in room ${roomId}`);
    if (type === "m.room.member") throw forbidden("Use the membership endpoints");
    return this.append(room, { type, sender: user.userId, state_key: stateKey, content }).event_id;
  }

  private stateContent(c: Ctx, roomId: string, type: string, stateKey: string): unknown {
    const s = this.visibleRoom(c.user!, roomId).state.get(`${type}\u0000${stateKey}`);
    if (!s) throw notFound("Event not found.");
    const event = this.clientEvent(s, true, c.user!);
    return c.query.get("format") === "event" ? event : event.content;
  }

  private redact(c: Ctx): string {
    const [roomId, eventId, txnId] = c.params as [string, string, string];
    const user = c.user!;
    return this.transaction(c, roomId, txnId, (room) => {
      const target = this.eventIndex.get(eventId);
      if (!target || target.room !== room) throw notFound("Event not found.");
      const levels = room.state.get("m.room.power_levels\u0000")?.event.content as { users?: Record<string, number>; users_default?: number; redact?: number } | undefined;
      const level = levels?.users?.[user.userId] ?? levels?.users_default ?? 0;
      if (target.stored.event.sender !== user.userId && level < (levels?.redact ?? 50)) throw forbidden("You don't have permission to redact events");
      const body = objectBody(c.body);
      const redaction = this.append(room, { type: "m.room.redaction", sender: user.userId, redacts: eventId, content: { ...(typeof body.reason === "string" ? { reason: body.reason } : {}) } });
      target.stored.redactedBy = redaction;
      return redaction;
    });
  }

  /**
   * An event as `viewer` sees it (the test's own view, `timeline()`, has none); a redacted one with the content
   * the redaction algorithm keeps.
   */
  private clientEvent(s: Stored, withRoomId: boolean, viewer?: HsUser): MatrixEvent {
    const e = s.event;
    const out: MatrixEvent = { ...e, unsigned: { ...(e.unsigned ?? {}), age: Math.max(0, Date.now() - e.origin_server_ts) } };
    if (s.txn && viewer && deviceKey(viewer) === s.txn.deviceKey) out.unsigned!.transaction_id = s.txn.id;
    if (s.redactedBy) {
      const keep = KEPT_ON_REDACTION[e.type] ?? [];
      out.content = Object.fromEntries(Object.entries(e.content).filter(([k]) => keep.includes(k)));
      out.unsigned = { ...out.unsigned, redacted_because: { ...s.redactedBy } };
    }
    if (!withRoomId) delete (out as Partial<MatrixEvent>).room_id;
    return out;
  }

  // --- sync --------------------------------------------------------------------------------------

  private createFilter(c: Ctx): { filter_id: string } {
    if (c.params[0] !== c.user!.userId) throw forbidden("Cannot create filters for other users");
    const mine = this.filters.get(c.user!.userId) ?? new Map();
    this.filters.set(c.user!.userId, mine);
    const id = String(mine.size + 1);
    mine.set(id, objectBody(c.body));
    return { filter_id: id };
  }

  private async sync(c: Ctx): Promise<unknown> {
    const user = c.user!;
    const sinceRaw = c.query.get("since");
    const since = sinceRaw === null ? null : parseToken(sinceRaw);
    if (sinceRaw !== null && since === null) throw new MatrixHttpError(400, "M_INVALID_PARAM", "Invalid since token");
    const timeout = Math.min(Math.max(Number(c.query.get("timeout") ?? 0) || 0, 0), 60_000);
    const filterParam = c.query.get("filter");
    let filter: Record<string, unknown> = {};
    if (filterParam?.startsWith("{")) filter = JSON.parse(filterParam) as Record<string, unknown>;
    else if (filterParam) filter = this.filters.get(user.userId)?.get(filterParam) ?? {};
    const limit = Number(((filter.room as Record<string, unknown> | undefined)?.timeline as Record<string, unknown> | undefined)?.limit ?? DEFAULT_TIMELINE_LIMIT);
    const fullState = c.query.get("full_state") === "true";
    const deadline = Date.now() + timeout;
    for (;;) {
      const upTo = this.pos;
      const response = this.syncResponse(user, since, upTo, limit, fullState);
      // An initial sync, a full_state sync and one with news answer at once; otherwise wait for news or the timeout.
      if (since === null || fullState || hasNews(response) || Date.now() >= deadline || !this.server) return response;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, Math.max(0, deadline - Date.now()));
        this.waiters.add(done);
      });
    }
  }

  private syncResponse(user: HsUser, since: number | null, upTo: number, limit: number, fullState: boolean) {
    const from = since ?? 0;
    const join: Record<string, unknown> = {};
    const invite: Record<string, unknown> = {};
    const leave: Record<string, unknown> = {};
    for (const room of this.rooms.values()) {
      const member = room.state.get(`m.room.member\u0000${user.userId}`);
      if (!member) continue;
      const m = member.event.content.membership as string;
      const changedSince = member.pos > from;
      if (m === "invite") {
        if (since === null || changedSince) invite[room.id] = { invite_state: { events: this.strippedState(room, user.userId) } };
        continue;
      }
      if (m === "join") {
        // A room joined since `since` comes with its recent history, as in an initial sync (history is "shared").
        const newlyJoined = since !== null && changedSince;
        const events = room.timeline.filter((s) => (newlyJoined || s.pos > from) && s.pos <= upTo);
        if (since !== null && events.length === 0 && !fullState) continue;
        join[room.id] = this.roomSection(room, user, events, since === null || changedSince || fullState, limit, from);
        continue;
      }
      // Left, rejected or kicked: the room appears once in `leave`, with what happened up to the leave.
      if ((m === "leave" || m === "ban") && since !== null && changedSince) {
        const events = room.timeline.filter((s) => s.pos > from && s.pos <= member.pos);
        leave[room.id] = this.roomSection(room, user, events, false, limit, from);
      }
    }
    const accountEvents = [...(this.accountData.get(user.userId) ?? new Map()).entries()]
      .filter(([, d]) => d.pos > from && d.pos <= upTo)
      .map(([type, d]) => ({ type, content: d.content }));
    return {
      next_batch: `s${upTo}`,
      rooms: { join, invite, leave, knock: {} },
      account_data: { events: accountEvents },
      presence: { events: [] },
      to_device: { events: [] },
      device_lists: { changed: [], left: [] },
      device_one_time_keys_count: {},
    };
  }

  private roomSection(room: Room, viewer: HsUser, events: Stored[], withFullState: boolean, limit: number, from: number) {
    const limited = events.length > limit;
    const shown = limited ? events.slice(events.length - limit) : events;
    const start = shown[0]?.pos ?? this.pos + 1;
    // `state` is the state at the start of the timeline: everything then (initial, newly joined, gap) or
    // what changed in the gap between `since` and the timeline.
    const state = withFullState ? [...this.stateAt(room, start).values()] : limited ? [...this.stateAt(room, start).values()].filter((s) => s.pos > from) : [];
    return {
      timeline: { events: shown.map((s) => this.clientEvent(s, false, viewer)), limited, prev_batch: `s${Math.max(0, start - 1)}` },
      state: { events: state.map((s) => this.clientEvent(s, false, viewer)) },
      account_data: { events: [] },
      ephemeral: { events: [] },
      summary: {},
      unread_notifications: { highlight_count: 0, notification_count: 0 },
    };
  }

  /** The room's state just before stream position `pos`. */
  private stateAt(room: Room, pos: number): Map<string, Stored> {
    const state = new Map<string, Stored>();
    for (const s of room.timeline) if (s.pos < pos && s.event.state_key !== undefined) state.set(`${s.event.type}\u0000${s.event.state_key}`, s);
    return state;
  }

  /** What an invitee sees before joining (the spec's stripped state). */
  private strippedState(room: Room, userId: string) {
    const keys = ["m.room.create\u0000", "m.room.join_rules\u0000", "m.room.name\u0000", "m.room.avatar\u0000", "m.room.topic\u0000", "m.room.encryption\u0000", "m.room.canonical_alias\u0000"];
    const events = keys.flatMap((k) => (room.state.get(k) ? [room.state.get(k)!] : []));
    const invite = room.state.get(`m.room.member\u0000${userId}`)!;
    const inviter = room.state.get(`m.room.member\u0000${invite.event.sender}`);
    if (inviter && inviter !== invite) events.push(inviter);
    events.push(invite);
    return events.map((s) => ({ type: s.event.type, state_key: s.event.state_key!, sender: s.event.sender, content: s.event.content }));
  }

  private setAccountData(userId: string, type: string, content: Record<string, unknown>): void {
    const mine = this.accountData.get(userId) ?? new Map();
    this.accountData.set(userId, mine);
    mine.set(type, { content, pos: ++this.pos });
    this.wake();
  }

  // --- history and relations ---------------------------------------------------------------------

  private messages(c: Ctx): unknown {
    const { room, upTo } = this.visibleRoom(c.user!, c.params[0]!);
    const dir = c.query.get("dir");
    if (dir !== "b" && dir !== "f") throw new MatrixHttpError(400, "M_INVALID_PARAM", "dir must be b or f");
    const filterRaw = c.query.get("filter");
    const filter = (filterRaw ? JSON.parse(filterRaw) : {}) as { senders?: string[]; types?: string[] };
    const wanted = (s: Stored) => s.pos <= upTo && (!filter.senders || filter.senders.includes(s.event.sender)) && (!filter.types || filter.types.includes(s.event.type));
    const { from, chunk, next } = this.page(c, room.timeline.filter(wanted), dir, 10, upTo);
    // `end` is left out when no further events are available.
    return { start: `s${from}`, chunk: chunk.map((s) => this.clientEvent(s, true, c.user!)), ...(next ? { end: next } : {}) };
  }

  private relations(c: Ctx): unknown {
    const [roomId, eventId, relType, eventType] = c.params as [string, string, string?, string?];
    const { room, upTo } = this.visibleRoom(c.user!, roomId);
    const target = this.eventIndex.get(eventId);
    if (!target || target.room !== room || target.stored.pos > upTo) throw notFound("Event not found.");
    const related = room.timeline.filter((s) => {
      // Redacted events lose their relation: an annotation taken back no longer counts.
      if (s.redactedBy || s.pos > upTo) return false;
      const rel = s.event.content["m.relates_to"] as { rel_type?: string; event_id?: string } | undefined;
      return rel?.event_id === eventId && (!relType || rel.rel_type === relType) && (!eventType || s.event.type === eventType);
    });
    const { chunk, next } = this.page(c, related, c.query.get("dir") === "f" ? "f" : "b", 50, upTo);
    return { chunk: chunk.map((s) => this.clientEvent(s, true, c.user!)), ...(next ? { next_batch: next } : {}) };
  }

  /**
   * One page of `events` (in stream order) for the `from` and `limit` of the request. A token `sN` is the
   * position after event N, as /sync's next_batch and prev_batch are, so each endpoint takes the others'.
   */
  private page(c: Ctx, events: Stored[], dir: "b" | "f", defaultLimit: number, upTo: number): { from: number; chunk: Stored[]; next?: string } {
    const limit = Math.min(Number(c.query.get("limit") ?? defaultLimit) || defaultLimit, 1000);
    const fromRaw = c.query.get("from");
    const from = fromRaw === null ? (dir === "b" ? upTo : 0) : parseToken(fromRaw);
    if (from === null) throw new MatrixHttpError(400, "M_INVALID_PARAM", "Invalid from token");
    const ordered = dir === "b" ? events.filter((s) => s.pos <= from).reverse() : events.filter((s) => s.pos > from);
    const chunk = ordered.slice(0, limit);
    const last = chunk.at(-1);
    return { from, chunk, ...(ordered.length > limit && last ? { next: `s${dir === "b" ? last.pos - 1 : last.pos}` } : {}) };
  }

  // --- media ---------------------------------------------------------------------------------------

  private upload(c: Ctx): unknown {
    const id = randomUUID().replace(/-/g, "");
    this.media.set(id, { contentType: String(c.headers["content-type"] ?? "application/octet-stream"), filename: c.query.get("filename") ?? undefined, bytes: c.raw });
    return { content_uri: `mxc://${this.serverName}/${id}` };
  }

  private download(c: Ctx): unknown {
    const [serverName, mediaId, fileName] = c.params as [string, string, string?];
    const m = serverName === this.serverName ? this.media.get(mediaId) : undefined;
    if (!m) throw notFound("Media not found");
    const name = fileName ?? m.filename;
    c.respond = {
      status: 200,
      headers: { "Content-Type": m.contentType, "Content-Length": String(m.bytes.length), ...(name ? { "Content-Disposition": `attachment; filename="${name.replace(/"/g, "")}"` } : {}) },
      bytes: m.bytes,
    };
    return undefined;
  }

  /** Password login for trying the server with a real client: the password of every user is their localpart. */
  private login(body: Record<string, unknown>): unknown {
    const id = body.identifier as { type?: string; user?: string } | undefined;
    const name = id?.user ?? (body.user as string | undefined) ?? "";
    const userId = name.startsWith("@") ? name : `@${name}:${this.serverName}`;
    const known = this.users.get(userId);
    if (body.type !== "m.login.password" || !known || body.password !== userId.slice(1, userId.indexOf(":"))) throw forbidden("Invalid username or password");
    const session = { userId, accessToken: `syt_${randomBytes(16).toString("base64url")}`, deviceId: typeof body.device_id === "string" ? body.device_id : `DEV${randomBytes(4).toString("hex").toUpperCase()}` };
    this.byToken.set(session.accessToken, session);
    return { user_id: userId, access_token: session.accessToken, device_id: session.deviceId, home_server: this.serverName };
  }

  private profile(userId: string): { displayname?: string } {
    const u = this.users.get(userId);
    if (!u) throw notFound("Profile was not found");
    return u.displayName ? { displayname: u.displayName } : {};
  }
}

function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw badJson("Content must be a JSON object.");
  return body as Record<string, unknown>;
}

function deviceKey(user: HsUser): string {
  return `${user.userId}|${user.deviceId}`;
}

function parseToken(token: string): number | null {
  const m = /^s(\d+)$/.exec(token);
  return m ? Number(m[1]) : null;
}

function hasNews(r: { rooms: { join: object; invite: object; leave: object }; account_data: { events: unknown[] } }): boolean {
  return Object.keys(r.rooms.join).length + Object.keys(r.rooms.invite).length + Object.keys(r.rooms.leave).length + r.account_data.events.length > 0;
}
