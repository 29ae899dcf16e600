// The load generator of bench/teams.bench.ts, in its own process so that it does not take CPU from the bots
// it measures: POSTs `count` activities, `concurrency` at a time, and reports the rate and latencies.
// Driven over IPC: { url, token, body (JSON with "__ID__" where each request's activity id goes), count, concurrency }.
import { randomUUID } from "node:crypto";

interface Job {
  url: string;
  token: string;
  body: string;
  count: number;
  concurrency: number;
}

async function load(job: Job): Promise<{ perSecond: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < job.count) {
      next++;
      const body = job.body.replaceAll("__ID__", randomUUID());
      const t0 = performance.now();
      const res = await fetch(job.url, { method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${job.token}` }, body });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${job.url} answered ${res.status}`);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!;
  return { perSecond: job.count / seconds, p50: pct(0.5), p99: pct(0.99) };
}

process.on("message", (job: Job | "exit") => {
  if (job === "exit") process.exit(0);
  load(job).then(
    (r) => process.send!({ ok: r }),
    (e: unknown) => process.send!({ error: String((e as Error).message ?? e) }),
  );
});
