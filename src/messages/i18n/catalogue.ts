// Every user-facing sentence, German first, English second. Placeholders are {name}.
import type { Locale } from "../../domain/types.ts";

import { calendarMessages } from "./calendarMessages.ts";
import type { Entry } from "./entry.ts";
import { deliveryMessages } from "./deliveryMessages.ts";
import { emailMessages } from "./emailMessages.ts";
import { matrixMessages } from "./matrixMessages.ts";
import { opsMessages } from "./opsMessages.ts";
import { reminderMessages } from "./reminderMessages.ts";
import { teamsMessages } from "./teamsMessages.ts";
import { reportMessages } from "./reportMessages.ts";

const coreMessages = {
  // --- engine -------------------------------------------------------------------------------
  "engine.unknownCommand": {
    de: "Unbekannter Befehl „{word}“.{suggestion} `hilfe` zeigt alle Befehle.",
    en: "Unknown command “{word}”.{suggestion} `help` lists all commands.",
  },
  "engine.didYouMean": { de: " Meinten Sie `{name}`?", en: " Did you mean `{name}`?" },
  "engine.empty": { de: "Bitte einen Befehl eingeben. `hilfe` zeigt alle Befehle.", en: "Please type a command. `help` lists all commands." },
  "engine.unterminatedQuote": {
    de: "Ein Anführungszeichen wurde nicht geschlossen. Beispiel: `partner anlegen \"Stadt Köln\" --kategorie kommune`",
    en: "A quotation mark was not closed. Example: `partner add \"Stadt Köln\" --category kommune`",
  },
  "engine.tooLong": {
    de: "Die Nachricht ist zu lang ({length} Zeichen, höchstens {max}).",
    en: "The message is too long ({length} characters, at most {max}).",
  },
  "engine.usage": { de: "Aufruf: `{usage}`", en: "Usage: `{usage}`" },
  "engine.missingArg": { de: "Es fehlt: {arg}.", en: "Missing: {arg}." },
  "engine.extraArgs": { de: "Zu viele Angaben: „{extra}“.", en: "Too many arguments: “{extra}”." },
  "engine.unknownFlag": { de: "Unbekannte Option --{flag}.", en: "Unknown option --{flag}." },
  "engine.flagNeedsValue": { de: "Die Option --{flag} braucht einen Wert.", en: "Option --{flag} needs a value." },
  "engine.flagTakesNoValue": { de: "Die Option --{flag} hat keinen Wert.", en: "Option --{flag} takes no value." },
  "engine.flagRepeated": { de: "Die Option --{flag} darf nur einmal vorkommen.", en: "Option --{flag} may appear only once." },
  "engine.invalidValue": { de: "Ungültiger Wert für {arg}: {reason}", en: "Invalid value for {arg}: {reason}" },
  "engine.notAllowed": {
    de: "Das dürfen Sie nicht: `{command}` braucht die Rolle {roles}{scope}.",
    en: "You are not allowed to do that: `{command}` needs the role {roles}{scope}.",
  },
  "engine.scopeKpb": { de: " für {kpb}", en: " for {kpb}" },
  "engine.roomNotBound": {
    de: "Dieser Raum ist keiner KPB zugeordnet. Binden Sie ihn mit `raum binden <kpb>` oder geben Sie `--kpb <kpb>` an.",
    en: "This room is not bound to a KPB. Bind it with `room bind <kpb>` or add `--kpb <kpb>`.",
  },
  "engine.directNoKpb": {
    de: "Im Direktchat weiß ich nicht, um welche KPB es geht. Bitte `--kpb <kpb>` angeben (wo der Befehl es kennt) oder im Raum der KPB eingeben.",
    en: "In a direct chat I cannot tell which KPB you mean. Please add `--kpb <kpb>` (where the command has it) or type it in the KPB's room.",
  },
  "engine.directWhichKpb": {
    de: "Sie haben Rollen bei mehreren KPB ({kpbs}). Bitte `--kpb <kpb>` angeben oder im Raum der KPB eingeben.",
    en: "You hold roles at several KPBs ({kpbs}). Please add `--kpb <kpb>` or type it in the KPB's room.",
  },
  "engine.confidentialHere": {
    de: "Die Konferenzen von {kpb} sind nicht öffentlich: Das zeige ich nur im Raum der KPB oder ihrem Personal im Direktchat.",
    en: "{kpb}'s conferences are not public: I show this only in the KPB's room or to its staff in a direct chat.",
  },
  "engine.linkNotKept": {
    de: "(Hier wurde ein Link gezeigt; aus Sicherheitsgründen wird er nicht aufbewahrt. Geben Sie den Befehl erneut ein.)",
    en: "(A link was shown here; for security it is not kept. Type the command again.)",
  },
  "engine.internalError": {
    de: "Interner Fehler; es wurde nichts geändert. Bitte später erneut versuchen (Fehler-ID {id}).",
    en: "Internal error; nothing was changed. Please try again later (error id {id}).",
  },
  "engine.unknownAction": { de: "Diese Schaltfläche ist nicht mehr gültig.", en: "This button is no longer valid." },
  "engine.or": { de: "oder", en: "or" },

  // --- values ---------------------------------------------------------------------------------
  "value.required": { de: "darf nicht leer sein", en: "must not be empty" },
  "value.tooLong": { de: "zu lang (höchstens {max} Zeichen)", en: "too long (at most {max} characters)" },
  "value.controlChars": {
    de: "enthält Steuerzeichen (z. B. Zeilenumbrüche); bitte nur eine Zeile Text",
    en: "contains control characters (e.g. line breaks); please one line of text",
  },
  "value.oneOf": { de: "erlaubt sind {allowed}", en: "allowed: {allowed}" },
  "value.email": { de: "keine gültige E-Mail-Adresse (Beispiel: name@stadt-koeln.de)", en: "not a valid e-mail address (example: name@example.org)" },
  "value.matrixId": { de: "keine Matrix-ID (Beispiel: @name:server.de)", en: "not a Matrix id (example: @name:server.org)" },
  "value.teamsId": {
    de: "keine Teams-/AAD-Objekt-ID (Beispiel: 8f1c2d3e-1234-4abc-9def-0123456789ab)",
    en: "not a Teams/AAD object id (example: 8f1c2d3e-1234-4abc-9def-0123456789ab)",
  },
  "value.yesNo": { de: "bitte ja oder nein", en: "please yes or no" },
  "value.number": { de: "keine Zahl", en: "not a number" },
  "value.conferenceId": { de: "keine Konferenz-Nummer (Beispiel: #12 oder koeln#12)", en: "not a conference number (example: #12 or koeln#12)" },
  "value.year": { de: "kein Jahr (Beispiel: 2027)", en: "not a year (example: 2027)" },

  // --- help -----------------------------------------------------------------------------------
  "help.title": { de: "Befehle von siko-bot (Details: `hilfe <befehl>`):", en: "siko-bot commands (details: `help <command>`):" },
  "help.roles": { de: "Erlaubt für: {roles}", en: "Allowed for: {roles}" },
  "help.alias": { de: "Auch: `{other}`", en: "Also: `{other}`" },
  "help.unknown": { de: "Zu „{word}“ gibt es keinen Befehl.", en: "There is no command “{word}”." },
  "help.anyone": { de: "alle", en: "everyone" },
  "help.verb": { de: "hilfe", en: "help" },
  "help.invitees": { de: "eingeladene Partner", en: "invited partners" },

  // --- roles ----------------------------------------------------------------------------------
  "role.admin": { de: "admin", en: "admin" },
  "role.organiser": { de: "organisator", en: "organiser" },
  "role.leader": { de: "leitung", en: "leader" },
  "role.partner": { de: "partner", en: "partner" },
  "role.reporter": { de: "lzpd", en: "lzpd" },

  // --- directory ------------------------------------------------------------------------------
  "cmd.help": { de: "Zeigt alle Befehle oder die Hilfe zu einem Befehl.", en: "Lists all commands, or explains one." },
  "cmd.me": { de: "Zeigt, wer Sie für den Bot sind: Rollen, Partner-Kontakte, Sprache.", en: "Shows who you are to the bot: roles, partner contacts, language." },
  "cmd.language": { de: "Stellt Ihre Sprache ein (de oder en).", en: "Sets your language (de or en)." },
  "cmd.roomLanguage": { de: "Stellt die Sprache dieses Raums ein (de oder en).", en: "Sets this room's language (de or en)." },
  "cmd.kpbList": { de: "Listet alle Kreispolizeibehörden.", en: "Lists all district police authorities (KPB)." },
  "cmd.kpbShow": { de: "Zeigt eine KPB: Städte, Autobahnpolizei, Pflichtkategorien, Partner.", en: "Shows a KPB: cities, motorway police, mandatory categories, partners." },
  "cmd.kpbImport": { de: "Lädt die 47 KPB in NRW aus den mitgelieferten Referenzdaten.", en: "Loads the 47 NRW KPBs from the shipped reference data." },
  "cmd.kpbMandatory": {
    de: "Macht eine weitere Kategorie für die SiKo dieser KPB zur Pflicht (mit --weg wieder optional).",
    en: "Makes another category mandatory for this KPB's SiKo (optional again with --remove).",
  },
  "cmd.partnerAdd": {
    de: "Legt eine Partnerbehörde an. Kategorien: staatsanwaltschaft, gericht, kommune, bundespolizei, zoll, schulamt (Pflicht), jugendamt, finanzverwaltung, oepnv, hilfsorganisation, privat, autobahn, sonstige.",
    en: "Adds a partner agency. Categories: staatsanwaltschaft, gericht, kommune, bundespolizei, zoll, schulamt (mandatory), jugendamt, finanzverwaltung, oepnv, hilfsorganisation, privat, autobahn, sonstige.",
  },
  "cmd.partnerRemove": {
    de: "Beendet die Partnerschaft einer Behörde mit der KPB (Kontakte und frühere Einladungen bleiben erhalten).",
    en: "Ends an agency's partnership with the KPB (contacts and past invitations are kept).",
  },
  "cmd.partnerList": { de: "Listet die Partnerbehörden einer KPB mit ihren Kontakten.", en: "Lists a KPB's partner agencies with their contacts." },
  "cmd.contactAdd": {
    de: "Trägt eine Person einer Partnerbehörde für diese KPB ein; ohne --leitung nein gehört sie zur Leitung und wird eingeladen. --kanal: worüber sie erreicht wird.",
    en: "Registers a person of a partner agency for this KPB; unless --leadership no, they are its head and invited. --channel: how they are reached.",
  },
  "cmd.contactChange": {
    de: "Ändert einen Kontakt dieser KPB (Name, Funktion, Adressen, Kanal, Leitung); --weg löscht eine Angabe.",
    en: "Changes a contact of this KPB (name, function, addresses, channel, leadership); --clear removes a detail.",
  },
  "cmd.contactRemove": {
    de: "Entfernt einen Kontakt dieser KPB: keine Einladungen und Erinnerungen mehr, antworten kann er nicht mehr.",
    en: "Removes a contact of this KPB: no more invitations or reminders, and they can no longer answer.",
  },
  "cmd.roomBind": { de: "Bindet diesen Raum an eine KPB.", en: "Binds this room to a KPB." },
  "cmd.roleGrant": {
    de: "Gibt einer Person eine Rolle (admin, organisator, leitung, lzpd). Partner werden als Kontakt eingetragen.",
    en: "Grants a person a role (admin, organiser, leader, lzpd). Partners are registered as contacts.",
  },

  "kpb.notFound": { de: "Eine KPB „{ref}“ kenne ich nicht. `kpb liste` zeigt alle.", en: "I do not know a KPB “{ref}”. `kpb list` shows all." },
  "kpb.listEmpty": {
    de: "Es sind noch keine KPB angelegt. Ein Admin lädt sie mit `kpb import nrw`.",
    en: "No KPBs yet. An admin loads them with `kpb import nrw`.",
  },
  "kpb.listTitle": { de: "{count} Kreispolizeibehörden:", en: "{count} district police authorities:" },
  "kpb.motorwayMark": { de: " (Autobahnpolizei)", en: " (motorway police)" },
  "kpb.show": {
    de: "{name} (`{slug}`)\nStädte/Kreise: {cities}\nAutobahnpolizei: {motorway}\nPflichtkategorien SiKo: {mandatory}\nPartnerbehörden: {partners}",
    en: "{name} (`{slug}`)\nCities/districts: {cities}\nMotorway police: {motorway}\nMandatory categories SiKo: {mandatory}\nPartner agencies: {partners}",
  },
  "kpb.mandatorySet": { de: "Pflichtkategorien der SiKo von {kpb}: {categories}.", en: "Mandatory categories of {kpb}'s SiKo: {categories}." },
  "kpb.mandatoryFixed": {
    de: "{category} ist durch den Erlass festgelegt und lässt sich hier nicht ändern.",
    en: "{category} is fixed by the decree and cannot be changed here.",
  },
  "kpb.imported": {
    de: "NRW-Referenzdaten geladen: {added} KPB neu angelegt, {kept} schon vorhanden (unverändert). Insgesamt {total}.",
    en: "NRW reference data loaded: {added} KPBs added, {kept} already present (unchanged). {total} in total.",
  },
  "kpb.referenceBroken": { de: "Die Referenzdatei {file} ist fehlerhaft: {reason}", en: "The reference file {file} is broken: {reason}" },
  "yes": { de: "ja", en: "yes" },
  "no": { de: "nein", en: "no" },

  "partner.added": {
    de: "Partnerbehörde „{name}“ ({category}) angelegt für {kpbs}. Nächster Schritt: `kontakt anlegen \"{name}\" \"<Name>\" --funktion \"<Funktion>\"`",
    en: "Partner agency “{name}” ({category}) added for {kpbs}. Next: `contact add \"{name}\" \"<name>\" --function \"<function>\"`",
  },
  "partner.linked": {
    de: "„{name}“ gibt es schon (Kategorie {category}); sie ist jetzt auch Partner von {kpbs}.",
    en: "“{name}” already exists (category {category}); it is now also a partner of {kpbs}.",
  },
  "partner.duplicate": {
    de: "„{name}“ ist bereits Partnerbehörde von {kpb}. Doppelte Namen sind nicht erlaubt; `partner liste` zeigt alle.",
    en: "“{name}” is already a partner agency of {kpb}. Duplicate names are not allowed; `partner list` shows all.",
  },
  "partner.categoryMismatch": {
    de: "„{name}“ gibt es schon mit der Kategorie {existing}, nicht {requested}.",
    en: "“{name}” already exists with category {existing}, not {requested}.",
  },
  "partner.notFound": {
    de: "Eine Partnerbehörde „{name}“ gibt es bei {kpb} nicht. `partner liste` zeigt alle.",
    en: "{kpb} has no partner agency “{name}”. `partner list` shows all.",
  },
  "partner.removed": {
    de: "„{name}“ ist nicht mehr Partnerbehörde von {kpb}. Künftige Einladungen gehen nicht mehr an sie.",
    en: "“{name}” is no longer a partner agency of {kpb}. Future invitations no longer go to it.",
  },
  "partner.listEmpty": {
    de: "{kpb} hat noch keine Partnerbehörden. Anlegen mit `partner anlegen \"<Name>\" --kategorie <kategorie>`.",
    en: "{kpb} has no partner agencies yet. Add one with `partner add \"<name>\" --category <category>`.",
  },
  "partner.listTitle": { de: "Partnerbehörden von {kpb} ({count}):", en: "Partner agencies of {kpb} ({count}):" },
  "partner.noContacts": { de: "keine Kontakte", en: "no contacts" },
  "partner.leadership": { de: "Leitung", en: "leadership" },

  "contact.added": {
    de: "Kontakt „{name}“ bei „{partner}“ angelegt{function}. Erreichbar über: {channels}.",
    en: "Contact “{name}” added to “{partner}”{function}. Reachable via: {channels}.",
  },
  "contact.duplicate": {
    de: "„{partner}“ hat schon einen Kontakt „{name}“. Ändern mit `kontakt aendern \"{partner}\" \"{name}\" …`.",
    en: "“{partner}” already has a contact “{name}”. Change it with `contact change \"{partner}\" \"{name}\" …`.",
  },
  "contact.changed": {
    de: "Kontakt „{name}“ bei „{partner}“ geändert{function}. Erreichbar über: {channels}.",
    en: "Contact “{name}” of “{partner}” changed{function}. Reachable via: {channels}.",
  },
  "contact.unchanged": {
    de: "Für „{name}“ bei „{partner}“ gibt es nichts zu ändern: bitte angeben, was sich ändert (z. B. --email, --funktion, --leitung, --weg matrix).",
    en: "Nothing to change for “{name}” of “{partner}”: please say what changes (e.g. --email, --function, --leadership, --clear matrix).",
  },
  "contact.notFound": {
    de: "{kpb} hat bei „{partner}“ keinen Kontakt „{name}“. `partner liste` zeigt alle.",
    en: "{kpb} has no contact “{name}” at “{partner}”. `partner list` shows all.",
  },
  "contact.removed": {
    de: "Kontakt „{name}“ bei „{partner}“ entfernt. Die Person erhält keine Einladungen und Erinnerungen von {kpb} mehr und kann nicht mehr für die Behörde antworten.",
    en: "Contact “{name}” of “{partner}” removed. They receive no more invitations or reminders from {kpb} and can no longer answer for the agency.",
  },
  "contact.invitedYes": {
    de: "{name} gehört zur Leitung und wird zu den Konferenzen von {kpb} eingeladen. Sonst: `kontakt aendern \"{partner}\" \"{name}\" --leitung nein`.",
    en: "{name} is part of the leadership and is invited to {kpb}'s conferences. Otherwise: `contact change \"{partner}\" \"{name}\" --leadership no`.",
  },
  "contact.invitedNo": {
    de: "{name} gehört nicht zur Leitung und wird nicht eingeladen, kann aber für {partner} antworten. Einladen: `kontakt aendern \"{partner}\" \"{name}\" --leitung ja`.",
    en: "{name} is not part of the leadership and is not invited, but can answer for {partner}. To invite: `contact change \"{partner}\" \"{name}\" --leadership yes`.",
  },
  "contact.channelWithoutAddress": {
    de: "Für den Kanal {channel} fehlt die Adresse: bitte {flag} angeben.",
    en: "The channel {channel} needs an address: please add {flag}.",
  },
  "contact.channelNote": { de: " (Kanal: {channel})", en: " (channel: {channel})" },
  "contact.noChannel": {
    de: "noch kein Chat-Konto und keine E-Mail hinterlegt (--matrix, --teams, --email)",
    en: "no chat account and no e-mail yet (--matrix, --teams, --email)",
  },

  "room.bound": {
    de: "Dieser Raum gehört jetzt zu {kpb}. Konferenzdetails dieser KPB werden hier angezeigt.",
    en: "This room now belongs to {kpb}. Conference details of this KPB are shown here.",
  },
  "room.rebound": {
    de: "Dieser Raum gehörte zu {old} und gehört jetzt zu {kpb}.",
    en: "This room belonged to {old} and now belongs to {kpb}.",
  },
  "room.rebindNotAllowed": {
    de: "Dieser Raum gehört zu {kpb}. Umbinden darf nur, wer dort Organisator oder Admin ist.",
    en: "This room belongs to {kpb}. Only its organisers or an admin may rebind it.",
  },
  "room.alreadyBound": { de: "Dieser Raum gehört bereits zu {kpb}.", en: "This room already belongs to {kpb}." },
  "room.directCannotBind": {
    de: "Ein Direktchat kann keiner KPB zugeordnet werden; bitte in einem Gruppenraum binden.",
    en: "A direct chat cannot be bound to a KPB; please bind a group room.",
  },
  "room.languageSet": { de: "Dieser Raum antwortet jetzt auf Deutsch.", en: "This room now answers in English." },

  "role.granted": { de: "{user} hat jetzt die Rolle {role}{scope}.", en: "{user} now has the role {role}{scope}." },
  "role.already": { de: "{user} hat die Rolle {role}{scope} bereits.", en: "{user} already has the role {role}{scope}." },
  "role.needsKpb": {
    de: "Die Rolle {role} gilt für eine KPB: bitte `--kpb <kpb>` angeben oder in einem gebundenen Raum vergeben.",
    en: "The role {role} is for one KPB: add `--kpb <kpb>` or grant it in a bound room.",
  },
  "role.isGlobal": {
    de: "Die Rolle {role} gilt landesweit; `--kpb` passt dazu nicht.",
    en: "The role {role} holds state-wide; `--kpb` does not fit it.",
  },
  "role.partnerByContact": {
    de: "Partner brauchen keine Rolle: Wer als Kontakt einer Partnerbehörde eingetragen ist, kann für sie antworten. Bitte `kontakt anlegen \"<Behörde>\" \"<Name>\" --matrix @name:server` (oder `--teams <aad-objekt-id>`).",
    en: "Partners need no role: whoever is registered as a contact of a partner agency can answer for it. Please `contact add \"<agency>\" \"<name>\" --matrix @name:server` (or `--teams <aad-object-id>`).",
  },
  "role.badUser": {
    de: "„{user}“ ist keine Benutzerkennung. Beispiele: @name:server.de (Matrix), eine AAD-Objekt-ID (Teams), ein Name (Konsole).",
    en: "“{user}” is not a user id. Examples: @name:server.org (Matrix), an AAD object id (Teams), a name (console).",
  },

  "me.summary": {
    de: "Sie sind {principal}.\nRollen: {roles}\nPartner-Kontakt für: {contacts}\nSprache: {locale}\nRaum: {room}",
    en: "You are {principal}.\nRoles: {roles}\nPartner contact for: {contacts}\nLanguage: {locale}\nRoom: {room}",
  },
  "me.none": { de: "keine", en: "none" },
  "me.roomBound": { de: "gehört zu {kpb}", en: "belongs to {kpb}" },
  "me.roomUnbound": { de: "keiner KPB zugeordnet", en: "not bound to a KPB" },
  "language.set": { de: "Ich antworte Ihnen jetzt auf Deutsch.", en: "I will answer you in English from now on." },

  // --- conferences -----------------------------------------------------------------------------
  "conference.notFound": {
    de: "Konferenz {ref} kann ich hier nicht zeigen: Es gibt sie nicht, oder sie ist nicht öffentlich – Details nur im Raum der ausrichtenden KPB und im Direktchat mit Eingeladenen. `liste` zeigt die Konferenzen Ihrer KPB.",
    en: "I cannot show conference {ref} here: it does not exist, or it is not public – details only in the organising KPB's room and in a direct chat with invitees. `list` shows your KPB's conferences.",
  },
  "conference.ambiguous": {
    de: "#{number} gibt es bei mehreren KPB, deren Konferenzen Sie sehen: Bitte mit der KPB angeben, {choices}.",
    en: "There is a #{number} at several KPBs whose conferences you see: please name the KPB, {choices}.",
  },

  // --- console adapter -------------------------------------------------------------------------
  "console.welcome": {
    de: "siko-bot auf der Konsole. Sie sind „{user}“ im Raum „{room}“. `hilfe` zeigt die Befehle, `/als <name>` wechselt die Person, `/raum <name>` den Raum, `/ende` beendet.",
    en: "siko-bot on the console. You are “{user}” in room “{room}”. `help` lists the commands, `/as <name>` switches person, `/room <name>` room, `/quit` ends.",
  },
  "console.switched": { de: "Sie sind jetzt „{user}“ im {room}.", en: "You are now “{user}” in {room}." },
  "console.directRoom": { de: "Direktchat mit dem Bot", en: "direct chat with the bot" },
  "console.directPrompt": { de: "direkt", en: "direct" },
  "console.groupRoom": { de: "Raum „{room}“", en: "room “{room}”" },
  "console.inboxEmpty": { de: "Für „{user}“ sind keine Nachrichten eingegangen.", en: "No messages have arrived for “{user}”." },
  "console.roomTitle": { de: "Im Raum „{room}“ eingegangen ({count}):", en: "Received in room “{room}” ({count}):" },
  "console.inboxTitle": { de: "Eingegangen bei „{user}“ ({count}):", en: "Received by “{user}” ({count}):" },
  "console.to": { de: "→ an {to}", en: "→ to {to}" },
  "console.clockSet": { de: "Simulierte Zeit: {when}", en: "Simulated time: {when}" },
  "console.clockUsage": {
    de: "Aufruf: `/zeit` zeigt die simulierte Zeit, `/zeit <datum> <zeit>` stellt sie vor (z. B. `/zeit 15.03.2027 10:00`).",
    en: "Usage: `/time` shows the simulated time, `/time <date> <time>` moves it forward (e.g. `/time 2027-03-15 10:00`).",
  },
  "console.clockReal": {
    de: "Die Uhr ist nicht simuliert: `/zeit` gibt es nur, wenn der Bot mit SIKO_SIMULATED_TIME gestartet wurde.",
    en: "The clock is not simulated: `/time` works only when the bot was started with SIKO_SIMULATED_TIME.",
  },
  "console.clockBack": {
    de: "Die simulierte Uhr läuft nur vorwärts: {when} liegt vor der simulierten Zeit ({now}).",
    en: "The simulated clock only runs forward: {when} is before the simulated time ({now}).",
  },
  "console.failed": {
    de: "Diese Eingabe ist fehlgeschlagen ({error}); der Bot läuft weiter.",
    en: "This input failed ({error}); the bot keeps running.",
  },
  "console.more": { de: "(ganz: `/als {user}`)", en: "(in full: `/as {user}`)" },
  "console.inRoom": { de: "→ in Raum „{room}“", en: "→ in room “{room}”" },
  "console.choose": {
    de: "Zum Antworten die Nummer eingeben{text}.",
    en: "To answer, type the number{text}.",
  },
  "console.chooseText": { de: " (mit Text dahinter, z. B. `{n} Max Mustermann`)", en: " (followed by text, e.g. `{n} Jane Doe`)" },
  "console.noSuchChoice": { de: "Es gibt keine Auswahl {n}. `/als {user}` zeigt die Nachrichten erneut.", en: "There is no choice {n}. `/as {user}` shows the messages again." },
  "console.needsText": { de: "Auswahl {n} braucht einen Text: `{n} <{prompt}>`", en: "Choice {n} needs text: `{n} <{prompt}>`" },
  "console.attachment": { de: "Datei: {path}", en: "File: {path}" },
  "console.usageAs": { de: "Aufruf: `/als <name>` (mit Anführungszeichen bei Leerzeichen)", en: "Usage: `/as <name>` (quote names with spaces)" },
  "console.unknownMeta": { de: "Konsolenbefehle: /als <name>, /raum <name>, /zeit <datum> <zeit>, /ende", en: "Console commands: /as <name>, /room <name>, /time <date> <time>, /quit" },


  "cmd.plan": {
    de: "Plant eine Sicherheitskonferenz für die KPB dieses Raums (Dauer Standard 3 h; --art siko-ap nur mit Autobahnpolizei).",
    en: "Plans a security conference for this room's KPB (duration default 3 h; --track siko-ap only with motorway police).",
  },
  "cmd.agenda": { de: "Zeigt oder ändert die Tagesordnung.", en: "Shows or edits the agenda." },
  "cmd.place": { de: "Ändert den Ort; Eingeladene erhalten eine aktualisierte Einladung.", en: "Changes the place; invitees receive an updated invitation." },
  "cmd.invite": {
    de: "Lädt die Leitungen aller Partnerbehörden ein; verweigert, solange eine Pflichtkategorie fehlt (außer mit --trotzdem).",
    en: "Invites the leadership of every partner agency; refuses while a mandatory category is missing (unless --anyway).",
  },
  "cmd.status": { de: "Zeigt die Antworten je Pflichtkategorie und Behörde.", en: "Shows the answers per mandatory category and agency." },
  "cmd.accept": { de: "Sagt die Teilnahme zu.", en: "Accepts the invitation." },
  "cmd.decline": { de: "Sagt die Teilnahme ab (Grund optional).", en: "Declines the invitation (reason optional)." },
  "cmd.tentative": { de: "Antwortet unter Vorbehalt.", en: "Answers tentatively." },
  "cmd.delegate": { de: "Meldet eine Vertretung, die statt der Leitung teilnimmt.", en: "Names a deputy who attends instead." },
  "cmd.reschedule": { de: "Verschiebt eine Konferenz; die Antworten werden zurückgesetzt.", en: "Moves a conference; the answers are reset." },
  "cmd.cancel": { de: "Sagt eine Konferenz ab und benachrichtigt die Eingeladenen.", en: "Cancels a conference and notifies the invitees." },
  "cmd.held": {
    de: "Hält fest, dass die Konferenz stattgefunden hat (wer da war, welche Themen besprochen wurden).",
    en: "Records that the conference took place (who attended, which topics were discussed).",
  },
  "cmd.list": {
    de: "Listet die Konferenzen eines Jahres der KPB dieses Raums; im Direktchat mit einem Partner-Kontakt seine Einladungen.",
    en: "Lists a year's conferences of this room's KPB; in a direct chat with a partner contact, their invitations.",
  },

  "date.format": {
    de: "„{input}“ ist kein Datum. Bitte z. B. 2027-03-15 oder 15.03.2027.",
    en: "“{input}” is not a date. Please give one like 2027-03-15 or 15.03.2027.",
  },
  "date.timeFormat": { de: "„{input}“ ist keine Uhrzeit. Bitte z. B. 10:00.", en: "“{input}” is not a time. Please give one like 10:00." },
  "date.impossible": {
    de: "Den {input} gibt es nicht. Bitte ein Datum im Kalender, z. B. 2027-03-15 oder 15.03.2027.",
    en: "{input} does not exist. Please give a calendar date, e.g. 2027-03-15 or 15.03.2027.",
  },
  "date.gap": {
    de: "{time} Uhr gibt es am {date} nicht: in dieser Nacht springen die Uhren von 02:00 auf 03:00 (Sommerzeit). Bitte eine andere Uhrzeit.",
    en: "{time} does not exist on {date}: clocks jump from 02:00 to 03:00 that night (summer time). Please choose another time.",
  },
  "date.past": { de: "{when} liegt in der Vergangenheit.", en: "{when} is in the past." },
  "date.range": { de: "Ein Datum nach dem Jahr {max} nehme ich nicht an („{input}“).", en: "I do not take a date after the year {max} (“{input}”)." },
  "date.instantFormat": {
    de: "„{input}“ ist kein Zeitpunkt. Bitte z. B. 2027-02-01T09:00 (Berliner Zeit) oder 2027-02-01T08:00:00Z.",
    en: "“{input}” is not a point in time. Please e.g. 2027-02-01T09:00 (Berlin time) or 2027-02-01T08:00:00Z.",
  },
  "date.fold": {
    de: "Hinweis: {time} Uhr gibt es in dieser Nacht zweimal; gemeint ist die erste, {time} MESZ (UTC+{offset}).",
    en: "Note: {time} occurs twice that night; this means the first one, {time} CEST (UTC+{offset}).",
  },
  "plan.warn.weekend": { de: "Achtung: Der {date} ist ein {weekday}.", en: "Note: {date} is a {weekday}." },
  "plan.warn.holiday": { de: "Achtung: Der {date} ist in NRW ein Feiertag ({name}).", en: "Note: {date} is a public holiday in NRW ({name})." },
  "plan.warn.night": {
    de: "Achtung: {range} liegt teils außerhalb der üblichen Dienstzeit ({from} bis {to} Uhr).",
    en: "Note: {range} lies partly outside the usual working hours ({from} to {to}).",
  },
  "plan.warn.overlap": { de: "Achtung: Zur selben Zeit ist {title} angesetzt ({range}).", en: "Note: {title} is set for the same time ({range})." },
  "plan.warn.anyway": {
    de: "Eingetragen ist der Termin trotzdem; ändern mit `verschieben {id} <datum> <zeit>`.",
    en: "The date is entered all the same; to change it: `reschedule {id} <date> <time>`.",
  },
  "duration.invalid": {
    de: "„{input}“ ist keine Dauer. Bitte z. B. 2h, 90m oder 1h30 (höchstens 12 Stunden).",
    en: "“{input}” is not a duration. Please e.g. 2h, 90m or 1h30 (at most 12 hours).",
  },

  "track.siko": { de: "SiKo", en: "SiKo" },
  "track.siko-ap": { de: "SiKo-AP", en: "SiKo-AP" },
  "track.noMotorway": {
    de: "{kpb} hat keine Autobahnpolizei; eine SiKo-AP ist nur für PP Bielefeld, Dortmund, Düsseldorf, Köln und Münster vorgesehen.",
    en: "{kpb} has no motorway police; a SiKo-AP is only for PP Bielefeld, Dortmund, Düsseldorf, Köln and Münster.",
  },
  "status.planned": { de: "geplant", en: "planned" },
  "status.invited": { de: "eingeladen", en: "invited" },
  "status.cancelled": { de: "abgesagt", en: "cancelled" },
  "status.held": { de: "durchgeführt", en: "held" },
  "answer.accepted": { de: "Zusage", en: "accepted" },
  "answer.declined": { de: "Absage", en: "declined" },
  "answer.tentative": { de: "Vorbehalt", en: "tentative" },
  "answer.delegated": { de: "Vertretung", en: "deputy" },
  "answer.none": { de: "keine Antwort", en: "no answer" },
  "button.accept": { de: "Zusage", en: "Accept" },
  "button.decline": { de: "Absage", en: "Decline" },
  "button.tentative": { de: "Vorbehalt", en: "Tentative" },
  "button.delegate": { de: "Vertretung", en: "Deputy" },
  "button.deputyPrompt": { de: "Name der Vertretung", en: "name of the deputy" },

  "conference.summary": {
    de: "{title} von {kpb}\nWann: {range}\nWo: {place}\nStatus: {status}",
    en: "{title} of {kpb}\nWhen: {range}\nWhere: {place}\nStatus: {status}",
  },
  "conference.placeOpen": { de: "noch offen", en: "to be decided" },
  "conference.agendaTitle": { de: "Tagesordnung:", en: "Agenda:" },
  "conference.planned": {
    de: "{title} geplant.\n{summary}\n\nNächste Schritte: `tagesordnung {id}` prüfen, dann `einladen {id}`.",
    en: "{title} planned.\n{summary}\n\nNext: check `agenda {id}`, then `invite {id}`.",
  },
  "conference.notOpen": {
    de: "{title} ist {status}; das geht nicht mehr.",
    en: "{title} is {status}; that is no longer possible.",
  },
  "conference.alreadyStarted": { de: "{title} hat schon begonnen ({when}).", en: "{title} has already started ({when})." },
  "conference.notYetStarted": {
    de: "{title} beginnt erst am {when}; festhalten lässt sie sich danach.",
    en: "{title} only starts on {when}; it can be recorded afterwards.",
  },
  "agenda.added": { de: "Thema {n} ergänzt: {topic}", en: "Topic {n} added: {topic}" },
  "agenda.removed": { de: "Thema {n} entfernt: {topic}", en: "Topic {n} removed: {topic}" },
  "agenda.noSuchItem": { de: "Die Tagesordnung hat keinen Punkt {n} (1 bis {max}).", en: "The agenda has no item {n} (1 to {max})." },
  "agenda.full": { de: "Die Tagesordnung hat schon {max} Punkte.", en: "The agenda already has {max} items." },
  "agenda.duplicate": { de: "„{topic}“ steht schon auf der Tagesordnung.", en: "“{topic}” is already on the agenda." },
  "agenda.oneChange": { de: "Bitte --neu oder --weg, nicht beides.", en: "Please --add or --remove, not both." },

  "place.changed": {
    de: "Neuer Ort für {title}: {place}. {count} {count|Kontakt wurde|Kontakte wurden} benachrichtigt; die Antworten bleiben bestehen.",
    en: "New place for {title}: {place}. {count} {count|contact was|contacts were} notified; the answers stand.",
  },
  "place.same": { de: "{title} findet bereits dort statt: {place}.", en: "{title} already takes place there: {place}." },
  "invite.missing": {
    de: "Einladung verweigert: Für {title} fehlen Pflichtkategorien – {missing}.\nBitte ergänzen, z. B. `partner anlegen \"<Name>\" --kategorie {example}` und `kontakt anlegen \"<Name>\" \"<Leitung>\"`, oder bewusst ohne sie einladen mit `einladen {id} --trotzdem`.",
    en: "Invitation refused: {title} lacks mandatory categories – {missing}.\nPlease add them, e.g. `partner add \"<name>\" --category {example}` and `contact add \"<name>\" \"<head>\"`, or invite without them on purpose with `invite {id} --anyway`.",
  },
  "invite.missingDecree": { de: "nach dem Erlass (Abschnitt 2): {list}", en: "by the decree (section 2): {list}" },
  "invite.missingOwn": { de: "von {kpb} selbst zur Pflicht gemacht (`kpb pflicht`): {list}", en: "made mandatory by {kpb} itself (`kpb mandatory`): {list}" },
  "invite.missingContact": { de: "{category} (Partner ohne Leitungskontakt: {partners})", en: "{category} (partner without leadership contact: {partners})" },
  "invite.sent": {
    de: "Zu {title} eingeladen: {contacts} {contacts|Kontakt|Kontakte} von {partners} {partners|Behörde|Behörden}.{deadline}\n{list}",
    en: "Invited to {title}: {contacts} {contacts|contact|contacts} of {partners} {partners|agency|agencies}.{deadline}\n{list}",
  },
  "invite.deadlineSet": {
    de: "{title} – Antwortfrist: {date}. {count} {count|Eingeladener wird|Eingeladene werden} darüber benachrichtigt.",
    en: "{title} – answer deadline: {date}. {count} {count|invitee is|invitees are} told.",
  },
  "invite.nothingNew": {
    de: "Alle Partnerbehörden sind zu {title} bereits eingeladen. `status {id}` zeigt die Antworten.",
    en: "Every partner agency is already invited to {title}. `status {id}` shows the answers.",
  },
  "reschedule.deadlineDropped": {
    de: "Die Antwortfrist {date} läge nicht mehr vor dem neuen Termin und ist aufgehoben. Eine neue setzen: `einladen {id} --frist <datum>`.",
    en: "The answer deadline {date} would no longer fall before the new date and is dropped. To set a new one: `invite {id} --deadline <date>`.",
  },
  "invite.deadlineNote": { de: " Antwortfrist: {date}.", en: " Answer by: {date}." },
  "invite.deadlineInvalid": {
    de: "Die Antwortfrist {date} muss zwischen heute und dem Tag vor der Konferenz liegen.",
    en: "The answer deadline {date} must lie between today and the day before the conference.",
  },
  "invite.withoutMandatory": { de: "Bewusst ohne: {missing}.", en: "Knowingly without: {missing}." },
  "invite.noContact": { de: "ohne Leitungskontakt, nicht erreicht", en: "no leadership contact, not reached" },
  "invite.noPartners": {
    de: "{kpb} hat keine Partnerbehörden für {title}. Anlegen mit `partner anlegen \"<Name>\" --kategorie {category}`.",
    en: "{kpb} has no partner agencies for {title}. Add them with `partner add \"<name>\" --category {category}`.",
  },
  "invite.categoryPlaceholder": { de: "<kategorie>", en: "<category>" },

  "message.invitation": {
    de: "Einladung: {title} von {kpb}\nWann: {range}\nWo: {place}\n{agenda}\nSie sind eingeladen als Leitung von {partner}.{deadline}\nVertraulich – die Sicherheitskonferenz ist nicht öffentlich.\nAntwort mit `zusage {id}`, `absage {id}`, `vorbehalt {id}`, `vertretung {id} \"<Name>\"`.",
    en: "Invitation: {title} of {kpb}\nWhen: {range}\nWhere: {place}\n{agenda}\nYou are invited as head of {partner}.{deadline}\nConfidential – the security conference is not public.\nAnswer with `accept {id}`, `decline {id}`, `tentative {id}`, `delegate {id} \"<name>\"`.",
  },
  "message.deadline": { de: " Bitte antworten Sie bis {date}.", en: " Please answer by {date}." },
  "message.deadlineChanged": {
    de: "Antwortfrist für {title} von {kpb} ({when}): Bitte antworten Sie bis {date}. Wer schon geantwortet hat, muss nichts tun.",
    en: "Answer deadline for {title} of {kpb} ({when}): please answer by {date}. If you have already answered, nothing needs to be done.",
  },
  "message.rescheduled": {
    de: "Geändert: {title} von {kpb} wurde verschoben.\nNeu: {range} (bisher {old})\nWo: {place}\nBitte antworten Sie erneut – frühere Antworten gelten für den alten Termin.",
    en: "Changed: {title} of {kpb} has been moved.\nNew: {range} (was {old})\nWhere: {place}\nPlease answer again – earlier answers were for the old date.",
  },
  "message.updated": {
    de: "Aktualisiert: {title} von {kpb}, {when}\n{change}\nWo: {place}\n{agenda}",
    en: "Updated: {title} of {kpb}, {when}\n{change}\nWhere: {place}\n{agenda}",
  },
  "message.changed.place": { de: "Geändert hat sich der Ort: neu {place}, bisher {old}.", en: "What changed is the place: now {place}, was {old}." },
  "message.changed.agendaAdded": {
    de: "Geändert hat sich die Tagesordnung: neu ist Punkt {n}, {topic}.",
    en: "What changed is the agenda: item {n} is new, {topic}.",
  },
  "message.changed.agendaRemoved": {
    de: "Geändert hat sich die Tagesordnung: gestrichen ist Punkt {n}, {topic}.",
    en: "What changed is the agenda: item {n} was removed, {topic}.",
  },
  "message.cancelled": {
    de: "Abgesagt: {title} von {kpb} am {when} findet nicht statt.{reason}",
    en: "Cancelled: {title} of {kpb} on {when} will not take place.{reason}",
  },
  "message.reason": { de: " Grund: {reason}", en: " Reason: {reason}" },

  "rsvp.recorded": {
    de: "Antwort für {partner} zu {title} gespeichert: {answer}. Ändern ist bis zum Beginn möglich.",
    en: "Answer for {partner} to {title} saved: {answer}. It can be changed until the start.",
  },
  "rsvp.unchanged": {
    de: "Für {partner} ist zu {title} bereits „{answer}“ gespeichert; nichts geändert.",
    en: "“{answer}” is already saved for {partner} to {title}; nothing changed.",
  },
  "rsvp.notInvited": {
    de: "{partner} ist zu {title} nicht eingeladen.",
    en: "{partner} is not invited to {title}.",
  },
  "rsvp.notYetInvited": { de: "Zu {title} wurde noch nicht eingeladen.", en: "Invitations to {title} have not been sent yet." },
  "rsvp.forOtherAgency": {
    de: "Sie sind Kontakt von {own} und können nicht für {other} antworten.",
    en: "You are a contact of {own} and cannot answer for {other}.",
  },
  "rsvp.whichAgency": {
    de: "Für welche Behörde antworten Sie? Bitte `--fuer \"<Behörde>\"` angeben ({choices}).",
    en: "Which agency are you answering for? Please add `--for \"<agency>\"` ({choices}).",
  },
  "rsvp.cancelled": { de: "{title} wurde abgesagt; eine Antwort ist nicht mehr nötig.", en: "{title} was cancelled; no answer is needed any more." },
  "rsvp.moved": {
    de: "Diese Einladung gilt nicht mehr: {title} ist verschoben auf {when}. Bitte antworten Sie auf die neue Einladung; es wurde nichts gespeichert.",
    en: "This invitation no longer holds: {title} has moved to {when}. Please answer the new invitation; nothing was saved.",
  },
  "rsvp.over": { de: "{title} hat bereits begonnen ({when}); Antworten sind nicht mehr möglich.", en: "{title} has already started ({when}); answers are closed." },
  "rsvp.allAnswered": {
    de: "{title}: {count|Die eingeladene Behörde hat|Alle {count} eingeladenen Behörden haben} geantwortet. `status {id}` zeigt die Übersicht.",
    en: "{title}: {count|the invited agency has|all {count} invited agencies have} answered. `status {id}` shows the overview.",
  },

  "statusView.title": { de: "{title} – Antworten ({answered} von {total}):", en: "{title} – answers ({answered} of {total}):" },
  "statusView.mandatory": { de: "Pflichtkategorien:", en: "Mandatory categories:" },
  "statusView.agencies": { de: "Behörden:", en: "Agencies:" },
  "statusView.categoryMissing": { de: "nicht eingeladen", en: "not invited" },
  "statusView.notInvitedYet": { de: "Noch nicht eingeladen: `einladen {id}`.", en: "Not invited yet: `invite {id}`." },
  "statusView.deadline": { de: "Antwortfrist: {date}", en: "Answer deadline: {date}" },

  "reschedule.done": {
    de: "{title} verschoben auf {when}. {count} {count|Kontakt wurde|Kontakte wurden} benachrichtigt; alle Antworten stehen wieder auf „keine Antwort“.",
    en: "{title} moved to {when}. {count} {count|contact was|contacts were} notified; all answers are back to “no answer”.",
  },
  "reschedule.same": { de: "{title} liegt bereits auf {when}.", en: "{title} is already at {when}." },
  "cancel.confirm": {
    de: "{title} wirklich absagen? {contacts} {contacts|Kontakt|Kontakte} von {partners} {partners|Behörde wird|Behörden werden} sofort benachrichtigt; das lässt sich nicht zurücknehmen. Bestätigen: `{command}`",
    en: "Really cancel {title}? {contacts} {contacts|contact|contacts} of {partners} {partners|agency is|agencies are} told at once; this cannot be undone. To confirm: `{command}`",
  },
  "cancel.command": { de: "absagen {id} --ja", en: "cancel {id} --yes" },
  "button.confirmCancel": { de: "Ja, absagen", en: "Yes, cancel" },
  "cancel.meantDecline": {
    de: "Meinten Sie `absage {id} [grund]`? Damit sagen Sie Ihre eigene Teilnahme ab. `absagen` sagt die ganze Konferenz ab und ist der einladenden KPB vorbehalten.",
    en: "Did you mean `decline {id} [reason]`? That declines your own attendance. `cancel` cancels the whole conference and is for the organisers only.",
  },
  "cancel.done": {
    de: "{title} abgesagt. {count} {count|Kontakt wurde|Kontakte wurden} benachrichtigt.",
    en: "{title} cancelled. {count} {count|contact was|contacts were} notified.",
  },
  "held.done": { de: "{title} als durchgeführt festgehalten. {outcome}", en: "{title} recorded as held. {outcome}" },
  "held.assumed": {
    de: "Angenommen, da nicht angegeben: {what}. Korrigieren: `durchgefuehrt {id} --anwesend \"<Behörde>\" --themen 1,2`.",
    en: "Assumed, as not given: {what}. To correct: `held {id} --attended \"<agency>\" --topics 1,2`.",
  },
  "held.assumedAttended": { de: "anwesend war, wer zugesagt hat", en: "those who accepted attended" },
  "held.assumedItems": { de: "besprochen wurde die ganze Tagesordnung", en: "the whole agenda was discussed" },
  "held.corrected": { de: "{title}: Die Angaben zur Durchführung sind korrigiert. {outcome}", en: "{title}: the record of the meeting is corrected. {outcome}" },
  "held.same": {
    de: "{title} ist bereits so festgehalten. {outcome}\nKorrigieren: `durchgefuehrt {id}` mit `--anwesend \"<Behörde>\"`, `--gast \"<Behörde>\"` oder `--themen 1,2`.",
    en: "{title} is already recorded like this. {outcome}\nTo correct: `held {id}` with `--attended \"<agency>\"`, `--guest \"<agency>\"` or `--topics 1,2`.",
  },
  "held.unknownPartner": {
    de: "„{name}“ war zu {title} nicht eingeladen. Kam die Behörde ohne Einladung, bitte als Gast: `durchgefuehrt {id} --gast \"{name}\"`.",
    en: "“{name}” was not invited to {title}. If the agency came without an invitation, record it as a guest: `held {id} --guest \"{name}\"`.",
  },
  "held.guestInvited": {
    de: "„{name}“ war zu {title} eingeladen; bitte mit `--anwesend \"{name}\"` statt als Gast.",
    en: "“{name}” was invited to {title}; please use `--attended \"{name}\"` rather than a guest.",
  },
  "outcome.attended": { de: "Teilgenommen: {names}.", en: "Attended: {names}." },
  "outcome.guests": { de: "Gäste ohne Einladung: {names}.", en: "Guests without invitation: {names}." },
  "outcome.items": { de: "Besprochen: {items}.", en: "Discussed: {items}." },
  "statusView.outcome": { de: "Durchgeführt – {outcome}", en: "Held – {outcome}" },
  "held.badItems": { de: "„{input}“: bitte Nummern der Tagesordnung, z. B. 1,2,5 (1 bis {max}).", en: "“{input}”: please agenda numbers, e.g. 1,2,5 (1 to {max})." },
  "list.title": { de: "Konferenzen von {kpb} in {year}:", en: "Conferences of {kpb} in {year}:" },
  "list.empty": {
    de: "{kpb} hat in {year} keine Konferenzen. Planen mit `planen <datum> <zeit>`.",
    en: "{kpb} has no conferences in {year}. Plan one with `plan <date> <time>`.",
  },
  "list.invitedTitle": { de: "Ihre Einladungen in {year}:", en: "Your invitations in {year}:" },
  "list.invitedEmpty": { de: "Für {year} liegen keine Einladungen an Sie vor.", en: "You have no invitations for {year}." },
  "list.invitedLine": {
    de: "{title} von {kpb} – {when} – {place} – {status} – Antwort für {partner}: {answer}",
    en: "{title} of {kpb} – {when} – {place} – {status} – answer for {partner}: {answer}",
  },
  "list.qualify": {
    de: "Dieselbe Nummer gibt es bei mehreren KPB: bitte mit der KPB angeben, z. B. `zusage {example}`.",
    en: "The same number exists at several KPBs: please name the KPB, e.g. `accept {example}`.",
  },
  "list.line": { de: "{title} – {when} – {place} – {status} – {answered}/{total} Antworten", en: "{title} – {when} – {place} – {status} – {answered}/{total} answers" },

  // --- categories -----------------------------------------------------------------------------
  "category.staatsanwaltschaft": { de: "Staatsanwaltschaft", en: "public prosecutor" },
  "category.gericht": { de: "Gericht", en: "court" },
  "category.kommune": { de: "Kommune", en: "municipality" },
  "category.bundespolizei": { de: "Bundespolizei", en: "federal police" },
  "category.zoll": { de: "Zoll", en: "customs" },
  "category.schulamt": { de: "Schulamt", en: "school authority" },
  "category.jugendamt": { de: "Jugendamt", en: "youth welfare office" },
  "category.finanzverwaltung": { de: "Finanzverwaltung", en: "tax administration" },
  "category.oepnv": { de: "ÖPNV", en: "public transport" },
  "category.hilfsorganisation": { de: "Hilfsorganisation", en: "relief organisation" },
  "category.privat": { de: "private Organisation", en: "private organisation" },
  "category.autobahn": { de: "Autobahn", en: "motorway body" },
  "category.sonstige": { de: "Sonstige", en: "other" },
} satisfies Record<string, Entry>;

