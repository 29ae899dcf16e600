// Builds the bot into dist/ with esbuild: our code bundled (one file per entry, chunks for what is loaded
// lazily, such as each chat adapter), the npm packages left to node_modules. `npm start` runs the result;
// tsx stays for development. `--if-stale` rebuilds only when a source file is newer than the bundle, so a
// checkout that was edited since is never started from an old bundle.
import { readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const entries = ["src/main.ts", "src/ops/cli.ts"];
const out = join(root, "dist");

function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((f) => newest(join(path, f))));
}

function stale() {
  let built;
  try {
    built = Math.min(...entries.map((e) => statSync(join(out, e.replace(/^src\//, "").replace(/\.ts$/, ".js"))).mtimeMs));
  } catch {
    return true;
  }
  return Math.max(newest(join(root, "src")), newest(join(root, "adapters")), statSync(join(root, "package.json")).mtimeMs) > built;
}

if (!process.argv.includes("--if-stale") || stale()) {
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
    packages: "external",
    sourcemap: true,
    logLevel: "warning",
  });
}
