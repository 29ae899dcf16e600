// Composition root: configuration, database, core, outbox and the configured chat adapters, and what an
// operator needs around them (health, metrics, backups, housekeeping, a graceful stop).
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import pino, { type Logger } from "pino";
import { ConfigError, httpServerWanted, loadConfig, loadReminderPolicy, type Config } from "./config.ts";
import { ManualClock, systemClock, type Clock } from "./domain/clock.ts";
import { assertDurable, openDatabase } from "./db/client.ts";
import { Dispatcher } from "./app/dispatcher.ts";
import { backup } from "./app/admin/backup.ts";
import { actions, commands } from "./app/registry.ts";
import { grantConfiguredAdmins } from "./app/bootstrap.ts";
import { loadDemo } from "./app/demo.ts";
import { createAdapterHost } from "./delivery/host.ts";
import { OutboxWorker } from "./delivery/worker.ts";
import { ReminderScheduler } from "./reminders/scheduler.ts";
import type { ChatAdapter, EventHandler, HttpHandler } from "./port.ts";
import type { Platform } from "./domain/types.ts";
import type { RuntimeSettings } from "./settings.ts";
import { PROJECT_ROOT, REFERENCE_DIR } from "./paths.ts";
import { Housekeeping } from "./ops/housekeeping.ts";
import { InstanceRegistration } from "./ops/instance.ts";

const CONSOLE_ROOM = "konsole";
const BACKGROUND_START_MS = 1_000;
export const VERSION = (JSON.parse(readFileSync(resolve(PROJECT_ROOT, "package.json"), "utf8")) as { version: string }).version;

/**
 * How each chat platform's adapter is made from the configuration. Each SDK is imported only here, only when
 * its platform is configured: botbuilder alone takes a second to load, and the console must answer at once.
 */
const PLATFORM_ADAPTERS: Record<Exclude<Platform, "console">, (config: Config, logger: Logger) => Promise<ChatAdapter>> = {
  matrix: async (config) => (await import("../adapters/matrix/matrixAdapter.ts")).createMatrixAdapter(config),
  teams: async (config) => (await import("../adapters/teams/index.ts")).createTeamsAdapter(config),
  email: async (config) => (await import("../adapters/email/emailAdapter.ts")).createEmailAdapter(config),
};

