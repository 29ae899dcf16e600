// The annual-minimum watch: a sweep that turns due reminders into outbox rows. Written for this job rather
// than taken from a cron library (node-cron, node-schedule, Bree keep their state in memory): what is due is
// computed from the data, so a restart or a clock jump loses nothing.
//
// One sweep is ONE immediate transaction: read the watermark (meta table), load the facts, ask the policy
// for every reminder due in (watermark, now], enqueue one row per recipient address under a deterministic
// key, move the watermark to now. Hence:
// - two sweeps at once: the second waits for the write lock and then sees the moved watermark; even two
//   sweeps over the same window write each key once (enqueue inserts or ignores);
// - a crash mid-sweep: the transaction rolls back, rows and watermark together; the next sweep redoes it;
// - a restart or downtime: the window simply starts where the last committed sweep ended, and whatever
//   fell due meanwhile goes out once, marked late by the policy;
// - a clock set back: nothing happens until it passes the watermark again (the watermark never moves back).
//
// The very first sweep of an installation only starts the watermark at that moment: a fresh install (or
// one that gets the watch later in the year) must not flood everyone with a year's worth of late reminders.
// For the same reason it never sends the "overdue" notice about a year that ended before the watch began.
// The state of every track is visible in `uebersicht` from the start anyway.
import { and, eq, gt, gte, inArray, lt, lte, or } from "drizzle-orm";
import type { Logger } from "pino";
import { contactAddress, localeBook, organiserAddresses } from "../delivery/recipients.ts";
import type { RuntimeSettings } from "../settings.ts";
import type { Clock } from "../domain/clock.ts";
import type { ConferenceFacts, InvitationFacts, KpbFacts } from "../domain/conference.ts";
import { berlinDateOf, berlinYearOf, berlinYearStart } from "../domain/holidays.ts";
import type { Locale, Track } from "../domain/types.ts";
import type { Db, Tx } from "../db/client.ts";
import * as s from "../db/schema.ts";
import { firstWatchedYear, getMeta, setMeta, WATCH_STARTED_KEY, WATERMARK_KEY } from "../db/meta.ts";
import type { Address, OutboundMessage } from "../port.ts";
import { addressedKey, enqueueAll, type OutboxItem } from "../delivery/outbox.ts";
import { overdueDigestMessage, reminderMessage, type OverdueDigest, type OverdueDigestRow, type RecipientRole, type ReminderFacts } from "../messages/reminders.ts";
import { connectionFacts } from "../db/directory.ts";
import { isConnected, type ConnectionFacts } from "../domain/connection.ts";
import { enqueueReportReminders } from "./reportReminders.ts";
import { annualSlotsInWindow, DEFAULT_REMINDER_POLICY, dueReminders, type DueReminder, type ReminderPolicy } from "../domain/reminderPolicy.ts";


const DAY_MS = 86_400_000;
// Wider than any working-day shift the policy applies (the longest NRW run of days off is four).
const SLACK_DAYS = 16;
const IN_CHUNK = 500;

export type SweepSettings = Pick<RuntimeSettings, "platforms" | "defaultLocale">;

export interface SweepResult {
  /** Start (exclusive) of the window; null on the installation's first sweep, which only sets the watermark. */
  since: Date | null;
  now: Date;
  /** Reminder instances due in the window. */
  due: number;
  /** Outbox rows newly written (one per reminder and address; keys already present count nothing). */
  queued: number;
  /** Due reminders that had no address on an active platform (e.g. a KPB without an organiser yet). */
  unaddressed: number;
}

/** Why reminders of the window can be late: the bot was not running, or the (simulated) clock was moved past them. */
export interface SweepOptions {
  clockMoved?: boolean;
}

