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

/** CPU time (user + system) of `f` in this process, in milliseconds. */
export async function cpuMs(f: () => unknown): Promise<number> {
  const before = process.cpuUsage();
  await f();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

export interface Paired {
  ratios: number[];
  min: number;
  median: number;
  max: number;
}

/**
 * Runs the baseline and ours in turns (the order flips every round, so neither always goes first on a warm
 * machine) and returns ours/baseline per round. Paired rounds keep a noisy shared machine out of the ratio.
 */
export async function paired(rounds: number, baseline: () => Promise<number>, ours: () => Promise<number>): Promise<Paired> {
  const ratios: number[] = [];
  for (let i = 0; i < rounds; i++) {
    let b: number;
    let o: number;
    if (i % 2 === 0) {
      b = await baseline();
      o = await ours();
    } else {
      o = await ours();
      b = await baseline();
    }
    ratios.push(o / b);
  }
  const sorted = [...ratios].sort((a, b) => a - b);
  return { ratios, min: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]!, max: sorted[sorted.length - 1]! };
}

/** One line: `label: ×median (min … max over n paired rounds)  goal ≤ ×g  ok|MISSED`. */
export function report(label: string, p: Paired, goal?: number): void {
  const f = (x: number) => x.toFixed(2);
  const verdict = goal === undefined ? "" : `  goal ≤ ×${goal}  ${p.median <= goal ? "ok" : "MISSED"}`;
  console.log(`${label}: ×${f(p.median)} (min ×${f(p.min)}, max ×${f(p.max)} over ${p.ratios.length} paired rounds)${verdict}`);
}
