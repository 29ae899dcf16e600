// The real bot (`node dist/main.js`, what `npm start` runs, built by the tests' global setup) as a child
// process on Matrix: for killing it mid-send and starting it again on the same SQLite file, and for its
// start-up failures.
import { spawn, type ChildProcess } from "node:child_process";
import { BOT, ROOT } from "../childBot.ts";

export interface MatrixBotProcess {
  child: ChildProcess;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnMatrixBot(env: Record<string, string>): MatrixBotProcess {
  const child = spawn(process.execPath, [BOT], {
    cwd: ROOT,
    // Only what the bot needs: no SIKO_* variable of the developer's shell leaks in.
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", TZ: "UTC", SIKO_ADAPTERS: "matrix", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stdout!.resume();
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return { child, stderr: () => err, exited };
}
