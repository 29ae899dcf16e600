// Sentences of operations (backups, personal data), part of the one catalogue (catalogue.ts).
import type { Entry } from "./entry.ts";

export const opsMessages = {
  "cmd.backup": {
    de: "Erstellt sofort eine Sicherung der Datenbank im Sicherungsordner (SIKO_BACKUP_DIR).",
    en: "Takes a backup of the database into the backup folder (SIKO_BACKUP_DIR) now.",
  },
  "backup.noDir": {
    de: "Es ist kein Sicherungsordner eingerichtet. Der Betrieb setzt dafür SIKO_BACKUP_DIR (und SIKO_BACKUP_KEEP).",
    en: "No backup folder is configured. Operations sets SIKO_BACKUP_DIR (and SIKO_BACKUP_KEEP) for it.",
  },
  "backup.requested": {
    de: "Die Sicherung wird erstellt (Ordner {dir}); Sie erhalten hier eine Nachricht, sobald sie fertig ist.",
    en: "The backup is being taken (folder {dir}); you will get a message here when it is done.",
  },
  "calendar.linkForgotten": {
    de: "(Ein Kalender-Link wurde Ihnen hier zugestellt; er wird aus Sicherheitsgründen nicht aufbewahrt. `kalender erneuern` erzeugt einen neuen.)",
    en: "(A calendar link was delivered to you here; for security it is not kept. `calendar rotate` makes a new one.)",
  },
  "backup.done": { de: "Sicherung fertig: {file} ({size} KB).", en: "Backup done: {file} ({size} KB)." },
  "backup.failed": { de: "Die Sicherung ist fehlgeschlagen: {reason}", en: "The backup failed: {reason}" },
} satisfies Record<string, Entry>;
