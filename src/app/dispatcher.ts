// The one path every typed command and button press takes: parse, bind, validate, authorise, run in one
// transaction, render. Refusals roll the transaction back, so nothing is half-written.
import { randomUUID } from "node:crypto";
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Logger } from "pino";
import type { z } from "zod";
import type { Clock } from "../domain/clock.ts";
import { agenciesRepresentedAt, hasRole, mayShowConference } from "../domain/access.ts";
import type { Locale } from "../domain/types.ts";
import { commitWithoutWaiting, readOnlyWhile, type Db, type Tx } from "../db/client.ts";
import { contactsOfIdentity, findKpb, grantsOf, knowsUserAndRoom, upsertRoom, upsertUser } from "../db/directory.ts";
import { param, preparedQuery, setParam } from "../db/prepared.ts";
import * as s from "../db/schema.ts";
import { canonicalUserId, type EventResult, type InboundEvent, type Outcome } from "../port.ts";
import { raise, UserError, type Caller, type CommandContext, type CommandDef, type Reply } from "./command.ts";
import type { KpbRow } from "../db/schema.ts";
import type { RuntimeSettings } from "../settings.ts";
import { translate, translator, type MessageKey } from "../messages/i18n/catalogue.ts";
import { typedRef } from "../messages/conference.ts";
import { normalizeWord } from "../domain/names.ts";
import { visible } from "../domain/text.ts";
import { stripPrefix, tokenize, type Token } from "./parser.ts";
import { decodeErrorCode, type ConferenceRef } from "./values.ts";
import { nearestVerb, usageOf } from "./help.ts";

export const MAX_MESSAGE_LENGTH = 20_000;

/** How a button press becomes a command: the verb names a function of its data. */
export type ActionTable = Record<string, (data: Record<string, string | number>) => { commandId: string; raw: Record<string, unknown> } | null>;

export interface DispatcherDeps {
  db: Db;
  clock: Clock;
  settings: RuntimeSettings;
  commands: readonly CommandDef[];
  actions: ActionTable;
  logger: Logger;
  /**
   * Called with the command's id after a command or button press changed something (its transaction committed),
   * not after a read-only command, a refusal or a redelivery: what it queued goes out, a backup it asked for starts.
   */
  onChange?: (commandId: string) => void;
}

type Match = { command: CommandDef; rest: Token[] };

type Recognised =
  | { kind: "refused"; key: MessageKey; params?: Record<string, number> }
  | { kind: "unknown"; tokens: Token[] }
  | { kind: "match"; match: Match; english: boolean };

/** A refusal found before a command ran (parser, binding, validation), with its outcome. */
class Refusal extends Error {
  constructor(
    readonly reply: Reply,
    readonly outcome: Outcome = "refused",
  ) {
    super("refused");
  }
}

export class Dispatcher {
  private readonly byName = new Map<string, CommandDef>();
  private readonly maxNameWords: number;

  constructor(private readonly deps: DispatcherDeps) {
    for (const c of deps.commands) {
      for (const n of [c.names.de, c.names.en, ...(c.aliases ?? [])]) {
        const key = normalizeWord(n);
        const clash = this.byName.get(key);
        if (clash && clash !== c) throw new Error(`command name "${n}" used by ${clash.id} and ${c.id}`);
        this.byName.set(key, c);
      }
    }
    this.maxNameWords = Math.max(...[...this.byName.keys()].map((k) => k.split(" ").length));
  }

