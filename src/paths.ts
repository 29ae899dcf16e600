// Where the project's files are (reference data, migrations, package.json), whether this code runs from
// src/ under tsx or from the bundle in dist/: the nearest folder above this module with siko-bot's package.json.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "siko-bot") return dir;
    if (dirname(dir) === dir) throw new Error(`siko-bot: no package.json of siko-bot above ${from}`);
  }
}

export const PROJECT_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
export const REFERENCE_DIR = resolve(PROJECT_ROOT, "reference");
export const MIGRATIONS_DIR = resolve(PROJECT_ROOT, "migrations");
