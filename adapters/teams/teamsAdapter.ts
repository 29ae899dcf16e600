// The Microsoft Teams adapter: botbuilder's CloudAdapter at POST /api/messages on the bot's HTTP server.
// It translates and nothing more: Teams activities become InboundEvents (commands from @mentions and 1:1
// messages, button presses from `adaptiveCard/action` invokes), the core's replies become Adaptive Cards in the
// turn or the invoke's HTTP response, and the outbox's sends and edits become proactive messages and
// updateActivity calls through stored conversation references. Every botbuilder import stays in this folder.
import { createHash, createHmac, randomBytes } from "node:crypto";
import express, { type Request, type Response } from "express";
import { CloudAdapter, TeamsInfo, TurnContext, type Activity, type ConversationReference, type InvokeResponse, type ResourceResponse } from "botbuilder";
import { AuthenticationError } from "botframework-connector";
import { translate } from "../../src/messages/i18n/catalogue.ts";
import {
  canonicalUserId,
  NotPosted,
  PermanentFailure,
  RetryAfter,
  retryAfterHeaderMs,
  Unreachable,
  type Address,
  type AdapterHost,
  type Attachment,
  type ChatAdapter,
  type DeliveryReceipt,
  type EventHandler,
  type EventResult,
  type HttpHandler,
  type OutboundMessage,
  type Room,
  type Sender,
} from "../../src/port.ts";
import type { Locale } from "../../src/domain/types.ts";
import { botFrameworkAuthentication, TokenUnavailable, type TeamsCredentials } from "./auth.ts";
import { CARD_CONTENT_TYPE, messageCard, REFRESH_VERB, splitLong, summaryOf, type AdaptiveCard, type CardOptions } from "./cards.ts";
import { Pacer } from "./pacing.ts";

export interface TeamsAdapterOptions extends TeamsCredentials {
  /** Tenants whose activities are taken (lower case); empty: any tenant. */
  allowedTenants: string[];
  /** Run without app credentials (no authentication): only for a local try-out. */
  allowAnonymous: boolean;
  /** Bot Framework's endpoint settings by their documented names (process.env in production). */
  env: Record<string, string | undefined>;
  defaultLocale: Locale;
  icsLinkDays: number;
  /** Teams allows about 7 messages per second and 1,800 per hour to one conversation. */
  pacing?: { perSecond: number; perHour: number };
}

export const MESSAGES_PATH = "/api/messages";
const TEAMS_CHANNEL = "msteams";
/**
 * Where the files the bot links are downloaded: calendar files above all, and what a command hands out as a file
 * (a report, a data export). The path keeps its name, which the proxy configurations in use route.
 */
export const ICS_PATH = "/teams/ics";
const DEFAULT_AUDIENCE = "https://api.botframework.com";
const DAY_MS = 86_400_000;
/** A file other than a calendar (a report, a data export) is asked for now and fetched now: its link works a day. */
const OTHER_FILE_LINK_MS = DAY_MS;
/** What a stored file was served as before its type was kept: every linked file was a calendar then. */
const CALENDAR_TYPE = "text/calendar; charset=utf-8; method=REQUEST";

/** What the adapter keeps in its state (host.state, in SQLite), by key prefix. */
const KEY = {
  /**
   * The conversation reference of an address: `user:<aad>` for a person's 1:1 chat, `room:<id>` for a channel
   * (without the `;messageid=` of a thread) or group chat.
   */
  reference: (to: Address) => `${to.kind}:${to.id}`,
  /** What Teams told us of a person (their MRI `29:…`, tenant, service URL): enough to open a 1:1 chat. */
  member: (aad: string) => `member:${aad}`,
  /** A linked file by the hash of its token (the prefix from when only calendar files were linked). */
  file: (hash: string) => `ics:${hash}`,
  icsSecret: "ics-secret",
  bot: "bot",
} as const;

interface Member {
  mri: string;
  tenantId?: string;
  serviceUrl: string;
}

interface StoredFile {
  filename: string;
  /** Absent in links made before the type was kept: those were calendars. */
  contentType?: string;
  content: string;
  expires: number;
}

