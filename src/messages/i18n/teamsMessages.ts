// Sentences of the Teams adapter (cards, links, the welcome), part of the one catalogue (catalogue.ts).
import type { Entry } from "./entry.ts";

export const teamsMessages = {
  "teams.fileLink": { de: "📄 {filename} herunterladen (der Link gilt einen Tag)", en: "📄 Download {filename} (the link works for a day)" },
  "teams.icsLink": { de: "📅 Kalenderdatei (.ics) herunterladen", en: "📅 Download the calendar file (.ics)" },
  "teams.refresh": { de: "Aktualisieren", en: "Refresh" },
  "teams.send": { de: "Senden", en: "Send" },
  "teams.textRequired": { de: "Bitte einen Namen eingeben.", en: "Please enter a name." },
  "teams.cardGone": {
    de: "Diese Karte ist nicht mehr aktuell. `hilfe` zeigt, was Sie eingeben können.",
    en: "This card is out of date. `help` shows what you can type.",
  },
  "teams.welcome": {
    de: "Hallo, ich bin siko-bot und plane die Sicherheitskonferenzen. Einladungen erhalten Sie hier als Karte mit Schaltflächen. `hilfe` zeigt alle Befehle; im Kanal erwähnen Sie mich dafür mit @.",
    en: "Hello, I am siko-bot and plan the security conferences. You receive invitations here as a card with buttons. `help` lists all commands; in a channel, @mention me first.",
  },
} satisfies Record<string, Entry>;
