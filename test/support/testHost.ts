// An AdapterHost without a database, for driving an adapter directly in a test or a bench: state in a Map,
// log lines kept (to check that no secret reaches them), routes collected, a clock that moves when told to.
import type { AdapterHost, AdapterState, HttpHandler } from "../../src/port.ts";

export interface TestHost extends AdapterHost {
  lines: Array<{ level: string; obj: object; msg?: string }>;
  routes: Array<[string, HttpHandler]>;
  store: Map<string, string>;
  now: { value: Date };
}

export function testHost(publicUrl = "https://siko.polizei.example"): TestHost {
  const store = new Map<string, string>();
  const state: AdapterState = {
    get: (k) => store.get(k),
    set: (k, v) => void store.set(k, v),
    delete: (k) => void store.delete(k),
    entries: (prefix = "") => [...store.entries()].filter(([k]) => k.startsWith(prefix)).sort(([a], [b]) => a.localeCompare(b)),
  };
  const lines: TestHost["lines"] = [];
  const log = (level: string) => (obj: object, msg?: string) => void lines.push({ level, obj, ...(msg ? { msg } : {}) });
  const now = { value: new Date("2026-03-02T09:00:00Z") };
  const routes: TestHost["routes"] = [];
  return {
    state,
    store,
    lines,
    routes,
    now,
    logger: { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") },
    clock: { now: () => now.value },
    publicUrl,
    mount: (path, handler) => void routes.push([path, handler]),
    reachable: () => {},
    delivered: () => [],
    deliveredMessage: () => undefined,
    // No core behind it: nobody has been removed from anything.
    invited: () => true,
    outboxIdle: async () => {},
  };
}