  /**
   * Runs one event and returns what to answer. The result is kept with the event's platform id, refusals
   * included, so a redelivered event gets the first answer again (outcome "duplicate") and no second effect.
   */
  async handle(inbound: InboundEvent): Promise<EventResult> {
    const { db, clock, logger } = this.deps;
    // One form per platform id, so "8F1C…" and "8f1c…" are one Teams user and one contact.
    const event: InboundEvent = { ...inbound, sender: { ...inbound.sender, id: canonicalUserId(inbound.sender.platform, inbound.sender.id) } };
    const earlier = this.earlierResult(event);
    if (earlier) return earlier;
    let locale: Locale = this.deps.settings.defaultLocale;
    const recognised = event.kind === "command" ? this.recognise(event.text) : null;
    let result: EventResult | null;
    let ran = "";
    // A read-only command changes nothing; its handling is recorded without waiting for the disk, unless the
    // event writes more than that record (a person or room seen for the first time, the console's first admin).
    const readOnly = recognised?.kind === "match" && recognised.match.command.readOnly === true;
    const commit = readOnly && this.writesOnlyItsRecord(event) ? <T>(fn: () => T) => commitWithoutWaiting(db, fn) : <T>(fn: () => T) => fn();
    try {
      result = commit(() => db.transaction((tx) => {
        const now = clock.now();
        // Another process may have taken the same event since the check above: it answers, this one is a duplicate.
        if (!this.claimEvent(tx, event, now)) return null;
        const caller = this.resolveCaller(tx, event, now);
        const room = upsertRoom(tx, event.room.platform, event.room.id, event.room.direct, now);
        // Someone who types `help` rather than `hilfe` and has set no language reads English.
        const typedIn = recognised?.kind === "match" && recognised.english ? "en" : null;
        locale = caller.user.locale ?? room.locale ?? typedIn ?? this.deps.settings.defaultLocale;
        const t = translator(locale);
        const loc = locale;
        const roomKpb = room.kpbId === null ? null : (kpbById(tx).get({ id: room.kpbId }) ?? null);
        const base = { tx, clock, locale, t, caller, room, roomKpb, settings: this.deps.settings };
        const call = event.kind === "action" ? this.parseAction(event.action.verb, event.action.data, loc) : this.parseCommand(recognised!, loc);
        // A refusal by the parser writes nothing either, not even the sender's first appearance.
        if ("reply" in call) throw new Refusal(call.reply, call.outcome);
        const { command, input } = call;
        ran = command.id;
        const scope = this.authorise(tx, command, input, caller, room, roomKpb, loc);
        const ctx: CommandContext = {
          ...base,
          ...scope,
          audit: (action, entity, entityId, details) => Number(insertAudit(tx).run({ at: now, actor: caller.principal, action, entity, entityId, details }).lastInsertRowid),
        };
        const replies = [command.readOnly ? readOnlyWhile(db, () => command.run(ctx, input)) : command.run(ctx, input)].flat();
        const done: EventResult = { outcome: "done", replies: replies.map((r) => ({ ...r, locale: loc, outcome: "done" as const })) };
        this.remember(tx, event, done);
        return done;
      }, { behavior: "immediate" }));
    } catch (e) {
      if (e instanceof UserError || e instanceof Refusal) {
        const outcome: Outcome = e instanceof Refusal ? e.outcome : e.key === "engine.notAllowed" ? "not-allowed" : e.key === "engine.unknownAction" ? "unknown" : "refused";
        const reply = e instanceof Refusal ? e.reply : { text: translate(locale, e.key, e.params) };
        const refused: EventResult = { outcome, replies: [{ ...reply, locale, outcome }] };
        // The command's transaction rolled back; the event itself is remembered, so a redelivery is not answered twice.
        // Nothing but that record is written: it is committed without waiting for the disk.
        commitWithoutWaiting(db, () => db.transaction((tx) => (this.claimEvent(tx, event, clock.now()) ? this.remember(tx, event, refused) : undefined), { behavior: "immediate" }));
        return refused;
      }
      // Not remembered: a redelivery may well succeed (the database was busy, say).
      const id = randomUUID().slice(0, 8);
      logger.error({ err: e, errorId: id, eventId: event.eventId, platform: event.sender.platform }, "command failed");
      return { outcome: "failed", replies: [{ text: translate(locale, "engine.internalError", { id }), locale, outcome: "failed" }] };
    }
    if (result && !readOnly) this.deps.onChange?.(ran);
    return result ?? this.earlierResult(event) ?? { outcome: "duplicate", replies: [] };
  }

  /** Whether handling `event` writes nothing but its record: the person (by that name) and the room are known, an admin exists. */
  private writesOnlyItsRecord(event: InboundEvent): boolean {
    const { db } = this.deps;
    if (event.sender.platform === "console" && !installationAdmin(db).get()) return false;
    return knowsUserAndRoom(db, event.sender.platform, event.sender.id, event.room.id, event.sender.displayName);
  }

  private earlierResult(event: InboundEvent): EventResult | null {
    const row = processedEvent(this.deps.db).get({ platform: event.sender.platform, eventId: event.eventId });
    if (!row) return null;
    const first = row.result as EventResult | null;
    // Events handled before results were kept have no first answer to repeat.
    if (!first) return { outcome: "duplicate", replies: [] };
    return { outcome: "duplicate", firstOutcome: first.outcome as Exclude<Outcome, "duplicate">, replies: first.replies };
  }

