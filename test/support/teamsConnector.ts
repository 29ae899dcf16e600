// A local Bot Connector service: what Teams runs at an activity's `serviceUrl`, shaped after the Bot Connector
// REST API v3 (botframework-connector's Conversations operations): Create Conversation → 201
// ConversationResourceResponse `{id, activityId?}`, Send to Conversation / Reply to Activity → 201 ResourceResponse
// `{id}`, Update Activity (PUT) → 200 `{id}` for an activity posted in that conversation only, and refusals as
// ErrorResponse `{"error":{"code","message"}}` with the codes and messages of Teams' table "Status codes from bot
// conversational APIs" (MicrosoftDocs/msteams-docs, bots/build-conversational-capability.md): 403
// BotNotInConversationRoster / ConversationBlockedByUser / ForbiddenOperationException, 404
// ActivityNotFoundInConversation, 412 PreconditionFailed, 429 Throttled with Retry-After, 500/502 ServiceError,
// 503/504 without a code. It records every request the bot makes, with its bearer token.
import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ConnectorRequest {
  method: "POST" | "PUT";
  /** create: a new 1:1 conversation; send: to a conversation; reply: to an activity; update: an activity changed. */
  op: "create" | "send" | "reply" | "update";
  conversationId: string;
  /** The id of the activity replied to or updated; for create/send/reply the id given to the new activity. */
  activityId: string;
  body: Record<string, unknown>;
  authorization: string | undefined;
}

/**
 * A scripted answer: a refusal by status, with the code and message Teams documents for it (TEAMS_ERRORS), or the
 * request carried out and then the connection broken instead of answering (the bot cannot know it was posted).
 */
export type Scripted = { status: 412 | 429 | 500 | 502 | 503 | 504; retryAfter?: string } | { resetAfterPosting: true };

export interface LocalConnector {
  url: string;
  /** Every request that was accepted, in order. */
  requests: ConnectorRequest[];
  /** Requests refused (by the script, a block or a missing token). */
  refused: Array<{ op: string; status: number; conversationId: string }>;
  /** The person (MRI) cannot be messaged: the app is not installed for them (default), or they blocked the bot. */
  block(mri: string, why?: "not-installed" | "blocked"): void;
  unblock(mri: string): void;
  /** The next requests get these answers instead of being carried out. */
  answerNext(...answers: Scripted[]): void;
  /** The activities sent into a conversation (sends and replies), with the latest update applied. */
  inConversation(conversationId: string): Array<{ id: string; activity: Record<string, unknown> }>;
  /** The conversation id Teams gives the 1:1 chat of a person with the bot. */
  personalConversationOf(mri: string): string;
  /** The members of a team (by its id, the General channel's conversation id), as Get Conversation Paged Members lists them. */
  roster(teamId: string, members: Array<{ mri: string; aad: string; name: string }>): void;
  close(): Promise<void>;
}

/** Teams' documented answers by status (see the head of this file); 503 and 504 come without a code. */
const TEAMS_ERRORS: Record<Extract<Scripted, { status: number }>["status"], { code: string; message: string } | null> = {
  412: { code: "PreconditionFailed", message: "Precondition failed, please try again." },
  429: { code: "Throttled", message: "Too many requests." },
  500: { code: "ServiceError", message: "Internal server error." },
  502: { code: "ServiceError", message: "Service dependency issue." },
  503: null,
  504: null,
};

