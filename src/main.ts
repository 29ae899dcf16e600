// Composition root: configuration, database, core, outbox and the configured chat adapters.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import pino, { type Logger } from "pino";
import { ConfigError, httpServerWanted, loadConfig, loadReminderPolicy, type Config } from "./config.ts";
import { ManualClock, systemClock, type Clock } from "./domain/clock.ts";
import { openDatabase } from "./db/client.ts";
import { pruneProcessedEvents } from "./db/directory.ts";
import { Dispatcher } from "./app/dispatcher.ts";
import { actions, commands } from "./app/registry.ts";
import { grantConfiguredAdmins } from "./app/bootstrap.ts";
import { loadDemo } from "./app/demo.ts";
import { createAdapterHost } from "./delivery/host.ts";
import { OutboxWorker } from "./delivery/worker.ts";
import { ReminderScheduler } from "./reminders/scheduler.ts";
import type { ChatAdapter, EventHandler, HttpHandler } from "./port.ts";
import type { Platform } from "./domain/types.ts";
import type { RuntimeSettings } from "./settings.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const REFERENCE_DIR = resolve(ROOT, "reference");
export const CONSOLE_ROOM = "konsole";

/**
 * How each chat platform's adapter is made from the configuration. Each SDK is imported only here, only when
 * its platform is configured: botbuilder alone takes a second to load, and the console must answer at once.
 */
const PLATFORM_ADAPTERS: Record<Exclude<Platform, "console">, (config: Config, logger: Logger) => Promise<ChatAdapter>> = {
  matrix: async () => notYet("matrix"),
  teams: async (config) => (await import("../adapters/teams/index.ts")).createTeamsAdapter(config),
  email: async () => notYet("email"),
};

function notYet(platform: Platform): never {
  throw new ConfigError(`SIKO_ADAPTERS: the ${platform} adapter is not part of this version yet; allowed: console`);
}

export interface Bot {
  dispatcher: Dispatcher;
  outbox: OutboxWorker;
  adapters: Map<Platform, ChatAdapter>;
  stop(): Promise<void>;
}

export async function startBot(config: Config, opts: { clock?: Clock; demo?: boolean } = {}): Promise<{ bot: Bot; done: Promise<void> }> {
  const simulated = config.SIKO_SIMULATED_TIME ? new ManualClock(new Date(config.SIKO_SIMULATED_TIME)) : null;
  const clock = opts.clock ?? simulated ?? systemClock;
  const logger = pino({ level: config.SIKO_LOG_LEVEL }, pino.destination(2));
  const { db, close } = openDatabase(config.SIKO_DB_PATH);
  const reminderPolicy = loadReminderPolicy(config);

  db.transaction((tx) => grantConfiguredAdmins(tx, config.SIKO_ADMINS, clock.now()));
  if (opts.demo) db.transaction((tx) => loadDemo(tx, REFERENCE_DIR, clock.now(), { platform: "console", userId: config.SIKO_CONSOLE_USER, roomId: CONSOLE_ROOM }));

  const adapters = new Map<Platform, ChatAdapter>();
  let consoleClosed: Promise<void> | null = null;
  for (const platform of config.SIKO_ADAPTERS) {
    if (platform === "console") {
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
        setTime: simulated
          ? async (to) => {
              simulated.set(to);
              // Reminders due by the new time are queued before the flush, so they show at once.
              scheduler.sweep();
              await outbox.flush();
            }
          : undefined,
      });
      consoleClosed = adapter.closed;
      adapters.set("console", adapter);
    } else {
      adapters.set(platform, await PLATFORM_ADAPTERS[platform](config, logger));
    }
  }

  const settings: RuntimeSettings = {
    platforms: config.SIKO_ADAPTERS,
    editablePlatforms: [...adapters.values()].filter((a) => a.capabilities.edits).map((a) => a.platform),
    publicUrl: config.SIKO_PUBLIC_URL,
    defaultLocale: config.SIKO_LOCALE,
    referenceDir: REFERENCE_DIR,
    rsvpNoticeDelayMs: config.SIKO_RSVP_NOTICE_DELAY_MS,
    reminderPolicy,
  };
  const outbox = new OutboxWorker({ db, clock, adapters, logger, settings, intervalMs: config.SIKO_OUTBOX_INTERVAL_MS });
  const dispatcher = new Dispatcher({ db, clock, settings, commands, actions, logger });
  const scheduler = new ReminderScheduler({ db, clock, settings, logger, intervalMs: config.SIKO_SWEEP_INTERVAL_MS, policy: settings.reminderPolicy, kick: () => outbox.kick() });

  // The adapter delivers the replies in context; what the command queued goes out from the outbox, kicked here
  // and not awaited, so a slow platform never holds up the answer.
  const onEvent: EventHandler = async (event) => {
    const result = await dispatcher.handle(event);
    outbox.kick();
    return result;
  };
  // Routes adapters mount while they start (the Teams endpoint); the HTTP server starts after them.
  const mounts: Array<[string, HttpHandler]> = [];
  const hostDeps = { db, clock, logger, publicUrl: config.SIKO_PUBLIC_URL, worker: outbox, mount: (path: string, handler: HttpHandler) => void mounts.push([path, handler]) };
  for (const adapter of adapters.values()) await adapter.start(createAdapterHost(adapter.platform, hostDeps), onEvent);

  // The HTTP server (feeds, the Teams endpoint) and express are loaded only when wanted.
  let http: { close(): Promise<void> } | null = null;
  if (httpServerWanted(config) || mounts.length > 0) {
    const [{ startHttpServer }, { createFeedService }] = await Promise.all([import("./http/server.ts"), import("./app/calendar/feed.ts")]);
    const feed = createFeedService({ db, clock, publicUrl: config.SIKO_PUBLIC_URL, locale: config.SIKO_LOCALE });
    http = await startHttpServer(
      { feed, logger, mount: (app) => mounts.forEach(([path, handler]) => app.use(path, handler)) },
      { port: config.SIKO_HTTP_PORT, host: config.SIKO_HTTP_HOST },
    );
  }

  outbox.start();
  scheduler.start();
  const prune = () => pruneProcessedEvents(db, clock.now());
  prune();
  const housekeeping = setInterval(prune, 6 * 3_600_000);
  housekeeping.unref();

  const bot: Bot = {
    dispatcher,
    outbox,
    adapters,
    async stop() {
      clearInterval(housekeeping);
      await scheduler.stop();
      await outbox.stop();
      await http?.close();
      for (const a of adapters.values()) await a.stop();
      close();
    },
  };
  // With only the console configured, the bot ends when its input ends.
  const done = consoleClosed && adapters.size === 1 ? consoleClosed.then(() => bot.stop()) : new Promise<void>(() => {});
  return { bot, done };
}

async function main(): Promise<void> {
  let started: Awaited<ReturnType<typeof startBot>>;
  try {
    started = await startBot(loadConfig(), { demo: process.argv.includes("--demo") });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`siko-bot: ${e.message}\n`);
    process.exit(2);
  }
  const { bot, done } = started;
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => {
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
