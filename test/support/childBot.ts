// Runs the real bot as a child process (`node dist/main.js`, what `npm start` runs; built by the tests'
// global setup) with piped standard input: the console adapter reads one command per line and the bot exits
// at end of input.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The built bot, as `npm start` runs it. */
export const BOT = "dist/main.js";

/** A child bot's whole environment: only what it needs, so no SIKO_* variable of the developer's shell leaks in. */
export function botEnv(env: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", TZ: "UTC", ...env };
}

export interface BotRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runBot(args: string[], lines: string[], env: Record<string, string>, timeoutMs = 30_000): Promise<BotRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BOT, ...args], {
      cwd: ROOT,
      env: botEnv(env),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`bot did not exit within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(lines.map((l) => l + "\n").join(""));
  });
}