export async function startConnector(opts: { acceptToken?: (token: string) => boolean; tenantId?: string } = {}): Promise<LocalConnector> {
  const requests: ConnectorRequest[] = [];
  const refused: LocalConnector["refused"] = [];
  /** MRI → why the person cannot be messaged. */
  const blocked = new Map<string, "not-installed" | "blocked">();
  const script: Scripted[] = [];
  /** conversation id → the MRI of the person in a 1:1 chat (the id is derived from the MRI, as Teams keeps one chat per person). */
  const personal = new Map<string, string>();
  /** activity id → the conversation it was posted in (a channel without its thread's `;messageid=`): what may be updated. */
  const posted = new Map<string, string>();
  const personalConversationOf = (mri: string) => {
    const id = `a:${createHash("sha256").update(mri).digest("base64url").slice(0, 40)}`;
    personal.set(id, mri);
    return id;
  };
  const channelOf = (conversationId: string) => conversationId.split(";")[0]!;

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", ...headers });
    res.end(JSON.stringify(body));
  };
  /** An ErrorResponse, as the connector answers every refused operation. */
  const error = (res: ServerResponse, status: number, code: string, message: string, retryAfter?: string) =>
    json(res, status, { error: { code, message } }, retryAfter ? { "Retry-After": retryAfter } : {});
  /** A send to a person who cannot be messaged: into their chat (`create` false) or opening one. */
  const forbidden = (res: ServerResponse, why: "not-installed" | "blocked", create: boolean) =>
    why === "blocked"
      ? error(res, 403, "ConversationBlockedByUser", "User blocked the conversation with the bot.")
      : create
        ? error(res, 403, "ForbiddenOperationException", "Bot isn't installed in user's personal scope")
        : error(res, 403, "BotNotInConversationRoster", "The bot isn't part of the conversation roster.");

  /** Carries out an accepted request: the new activity's id (sends and replies) or the created conversation. */
  const post = (op: ConnectorRequest["op"], conversationId: string, activityId: string, body: Record<string, unknown>, auth: string | undefined): void => {
    requests.push({ method: op === "update" ? "PUT" : "POST", op, conversationId, activityId, body, authorization: auth });
    if (op !== "update" && activityId) posted.set(activityId, channelOf(conversationId));
  };

  const rosters = new Map<string, Array<{ mri: string; aad: string; name: string }>>();
  /**
   * Get Conversation Paged Members: PagedMembersResult `{members, continuationToken?}` with TeamsChannelAccount
   * entries, `pageSize` of them (at most 500) from `continuationToken` on.
   */
  const pagedMembers = (res: ServerResponse, teamId: string, query: URLSearchParams, tenantId: string) => {
    const roster = rosters.get(teamId);
    if (!roster) return error(res, 404, "ConversationNotFound", "Conversation not found.");
    // Teams serves pages of 50 to 500 members (a smaller pageSize counts as 50).
    const size = Math.max(50, Math.min(Number(query.get("pageSize") ?? 200) || 200, 500));
    const from = Number(query.get("continuationToken") ?? 0) || 0;
    const page = roster.slice(from, from + size).map((m) => {
      const [givenName, ...rest] = m.name.split(" ");
      const upn = `${m.name.toLowerCase().replace(/[^a-z]+/g, ".")}@${tenantId.slice(0, 8)}.example`;
      return { id: m.mri, name: m.name, aadObjectId: m.aad, givenName, surname: rest.join(" "), email: upn, userPrincipalName: upn, tenantId, userRole: "user" };
    });
    return json(res, 200, from + size < roster.length ? { continuationToken: String(from + size), members: page } : { members: page });
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const auth = req.headers.authorization;
    // botbuilder encodes each path segment (`19:…@thread.tacv2;messageid=…`): decode each once.
    const [path, search] = (req.url ?? "").split("?") as [string, string | undefined];
    const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== "v3" || parts[1] !== "conversations") return error(res, 404, "NotFound", "no such route");
    if (req.method === "GET" && parts.length === 4 && parts[3] === "pagedmembers") {
      const bearer = auth?.startsWith("Bearer ") ? auth.slice(7) : undefined;
      if (opts.acceptToken && !(bearer && opts.acceptToken(bearer))) return json(res, 401, { message: "Authorization has been denied for this request." });
      return pagedMembers(res, parts[2]!, new URLSearchParams(search ?? ""), opts.tenantId ?? "");
    }
    const op: ConnectorRequest["op"] | null =
      req.method === "POST" && parts.length === 2 ? "create" : req.method === "POST" && parts.length === 4 ? "send" : req.method === "POST" && parts.length === 5 ? "reply" : req.method === "PUT" && parts.length === 5 ? "update" : null;
    if (!op || (parts.length > 2 && parts[3] !== "activities")) return error(res, 405, "MethodNotAllowed", "not supported here");
    const token = auth?.startsWith("Bearer ") ? auth.slice(7) : undefined;
    const conversationId = parts[2] ?? "";
    if (opts.acceptToken && !(token && opts.acceptToken(token))) {
      refused.push({ op, status: 401, conversationId });
      // The connector's authorization filter answers before any operation, in ASP.NET's shape, not an ErrorResponse.
      return json(res, 401, { message: "Authorization has been denied for this request." });
    }
    let body: Record<string, unknown>;
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      refused.push({ op, status: 400, conversationId });
      return error(res, 400, "BadArgument", "The request body is not valid JSON.");
    }
    const next = script.shift();
    if (next && "resetAfterPosting" in next) {
      post(op, conversationId, op === "update" ? parts[4]! : `1:${randomUUID()}`, body, auth);
      res.socket?.destroy();
      return;
    }
    if (next) {
      refused.push({ op, status: next.status, conversationId });
      const documented = TEAMS_ERRORS[next.status];
      if (documented) return error(res, next.status, documented.code, documented.message, next.retryAfter);
      res.writeHead(next.status, next.retryAfter ? { "Retry-After": next.retryAfter } : {});
      return void res.end();
    }
    if (op === "create") {
      // Create Conversation: a 1:1 chat with exactly one person of the tenant; Teams needs the tenant to find them.
      const members = (body.members as Array<{ id?: string }> | undefined) ?? [];
      const tenant = (body.tenantId as string | undefined) ?? (body.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
      // Teams documents 400 BadArgument with a scenario-specific message.
      if (body.isGroup || members.length !== 1 || !members[0]!.id) {
        refused.push({ op, status: 400, conversationId: "" });
        return error(res, 400, "BadArgument", "A 1:1 conversation needs exactly one member.");
      }
      if (!tenant) {
        refused.push({ op, status: 400, conversationId: "" });
        return error(res, 400, "BadSyntax", "Incorrect conversation creation parameters");
      }
      const member = members[0]!.id;
      const why = blocked.get(member);
      if (why) {
        refused.push({ op, status: 403, conversationId: "" });
        return forbidden(res, why, true);
      }
      const id = personalConversationOf(member);
      post(op, id, "", body, auth);
      // An activity in the parameters is posted into the new chat; its id comes back as `activityId`.
      const activity = body.activity as Record<string, unknown> | undefined;
      const activityId = activity ? `1:${randomUUID()}` : undefined;
      if (activity) post("send", id, activityId!, activity, auth);
      return json(res, 201, activityId ? { id, activityId } : { id });
    }
    const person = personal.get(conversationId);
    const why = person ? blocked.get(person) : undefined;
    if (why) {
      refused.push({ op, status: 403, conversationId });
      return forbidden(res, why, false);
    }
    if (op === "update") {
      const activityId = parts[4]!;
      if (posted.get(activityId) !== channelOf(conversationId)) {
        refused.push({ op, status: 404, conversationId });
        return error(res, 404, "ActivityNotFoundInConversation", "Conversation not found.");
      }
      post(op, conversationId, activityId, body, auth);
      return json(res, 200, { id: activityId });
    }
    const activityId = `1:${randomUUID()}`;
    post(op, conversationId, activityId, body, auth);
    json(res, 201, { id: activityId });
  };

  const server: Server = createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (d: string) => (raw += d));
    req.on("end", () => handle(req, res, raw));
  });
  // Azure's front ends keep idle connections for minutes; node's default of 5 s races with a client that reuses
  // a connection just as the server closes it (ECONNRESET), which Teams does not do to a bot.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  return {
    url,
    requests,
    refused,
    block: (mri, why = "not-installed") => {
      blocked.set(mri, why);
      personalConversationOf(mri);
    },
    unblock: (mri) => void blocked.delete(mri),
    answerNext: (...a) => void script.push(...a),
    personalConversationOf,
    roster: (teamId, members) => void rosters.set(teamId, members),
    inConversation(conversationId) {
      const out: Array<{ id: string; activity: Record<string, unknown> }> = [];
      for (const r of requests) {
        if (r.conversationId !== conversationId) continue;
        if (r.op === "send" || r.op === "reply") out.push({ id: r.activityId, activity: r.body });
        if (r.op === "update") {
          const i = out.findIndex((o) => o.id === r.activityId);
          if (i >= 0) out[i] = { id: r.activityId, activity: r.body };
        }
      }
      return out;
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
