// Console start to first answer: `printf 'hilfe\n' | npm start` (the built bot) against `node -e ''`, both as
// child processes with the same CPU-time preload, in paired rounds; and the bot's peak memory beside bare node's,
// after `kpb import nrw` and after 2,000 answers.
// Run alone: npx tsx bench/start.bench.ts
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEMO_PARTNERS } from "../src/app/demo.ts";
import { botEnv } from "../test/support/childBot.ts";
import { paired, report, runIfMain } from "./support.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PRELOAD = "./bench/cpuAtExit.mjs";

interface Usage {
  cpuMs: number;
  maxRssKb: number;
}

/** Runs node with the preload and `args`, feeding `input`; resolves with the child's own CPU time and peak memory. */
function measured(args: string[], input: string, env: Record<string, string> = {}): Promise<Usage> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", PRELOAD, ...args], {
      cwd: ROOT,
      env: botEnv(env),
      stdio: ["pipe", "ignore", "inherit", "pipe"],
    });
    let report = "";
    (child.stdio[3] as NodeJS.ReadableStream).setEncoding("utf8").on("data", (d: string) => (report += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(JSON.parse(report) as Usage) : reject(new Error(`exit ${code}`))));
    child.stdin!.end(input);
  });
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "siko-bench-start-"));
  try {
    const bot = (input: string, db = join(dir, "start.db")) => measured(["dist/main.js"], input, { SIKO_DB_PATH: db });
    const bare = () => measured(["-e", ""], "");
    await bot("hilfe\n"); // the first start creates and migrates the database
    const start = await paired(
      10,
      async () => (await bare()).cpuMs,
      async () => (await bot("hilfe\n")).cpuMs,
    );
    report("console start to first answer vs node -e ''", start, 4);

    const node = await bare();
    const imported = await bot("kpb import nrw\n", join(dir, "import.db"));
    const lines = ["planen 2099-03-15 10:00", "einladen 1"];
    for (let i = 0; i < 2000; i++) lines.push(`${Math.floor(i / 12) % 2 === 0 ? "zusage" : "absage"} 1 --fuer "${DEMO_PARTNERS[i % 12]!.name}"`);
    const answered = await measured(["dist/main.js", "--demo"], lines.join("\n") + "\n", { SIKO_DB_PATH: join(dir, "answers.db"), SIKO_RSVP_NOTICE_DELAY_MS: "3600000" });
    const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MiB`;
    console.log(`peak memory: bare node ${mb(node.maxRssKb)}; bot after kpb import nrw ${mb(imported.maxRssKb)}; bot after 2,000 answers ${mb(answered.maxRssKb)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

runIfMain(import.meta.url, run);
