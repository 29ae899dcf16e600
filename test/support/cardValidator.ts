// Every card through the official Adaptive Cards parser (npm `adaptivecards`, its UMD build, which runs
// without a DOM): parse and validation events are returned as messages; an empty list means valid.
import { createRequire } from "node:module";

type AC = typeof import("adaptivecards");
const AdaptiveCards = createRequire(import.meta.url)("adaptivecards/dist/adaptivecards.js") as AC;

export function validateCard(card: unknown): string[] {
  const parsed = new AdaptiveCards.AdaptiveCard();
  const context = new AdaptiveCards.SerializationContext();
  parsed.parse(card as Record<string, unknown>, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const e of parsed.validateProperties().validationEvents) problems.push(`validate: ${e.message}`);
  return problems;
}
