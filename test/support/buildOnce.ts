// vitest globalSetup: the end-to-end tests start the built bot (what `npm start` runs), so it is built once,
// fresh, before any test file runs.
import { execFileSync } from "node:child_process";
import { ROOT } from "./childBot.ts";

export default function setup(): void {
  execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: ROOT, stdio: "inherit" });
}
