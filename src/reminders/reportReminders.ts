// The sweep's part for issue 16: report-deadline reminders to the LZPD and exercise reminders to organisers,
// enqueued in the sweep's transaction under deterministic keys (so each goes out once, late if need be).
import { and, eq, gte, inArray, isNull, lte } from "drizzle-orm";
import { isConnected } from "../domain/connection.ts";
import { connectionFacts } from "../db/directory.ts";
import { berlinYearOf } from "../domain/holidays.ts";
import type { ReminderPolicy } from "../domain/reminderPolicy.ts";
import { extraReminders } from "../domain/reportReminders.ts";
import type { Tx } from "../db/client.ts";
import * as s from "../db/schema.ts";
import { addressedKey, enqueueAll, type OutboxItem } from "../delivery/outbox.ts";
import { localeBook, organiserAddresses } from "../delivery/recipients.ts";
import { extraReminderMessage } from "../messages/reportReminders.ts";
import type { Address } from "../port.ts";
import type { RuntimeSettings } from "../settings.ts";

/** Enqueues what fell due in (since, now]; returns the rows newly written. */
export function enqueueReportReminders(
  tx: Tx,
  since: Date,
  now: Date,
  settings: Pick<RuntimeSettings, "platforms" | "defaultLocale">,
  policy: ReminderPolicy,
  firstWatchedYear: number,
  clockMoved = false,
): number {
  const year = berlinYearOf(now);
  if (year < firstWatchedYear) return 0;
  // "Connected" as the overview and the LZPD's digest judge it, from the same counts.
  const connections = connectionFacts(tx);
  const kpbs = tx.select({ id: s.kpbs.id, name: s.kpbs.name }).from(s.kpbs).orderBy(s.kpbs.id).all();
  const connected = kpbs.filter((k) => isConnected(connections.get(k.id)));
  const dates = new Map<number, string[]>();
  const r = s.exerciseRecords;
  for (const e of tx.select({ kpbId: r.kpbId, date: r.date }).from(r).where(and(eq(r.kind, "exercise"), gte(r.date, `${year}-01-01`), lte(r.date, `${year}-12-31`))).all())
    dates.set(e.kpbId, [...(dates.get(e.kpbId) ?? []), e.date]);
  const due = extraReminders({ kpbs: connected.map((k) => ({ id: k.id, exerciseDates: dates.get(k.id) ?? [] })), since, now, policy });
  if (due.length === 0) return 0;

  const localeOf = localeBook(tx, settings.defaultLocale);
  const names = new Map(kpbs.map((k) => [k.id, k.name]));
  let orgOf: ReturnType<typeof organiserAddresses> | null = null;
  const reporters = (): Address[] =>
    tx
      .select({ platform: s.users.platform, id: s.users.platformUserId })
      .from(s.roleGrants)
      .innerJoin(s.users, eq(s.users.id, s.roleGrants.userId))
      .where(and(eq(s.roleGrants.role, "reporter"), isNull(s.roleGrants.kpbId), inArray(s.users.platform, settings.platforms)))
      .all()
      .map((u): Address => ({ platform: u.platform, kind: "user", id: u.id }));
  const batch: OutboxItem[] = [];
  for (const d of due) {
    const to: Address[] = d.kpbId === null ? reporters() : (orgOf ??= organiserAddresses(tx, settings.platforms))(d.kpbId).map((a) => a.to);
    const seen = new Set<string>();
    for (const a of to) {
      const key = addressedKey(d.dedupKey, a);
      if (seen.has(key)) continue;
      seen.add(key);
      batch.push({ key, to: a, message: extraReminderMessage(d, { kpbName: d.kpbId === null ? undefined : names.get(d.kpbId), now, clockMoved }, localeOf(a)), kpbId: d.kpbId });
    }
  }
  return enqueueAll(tx, batch, now);
}