/** One sweep inside the caller's transaction. */
function sweepInTx(tx: Tx, now: Date, settings: SweepSettings, policy: ReminderPolicy = DEFAULT_REMINDER_POLICY, options: SweepOptions = {}): SweepResult {
  const stored = getMeta(tx, WATERMARK_KEY);
  if (stored === undefined) {
    setMeta(tx, WATERMARK_KEY, now.toISOString());
    setMeta(tx, WATCH_STARTED_KEY, now.toISOString());
    return { since: null, now, due: 0, queued: 0, unaddressed: 0 };
  }
  const since = new Date(stored);
  if (!(now.getTime() > since.getTime())) return { since, now, due: 0, queued: 0, unaddressed: 0 };

  const facts = loadFacts(tx, since, now, policy);
  // Annual reminders about a year that ended before the watch began are dropped: the bot never saw that
  // year's conferences, so on 2 January a fresh install would call every KPB overdue for it.
  const firstYear = firstWatchedYear(tx) ?? berlinYearOf(since);
  const due = dueReminders({ ...facts, since, now, policy }).filter((r) => r.context.kind !== "annual" || r.year >= firstYear);
  let queued = 0;
  let unaddressed = 0;
  if (due.length > 0) {
    const out = new Recipients(tx, settings, facts, now, policy, options.clockMoved === true);
    const batch: OutboxItem[] = [];
    // The LZPD's part of the overdue notices: one digest per slot (in practice one per run), not one per KPB.
    const digests = new Map<string, OverdueDigest>();
    for (const r of due) {
      const recipients = out.of(r);
      const cache = new Map<string, OutboundMessage>();
      for (const { to, role, locale } of recipients) {
        const cacheKey = `${role}:${locale}`;
        let message = cache.get(cacheKey);
        if (!message) cache.set(cacheKey, (message = reminderMessage(r, role, out.factsOf(r), locale)));
        batch.push({ key: addressedKey(r.dedupKey, to), to, message, kpbId: r.kpbId, conferenceId: r.conferenceId ?? null, contactId: role === "contact" ? (r.contactId ?? null) : null });
      }
      if (r.audience === "leaders+reporters") {
        const slot = `${r.year}:${r.dueDate}`;
        let digest = digests.get(slot);
        if (!digest) digests.set(slot, (digest = { year: r.year, dueDate: r.dueDate, dueAt: r.dueAt, late: r.late, rows: [] }));
        // Told is what was queued for one of the KPB's leaders just now, not what the policy intends.
        digest.rows.push({ ...out.digestRowOf(r), leadersTold: recipients.some((x) => x.role === "leader") });
      }
      if (recipients.length === 0 && !(r.audience === "leaders+reporters" && out.reporters.length > 0)) unaddressed++;
    }
    for (const digest of digests.values())
      for (const to of out.reporters) {
        const message = overdueDigestMessage(digest, out.localeOf(to), { clockMoved: options.clockMoved === true });
        batch.push({ key: addressedKey(`lzpd.digest:annual.overdue:${digest.year}:${digest.dueDate}`, to), to, message });
      }
    queued = enqueueAll(tx, batch, now);
  }
  queued += enqueueReportReminders(tx, since, now, settings, policy, firstYear, options.clockMoved === true);
  // Same transaction as the rows: a rollback takes both back, so nothing is skipped and nothing doubled.
  setMeta(tx, WATERMARK_KEY, now.toISOString());
  return { since, now, due: due.length, queued, unaddressed };
}

interface Facts {
  kpbs: KpbFacts[];
  conferences: ConferenceFacts[];
  invitations: InvitationFacts[];
}

/**
 * Only the conferences that can matter for the window: those of the Berlin years whose annual slots fall in
 * it (the previous and the current one at most, and none in most sweeps), record prompts for conferences
 * shortly before `since`, and RSVP nudges for conferences shortly after `now`. Older history is never read,
 * so the cost follows the number of KPB-tracks, not the years of history.
 */
