// The console's prompt at a terminal names the room in the reader's language.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { ConsoleAdapter } from "../../adapters/console/consoleAdapter.ts";
import type { Locale } from "../../src/domain/types.ts";
import { testHost } from "../support/testHost.ts";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Starts the console at a (pretend) terminal, types `line`, and resolves with the prompt shown after it. */
async function promptAfter(locale: Locale, line: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "siko-console-"));
  dirs.push(dir);
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = "";
  const adapter = new ConsoleAdapter({ input, output, user: "chef", room: "konsole", locale, filesDir: dir, interactive: true });
  await adapter.start(
    testHost(),
    async () => ({ outcome: "done", replies: [] }),
  );
  const prompt = new Promise<string>((resolve) =>
    output.on("data", (d: Buffer) => {
      // readline draws the prompt with cursor controls; the text is what a person reads.
      shown += d.toString().replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");
      const m = /(\S+@\S+> )\s*$/.exec(shown.split(line).at(-1) ?? "");
      if (shown.includes(line) && m) resolve(m[1]!);
    }),
  );
  input.write(`${line}\n`);
  const result = await prompt;
  await adapter.stop();
  return result;
}

describe("the console prompt", () => {
  it("names a direct chat in German and in English", async () => {
    expect(await promptAfter("de", "/als anna")).toBe("anna@direkt> ");
    expect(await promptAfter("en", "/as anna")).toBe("anna@direct> ");
  });
});
