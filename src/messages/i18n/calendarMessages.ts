// Sentences of the calendar (iCalendar files and feeds), part of the one catalogue (catalogue.ts).
import type { Entry } from "./entry.ts";

export const calendarMessages = {
  "cmd.ics": {
    de: "Gibt die aktuelle Kalenderdatei (.ics) einer Konferenz aus, zum Import in Outlook, Thunderbird oder Google Kalender.",
    en: "Hands out a conference's current calendar file (.ics), to import into Outlook, Thunderbird or Google Calendar.",
  },
  "cmd.calendarLink": {
    de: "Erzeugt den vertraulichen Abonnement-Link für den Kalender aller Konferenzen einer KPB.",
    en: "Creates the confidential subscription link for the calendar of all of a KPB's conferences.",
  },
  "cmd.calendarRotate": {
    de: "Erzeugt einen neuen Abonnement-Link; der bisherige funktioniert sofort nicht mehr.",
    en: "Creates a new subscription link; the old one stops working at once.",
  },

  "cmd.calendarOrganizer": {
    de: "Zeigt oder setzt die E-Mail-Adresse, die die Kalenderdateien der KPB als Organisator nennen; --weg nimmt wieder die der Installation.",
    en: "Shows or sets the e-mail address the KPB's calendar files name as organiser; --clear goes back to the installation's.",
  },
  "calendar.organizerOwn": {
    de: "Die Kalenderdateien von {kpb} nennen {email} als Organisator.",
    en: "{kpb}'s calendar files name {email} as organiser.",
  },
  "calendar.organizerInstallation": {
    de: "Die Kalenderdateien von {kpb} nennen {email} als Organisator (SIKO_ORGANIZER_EMAIL der Installation). Eine eigene Adresse: `kalender organisator <e-mail>`.",
    en: "{kpb}'s calendar files name {email} as organiser (the installation's SIKO_ORGANIZER_EMAIL). An address of its own: `calendar organizer <e-mail>`.",
  },
  "calendar.organizerDefault": {
    de: "Die Kalenderdateien von {kpb} nennen {email} als Organisator, eine aus SIKO_PUBLIC_URL gebildete Adresse. Eine echte Adresse: `kalender organisator <e-mail>` (oder SIKO_ORGANIZER_EMAIL für alle KPB).",
    en: "{kpb}'s calendar files name {email} as organiser, an address made from SIKO_PUBLIC_URL. A real one: `calendar organizer <e-mail>` (or SIKO_ORGANIZER_EMAIL for all KPBs).",
  },
  "ics.request": {
    de: "Kalenderdatei für {title} ({range}, Fassung {version}). Beim Öffnen aktualisiert sie den vorhandenen Termin. Vertraulich – nicht weitergeben.",
    en: "Calendar file for {title} ({range}, version {version}). Opening it updates the existing entry. Confidential – do not forward.",
  },
  "ics.answerInChat": {
    de: "Antworten aus dem Kalenderprogramm (Annehmen, Ablehnen) erreichen die einladende KPB nicht: bitte hier antworten, z. B. `zusage {id}`.",
    en: "Replies from the calendar program (accept, decline) do not reach the inviting KPB: please answer here, e.g. `accept {id}`.",
  },
  "message.calendarNoReply": {
    de: "Die angehängte Kalenderdatei trägt den Termin nur ein: Annehmen oder Ablehnen im Kalenderprogramm erreicht die einladende KPB nicht. Bitte hier antworten.",
    en: "The attached calendar file only adds the date: accepting or declining in the calendar program does not reach the inviting KPB. Please answer here.",
  },
  "ics.cancel": {
    de: "{title} ist abgesagt. Diese Kalenderdatei entfernt den Termin aus Ihrem Kalender.",
    en: "{title} is cancelled. This calendar file removes the entry from your calendar.",
  },

  "calendar.link": {
    de: "Kalender-Abonnement für {kpb}:\n{url}\n\nVertraulich: Wer diesen Link kennt, sieht alle Konferenzen der KPB. Nur an Berechtigte geben, nicht in E-Mails oder offene Räume kopieren. Er wird nur jetzt angezeigt (gespeichert ist nur ein Fingerabdruck); verloren oder weitergegeben: `kalender erneuern`.\nIn Outlook: Kalender hinzufügen → Aus dem Internet abonnieren; in Thunderbird: Neuer Kalender → Im Netzwerk.",
    en: "Calendar subscription for {kpb}:\n{url}\n\nConfidential: whoever knows this link sees all of the KPB's conferences. Give it only to those entitled, do not paste it into e-mails or open rooms. It is shown only now (only a fingerprint is stored); if lost or leaked: `calendar rotate`.\nIn Outlook: Add calendar → Subscribe from web; in Thunderbird: New calendar → On the network.",
  },
  "calendar.linkSent": {
    de: "Den Abonnement-Link für {kpb} habe ich Ihnen persönlich geschickt (Direktnachricht); in diesem Raum erscheint er nicht.",
    en: "I sent you the subscription link for {kpb} personally (direct message); it does not appear in this room.",
  },
  "calendar.rotated": {
    de: "Neuer Abonnement-Link für {kpb}; der bisherige funktioniert ab sofort nicht mehr. Abonnenten müssen den neuen Link eintragen.",
    en: "New subscription link for {kpb}; the old one no longer works. Subscribers must enter the new link.",
  },
  "calendar.linkExists": {
    de: "Für {kpb} gibt es bereits einen Abonnement-Link. Ich speichere nur seinen Fingerabdruck und kann ihn deshalb nicht noch einmal anzeigen. Einen neuen Link erzeugt ein Organisator mit `kalender erneuern`; der bisherige funktioniert dann nicht mehr.",
    en: "{kpb} already has a subscription link. I store only its fingerprint and therefore cannot show it again. An organiser creates a new one with `calendar rotate`; the old one then stops working.",
  },
  "calendar.feedName": { de: "Sicherheitskonferenzen {kpb}", en: "Security conferences {kpb}" },
} satisfies Record<string, Entry>;
