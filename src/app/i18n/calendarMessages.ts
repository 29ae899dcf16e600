// Sentences of the calendar (iCalendar files and feeds), part of the one catalogue (catalogue.ts).
import type { Entry } from "./entry.ts";

export const calendarMessages = {
} satisfies Record<string, Entry>;
