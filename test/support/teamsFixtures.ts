// Loads a recorded Teams activity (test/fixtures/teams) with its placeholders filled in.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const DIR = fileURLToPath(new URL("../fixtures/teams/", import.meta.url));

export type FixtureName =
  | "personal-message"
  | "channel-message-mention"
  | "invoke-action-execute"
  | "conversation-update-team-added"
  | "installation-update-personal"
  | "playground-installation-update-channel"
  | "playground-channel-mention"
  | "playground-invoke-action-execute";

export function teamsActivity(name: FixtureName, values: Record<string, string>): Record<string, unknown> {
  const raw = readFileSync(`${DIR}${name}.json`, "utf8");
  const filled = raw.replace(/\{\{(\w+)\}\}/g, (m, key: string) => {
    const v = values[key];
    if (v === undefined) return m;
    // The value lands inside a JSON string: escape it as one.
    return JSON.stringify(v).slice(1, -1);
  });
  const left = /\{\{(\w+)\}\}/.exec(filled);
  if (left) throw new Error(`fixture ${name}: no value for ${left[1]}`);
  return JSON.parse(filled) as Record<string, unknown>;
}