/** The one catalogue; features with many sentences keep them in their own file. */
export const catalogue = { ...coreMessages, ...calendarMessages, ...reminderMessages, ...deliveryMessages, ...opsMessages, ...matrixMessages, ...teamsMessages, ...emailMessages, ...reportMessages };

export type MessageKey = keyof typeof catalogue;
export type Params = Record<string, string | number>;

/**
 * `{name|one|many}` becomes "one" when the parameter is 1, else "many"; without the parameter it stays. Shared by
 * `translate` and rich text (messages/rich.ts), which fill in `{name}` each in their own way.
 */
export function choosePlurals(template: string, numberOf: (name: string) => number | undefined): string {
  return template.replace(/\{(\w+)\|((?:[^|{}]|\{\w+\})*)\|((?:[^|{}]|\{\w+\})*)\}/g, (m, name: string, one: string, many: string) => {
    const n = numberOf(name);
    return n === undefined ? m : n === 1 ? one : many;
  });
}

/** `{name}` is replaced by the parameter; `{name|one|many}` by "one" when it is 1, else by "many". */
export function translate(locale: Locale, key: MessageKey, params: Params = {}): string {
  const template = choosePlurals((catalogue[key] as Entry)[locale], (name) => (name in params ? Number(params[name]) : undefined));
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export type Translator = (key: MessageKey, params?: Params) => string;

export function translator(locale: Locale): Translator {
  return (key, params) => translate(locale, key, params);
}

/** A message that is translated only when it reaches a user, in that user's language. */
export interface Message {
  key: MessageKey;
  params?: Params;
}

export function isMessageKey(s: string): s is MessageKey {
  return Object.prototype.hasOwnProperty.call(catalogue, s);
}
