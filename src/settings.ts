// What the core needs to know about this installation at run time, derived from the configuration once at start.
import type { IcsSettings } from "./calendar/conferenceIcs.ts";
import type { ReminderPolicy } from "./domain/reminderPolicy.ts";
import type { Locale, Platform } from "./domain/types.ts";

/** `organizerEmail` and `calendarRepliesRead` (the switch for RSVP=TRUE, see IcsSettings) come with the calendar. */
export interface RuntimeSettings extends IcsSettings {
  platforms: Platform[];
  publicUrl: string;
  defaultLocale: Locale;
  /** Reference data the operator can edit (the NRW KPBs). */
  referenceDir: string;
  /** Answers arriving within this window reach the organisers as one notice. */
  rsvpNoticeDelayMs: number;
  /** When reminders go out; its first annual date is also where `uebersicht` calls a year at risk. */
  reminderPolicy: ReminderPolicy;
}
