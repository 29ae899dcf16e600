// The layout shows the architecture (DESIGN.md §3): each part may use only the parts below it, so no two
// parts lean on each other and the core never reaches into an adapter. Checked on the import statements.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/childBot.ts";

/** What each part of src/ may import besides itself (and npm packages). */
const ALLOWED: Record<string, string[]> = {
  domain: [],
  db: ["domain", "paths"],
  calendar: ["domain", "db"],
  messages: ["domain", "db", "port"],
  delivery: ["domain", "db", "calendar", "messages", "port", "settings"],
  reminders: ["domain", "db", "messages", "delivery", "port", "settings"],
  app: ["domain", "db", "calendar", "messages", "delivery", "port", "settings", "config"],
  ops: ["domain", "db", "messages", "delivery", "port", "settings", "config", "paths"],
  http: [],
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** The relative imports of a file (static, type-only and dynamic), as paths from the repository root. */
function importsOf(file: string): string[] {
  const src = readFileSync(file, "utf8");
  const specs = [...src.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]!);
  return specs.map((s) => relative(ROOT, resolve(dirname(file), s)));
}

/** "src/delivery/outbox.ts" → "delivery"; "src/port.ts" → "port"; "adapters/console/x.ts" → "adapters". */
function partOf(path: string): string {
  const [top, second] = path.split("/");
  if (top !== "src") return top!;
  return second!.replace(/\.ts$/, "");
}

describe("architecture", () => {
  const src = filesUnder(join(ROOT, "src"));

  it("no part of src/ but the composition root (main.ts) imports an adapter", () => {
    const core = src.filter((f) => relative(ROOT, f) !== "src/main.ts");
    const offenders = core.flatMap((f) => importsOf(f).filter((i) => i.startsWith("adapters/")).map((i) => `${relative(ROOT, f)} → ${i}`));
    expect(offenders).toEqual([]);
  });

  it("each part of src/ uses only the parts below it", () => {
    const offenders: string[] = [];
    for (const f of src) {
      const part = partOf(relative(ROOT, f));
      const allowed = ALLOWED[part];
      if (!allowed) continue;
      for (const i of importsOf(f)) {
        const target = partOf(i);
        if (target !== part && !allowed.includes(target)) offenders.push(`${relative(ROOT, f)} → ${i}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("adapters never touch the database", () => {
    const offenders = filesUnder(join(ROOT, "adapters")).flatMap((f) => {
      const src = readFileSync(f, "utf8");
      const bad = importsOf(f).filter((i) => i.startsWith("src/db/"));
      if (/from\s+["'](drizzle-orm|better-sqlite3)/.test(src)) bad.push("a database package");
      return bad.map((b) => `${relative(ROOT, f)} → ${b}`);
    });
    expect(offenders).toEqual([]);
  });

  it("zod is imported as a namespace, so the bundle leaves out what the bot does not use (its 60 locales)", () => {
    const offenders = [...src, ...filesUnder(join(ROOT, "adapters"))].filter((f) => /import\s*\{\s*z\s*\}\s*from\s*["']zod["']/.test(readFileSync(f, "utf8")));
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });
});