/** botbuilder's CloudAdapter with its request processing reachable, so this adapter answers HTTP itself. */
class Cloud extends CloudAdapter {
  handle(authHeader: string, activity: Activity, logic: (ctx: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

export class TeamsAdapter implements ChatAdapter {
  readonly platform = "teams" as const;
  // Teams proactive sends carry no client key: after an ambiguous failure nothing is posted again.
  readonly capabilities = { buttons: true, files: false, edits: true, dedupesByKey: false, answerGesture: "button" } as const;
  private host!: AdapterHost;
  /** SIKO_PUBLIC_URL without a trailing slash: where card links point. */
  private ownUrl = "";
  private onEvent!: EventHandler;
  private cloud!: Cloud;
  private readonly pacer: Pacer;
  /** Expired .ics links are dropped by the first link made, not at start: start-up stays quick, and a download checks expiry anyway. */
  private lastPrune = 0;
  private icsSecret?: string;
  private stopped = false;

  constructor(private readonly opts: TeamsAdapterOptions) {
    this.pacer = new Pacer(opts.pacing?.perSecond ?? 7, opts.pacing?.perHour ?? 1800);
  }

  async start(host: AdapterHost, onEvent: EventHandler): Promise<void> {
    this.host = host;
    this.ownUrl = host.publicUrl.replace(/\/+$/, "");
    this.onEvent = onEvent;
    if (!this.opts.appId) {
      if (!this.opts.allowAnonymous) throw new Error("teams: SIKO_TEAMS_APP_ID is not set; set the app credentials, or SIKO_TEAMS_ALLOW_ANONYMOUS=true for a local try-out");
      host.logger.warn({}, "teams: no app credentials, requests to /api/messages are NOT authenticated (SIKO_TEAMS_ALLOW_ANONYMOUS=true); for a local try-out only");
    }
    this.cloud = new Cloud(botFrameworkAuthentication(this.opts, this.opts.env));
    const messages = express.Router();
    // With credentials, a request without a bearer token is refused before its body is read: nobody makes the bot
    // parse half a megabyte, or write a log line, without one.
    const bearer: express.RequestHandler = (req, res, next) => (!this.opts.appId || /^Bearer \S/.test(req.headers.authorization ?? "") ? next() : void unauthorized(res));
    messages.post("/", bearer, express.json({ limit: "512kb" }), (req, res) => void this.receive(req, res));
    host.mount(MESSAGES_PATH, messages as unknown as HttpHandler);
    const ics = express.Router();
    ics.get("/:file", (req, res, next) => this.download(req, res, next));
    host.mount(ICS_PATH, ics as unknown as HttpHandler);
  }

  /** After stop no activity is taken: Teams gets 503 and delivers it again later, to the next process. */
  async stop(): Promise<void> {
    this.stopped = true;
  }

  /** Ready once the endpoint is mounted (the HTTP server starts after the adapters), and until stop. */
  async readiness(): Promise<{ ready: boolean; detail?: string }> {
    if (this.stopped) return { ready: false, detail: "stopping" };
    return this.cloud ? { ready: true } : { ready: false, detail: "endpoint not mounted" };
  }

  /** A log line that prints the adapter must not print its secret. */
  toJSON(): object {
    return { platform: this.platform, appId: this.opts.appId ?? null, appType: this.opts.appType };
  }

  // --- inbound -------------------------------------------------------------------------------------

  private async receive(req: Request, res: Response): Promise<void> {
    if (this.stopped) {
      res.status(503).set("Retry-After", "5").type("text/plain").send("Service Unavailable\n");
      return;
    }
    const body = req.body as Partial<Activity> | undefined;
    if (!body || typeof body !== "object" || typeof body.type !== "string") {
      res.status(400).type("text/plain").send("Bad Request\n");
      return;
    }
    const activity = body as Activity;
    if (typeof activity.timestamp === "string") activity.timestamp = new Date(activity.timestamp);
    if (typeof activity.localTimestamp === "string") activity.localTimestamp = new Date(activity.localTimestamp);
    try {
      const invoke = await this.cloud.handle(String(req.headers.authorization ?? ""), activity, (ctx) => this.turn(ctx));
      res.status(invoke?.status ?? 200);
      if (invoke?.body !== undefined) res.json(invoke.body);
      else res.end();
    } catch (e) {
      if (e instanceof AuthenticationError || (e as { statusCode?: number }).statusCode === 401) {
        // The reason is for the operator; the caller learns nothing but the status.
        this.host.logger.warn({ reason: String((e as Error).message).slice(0, 200), serviceUrl: String(activity.serviceUrl ?? "").slice(0, 200) }, "teams: request refused: not authenticated");
        unauthorized(res);
        return;
      }
      this.host.logger.error({ err: errorSummary(e) }, "teams: turn failed");
      res.status(500).type("text/plain").send("Internal Server Error\n");
    }
  }

  private async turn(ctx: TurnContext): Promise<void> {
    // Replies in the turn keep botbuilder's own retries (a stale keep-alive connection, a 5xx): the person is
    // waiting, the command ran once whatever happens, and a reply shown twice is better than none. Proactive sends
    // (below) have no one waiting and go without them.
    const a = ctx.activity;
    // A bot registration has other channels too (Web Chat is on by default, Direct Line): there the client names
    // `from` and the tenant itself. Only Teams vouches for who a person is, so nothing else is taken.
    if (a.channelId !== TEAMS_CHANNEL) {
      this.host.logger.warn({ channelId: String(a.channelId ?? "").slice(0, 40), type: a.type }, "teams: activity from another channel than Microsoft Teams; ignored");
      if (a.type === "invoke") await ctx.sendActivity({ type: "invokeResponse", value: { status: 403 } });
      return;
    }
    const tenant = tenantOf(a);
    const allowed = this.opts.allowedTenants;
    if (allowed.length > 0 && (!tenant || !allowed.includes(tenant.toLowerCase()))) {
      this.host.logger.warn({ tenant: tenant ?? null, type: a.type }, "teams: activity from a tenant that is not allowed; ignored");
      if (a.type === "invoke") await ctx.sendActivity({ type: "invokeResponse", value: { status: 403 } });
      return;
    }
    this.learn(a);
    switch (a.type) {
      case "message":
        return this.onMessage(ctx);
      case "invoke":
        return this.onInvoke(ctx);
      case "conversationUpdate":
        return this.onConversationUpdate(ctx);
      case "installationUpdate":
        return this.onInstallationUpdate(ctx);
      default:
        return;
    }
  }

  private async onMessage(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    const sender = senderOf(a);
    const room = roomOf(a);
    const to = addressOf(room, sender);
    this.remember(a, to);
    const text = commandText(a);
    if (!text) return;
    const result = await this.onEvent({ kind: "command", eventId: eventIdOf(a), sender, room, text });
    // Teams resends what it thinks went unanswered; the first delivery answered already (or is answering).
    if (result.outcome === "duplicate") return;
    await ctx.sendActivities(result.replies.flatMap((r) => this.activitiesOf(r, to)));
  }

  /** A card button (Action.Execute): the HTTP response is the card as it reads now for this person. */
  private async onInvoke(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    if (a.name !== "adaptiveCard/action") {
      await ctx.sendActivity({ type: "invokeResponse", value: { status: 501 } });
      return;
    }
    const sender = senderOf(a);
    const room = roomOf(a);
    const where = addressOf(room, sender);
    this.remember(a, where);
    const action = (a.value as { action?: { verb?: unknown; data?: unknown } } | undefined)?.action;
    const verb = typeof action?.verb === "string" ? action.verb : "";
    // The card pressed, as it reads now (after the answer, once the core took it).
    const copy = () => (a.replyToId ? this.host.deliveredMessage(where, a.replyToId)?.message : undefined);
    const locale = localeOf(a, this.opts.defaultLocale);
    let card: AdaptiveCard;
    if (verb === REFRESH_VERB) {
      const shown = copy();
      card = shown ? this.card(shown, where) : messageCard({ text: "", locale }, { banner: { text: translate(locale, "teams.cardGone"), tone: "attention" } });
    } else {
      const result = await this.onEvent({ kind: "action", eventId: eventIdOf(a), sender, room, action: { verb, data: actionData(action?.data) } });
      const shown = copy();
      card = this.answerCard(result, shown, where, shown?.locale ?? locale);
    }
    await ctx.sendActivity({ type: "invokeResponse", value: { status: 200, body: { statusCode: 200, type: CARD_CONTENT_TYPE, value: card } } });
  }

  /** The answered card as it reads now (the agency's answer), with what the core said above it. */
  private answerCard(result: EventResult, copy: OutboundMessage | undefined, where: Address, locale: Locale): AdaptiveCard {
    const outcome = result.outcome === "duplicate" ? result.firstOutcome : result.outcome;
    const reply = result.replies[0] ?? { text: translate(locale, "teams.cardGone"), locale };
    const banner = { text: reply.text, tone: outcome === "done" ? ("good" as const) : ("attention" as const) };
    if (copy) return this.card(copy, where, { banner });
    return outcome === "done" ? messageCard(reply) : messageCard({ text: "", locale: reply.locale }, { banner });
  }

  private async onConversationUpdate(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    const botId = a.recipient?.id;
    if ((a.membersAdded ?? []).some((m) => m.id === botId)) await this.installed(ctx);
    // Members of a team the bot is in can be messaged 1:1 from now on (a chat is created for them).
    for (const m of a.membersAdded ?? []) if (m.id !== botId && m.aadObjectId) this.learnMember(m.aadObjectId, { mri: m.id, tenantId: tenantOf(a), serviceUrl: a.serviceUrl });
    if ((a.membersRemoved ?? []).some((m) => m.id === botId)) this.uninstalled(a);
  }

  private async onInstallationUpdate(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    if (a.action === "add" || a.action === "add-upgrade") await this.installed(ctx);
    else if (a.action === "remove" || a.action === "remove-upgrade") this.uninstalled(a);
  }

  /** The app was added for a person or a team/chat: its reference is kept and parked messages go out. */
  private async installed(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    const to = addressOf(roomOf(a), senderOf(a));
    const fresh = this.remember(a, to);
    // Added again (after a removal, or after Teams refused a send with 403): what waits for it goes out now.
    if (!fresh) this.host.reachable(to);
    const locale = localeOf(a, this.opts.defaultLocale);
    if (fresh && to.kind === "user") await ctx.sendActivities(this.activitiesOf({ text: translate(locale, "teams.welcome"), locale }, to));
    const teamId = (a.channelData as { team?: { id?: string } } | undefined)?.team?.id;
    if (teamId) await this.learnTeam(ctx, teamId);
  }

  /**
   * Teams announces only the bot when it is added to a team; members join later one by one. Those already in
   * the team are read from its roster, so that their invitations go out to them now (a 1:1 chat is created).
   */
  private async learnTeam(ctx: TurnContext, teamId: string): Promise<void> {
    const a = ctx.activity;
    try {
      let continuationToken: string | undefined;
      do {
        const page = await TeamsInfo.getPagedTeamMembers(ctx, teamId, 500, continuationToken);
        for (const m of page.members)
          if (m.aadObjectId && m.id !== a.recipient?.id) this.learnMember(m.aadObjectId, { mri: m.id, tenantId: m.tenantId ?? tenantOf(a), serviceUrl: a.serviceUrl });
        continuationToken = page.continuationToken || undefined;
      } while (continuationToken);
    } catch (e) {
      // Nothing is lost: members are learnt as they write to the bot or join the team.
      this.host.logger.warn({ err: errorSummary(e) }, "teams: could not read the team's members");
    }
  }

  private uninstalled(a: Activity): void {
    const key = KEY.reference(addressOf(roomOf(a), senderOf(a)));
    this.host.state.delete(key);
    this.seen.delete(key);
  }

  /** What every activity tells: who the person is to Teams, and the bot's own id. */
  private learn(a: Activity): void {
    if (a.recipient?.id) this.keep(KEY.bot, a.recipient.id);
    const aad = a.from?.aadObjectId;
    if (aad && a.from.id) this.storeMember(canonicalUserId("teams", aad), { mri: a.from.id, tenantId: tenantOf(a), serviceUrl: a.serviceUrl });
  }

  private storeMember(aad: string, m: Member): void {
    this.keep(KEY.member(aad), JSON.stringify(m));
  }

  /** A member of a team the bot is in can be messaged 1:1 (Teams creates the chat): what waits for them goes out. */
  private learnMember(aadObjectId: string, m: Member): void {
    const aad = canonicalUserId("teams", aadObjectId);
    this.storeMember(aad, m);
    this.host.reachable({ platform: "teams", kind: "user", id: aad });
  }

  /** What this process last read or wrote per key: every activity repeats what the state already holds. */
  private readonly seen = new Map<string, string>();

  /** What the state holds under `key`, read once per process (and after each `keep`). */
  private recall(key: string): string | undefined {
    const known = this.seen.get(key);
    if (known !== undefined) return known;
    const value = this.host.state.get(key);
    if (value !== undefined) this.seen.set(key, value);
    return value;
  }

  /** Writes `value` unless the state holds it already; returns what it held before. */
  private keep(key: string, value: string): string | undefined {
    if (this.seen.get(key) === value) return value;
    const before = this.host.state.get(key);
    if (before !== value) this.host.state.set(key, value);
    if (this.seen.size > 50_000) this.seen.clear();
    this.seen.set(key, value);
    return before;
  }

  /**
   * Keeps the conversation reference of a 1:1 chat (by the person) or a channel/group chat (by the room);
   * true when it is new, and then the address is reachable: parked messages to it go out.
   */
  private remember(a: Activity, to: Address): boolean {
    const ref = TurnContext.getConversationReference(a) as ConversationReference;
    // A proactive message to a channel starts a new thread: keep the channel, not the thread it came from.
    if (to.kind === "room") ref.conversation = { ...ref.conversation, id: to.id };
    delete ref.activityId;
    const before = this.keep(KEY.reference(to), JSON.stringify(ref));
    if (before === undefined) this.host.reachable(to);
    return before === undefined;
  }

  // --- outbound: the outbox's sends and edits ------------------------------------------------------

  async send(to: Address, msg: OutboundMessage, _key: string): Promise<DeliveryReceipt> {
    const activities = this.activitiesOf(msg, to);
    const ids = await this.proactive(to, async (ctx) => (await ctx.sendActivities(activities)) as ResourceResponse[]);
    return { messageId: ids[0]?.id };
  }

  async edit(to: Address, messageId: string, msg: OutboundMessage, _key: string): Promise<void> {
    const [activity] = this.activitiesOf(msg, to);
    await this.proactive(to, (ctx) => ctx.updateActivity({ ...activity, id: messageId }));
  }

  /** Runs `fn` in the stored conversation with `to`, opening a 1:1 chat with a known team member first. */
  private async proactive<T>(to: Address, fn: (ctx: TurnContext) => Promise<T>): Promise<T> {
    let ref = this.reference(to);
    if (!ref && to.kind === "user") ref = await this.openChat(to.id);
    if (!ref) throw new Unreachable(`no conversation with ${to.kind} ${to.id} yet: the app is not installed for them`);
    await this.pacer.take(ref.conversation.id);
    let out: T | undefined;
    try {
      await this.cloud.continueConversationAsync(this.opts.appId ?? "", ref, async (ctx) => {
        withoutSdkRetries(ctx);
        out = await fn(ctx);
      });
    } catch (e) {
      throw portError(e);
    }
    return out as T;
  }

  private reference(to: Address): ConversationReference | null {
    const raw = this.host.state.get(KEY.reference(to));
    return raw ? (JSON.parse(raw) as ConversationReference) : null;
  }

  /** Creates the 1:1 chat with a person Teams told us of (a member of a team the bot is in). */
  private async openChat(aad: string): Promise<ConversationReference | null> {
    const raw = this.host.state.get(KEY.member(aad));
    const botId = this.host.state.get(KEY.bot);
    if (!raw || !botId) return null;
    const m = JSON.parse(raw) as Member;
    let ref: ConversationReference | null = null;
    try {
      await this.cloud.createConversationAsync(
        this.opts.appId ?? "",
        TEAMS_CHANNEL,
        m.serviceUrl,
        this.opts.env.ToChannelFromBotOAuthScope || DEFAULT_AUDIENCE,
        { isGroup: false, bot: { id: botId, name: "" }, members: [{ id: m.mri, name: "" }], tenantId: m.tenantId, channelData: m.tenantId ? { tenant: { id: m.tenantId } } : undefined } as never,
        async (ctx) => {
          ref = {
            channelId: TEAMS_CHANNEL,
            serviceUrl: m.serviceUrl,
            conversation: { id: ctx.activity.conversation.id, conversationType: "personal", tenantId: m.tenantId, isGroup: false, name: "" },
            bot: { id: botId, name: "" },
            user: { id: m.mri, name: "", aadObjectId: aad },
          } as ConversationReference;
        },
      );
    } catch (e) {
      throw portError(e);
    }
    if (ref) this.keep(KEY.reference({ platform: "teams", kind: "user", id: aad }), JSON.stringify(ref));
    return ref;
  }

  // --- rendering ------------------------------------------------------------------------------------

  /**
   * The card for a message to `to`: its file as a download link, refreshed for the invited person. A card shown
   * again (refreshed or pressed) comes as it reads now (AdapterHost.deliveredMessage): once the conference has
   * begun its answer buttons are gone, and a moved or cancelled invitation no longer offers its calendar file.
   */
  private card(msg: OutboundMessage, to: Address, extra: Pick<CardOptions, "banner"> = {}): AdaptiveCard {
    const opts: CardOptions = { ...extra, ownUrl: `${this.ownUrl}/` };
    const file = msg.attachment;
    if (file) opts.file = { url: this.fileLink(to, file), filename: file.filename, calendar: isCalendar(file.contentType) };
    if (msg.rsvp && to.kind === "user") {
      const member = this.recall(KEY.member(to.id));
      if (member) opts.refreshFor = [(JSON.parse(member) as Member).mri];
    }
    return messageCard(msg, opts);
  }

  /** One message activity per card; a long plain text is split into several cards. */
  private activitiesOf(msg: OutboundMessage, to: Address): Partial<Activity>[] {
    const parts = splitLong(msg);
    return parts.map((m) => ({
      type: "message",
      summary: summaryOf(m),
      attachments: [{ contentType: CARD_CONTENT_TYPE, content: this.card(m, to) }],
    }));
  }

  // --- files as download links -----------------------------------------------------------------------

  /**
   * A link to `file` for `to`: a calendar file's works for `SIKO_TEAMS_ICS_LINK_DAYS`, another file's for a day.
   * The token is an HMAC of the recipient and the file under a secret kept in the adapter state, so re-rendering
   * the same card (an edit) gives the same link; only its hash is stored, with the file.
   */
  private fileLink(to: Address, file: Attachment): string {
    const token = createHmac("sha256", this.secret()).update(`${to.kind}\u0000${to.id}\u0000${file.content}`).digest("base64url");
    const key = KEY.file(sha256(token));
    const lifetime = isCalendar(file.contentType) ? this.opts.icsLinkDays * DAY_MS : OTHER_FILE_LINK_MS;
    const now = this.host.clock.now().getTime();
    // Teams refreshes the card each time the invited person looks at it: a link that still has more than half its
    // lifetime left is not written again (the token, made from the content, is the same).
    const known = this.host.state.get(key);
    if (!known || (JSON.parse(known) as StoredFile).expires - now < lifetime / 2) {
      const stored: StoredFile = { filename: file.filename, contentType: file.contentType, content: file.content, expires: now + lifetime };
      this.host.state.set(key, JSON.stringify(stored));
    }
    this.pruneLinks();
    // The token goes in the query: the server's error log names the path only.
    return `${this.ownUrl}${ICS_PATH}/${safeFilename(file.filename)}?token=${token}`;
  }

  /** The HMAC key of the links, read once per process. */
  private secret(): string {
    this.icsSecret ??= this.host.state.get(KEY.icsSecret);
    if (!this.icsSecret) this.host.state.set(KEY.icsSecret, (this.icsSecret = randomBytes(32).toString("base64url")));
    return this.icsSecret;
  }

  private download(req: Request, res: Response, next: (err?: unknown) => void): void {
    const token = typeof req.query.token === "string" && /^[A-Za-z0-9_-]{43}$/.test(req.query.token) ? req.query.token : null;
    // The token alone decides; the name in the path is for the browser (links made before it was there say siko.ics).
    const raw = token ? this.host.state.get(KEY.file(sha256(token))) : undefined;
    const file = raw ? (JSON.parse(raw) as StoredFile) : null;
    // Unknown and expired links read the same: the server's plain 404.
    if (!file || file.expires <= this.host.clock.now().getTime()) return next();
    res
      .status(200)
      .set({ "Content-Type": file.contentType ?? CALENDAR_TYPE, "Content-Disposition": `attachment; filename="${safeFilename(file.filename)}"` })
      .send(file.content);
  }

  /** Drops expired links, at most once an hour. */
  private pruneLinks(): void {
    const now = this.host.clock.now().getTime();
    if (now - this.lastPrune < 3_600_000) return;
    this.lastPrune = now;
    for (const [key, value] of this.host.state.entries(KEY.file(""))) if ((JSON.parse(value) as StoredFile).expires <= now) this.host.state.delete(key);
  }
}

// --- activity helpers ---------------------------------------------------------------------------------

/** The platform's event id: Teams activity ids are unique within a conversation. */
function eventIdOf(a: Activity): string {
  return `${a.conversation.id}|${a.id ?? ""}`;
}

function tenantOf(a: Activity): string | undefined {
  return (a.conversation?.tenantId as string | undefined) ?? (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
}

/** Teams identifies people by their AAD object id (`from.id` is a per-app MRI). */
function senderOf(a: Activity): Sender {
  return { platform: "teams", id: canonicalUserId("teams", a.from?.aadObjectId ?? a.from?.id ?? ""), displayName: a.from?.name || undefined };
}

/** Where an activity's answers and later messages go: the person (their 1:1 chat) or the room. */
function addressOf(room: Room, sender: Sender): Address {
  return room.direct ? { platform: "teams", kind: "user", id: sender.id } : { platform: "teams", kind: "room", id: room.id };
}

/** A channel is one room whatever thread a message is in; a 1:1 chat is the person's direct room. */
function roomOf(a: Activity): Room {
  const direct = a.conversation?.conversationType === "personal";
  return { platform: "teams", id: direct ? a.conversation.id : a.conversation.id.split(";")[0]!, direct };
}

function localeOf(a: Activity, fallback: Locale): Locale {
  return a.locale?.toLowerCase().startsWith("en") ? "en" : a.locale?.toLowerCase().startsWith("de") ? "de" : fallback;
}

/**
 * The command typed: the bot's @mention removed, anyone else's kept as their name (a deputy named by
 * @mention in `vertretung 1 @Klaus Berg`), Teams' HTML entities and non-breaking spaces undone.
 */
export function commandText(a: Activity): string {
  let text = a.text ?? "";
  for (const e of a.entities ?? []) {
    const mention = e as { type?: string; mentioned?: { id?: string }; text?: string };
    if (mention.type === "mention" && mention.mentioned?.id === a.recipient?.id && mention.text) text = text.split(mention.text).join(" ");
  }
  return text
    .replace(/<at>([^<]*)<\/at>/g, "$1")
    .replace(/&nbsp;|\u00a0/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

/** The data of a card action as the port takes it: strings and numbers (the deputy's name from the input as `text`). */
function actionData(data: unknown): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  if (!data || typeof data !== "object") return out;
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) if (typeof v === "string" || (typeof v === "number" && Number.isFinite(v))) out[k] = v;
  return out;
}


function isCalendar(contentType: string): boolean {
  return /^text\/calendar\b/i.test(contentType);
}

/** A file name safe in a URL path and a Content-Disposition header. */
function safeFilename(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, "_") || "datei";
}

/** The connector's answer to an unauthenticated request, with nothing about why. */
function unauthorized(res: Response): void {
  res.status(401).type("text/plain").send("Unauthorized\n");
}

function sha256(s: string): string {
  return createHash("sha256").update(s).digest("hex");
}

/**
 * botbuilder's HTTP pipeline retries a failed request by itself (5xx, a reset connection): a proactive post that
 * reached Teams but whose answer was lost would be posted twice. For the outbox's sends the outbox decides instead.
 */
function withoutSdkRetries(ctx: TurnContext): void {
  const connector = ctx.turnState.get(ctx.adapter.ConnectorClientKey) as { client?: { pipeline?: { removePolicy(o: { phase: string }): unknown } } } | undefined;
  connector?.client?.pipeline?.removePolicy({ phase: "Retry" });
}

// --- errors: what Teams answered, in the port's terms --------------------------------------------------

interface HttpishError {
  statusCode?: number;
  status?: number;
  code?: string;
  message?: string;
  response?: { status?: number; headers?: { get?(name: string): string | undefined } & Record<string, unknown>; bodyAsText?: string };
}

function statusOf(e: HttpishError): number | undefined {
  return e.statusCode ?? e.response?.status ?? (typeof e.status === "number" ? e.status : undefined);
}

function retryAfterMs(e: HttpishError): number | undefined {
  const headers = e.response?.headers;
  return retryAfterHeaderMs(headers?.get?.("retry-after") ?? (headers?.["retry-after"] as string | undefined));
}

/** The Teams error code of an ErrorResponse (`{"error":{"code":…}}`), for the organisers' report. */
function errorCodeOf(e: HttpishError): string {
  try {
    const body = JSON.parse(e.response?.bodyAsText ?? "{}") as { error?: { code?: string } };
    return body.error?.code ?? "";
  } catch {
    return "";
  }
}

const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
/** Teams asks to retry these later (throttled, precondition, gateway), with Retry-After where it gives one. */
const RETRY_STATUSES = new Set([412, 429, 502, 504]);

export function portError(err: unknown): Error {
  if (err instanceof RetryAfter || err instanceof Unreachable || err instanceof PermanentFailure || err instanceof NotPosted) return err;
  if (err instanceof TokenUnavailable) return new NotPosted(`no token for the channel: ${err.message}`);
  const e = (err ?? {}) as HttpishError;
  const status = statusOf(e);
  const code = errorCodeOf(e);
  const what = `${status ?? e.code ?? "error"}${code ? ` ${code}` : ""}`;
  if (status !== undefined && RETRY_STATUSES.has(status)) return new RetryAfter(retryAfterMs(e) ?? (status === 429 ? 2_000 : 10_000), `${what}: Teams asks to retry later`);
  if (status === 403) return new Unreachable(`${what}: the bot may not write to this person or conversation (app not installed or blocked)`);
  if (status === 400 || status === 404) return new PermanentFailure(`${what}: refused by Teams`);
  if (status === 401) return new NotPosted(`${what}: the bot's token was refused`);
  if (status !== undefined && status < 500) return new PermanentFailure(`${what}: refused by Teams`);
  if (e.code && NOT_SENT_CODES.has(e.code)) return new NotPosted(`${e.code}: Teams could not be reached`);
  return new Error(`${what}: ${String(e.message ?? err).slice(0, 200)}`);
}

/** What an error may say in a log line: its kind and status, never a request (which carries the bearer token). */
function errorSummary(e: unknown): object {
  const x = (e ?? {}) as HttpishError & { name?: string };
  return { name: x.name, message: String(x.message ?? e).slice(0, 300), status: statusOf(x) };
}