  /** Records the event as taken; false when it was taken before. */
  private claimEvent(tx: Tx, event: InboundEvent, now: Date): boolean {
    return claimProcessedEvent(tx).run({ platform: event.sender.platform, eventId: event.eventId, at: now }).changes > 0;
  }

  /**
   * Keeps the result to answer a redelivery with. A link message's address is a secret (a calendar feed, the
   * report page) that is shown once and stored nowhere but as a digest: what is kept says that it is not kept.
   */
  private remember(tx: Tx, event: InboundEvent, result: EventResult): void {
    const kept = result.replies.some((r) => r.kind === "link")
      ? { ...result, replies: result.replies.map((r) => (r.kind === "link" ? { text: translate(r.locale, "engine.linkNotKept"), locale: r.locale, kind: r.kind, outcome: r.outcome } : r)) }
      : result;
    rememberResult(tx).run({ platform: event.sender.platform, eventId: event.eventId, result: kept });
  }

  private resolveCaller(tx: Tx, event: InboundEvent, now: Date): Caller {
    const { platform, id, displayName } = event.sender;
    const user = upsertUser(tx, platform, id, now, displayName);
    // The first person on a fresh console installation administers it; elsewhere admins come from SIKO_ADMINS.
    if (platform === "console" && !installationAdmin(tx).get()) {
      tx.insert(s.roleGrants).values({ userId: user.id, role: "admin", kpbId: null, grantedBy: "system:first-console-user", createdAt: now }).run();
      tx.insert(s.auditLog)
        .values({ at: now, actor: "system", action: "role.grant", entity: "user", entityId: user.id, details: { role: "admin", reason: "first console user" } })
        .run();
    }
    return { user, principal: `${platform}:${id}`, grants: grantsOf(tx, user.id), contacts: contactsOfIdentity(tx, platform, id) };
  }

  /** Finds the command by its longest matching name (names may be two words: `partner anlegen`). */
  match(tokens: Token[]): Match | null {
    for (let n = Math.min(this.maxNameWords, tokens.length); n >= 1; n--) {
      const head = tokens.slice(0, n);
      if (head.some((t) => t.kind !== "word" || t.quoted)) continue;
      const key = head.map((t) => normalizeWord((t as { value: string }).value)).join(" ");
      const command = this.byName.get(key);
      if (command) return { command, rest: tokens.slice(n) };
    }
    return null;
  }

  /** In a direct chat the KPB is the one the caller holds the role for, when it is just one. */
  private kpbOfDirectChat(tx: Tx, caller: Caller, roles: readonly string[]): KpbRow {
    const ids = [...new Set(caller.grants.filter((g) => g.kpbId !== null && roles.includes(g.role)).map((g) => g.kpbId!))];
    const kpbs = ids.length ? tx.select().from(s.kpbs).where(inArray(s.kpbs.id, ids)).all() : [];
    if (kpbs.length === 1) return kpbs[0]!;
    if (kpbs.length === 0) throw new UserError("engine.directNoKpb");
    throw new UserError("engine.directWhichKpb", { kpbs: kpbs.map((k) => k.slug).sort().join(", ") });
  }

  /**
   * Tokenises and finds the command once, before the reader's language is known: the refusal texts are
   * chosen afterwards, and typing an English verb (`help`, not `hilfe`) is itself a hint at the language.
   */
  private recognise(text: string): Recognised {
    if (text.length > MAX_MESSAGE_LENGTH) return { kind: "refused", key: "engine.tooLong", params: { length: text.length, max: MAX_MESSAGE_LENGTH } };
    const tokenized = tokenize(stripPrefix(text));
    if (!tokenized.ok) return { kind: "refused", key: "engine.unterminatedQuote" };
    const tokens = tokenized.tokens;
    if (tokens.length === 0) return { kind: "refused", key: "engine.empty" };
    const match = this.match(tokens);
    if (!match) return { kind: "unknown", tokens };
    const typed = tokens
      .slice(0, tokens.length - match.rest.length)
      .map((t) => normalizeWord((t as { value: string }).value))
      .join(" ");
    const en = normalizeWord(match.command.names.en);
    return { kind: "match", match, english: en !== normalizeWord(match.command.names.de) && typed === en };
  }

