// Composition root: configuration, database, core, outbox and the configured chat adapters.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { ConfigError, httpServerWanted, loadConfig, loadReminderPolicy, type Config } from "./config.ts";
import { ManualClock, systemClock, type Clock } from "./domain/clock.ts";
import { openDatabase } from "./db/client.ts";
import { pruneProcessedEvents } from "./db/directory.ts";
import { Dispatcher } from "./app/dispatcher.ts";
import { actions, commands } from "./app/registry.ts";
import { grantConfiguredAdmins } from "./app/bootstrap.ts";
import { loadDemo } from "./app/demo.ts";
import { OutboxWorker } from "./delivery/outbox.ts";
import { ReminderScheduler } from "./reminders/scheduler.ts";
import type { ChatAdapter, InboundEvent } from "./port.ts";
import type { Platform } from "./domain/types.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const REFERENCE_DIR = resolve(ROOT, "reference");
export const CONSOLE_ROOM = "konsole";

export interface Bot {
  dispatcher: Dispatcher;
  outbox: OutboxWorker;
  adapters: Map<Platform, ChatAdapter>;
  stop(): Promise<void>;
}

export async function startBot(config: Config, opts: { clock?: Clock; demo?: boolean } = {}): Promise<{ bot: Bot; done: Promise<void> }> {
  const simulated = config.SIKO_SIMULATED_TIME ? new ManualClock(config.SIKO_SIMULATED_TIME) : null;
  const clock = opts.clock ?? simulated ?? systemClock;
  const logger = pino({ level: config.SIKO_LOG_LEVEL }, pino.destination(2));
  const { db, close } = openDatabase(config.SIKO_DB_PATH);
  const settings = { platforms: config.SIKO_ADAPTERS, publicUrl: config.SIKO_PUBLIC_URL, defaultLocale: config.SIKO_LOCALE, referenceDir: REFERENCE_DIR, rsvpNoticeDelayMs: config.SIKO_RSVP_NOTICE_DELAY_MS, reminderPolicy: loadReminderPolicy(config), organizerEmail: config.SIKO_ORGANIZER_EMAIL };

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
      throw new ConfigError(`SIKO_ADAPTERS: the ${platform} adapter is not part of this version yet; allowed: console`);
    }
  }

  const outbox = new OutboxWorker({ db, clock, adapters, logger, intervalMs: config.SIKO_OUTBOX_INTERVAL_MS });
  const dispatcher = new Dispatcher({ db, clock, settings, commands, actions, logger });
  const scheduler = new ReminderScheduler({ db, clock, settings, logger, intervalMs: config.SIKO_SWEEP_INTERVAL_MS, policy: settings.reminderPolicy, kick: () => outbox.flush() });

  // The HTTP server (feeds; later the Teams endpoint) and express are loaded only when wanted.
  let http: { close(): Promise<void> } | null = null;
  if (httpServerWanted(config)) {
    const [{ startHttpServer }, { createFeedService }] = await Promise.all([import("./http/server.ts"), import("./app/calendar/feed.ts")]);
    const feed = createFeedService({ db, clock, publicUrl: config.SIKO_PUBLIC_URL, organizerEmail: config.SIKO_ORGANIZER_EMAIL, locale: config.SIKO_LOCALE });
    http = await startHttpServer({ feed, logger }, { port: config.SIKO_HTTP_PORT, host: config.SIKO_HTTP_HOST });
  }

  const onEvent = async (event: InboundEvent) => {
    const adapter = adapters.get(event.sender.platform)!;
    const replies = await dispatcher.handle(event);
    for (const [i, reply] of replies.entries())
      await adapter.send({ platform: event.room.platform, kind: "room", id: event.room.id }, reply, `reply:${event.eventId}:${i}`);
    // Deliver what the command queued before the next line, so a console transcript reads in order.
    await outbox.flush();
  };

  outbox.start();
  scheduler.start();
  const prune = () => pruneProcessedEvents(db, clock.now());
  prune();
  const housekeeping = setInterval(prune, 6 * 3_600_000);
  housekeeping.unref();
  for (const adapter of adapters.values()) await adapter.start(onEvent);

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
