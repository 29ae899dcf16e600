// vitest globalSetup: the end-to-end tests start the built bot (what `npm start` runs), so it is built before
// any test file runs, when a source is newer than the bundle (as `npm start` does): a run of a few unit tests
// does not pay for a full build, nor delete the chunks of a bot started from dist/ meanwhile.
import { execFileSync } from "node:child_process";
import { ROOT } from "./childBot.ts";

export default function setup(): void {
  execFileSync(process.execPath, ["scripts/build.mjs", "--if-stale"], { cwd: ROOT, stdio: "inherit" });
}