  private parseCommand(recognised: Recognised, locale: Locale): { command: CommandDef; input: unknown } | { reply: Reply; outcome?: Outcome } {
    switch (recognised.kind) {
      case "refused":
        return { reply: { text: translate(locale, recognised.key, recognised.params) } };
      case "unknown":
        return { reply: { text: this.unknownCommand(recognised.tokens, locale) }, outcome: "unknown" };
      case "match": {
        const { command, rest } = recognised.match;
        const bound = bind(command, rest, locale);
        return "reply" in bound ? bound : this.validate(command, bound.raw, locale);
      }
    }
  }

  private parseAction(verb: string, data: Record<string, string | number>, locale: Locale): { command: CommandDef; input: unknown } | { reply: Reply; outcome?: Outcome } {
    const target = this.deps.actions[verb]?.(data) ?? null;
    const command = target && this.deps.commands.find((c) => c.id === target.commandId);
    if (!target || !command) throw new UserError("engine.unknownAction");
    return this.validate(command, target.raw, locale, false);
  }

  /** `typed`: the command was typed, so its usage line helps; a button press is answered without it. */
  private validate(command: CommandDef, raw: Record<string, unknown>, locale: Locale, typed = true): { command: CommandDef; input: unknown } | { reply: Reply } {
    const parsed = (command.input as z.ZodType).safeParse(raw);
    if (parsed.success) return { command, input: parsed.data };
    const t = translator(locale);
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? "");
    const label = labelOf(command, key, locale);
    // A required flag left out (`partner anlegen "X"` without --kategorie) is missing, not invalid.
    const usage = typed ? `\n${t("engine.usage", { usage: usageOf(command, locale) })}` : "";
    if (raw[key] === undefined) return { reply: { text: `${t("engine.missingArg", { arg: label })}${usage}` } };
    const decoded = decodeErrorCode(issue.message);
    const reason = decoded ? t(decoded.key, decoded.params) : visible(issue.message);
    return { reply: { text: `${t("engine.invalidValue", { arg: label, reason })}${usage}` } };
  }

  /** Suggests the nearest verb in the reader's language (a German user is not told `room`). */
  private unknownCommand(tokens: Token[], locale: Locale): string {
    const t = translator(locale);
    const first = tokens[0]!;
    const word = first.kind === "word" ? first.value : `--${first.name}`;
    const nearest = nearestVerb(word, this.deps.commands, locale);
    return t("engine.unknownCommand", {
      word: visible(word.slice(0, 60)),
      suggestion: nearest ? t("engine.didYouMean", { name: nearest.split(" ")[0]! }) : "",
    });
  }

  private authorise(
    tx: Tx,
    command: CommandDef,
    input: unknown,
    caller: Caller,
    room: CommandContext["room"],
    roomKpb: KpbRow | null,
    locale: Locale,
  ): Pick<CommandContext, "kpb" | "kpbs" | "conference"> {
    const access = command.access;
    const t = translator(locale);
    const denied = (kpb: KpbRow | null, roles: readonly string[]) =>
      new UserError("engine.notAllowed", {
        command: command.names[locale],
        roles: roles.map((r) => t(`role.${r}` as "role.admin")).join(` ${t("engine.or")} `),
        scope: kpb ? t("engine.scopeKpb", { kpb: kpb.name }) : "",
      });
    switch (access.kind) {
      case "anyone":
        return { kpb: roomKpb, kpbs: roomKpb ? [roomKpb] : [], conference: null };
      case "global":
        if (!hasRole(caller.grants, access.roles, null)) throw denied(null, access.roles);
        return { kpb: roomKpb, kpbs: roomKpb ? [roomKpb] : [], conference: null };
      case "kpb": {
        // `--kpb` may name several KPBs (a partner serving more than one, R5): the role must hold for each.
        const refs = [(input as { kpb?: string | string[] }).kpb ?? []].flat();
        const roleKpbs = caller.grants.some((g) => g.kpbId !== null && access.roles.includes(g.role));
        // A partner contact in a direct chat, with no KPB role, sees their own view (their invitations).
        if (access.invitees && room.direct && refs.length === 0 && !roleKpbs && caller.contacts.length > 0) return { kpb: null, kpbs: [], conference: null };
        const kpbs = refs.map((ref) => findKpb(tx, ref) ?? raise(new UserError("kpb.notFound", { ref })));
        // Who may see the whole state (the LZPD's report) may see any one KPB of it too, where R9 allows staff.
        const wholeState = access.wholeState !== undefined && hasRole(caller.grants, access.wholeState, null);
        if (kpbs.length === 0 && wholeState) return { kpb: null, kpbs: [], conference: null };
        if (kpbs.length === 0) kpbs.push(roomKpb ?? (room.direct ? this.kpbOfDirectChat(tx, caller, access.roles) : raise(new UserError("engine.roomNotBound"))));
        for (const kpb of kpbs) {
          if (!hasRole(caller.grants, access.roles, kpb.id)) throw denied(kpb, access.roles);
          const staff = wholeState || hasRole(caller.grants, ["organiser", "leader"], kpb.id);
          if (access.confidential && !mayShowConference({ conferenceKpbId: kpb.id, roomKpbId: room.kpbId, roomIsDirect: room.direct, callerIsInvited: false, callerIsKpbStaff: staff }))
            throw new UserError("engine.confidentialHere", { kpb: kpb.name });
        }
        return { kpb: kpbs[0]!, kpbs: [...new Map(kpbs.map((k) => [k.id, k])).values()], conference: null };
      }
      case "conference": {
        const { conference, kpb, invited } = this.findConference(tx, (input as { conference: ConferenceRef }).conference, caller, room, roomKpb);
        if (!hasRole(caller.grants, access.roles, kpb.id) && !(access.invitees && invited)) {
          if (invited && command.inviteeHint) throw new UserError(command.inviteeHint, { id: typedRef(conference, kpb) });
          throw denied(kpb, access.roles);
        }
        return { kpb, kpbs: [kpb], conference };
      }
    }
  }

  /**
   * The conference a reference names, among those the caller may see here (R9). A bare number belongs to the KPB
   * the room is bound to; in a direct chat it is looked for among every conference the caller may see (staff,
   * invitee), and where it fits several the caller is asked to name the KPB. Not found and not visible read the
   * same, so a number reveals nothing outside the KPB.
   */
  private findConference(tx: Tx, ref: ConferenceRef, caller: Caller, room: CommandContext["room"], roomKpb: KpbRow | null) {
    const c = s.conferences;
    const shown = "id" in ref ? `#${ref.id}` : ref.kpb !== undefined ? `${ref.kpb}#${ref.number}` : `#${ref.number}`;
    const numbered = (kpbId: number | undefined) => (kpbId === undefined ? [] : conferenceByNumber(tx).all({ kpbId, number: (ref as { number: number }).number }));
    const candidates =
      "id" in ref
        ? conferenceById(tx).all({ id: ref.id })
        : ref.kpb !== undefined
          ? numbered(findKpb(tx, ref.kpb)?.id)
          : roomKpb
            ? numbered(roomKpb.id)
            : tx.select().from(c).where(eq(c.number, ref.number)).all();
    const visible = candidates.flatMap((conference) => {
      const kpb = kpbById(tx).get({ id: conference.kpbId })!;
      // Any contact the KPB registered for an invited agency counts as invited, not only those who got the message.
      const represented = [...agenciesRepresentedAt(caller.contacts, kpb.id)];
      const invited = represented.some((partnerAgencyId) => !!invitationOf(tx).get({ conferenceId: conference.id, partnerAgencyId }));
      const staff = hasRole(caller.grants, ["organiser", "leader"], kpb.id);
      const shownHere = mayShowConference({ conferenceKpbId: kpb.id, roomKpbId: room.kpbId, roomIsDirect: room.direct, callerIsInvited: invited, callerIsKpbStaff: staff });
      return shownHere ? [{ conference, kpb, invited }] : [];
    });
    if (visible.length === 0) throw new UserError("conference.notFound", { ref: shown });
    if (visible.length > 1)
      throw new UserError("conference.ambiguous", {
        number: visible[0]!.conference.number,
        choices: visible
          .map((v) => `\`${typedRef(v.conference, v.kpb)}\``)
          .sort()
          .join(", "),
      });
    return visible[0]!;
  }
}

