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
  "cmd.contactExport": {
    de: "Auskunft (DSGVO Art. 15): alles, was der Bot über eine Person gespeichert hat, als JSON-Datei.",
    en: "Access request (GDPR Art. 15): everything the bot stores about a person, as a JSON file.",
  },
  "cmd.contactErase": {
    de: "Löschen (DSGVO Art. 17): die Person (Name, IDs, Adressen) wird überall entfernt; die Antworten ihrer Behörde bleiben.",
    en: "Erasure (GDPR Art. 17): the person (name, ids, addresses) is removed everywhere; their agency's answers stay.",
  },
  "personal.notFound": { de: "{kpb} hat keinen Kontakt „{name}“.", en: "{kpb} has no contact “{name}”." },
  "personal.which": {
    de: "„{name}“ gibt es bei mehreren Behörden ({partners}); bitte `--partner \"<Behörde>\"` angeben.",
    en: "“{name}” exists at several agencies ({partners}); please add `--partner \"<agency>\"`.",
  },
  "personal.exported": {
    de: "Auskunft über {name}: {invitations} {invitations|Einladung|Einladungen}, {answers} {answers|Antwort|Antworten}, {audit} {audit|Protokolleintrag|Protokolleinträge}, {messages} {messages|Nachricht|Nachrichten} – in der angehängten Datei.",
    en: "Access report on {name}: {invitations} {invitations|invitation|invitations}, {answers} {answers|answer|answers}, {audit} audit {audit|entry|entries}, {messages} {messages|message|messages} – in the attached file.",
  },
  "personal.erased": {
    de: "Die Person ist gelöscht: Name, Kennungen und Adressen sind überall entfernt. Die Antworten ihrer Behörde bleiben für {partner} erhalten.",
    en: "The person is erased: name, ids and addresses are removed everywhere. Their agency's answers stay for {partner}.",
  },
  "calendar.linkForgotten": {
    de: "(Ein Kalender-Link wurde Ihnen hier zugestellt; er wird aus Sicherheitsgründen nicht aufbewahrt. `kalender erneuern` erzeugt einen neuen.)",
    en: "(A calendar link was delivered to you here; for security it is not kept. `calendar rotate` makes a new one.)",
  },
  "backup.done": { de: "Sicherung fertig: {file} ({size} KB).", en: "Backup done: {file} ({size} KB)." },
  "backup.failed": { de: "Die Sicherung ist fehlgeschlagen: {reason}", en: "The backup failed: {reason}" },
} satisfies Record<string, Entry>;
