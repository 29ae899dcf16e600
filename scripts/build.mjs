// Builds the bot into dist/ with esbuild: our code and the few packages every start needs bundled (one file
// per entry, chunks for what is loaded lazily, such as each chat adapter); every other package stays in
// node_modules and is loaded only when its feature is used (the platform SDKs, express, prom-client, and
// better-sqlite3's native module). Resolving hundreds of small files at every start was most of its cost.
// `npm start` runs the result; tsx stays for development. `--if-stale` rebuilds only when a source file is
// newer than the bundle, so a checkout that was edited since is never started from an old bundle.
import { readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
/** Packages our code imports that are bundled; their own dependencies come with them. */
const BUNDLED = new Set(["drizzle-orm", "zod", "pino", "luxon", "ical-generator", "timezones-ical-library", "csv-stringify"]);

const packageName = (spec) => (spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]);

/** Keeps a package external unless it is one of BUNDLED or a dependency of one. */
const startPackagesOnly = {
  name: "start-packages-only",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith("node:")) return { external: true };
      const fromOurCode = !args.importer.includes(`${"/"}node_modules${"/"}`);
      if (fromOurCode && !BUNDLED.has(packageName(args.path))) return { path: args.path, external: true };
      return undefined;
    });
  },
};
const entries = ["src/main.ts", "src/ops/cli.ts"];
const out = join(root, "dist");

function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  // The folder's own time too: it changes when a file is removed or renamed, which no remaining file shows.
  return Math.max(st.mtimeMs, ...readdirSync(path).map((f) => newest(join(path, f))));
}

function stale() {
  let built;
  try {
    built = Math.min(...entries.map((e) => statSync(join(out, e.replace(/^src\//, "").replace(/\.ts$/, ".js"))).mtimeMs));
  } catch {
    return true;
  }
  // This script too: a changed build makes a different bundle from the same sources.
  const inputs = [newest(join(root, "src")), newest(join(root, "adapters")), statSync(join(root, "package.json")).mtimeMs, statSync(fileURLToPath(import.meta.url)).mtimeMs];
  return Math.max(...inputs) > built;
}

if (!process.argv.includes("--if-stale") || stale()) {
  // Chunk names change with their content: old ones would pile up.
  rmSync(out, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: entries,
    outdir: out,
    outbase: "src",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    plugins: [startPackagesOnly],
    // Bundled CommonJS packages (pino) call require() for Node's own modules; ESM has none of its own.
    banner: { js: "import { createRequire as __siko_createRequire } from 'node:module'; const require = __siko_createRequire(import.meta.url);" },
    sourcemap: true,
    logLevel: "warning",
  });
}