// Every event's bookkeeping and the lookups of nearly every command, built once (src/db/prepared.ts).
const pe = s.processedEvents;
const samePlatformEvent = and(eq(pe.platform, param("platform")), eq(pe.eventId, param("eventId")));
const processedEvent = preparedQuery((db) => db.select({ result: pe.result }).from(pe).where(samePlatformEvent).prepare());
const claimProcessedEvent = preparedQuery((db) =>
  db.insert(pe).values({ platform: param("platform"), eventId: param("eventId"), at: param("at") }).onConflictDoNothing().prepare(),
);
const rememberResult = preparedQuery((db) =>
  db
    .update(pe)
    .set({ result: setParam<Record<string, unknown>>("result") })
    .where(samePlatformEvent)
    .prepare(),
);
const installationAdmin = preparedQuery((db) =>
  db
    .select({ id: s.roleGrants.id })
    .from(s.roleGrants)
    .where(and(eq(s.roleGrants.role, "admin"), isNull(s.roleGrants.kpbId)))
    .prepare(),
);
const insertAudit = preparedQuery((db) =>
  db
    .insert(s.auditLog)
    .values({ at: param("at"), actor: param("actor"), action: param("action"), entity: param("entity"), entityId: param("entityId"), details: param("details") })
    .prepare(),
);
const kpbById = preparedQuery((db) => db.select().from(s.kpbs).where(eq(s.kpbs.id, param("id"))).prepare());
const conferenceById = preparedQuery((db) => db.select().from(s.conferences).where(eq(s.conferences.id, param("id"))).prepare());
const conferenceByNumber = preparedQuery((db) =>
  db
    .select()
    .from(s.conferences)
    .where(and(eq(s.conferences.kpbId, param("kpbId")), eq(s.conferences.number, param("number"))))
    .prepare(),
);
const invitationOf = preparedQuery((db) =>
  db
    .select({ id: s.invitations.id })
    .from(s.invitations)
    .where(and(eq(s.invitations.conferenceId, param("conferenceId")), eq(s.invitations.partnerAgencyId, param("partnerAgencyId"))))
    .prepare(),
);

