// Sentences of the annual-minimum watch and its reminders, part of the one catalogue (catalogue.ts).
import type { Entry } from "./entry.ts";

export const reminderMessages = {
} satisfies Record<string, Entry>;
