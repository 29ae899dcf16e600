// What an operator's Prometheus scrapes from /metrics. Labels are closed sets (platform, status, outcome,
// error class): never a name, a room or anything a user typed.
import { and, count, eq, inArray, min } from "drizzle-orm";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Clock } from "../domain/clock.ts";
import type { Db } from "../db/client.ts";
import * as s from "../db/schema.ts";
import type { DeliveryOutcome } from "../delivery/worker.ts";
import type { Outcome } from "../port.ts";

const OUTBOX_STATES_SHOWN = ["pending", "sending", "parked", "failed", "uncertain"] as const;

export interface Metrics {
  registry: Registry;
  command(outcome: Outcome, seconds: number): void;
  delivery(platform: string, outcome: DeliveryOutcome): void;
  sweep(seconds: number, queued: number): void;
}

export function createMetrics(db: Db, clock: Clock): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "siko_" });
  const commands = new Counter({ name: "siko_commands_total", help: "Commands and button presses by outcome (duplicate: a redelivered event).", labelNames: ["outcome"], registers: [registry] });
  const latency = new Histogram({
    name: "siko_command_duration_seconds",
    help: "Time from an event reaching the core to its answer.",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const deliveries = new Counter({
    name: "siko_deliveries_total",
    help: "Delivery attempts by platform and result (delivered, retry_after, unreachable, failed, uncertain, retry).",
    labelNames: ["platform", "result"],
    registers: [registry],
  });
  const sweepSeconds = new Histogram({ name: "siko_sweep_duration_seconds", help: "Duration of a reminder sweep.", buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30], registers: [registry] });
  const reminders = new Counter({ name: "siko_reminders_queued_total", help: "Reminder messages the sweep queued.", registers: [registry] });
  // Read from the database at scrape time: the outbox is the truth, whichever process delivers. Delivered and
  // superseded rows are left out: they only grow with the retention period, a scrape would read them all, and
  // siko_deliveries_total counts them as they happen.
  new Gauge({
    name: "siko_outbox_rows",
    help: "Outbox rows waiting or needing attention (pending, sending, parked, failed, uncertain) by status and platform.",
    labelNames: ["status", "platform"],
    registers: [registry],
    collect() {
      this.reset();
      const rows = db
        .select({ status: s.outbox.status, platform: s.outbox.platform, n: count() })
        .from(s.outbox)
        .where(inArray(s.outbox.status, OUTBOX_STATES_SHOWN))
        .groupBy(s.outbox.status, s.outbox.platform)
        .all();
      for (const r of rows) this.set({ status: r.status, platform: r.platform }, r.n);
    },
  });
  new Gauge({
    name: "siko_outbox_oldest_pending_seconds",
    help: "Age of the oldest row waiting to be delivered (0 when none).",
    registers: [registry],
    collect() {
      const oldest = db.select({ at: min(s.outbox.createdAt) }).from(s.outbox).where(and(eq(s.outbox.status, "pending"))).get()?.at;
      this.set(oldest ? Math.max(0, (clock.now().getTime() - oldest.getTime()) / 1000) : 0);
    },
  });
  return {
    registry,
    command(outcome, seconds) {
      commands.inc({ outcome });
      latency.observe(seconds);
    },
    delivery(platform, outcome) {
      deliveries.inc({ platform, result: outcome });
    },
    sweep(seconds, queued) {
      sweepSeconds.observe(seconds);
      reminders.inc(queued);
    },
  };
}
