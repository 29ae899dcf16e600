// What the core needs to know about this installation at run time, derived from the configuration once at start.
import type { IcsSettings } from "./calendar/conferenceIcs.ts";
import type { ReminderPolicy } from "./domain/reminderPolicy.ts";
import type { Locale, Platform } from "./domain/types.ts";

/** `organizerEmail` and `calendarRepliesRead` (the switch for RSVP=TRUE, see IcsSettings) come with the calendar. */
export interface RuntimeSettings extends IcsSettings {
  /** The configured platforms, in SIKO_ADAPTERS order (a contact is reached on the first where they have an id). */
  platforms: Platform[];
  /** Those whose adapter can edit a delivered message: only there is an answer shown on earlier copies. */
  editablePlatforms: Platform[];
  publicUrl: string;
  defaultLocale: Locale;
  /** Reference data the operator can edit (the NRW KPBs). */
  referenceDir: string;
  /** Answers arriving within this window reach the organisers as one notice. */
  rsvpNoticeDelayMs: number;
  /** When reminders go out; its first annual date is also where `uebersicht` calls a year at risk. */
  reminderPolicy: ReminderPolicy;
  /** SIKO_BACKUP_DIR: where `sicherung` and the nightly round put backups; unset: no backups by the bot. */
  backupDir?: string;
  /** Whether the bot's HTTP server runs, so links to its pages (the LZPD's overview) open; unknown when unset. */
  httpServer?: boolean;
}
