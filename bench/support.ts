// Lets a bench module run alone (`npx tsx bench/x.bench.ts`) as well as from bench/run.ts.
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";

export function runIfMain(moduleUrl: string, run: () => Promise<void>): void {
  const entry = process.argv[1];
  let isMain = false;
  try {
    isMain = !!entry && moduleUrl === pathToFileURL(realpathSync(entry)).href;
  } catch {
    isMain = false;
  }
  if (isMain)
    run().catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