export interface Bot {
  dispatcher: Dispatcher;
  outbox: OutboxWorker;
  adapters: Map<Platform, ChatAdapter>;
  /** The port the HTTP server listens on, when it runs (useful with SIKO_HTTP_PORT=0). */
  httpPort: number | null;
  stop(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  demo?: boolean;
  /** Adapters to use instead of loading the configured platform's own (tests bring a platform of their own). */
  adapters?: ChatAdapter[];
}

export async function startBot(config: Config, opts: StartOptions = {}): Promise<{ bot: Bot; done: Promise<void> }> {
  const simulated = config.SIKO_SIMULATED_TIME ? new ManualClock(config.SIKO_SIMULATED_TIME) : null;
  const clock = opts.clock ?? simulated ?? systemClock;
  const consoleOnly = config.SIKO_ADAPTERS.every((p) => p === "console");
  // Secrets never reach a log line, whichever object carries them.
  const logger = pino(
    { level: config.SIKO_LOG_LEVEL ?? (consoleOnly ? "warn" : "info"), redact: { paths: SECRET_LOG_PATHS, censor: "[redacted]" } },
    pino.destination(2),
  );
  let opened: ReturnType<typeof openDatabase>;
  try {
    opened = openDatabase(config.SIKO_DB_PATH);
  } catch (e) {
    // A folder in the way, no permission, a file that is no database: the operator reads what and where.
    throw new ConfigError(`SIKO_DB_PATH: cannot open the database at ${resolve(config.SIKO_DB_PATH)} (${(e as Error).message})`);
  }
  const { db, sqlite, close } = opened;
  // An in-memory database (a test's) has no file to make durable.
  if (config.SIKO_DB_PATH !== ":memory:") assertDurable(sqlite);
  const reminderPolicy = loadReminderPolicy(config);
  const instance = new InstanceRegistration(db, VERSION);
  const others = instance.register();
  if (others.length > 0)
    logger.warn({ others: others.map((o) => ({ pid: o.pid, host: o.host, since: o.startedAt })) }, "another siko-bot works on this database; the outbox and the sweep take turns safely");

  db.transaction((tx) => grantConfiguredAdmins(tx, config.SIKO_ADMINS, clock.now()));
  if (opts.demo) db.transaction((tx) => loadDemo(tx, REFERENCE_DIR, clock.now(), { platform: "console", userId: config.SIKO_CONSOLE_USER, roomId: CONSOLE_ROOM }));

  const adapters = new Map<Platform, ChatAdapter>();
  let consoleClosed: Promise<void> | null = null;
  for (const platform of config.SIKO_ADAPTERS) {
    const given = opts.adapters?.find((a) => a.platform === platform);
    if (given) {
      adapters.set(platform, given);
    } else if (platform === "console") {
      // Platform SDKs are loaded only when configured, so the console answers quickly.
      const { ConsoleAdapter } = await import("../adapters/console/consoleAdapter.ts");
      const adapter = new ConsoleAdapter({
        input: process.stdin,
        output: process.stdout,
        user: config.SIKO_CONSOLE_USER,
        room: CONSOLE_ROOM,
        locale: config.SIKO_LOCALE,
        filesDir: resolve(dirname(resolve(config.SIKO_DB_PATH)), "dateien"),
        interactive: process.stdin.isTTY === true,
        clock: simulated
          ? {
              now: () => simulated.now(),
              moveTo: async (to) => {
                simulated.set(to);
                // Reminders due by the new time are queued and shown at once; they are late because the clock moved.
                scheduler.sweepSafely({ clockMoved: true });
                await outbox.flush();
              },
            }
          : undefined,
      });
      consoleClosed = adapter.closed;
      adapters.set("console", adapter);
    } else {
      adapters.set(platform, await PLATFORM_ADAPTERS[platform](config, logger));
    }
  }

  const httpWanted = httpServerWanted(config);
  const settings: RuntimeSettings = {
    platforms: config.SIKO_ADAPTERS,
    editablePlatforms: [...adapters.values()].filter((a) => a.capabilities.edits).map((a) => a.platform),
    publicUrl: config.SIKO_PUBLIC_URL,
    defaultLocale: config.SIKO_LOCALE,
    referenceDir: REFERENCE_DIR,
    rsvpNoticeDelayMs: config.SIKO_RSVP_NOTICE_DELAY_MS,
    reminderPolicy,
    backupDir: config.SIKO_BACKUP_DIR,
    httpServer: httpWanted,
    // With e-mail, calendar programs reply to the ORGANIZER: the mailbox the bot sends from, unless one is named.
    organizerEmail: config.SIKO_ORGANIZER_EMAIL ?? (config.SIKO_ADAPTERS.includes("email") ? mailAddressOf(config.SIKO_MAIL_FROM) : undefined),
    // The .ics asks calendar programs for a reply only where the bot reads the replies (IMAP).
    calendarRepliesRead: config.SIKO_ADAPTERS.includes("email") && config.SIKO_IMAP_URL !== undefined,
  };
  // prom-client and its dependencies load only where there is an HTTP server to scrape them from.
  const metrics = httpWanted ? (await import("./ops/metrics.ts")).createMetrics(db, clock) : null;
  const outbox = new OutboxWorker({ db, clock, adapters, logger, settings, intervalMs: config.SIKO_OUTBOX_INTERVAL_MS, onDelivery: metrics?.delivery });
  const scheduler = new ReminderScheduler({
    db,
    clock,
    settings,
    logger,
    intervalMs: config.SIKO_SWEEP_INTERVAL_MS,
    policy: settings.reminderPolicy,
    kick: () => outbox.kick(),
    onSweep: metrics ? (r, seconds) => metrics.sweep(seconds, r.queued) : undefined,
  });
  const housekeeping = new Housekeeping({
    db,
    sqlite,
    clock,
    logger,
    backupDir: config.SIKO_BACKUP_DIR,
    backupKeep: config.SIKO_BACKUP_KEEP,
    retentionYears: config.SIKO_RETENTION_YEARS,
    kick: () => outbox.kick(),
  });

  // The adapter delivers the replies in context; what a command queued goes out from the outbox, kicked when
  // the command changed something and not awaited, so a slow platform never holds up the answer. A backup asked
  // for (`sicherung`) starts then too, rather than at the next housekeeping round.
  let stopping = false;
  const afterChange = (commandId: string) => {
    if (stopping) return;
    outbox.kick();
    if (commandId === backup.id) void housekeeping.tick();
  };
  const dispatcher = new Dispatcher({ db, clock, settings, commands, actions, logger, onChange: afterChange });
  const onEvent: EventHandler = async (event) => {
    const started = performance.now();
    const result = await dispatcher.handle(event);
    metrics?.command(result.outcome, (performance.now() - started) / 1000);
    return result;
  };
  // Routes adapters mount while they start (the Teams endpoint); the HTTP server starts after them.
  const mounts: Array<[string, HttpHandler]> = [];
  const hostDeps = { db, clock, logger, publicUrl: config.SIKO_PUBLIC_URL, worker: outbox, mount: (path: string, handler: HttpHandler) => void mounts.push([path, handler]) };
  for (const adapter of adapters.values()) await adapter.start(createAdapterHost(adapter.platform, hostDeps), onEvent);

  // The HTTP server (feeds, the Teams endpoint) and express are loaded only when wanted.
  let http: { port: number; close(): Promise<void> } | null = null;
  if (httpWanted || mounts.length > 0) {
    const [{ startHttpServer }, { createFeedService }, { readiness }, { createReportPage }] = await Promise.all([
      import("./http/server.ts"),
      import("./app/calendar/feed.ts"),
      import("./ops/health.ts"),
      import("./app/report/page.ts"),
    ]);
    const feed = createFeedService({ db, clock, publicUrl: config.SIKO_PUBLIC_URL, organizerEmail: settings.organizerEmail, locale: config.SIKO_LOCALE });
    const reportPage = createReportPage({ db, clock, settings });
    http = await startHttpServer(
      {
        feed,
        reportPage,
        logger,
        mount: (app) => mounts.forEach(([path, handler]) => app.use(path, handler)),
        readiness: () => readiness(sqlite, adapters.values()),
        metrics: metrics ? { contentType: metrics.registry.contentType, text: () => metrics.registry.metrics(), token: config.SIKO_METRICS_TOKEN } : undefined,
      },
      { port: config.SIKO_HTTP_PORT, host: config.SIKO_HTTP_HOST },
    );
  }

  // Without a token, /metrics (and /readyz's reasons) answer whoever reaches the address: fine on loopback behind a
  // proxy that does not pass them on, worth a word anywhere else.
  if (http && metrics && !config.SIKO_METRICS_TOKEN && !isLoopback(config.SIKO_HTTP_HOST))
    logger.warn({ host: config.SIKO_HTTP_HOST }, "/metrics answers anyone who reaches this address: set SIKO_METRICS_TOKEN, or keep /metrics and /readyz behind the proxy");
  outbox.start();
  // The first sweep and housekeeping round wait a moment: the console's first answer comes first, and a
  // short piped session (`printf 'hilfe\n' | npm start`) ends before them. What is due stays due.
  scheduler.start(BACKGROUND_START_MS);
  housekeeping.start(BACKGROUND_START_MS);
  logger.info({ version: VERSION, adapters: config.SIKO_ADAPTERS, database: resolve(config.SIKO_DB_PATH), publicUrl: config.SIKO_PUBLIC_URL, pid: process.pid }, "siko-bot started");

  const bot: Bot = {
    dispatcher,
    outbox,
    adapters,
    httpPort: http?.port ?? null,
    /**
     * Stops taking events first (adapters finish the event in hand), then the sweep and the housekeeping, then
     * the outbox after the send in flight (its row is settled, the lease released). What is still queued stays
     * in the outbox for the next start.
     */
    async stop() {
      if (stopping) return;
      stopping = true;
      for (const a of adapters.values()) await a.stop();
      await scheduler.stop();
      await housekeeping.stop();
      await outbox.stop();
      await http?.close();
      instance.deregister();
      close();
      logger.info({ pid: process.pid }, "siko-bot stopped");
    },
  };
  // With only the console configured, the bot ends when its input ends.
  const done = consoleClosed && adapters.size === 1 ? consoleClosed.then(() => bot.stop()) : new Promise<void>(() => {});
  return { bot, done };
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host.startsWith("127.");
}

/** The address of `"Name" <address>` or of a bare address. */
function mailAddressOf(from: string | undefined): string | undefined {
  return from === undefined ? undefined : (/<([^<>]+)>\s*$/.exec(from)?.[1] ?? from).trim().toLowerCase();
}

/** Where a secret can sit in a logged object; pino replaces it before the line is written. */
const SECRET_LOG_PATHS = ["*.token", "*.accessToken", "*.password", "*.secret", "*.authorization", "*.headers.authorization", "config.*"];

async function main(): Promise<void> {
  let started: Awaited<ReturnType<typeof startBot>>;
  let config: Config;
  try {
    config = loadConfig();
    started = await startBot(config, { demo: process.argv.includes("--demo") });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`siko-bot: ${e.message}\n`);
    process.exit(2);
  }
  const { bot, done } = started;
  // The first SIGTERM (or SIGINT) stops gracefully within the time limit; a second one, or the limit, exits at
  // once. Nothing is lost either way: what is not delivered yet is in the outbox.
  let signals = 0;
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.on(signal, () => {
      if (++signals > 1) process.exit(1);
      setTimeout(() => process.exit(1), config.SIKO_SHUTDOWN_TIMEOUT_MS).unref();
      void bot.stop().then(() => process.exit(0));
    });
  await done;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    process.stderr.write(`siko-bot: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