function loadFacts(tx: Tx, since: Date, now: Date, policy: ReminderPolicy): Facts {
  const annualYears = annualSlotsInWindow(since, now, policy).map((y) => y.year);
  const maxAfter = Math.max(0, ...policy.record.promptDaysAfter);
  const maxBefore = Math.max(0, ...policy.rsvp.nudgeDaysBefore);
  const nudgeUntil = new Date(now.getTime() + (maxBefore + SLACK_DAYS) * DAY_MS);
  const near = { lo: since.getTime() - (maxAfter + SLACK_DAYS) * DAY_MS, hi: nudgeUntil.getTime() };
  const lo = new Date(annualYears.length ? Math.min(berlinYearStart(annualYears[0]!).getTime(), near.lo) : near.lo);
  const hi = new Date(annualYears.length ? Math.max(berlinYearStart(annualYears.at(-1)! + 1).getTime(), near.hi) : near.hi);

  const kpbs = tx.select({ id: s.kpbs.id, name: s.kpbs.name, slug: s.kpbs.slug, hasMotorwayPolice: s.kpbs.hasMotorwayPolice }).from(s.kpbs).orderBy(s.kpbs.id).all();
  const c = s.conferences;
  // A conference far ahead can have its answer deadline in the window: those are read as well.
  const deadlineFrom = berlinDateOf(new Date(since.getTime() - SLACK_DAYS * DAY_MS));
  const deadlineInWindow = and(gt(c.startsAt, now), gte(c.rsvpDeadline, deadlineFrom), inArray(c.status, ["planned", "invited"]));
  const conferences = tx
    .select({ id: c.id, number: c.number, kpbId: c.kpbId, track: c.track, startsAt: c.startsAt, endsAt: c.endsAt, status: c.status, rsvpDeadline: c.rsvpDeadline })
    .from(c)
    .where(or(and(gte(c.startsAt, lo), lt(c.startsAt, hi)), deadlineInWindow))
    .orderBy(c.id)
    .all();
  // One InvitationFacts per invited contact, carrying its agency's answer (the agency answers once).
  const invitations = tx
    .select({
      conferenceId: s.invitedContacts.conferenceId,
      contactId: s.invitedContacts.contactId,
      partnerAgencyId: s.invitedContacts.partnerAgencyId,
      answer: s.invitations.answer,
    })
    .from(s.invitedContacts)
    .innerJoin(c, eq(c.id, s.invitedContacts.conferenceId))
    .innerJoin(
      s.invitations,
      and(eq(s.invitations.conferenceId, s.invitedContacts.conferenceId), eq(s.invitations.partnerAgencyId, s.invitedContacts.partnerAgencyId)),
    )
    .where(or(and(gt(c.startsAt, now), lte(c.startsAt, nudgeUntil), inArray(c.status, ["planned", "invited"])), deadlineInWindow))
    .orderBy(s.invitedContacts.conferenceId, s.invitedContacts.contactId)
    .all();
  return { kpbs, conferences, invitations };
}

interface Recipient {
  to: Address;
  role: RecipientRole;
  locale: Locale;
}

/**
 * Who receives what, loaded once per sweep and only when something is due: organisers are reached in the
 * KPB's bound rooms (or personally where the KPB has none), leaders are the users holding that role for the
 * KPB, reporters the users
 * with the global LZPD role, contacts their registered addresses. Only active platforms count.
 */
class Recipients {
  private organisers: ReturnType<typeof organiserAddresses> | null = null;
  private readonly leaders = new Map<number, Address[]>();
  /** The LZPD: users with the global reporter role on active platforms. */
  readonly reporters: Address[] = [];
  private readonly kpbs: Map<number, KpbFacts>;
  private readonly conferences: Map<number, ConferenceFacts>;
  private readonly contacts = new Map<number, typeof s.contacts.$inferSelect>();
  private readonly partnerNames = new Map<number, string>();
  private unrecorded: Map<string, ConferenceFacts> | null = null;
  readonly localeOf: (to: Address) => Locale;
  private connections: Map<number, ConnectionFacts> | null = null;
  private readonly firstPromptDay: number;

  constructor(
    private readonly tx: Tx,
    private readonly settings: SweepSettings,
    private readonly facts: Facts,
    private readonly now: Date,
    policy: ReminderPolicy,
    private readonly clockMoved: boolean,
  ) {
    const platforms = settings.platforms;
    this.kpbs = new Map(facts.kpbs.map((k) => [k.id, k]));
    this.conferences = new Map(facts.conferences.map((c) => [c.id, c]));
    this.firstPromptDay = Math.min(...policy.record.promptDaysAfter);
    const grants = tx
      .select({ role: s.roleGrants.role, kpbId: s.roleGrants.kpbId, platform: s.users.platform, id: s.users.platformUserId })
      .from(s.roleGrants)
      .innerJoin(s.users, eq(s.users.id, s.roleGrants.userId))
      .where(inArray(s.roleGrants.role, ["leader", "reporter"]))
      .orderBy(s.users.id)
      .all();
    for (const g of grants) {
      if (!platforms.includes(g.platform)) continue;
      const to: Address = { platform: g.platform, kind: "user", id: g.id };
      if (g.role === "reporter") {
        // The LZPD role is global; a KPB-bound reporter grant is not the LZPD.
        if (g.kpbId === null) this.reporters.push(to);
      } else if (g.kpbId !== null) {
        let list = this.leaders.get(g.kpbId);
        if (!list) this.leaders.set(g.kpbId, (list = []));
        list.push(to);
      }
    }
    this.localeOf = localeBook(tx, settings.defaultLocale);
  }

