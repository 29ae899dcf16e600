// Preloaded into a child process by the benchmarks (`node --import ./bench/cpuAtExit.mjs …`): at exit it writes
// the process's own CPU time and peak memory as one JSON line to file descriptor 3, so a benchmark measures the
// child exactly, and the bot's own output stays untouched. The baseline gets the same preload.
import { writeSync } from "node:fs";

process.on("exit", () => {
  const cpu = process.cpuUsage();
  const usage = process.resourceUsage();
  try {
    writeSync(3, `${JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, maxRssKb: usage.maxRSS })}\n`);
  } catch {
    // Not started by a benchmark: nothing to report to.
  }
});