function labelOf(command: CommandDef, key: string, locale: Locale): string {
  const arg = command.args.find((a) => a.key === key);
  if (arg) return `<${arg.names[locale]}>`;
  const flag = command.flags.find((f) => f.key === key);
  return flag ? `--${flag.names[locale]}` : key;
}

/** Binds tokens to a command's positional arguments and flags, before zod validation. */
export function bind(command: CommandDef, tokens: Token[], locale: Locale): { raw: Record<string, unknown> } | { reply: Reply } {
  const t = translator(locale);
  const fail = (text: string): { reply: Reply } => ({ reply: { text: `${text}\n${t("engine.usage", { usage: usageOf(command, locale) })}` } });
  const raw: Record<string, unknown> = {};
  const words: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (tok.kind === "word") {
      words.push(tok.value);
      continue;
    }
    const spec = command.flags.find((f) => normalizeWord(f.names.de) === tok.name || normalizeWord(f.names.en) === tok.name);
    // Flag names and stray words are the user's text: shown with control and bidi characters made visible.
    const flag = visible(tok.name.slice(0, 40));
    if (!spec) return fail(t("engine.unknownFlag", { flag }));
    let value: unknown;
    if (spec.boolean) {
      if (tok.value !== undefined) return fail(t("engine.flagTakesNoValue", { flag }));
      value = true;
    } else if (tok.value !== undefined) {
      value = tok.value;
    } else {
      const next = tokens[i + 1];
      if (!next || next.kind !== "word") return fail(t("engine.flagNeedsValue", { flag }));
      value = next.value;
      i++;
    }
    if (spec.repeatable) raw[spec.key] = [...((raw[spec.key] as unknown[]) ?? []), value];
    else if (spec.key in raw) return fail(t("engine.flagRepeated", { flag }));
    else raw[spec.key] = value;
  }
  const args = command.args;
  for (let i = 0; i < args.length; i++) {
    const spec = args[i]!;
    const isLast = i === args.length - 1;
    const value = spec.rest && isLast ? (words.length ? words.splice(0).join(" ") : undefined) : words.shift();
    if (value === undefined) {
      if (!spec.optional) return fail(t("engine.missingArg", { arg: `<${spec.names[locale]}>` }));
      continue;
    }
    raw[spec.key] = value;
  }
  if (words.length > 0) return fail(t("engine.extraArgs", { extra: visible(words.join(" ").slice(0, 80)) }));
  return { raw };
}