  of(r: DueReminder): Recipient[] {
    const list: Array<{ to: Address; role: RecipientRole }> = [];
    const add = (addresses: readonly Address[], role: RecipientRole) => addresses.forEach((to) => list.push({ to, role }));
    switch (r.audience) {
      case "organisers":
        // The KPB's room is where organisers work; a personal copy as well would say everything twice.
        this.organisers ??= organiserAddresses(this.tx, this.settings.platforms);
        for (const { to, personal } of this.organisers(r.kpbId)) list.push({ to, role: personal ? "organiser" : "room" });
        break;
      case "leaders":
        add(this.leaders.get(r.kpbId) ?? [], "leader");
        break;
      case "leaders+reporters":
        // The reporters (LZPD) read all KPBs' overdue notices of a run in one digest; see sweepInTx.
        add(this.leaders.get(r.kpbId) ?? [], "leader");
        break;
      case "contact": {
        const contact = r.contactId === undefined ? undefined : this.contact(r.contactId);
        const to = contact && contactAddress(contact, this.settings.platforms);
        if (to) list.push({ to, role: "contact" });
        break;
      }
    }
    // One row per address: a leader who is also LZPD gets one.
    const seen = new Set<string>();
    const out: Recipient[] = [];
    for (const x of list) {
      const k = addressedKey("", x.to);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push({ ...x, locale: this.localeOf(x.to) });
    }
    return out;
  }

  factsOf(r: DueReminder): ReminderFacts {
    const kpb = this.kpbs.get(r.kpbId);
    const facts: ReminderFacts = { kpbName: kpb?.name ?? `#${r.kpbId}`, kpbSlug: kpb?.slug ?? String(r.kpbId), now: this.now, clockMoved: this.clockMoved };
    if (r.conferenceId !== undefined) facts.conference = this.conferences.get(r.conferenceId);
    if (r.context.kind === "record") facts.repeated = r.context.daysAfter !== this.firstPromptDay;
    if (r.contactId !== undefined) {
      const contact = this.contact(r.contactId);
      if (contact) {
        facts.partnerName = this.partnerName(contact.partnerAgencyId);
        facts.partnerAgencyId = contact.partnerAgencyId;
      }
    }
    if (r.rule === "annual.overdue") {
      facts.unrecorded = this.unrecordedOf(r.kpbId, r.track, r.year);
      facts.lzpdTold = this.reporters.length > 0;
    }
    if (r.context.kind === "deadline") {
      facts.silentPartners = this.partnerNamesOf(r.context.silentPartnerAgencyIds);
      facts.unreachablePartners = this.partnerNamesOf(this.unreachableAgencies(r.conferenceId!, r.context.silentPartnerAgencyIds));
    }
    return facts;
  }

  /**
   * Of `agencies`, those none of whose contacts invited to the conference has an address on an active platform;
   * from the invitations the sweep loaded (they include those of the conferences whose deadline is in the window).
   */
  private unreachableAgencies(conferenceId: number, agencies: readonly number[]): number[] {
    const reachable = new Set(
      this.facts.invitations
        .filter((i) => i.conferenceId === conferenceId && agencies.includes(i.partnerAgencyId))
        .filter((i) => {
          const contact = this.contact(i.contactId);
          return contact !== undefined && contactAddress(contact, this.settings.platforms) !== null;
        })
        .map((i) => i.partnerAgencyId),
    );
    return agencies.filter((id) => !reachable.has(id));
  }

  /** One KPB-track of the LZPD's overdue digest; whether its leaders were told the sweep adds. */
  digestRowOf(r: DueReminder): Omit<OverdueDigestRow, "leadersTold"> {
    this.connections ??= connectionFacts(this.tx);
    return {
      kpb: this.kpbs.get(r.kpbId)?.name ?? `#${r.kpbId}`,
      track: r.track,
      unrecorded: this.unrecordedOf(r.kpbId, r.track, r.year) !== undefined,
      connected: isConnected(this.connections.get(r.kpbId)),
    };
  }

  private contact(id: number) {
    if (!this.contacts.has(id)) {
      // Load every contact the sweep's nudges need at once, in chunks that stay under SQLite's variable limit.
      const ids = [...new Set(this.facts.invitations.map((i) => i.contactId))].filter((x) => !this.contacts.has(x));
      for (let i = 0; i < ids.length; i += IN_CHUNK) {
        const rows = this.tx
          .select({ contact: s.contacts, partnerName: s.partnerAgencies.name })
          .from(s.contacts)
          .innerJoin(s.partnerAgencies, eq(s.partnerAgencies.id, s.contacts.partnerAgencyId))
          .where(inArray(s.contacts.id, ids.slice(i, i + IN_CHUNK)))
          .all();
        for (const r of rows) {
          this.contacts.set(r.contact.id, r.contact);
          this.partnerNames.set(r.contact.partnerAgencyId, r.partnerName);
        }
      }
    }
    return this.contacts.get(id);
  }

