// What the Teams adapter hands the parser from a message's text: the bot's @mention gone, other mentions kept as names.
import { describe, expect, it } from "vitest";
import type { Activity } from "botbuilder";
import { commandText } from "../../adapters/teams/teamsAdapter.ts";

const BOT = { id: "28:bot", name: "siko-bot" };
const mention = (id: string, name: string) => ({ type: "mention", mentioned: { id, name }, text: `<at>${name}</at>` });

function activity(text: string, entities: unknown[] = [mention(BOT.id, BOT.name)]): Activity {
  return { type: "message", text, entities, recipient: BOT } as unknown as Activity;
}

describe("commandText", () => {
  it("drops the bot's mention and undoes Teams' entities and non-breaking spaces", () => {
    expect(commandText(activity("<at>siko-bot</at>&nbsp;absage 1 &quot;Termin&quot; &amp; mehr"))).toBe('absage 1 "Termin" & mehr');
  });

  it("keeps someone else's mention as the name typed", () => {
    const text = "<at>siko-bot</at> vertretung 1 <at>Klaus Berg</at>";
    expect(commandText(activity(text, [mention(BOT.id, BOT.name), mention("29:klaus", "Klaus Berg")]))).toBe("vertretung 1 Klaus Berg");
  });

  it("takes a 1:1 message without any mention as it is", () => {
    expect(commandText(activity("status 1", []))).toBe("status 1");
  });
});
