// Prints one plain closing line, "N passed, N failed", that any CI log reader understands.
import type { Reporter, RunnerTask, RunnerTestFile } from "vitest";

function count(tasks: readonly RunnerTask[], acc: { passed: number; failed: number; skipped: number }): void {
  for (const t of tasks) {
    if (t.type === "suite") count(t.tasks, acc);
    else if (t.result?.state === "pass") acc.passed++;
    else if (t.result?.state === "fail") acc.failed++;
    else acc.skipped++;
  }
}

export default class SummaryReporter implements Reporter {
  onFinished(files: RunnerTestFile[] = []): void {
    const acc = { passed: 0, failed: 0, skipped: 0 };
    count(files, acc);
    const failedFiles = files.filter((f) => f.result?.state === "fail" && f.tasks.length === 0).length;
    process.stdout.write(`\n${acc.passed} passed, ${acc.failed + failedFiles} failed${acc.skipped ? `, ${acc.skipped} skipped` : ""}\n`);
  }
}