  private partnerNamesOf(ids: readonly number[]): string[] {
    const missing = ids.filter((id) => !this.partnerNames.has(id));
    if (missing.length > 0)
      for (const p of this.tx.select({ id: s.partnerAgencies.id, name: s.partnerAgencies.name }).from(s.partnerAgencies).where(inArray(s.partnerAgencies.id, missing)).all())
        this.partnerNames.set(p.id, p.name);
    return ids.map((id) => this.partnerName(id)).sort((a, b) => a.localeCompare(b, "de"));
  }

  private partnerName(id: number): string {
    return this.partnerNames.get(id) ?? "–";
  }

  /** The latest conference of the year that was planned, took place by its date, and was never recorded. */
  private unrecordedOf(kpbId: number, track: Track, year: number): ConferenceFacts | undefined {
    if (!this.unrecorded) {
      this.unrecorded = new Map();
      const nowMs = this.now.getTime();
      for (const c of this.facts.conferences) {
        if ((c.status !== "planned" && c.status !== "invited") || c.startsAt.getTime() > nowMs) continue;
        const key = `${c.kpbId}:${c.track}:${berlinYearOf(c.startsAt)}`;
        const prev = this.unrecorded.get(key);
        if (!prev || c.startsAt > prev.startsAt) this.unrecorded.set(key, c);
      }
    }
    return this.unrecorded.get(`${kpbId}:${track}:${year}`);
  }
}

export interface ReminderSchedulerDeps {
  db: Db;
  clock: Clock;
  settings: SweepSettings;
  logger: Logger;
  /** SIKO_SWEEP_INTERVAL_MS. */
  intervalMs: number;
  policy?: ReminderPolicy;
  /** Called after a sweep committed new rows; normally the outbox worker's flush. */
  kick?: () => unknown;
  /** Told of every committed sweep and how long it took (for the operator's metrics). */
  onSweep?: (result: SweepResult, seconds: number) => void;
}

export class ReminderScheduler {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: ReminderSchedulerDeps) {}

  /** Sweeps after `firstAfterMs` (0: at once) and then every intervalMs. */
  start(firstAfterMs = 0): void {
    // An installation's very first sweep only starts the watch, and must do so at start, so that time moved
    // later (the console's /zeit) counts from here; a later start's sweep may wait.
    const watching = getMeta(this.deps.db, WATERMARK_KEY) !== undefined;
    if (firstAfterMs > 0 && watching) setTimeout(() => this.sweepSafely(), firstAfterMs).unref();
    else this.sweepSafely();
    this.timer = setInterval(() => this.sweepSafely(), this.deps.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    // A sweep is synchronous, so none can be half-way through here.
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One sweep in one immediate transaction (it takes the write lock first, so concurrent sweeps queue). */
  sweep(options: SweepOptions = {}): SweepResult {
    const { db, clock, settings, policy, logger } = this.deps;
    const now = clock.now();
    const started = performance.now();
    const result = db.transaction((tx) => sweepInTx(tx, now, settings, policy, options), { behavior: "immediate" });
    this.deps.onSweep?.(result, (performance.now() - started) / 1000);
    if (result.since === null) logger.info({ at: now.toISOString() }, "reminders: first sweep; the watch starts now (earlier slots are not sent)");
    // Info, not warn: an installation serving only some KPBs has unaddressed reminders by design.
    if (result.unaddressed > 0) logger.info({ unaddressed: result.unaddressed }, "reminders: due reminders without any recipient (no organiser/leader/LZPD user or room on the active platforms)");
    if (result.queued > 0) {
      logger.debug({ queued: result.queued, due: result.due }, "reminders: queued");
      try {
        void Promise.resolve(this.deps.kick?.()).catch((e: unknown) => logger.error({ err: e }, "reminders: outbox flush failed"));
      } catch (e) {
        logger.error({ err: e }, "reminders: outbox flush failed");
      }
    }
    return result;
  }

  /** A sweep whose failure is logged, not thrown: the next sweep covers the same window. */
  sweepSafely(options: SweepOptions = {}): void {
    try {
      this.sweep(options);
    } catch (e) {
      // Nothing was written (the transaction rolled back); the next sweep covers the same window.
      this.deps.logger.error({ err: e }, "reminders: sweep failed");
    }
  }
}
