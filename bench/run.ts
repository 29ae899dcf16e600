// `npm run bench`: every bench/*.bench.ts module's exported run(), one after the other (never in parallel: they
// would measure each other on a 2-core machine). Each module also runs alone: `npx tsx bench/<name>.bench.ts`.
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const dir = dirname(fileURLToPath(import.meta.url));
// An optional filter: `npm run bench -- ics` runs only the benches whose file name contains "ics".
const filters = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts") && (filters.length === 0 || filters.some((x) => f.includes(x))))
  .sort();

if (files.length === 0) {
  console.error(`no bench/*.bench.ts${filters.length ? ` matching ${filters.join(", ")}` : ""}`);
  process.exitCode = 1;
}

let failed = 0;
for (const file of files) {
  const mod = (await import(pathToFileURL(join(dir, file)).href)) as { run?: () => unknown };
  console.log(`\n== ${file}`);
  if (typeof mod.run !== "function") {
    console.error(`${file}: exports no run()`);
    failed++;
    continue;
  }
  const t0 = performance.now();
  try {
    await mod.run();
    console.log(`(${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (e) {
    // One broken bench must not hide the others' numbers.
    console.error(`${file} failed:`, e);
    failed++;
  }
}
if (failed > 0) process.exitCode = 1;
