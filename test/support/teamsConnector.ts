// A local Bot Connector service: what Teams runs at an activity's `serviceUrl`, shaped after the Bot Connector
// REST API v3 reference (Create Conversation → ConversationResourceResponse, Send to Conversation / Reply to
// Activity → ResourceResponse `{id}`, Update Activity, errors as ErrorResponse `{"error":{"code","message"}}`)
// and Teams' documented answers (403 for a person who has not installed the app or blocked the bot,
// 429/412/502/504 with Retry-After when throttled). It records every request the bot makes, with its bearer token.
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

export interface Scripted {
  status: number;
  retryAfter?: string;
  code?: string;
  /** Carry the request out, then break the connection instead of answering (the bot cannot know it was posted). */
  resetAfterPosting?: boolean;
}

export interface LocalConnector {
  url: string;
  /** Every request that was accepted, in order. */
  requests: ConnectorRequest[];
  /** Requests refused (by the script, a block or a missing token). */
  refused: Array<{ op: string; status: number; conversationId: string }>;
  /** The person (MRI) cannot be messaged: not in the roster of a 1:1 chat, app not installed. */
  block(mri: string): void;
  unblock(mri: string): void;
  /** The next requests get these answers instead of being carried out. */
  answerNext(...answers: Scripted[]): void;
  /** The activities sent into a conversation (sends and replies), with the latest update applied. */
  inConversation(conversationId: string): Array<{ id: string; activity: Record<string, unknown> }>;
  /** The conversation id Teams gives the 1:1 chat of a person with the bot. */
  personalConversationOf(mri: string): string;
  close(): Promise<void>;
}

export async function startConnector(opts: { acceptToken?: (token: string) => boolean } = {}): Promise<LocalConnector> {
  const requests: ConnectorRequest[] = [];
  const refused: LocalConnector["refused"] = [];
  const blocked = new Set<string>();
  const script: Scripted[] = [];
  /** conversation id → the MRI of the person in a 1:1 chat. */
  const personal = new Map<string, string>();
  const personalConversationOf = (mri: string) => `a:${createHash("sha256").update(mri).digest("base64url").slice(0, 40)}`;

  const error = (res: ServerResponse, status: number, code: string, message: string, retryAfter?: string) => {
    res.writeHead(status, { "Content-Type": "application/json", ...(retryAfter ? { "Retry-After": retryAfter } : {}) });
    res.end(JSON.stringify({ error: { code, message } }));
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const path = decodeURI((req.url ?? "").split("?")[0]!);
    const auth = req.headers.authorization;
    const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== "v3" || parts[1] !== "conversations") return error(res, 404, "NotFound", "no such route");
    const op: ConnectorRequest["op"] | null =
      req.method === "POST" && parts.length === 2 ? "create" : req.method === "POST" && parts.length === 4 ? "send" : req.method === "POST" && parts.length === 5 ? "reply" : req.method === "PUT" && parts.length === 5 ? "update" : null;
    if (!op || (parts.length > 2 && parts[3] !== "activities")) return error(res, 405, "MethodNotAllowed", "not supported here");
    const token = auth?.startsWith("Bearer ") ? auth.slice(7) : undefined;
    const conversationId = parts[2] ?? "";
    if (opts.acceptToken && !(token && opts.acceptToken(token))) {
      refused.push({ op, status: 401, conversationId });
      return error(res, 401, "Unauthorized", "Authorization has been denied for this request.");
    }
    const next = script.shift();
    if (next?.resetAfterPosting) {
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      requests.push({ method: req.method === "PUT" ? "PUT" : "POST", op, conversationId, activityId: op === "update" ? parts[4]! : `1:${randomUUID()}`, body, authorization: auth });
      res.socket?.destroy();
      return;
    }
    if (next) {
      refused.push({ op, status: next.status, conversationId });
      return error(res, next.status, next.code ?? "Throttled", "scripted answer", next.retryAfter);
    }
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    if (op === "create") {
      const member = ((body.members as Array<{ id: string }> | undefined) ?? [])[0]?.id ?? "";
      if (blocked.has(member)) {
        refused.push({ op, status: 403, conversationId: "" });
        return error(res, 403, "Forbidden", "The bot is not part of the conversation roster.");
      }
      const id = personalConversationOf(member);
      personal.set(id, member);
      requests.push({ method: "POST", op, conversationId: id, activityId: "", body, authorization: auth });
      res.writeHead(201, { "Content-Type": "application/json" });
      return res.end(JSON.stringify({ id }));
    }
    const person = personal.get(conversationId);
    if (person && blocked.has(person)) {
      refused.push({ op, status: 403, conversationId });
      return error(res, 403, "Forbidden", "The bot is not part of the conversation roster.");
    }
    const activityId = op === "update" ? parts[4]! : `1:${randomUUID()}`;
    requests.push({ method: op === "update" ? "PUT" : "POST", op, conversationId, activityId: op === "reply" ? activityId : activityId, body, authorization: auth });
    res.writeHead(op === "update" ? 200 : 201, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ id: activityId }));
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
    block: (mri) => {
      blocked.add(mri);
      personal.set(personalConversationOf(mri), mri);
    },
    unblock: (mri) => void blocked.delete(mri),
    answerNext: (...a) => void script.push(...a),
    personalConversationOf,
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
