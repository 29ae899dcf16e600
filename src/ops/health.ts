// Liveness and readiness for the operator's load balancer or orchestrator. The answer names what is not
// ready in a few words and carries nothing confidential (no names, no conference data, no secrets).
import type Database from "better-sqlite3";
import { migrationState } from "../db/client.ts";
import type { ChatAdapter } from "../port.ts";

export interface ReadinessCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

export interface Readiness {
  ready: boolean;
  checks: ReadinessCheck[];
}

export async function readiness(sqlite: Database.Database, adapters: Iterable<ChatAdapter>): Promise<Readiness> {
  const checks: ReadinessCheck[] = [];
  try {
    // Taking the write lock and letting it go proves the file is writable and not held by someone else for long.
    sqlite.exec("BEGIN IMMEDIATE; ROLLBACK");
    checks.push({ name: "database", ok: true });
  } catch (e) {
    checks.push({ name: "database", ok: false, detail: `not writable (${(e as { code?: string }).code ?? "error"})` });
  }
  try {
    const m = migrationState(sqlite);
    checks.push(m.applied >= m.known ? { name: "migrations", ok: true } : { name: "migrations", ok: false, detail: `${m.applied} of ${m.known} applied` });
  } catch {
    checks.push({ name: "migrations", ok: false, detail: "cannot be read" });
  }
  for (const adapter of adapters) {
    const r = adapter.readiness ? await adapter.readiness().catch(() => ({ ready: false, detail: "check failed" })) : { ready: true };
    checks.push({ name: `adapter:${adapter.platform}`, ok: r.ready, ...(r.detail ? { detail: r.detail } : {}) });
  }
  return { ready: checks.every((c) => c.ok), checks };
}
