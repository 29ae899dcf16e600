// Sentences about delivery and the structured views of messages, part of the one catalogue (catalogue.ts).
import type { Entry } from "./entry.ts";

export const deliveryMessages = {
  // --- how to answer: each adapter adds the hint for its own gesture -------------------------------
  "gesture.answer.button": { de: "Bitte antworten Sie mit einer der Schaltflächen.", en: "Please answer with one of the buttons." },
  "gesture.answer.reaction": {
    de: "Bitte antworten Sie mit einer Reaktion auf diese Nachricht: {reactions}. Vertretung: `{typed}`.",
    en: "Please answer with a reaction to this message: {reactions}. Deputy: `{typed}`.",
  },

  "rsvp.typed.accept": { de: "zusage {id}", en: "accept {id}" },
  "rsvp.typed.decline": { de: "absage {id} \"<Grund>\"", en: "decline {id} \"<reason>\"" },
  "rsvp.typed.tentative": { de: "vorbehalt {id}", en: "tentative {id}" },
  "rsvp.typed.delegate": { de: "vertretung {id} \"<Name>\"", en: "delegate {id} \"<name>\"" },

  // --- labels of structured views ----------------------------------------------------------------
  "view.when": { de: "Wann", en: "When" },
  "view.where": { de: "Wo", en: "Where" },
  "view.for": { de: "Eingeladen für", en: "Invited for" },
  "view.deadline": { de: "Antwortfrist", en: "Answer deadline" },
  "view.agenda": { de: "Tagesordnung", en: "Agenda" },
  "view.status": { de: "Stand", en: "Status" },
  "view.answers": { de: "Antworten", en: "Answers" },
  "view.mandatory": { de: "Pflichtkategorien", en: "Mandatory categories" },
  "view.confidential": { de: "Vertraulich – die Sicherheitskonferenz ist nicht öffentlich.", en: "Confidential – the security conference is not public." },
  "view.moved": { de: "Der Termin wurde verschoben (bisher {old}). Bitte antworten Sie erneut.", en: "The date has moved (was {old}). Please answer again." },
  "view.cancelReason": { de: "Grund: {reason}", en: "Reason: {reason}" },
  "view.invitationTitle": { de: "Einladung: {title} – {kpb}", en: "Invitation: {title} – {kpb}" },
  "view.updateTitle": { de: "Geändert: {title} – {kpb}", en: "Changed: {title} – {kpb}" },
  "view.cancelTitle": { de: "Abgesagt: {title} – {kpb}", en: "Cancelled: {title} – {kpb}" },
  "view.reminderTitle": { de: "Erinnerung: {title} – {kpb}", en: "Reminder: {title} – {kpb}" },

  // --- the agency's current answer, shown on every copy of an invitation -------------------------
  "rsvpState.answer": { de: "Antwort von {partner}: {answer}", en: "Answer of {partner}: {answer}" },
  "rsvpState.none": { de: "Von {partner} liegt noch keine Antwort vor.", en: "No answer from {partner} yet." },
  "rsvpState.moved": {
    de: "Dieser Termin gilt nicht mehr: {title} wurde auf {when} verschoben. Bitte antworten Sie auf die neue Nachricht.",
    en: "This date no longer applies: {title} was moved to {when}. Please answer the new message.",
  },
  "rsvpState.placeChanged": {
    de: "Neuer Ort für {title}: {place}.",
    en: "New place for {title}: {place}.",
  },
  "rsvpState.withdrawn": {
    de: "Diese Nachricht ist nicht mehr aktuell: Sie sind für diese Einladung nicht mehr eingetragen, oder sie ging an eine nicht mehr gültige Adresse. Antworten sind hier nicht möglich; bitte wenden Sie sich an die einladende KPB.",
    en: "This message is no longer current: you are no longer registered for this invitation, or it went to an address that no longer applies. Answers are not possible here; please contact the inviting KPB.",
  },
  "rsvpState.cancelled": { de: "{title} wurde abgesagt; eine Antwort ist nicht mehr nötig.", en: "{title} was cancelled; no answer is needed any more." },
  "rsvpState.begun": { de: "Die Sicherheitskonferenz hat begonnen; Antworten sind nicht mehr möglich.", en: "The security conference has begun; answers are closed." },
  "rsvpState.closed": { de: "{title} hat begonnen; Antworten sind nicht mehr möglich.", en: "{title} has begun; answers are closed." },
  "answer.withDeputy": { de: "{answer}: {deputy}", en: "{answer}: {deputy}" },
  "answer.withReason": { de: "{answer} („{reason}“)", en: "{answer} (“{reason}”)" },

  // --- the organisers' answer notice (built when it is sent) -------------------------------------
  "rsvpNotice.title": { de: "Neue Antworten zu {title}", en: "New answers for {title}" },
  "rsvpNotice.line": { de: "{partner}: {answer} – {who}", en: "{partner}: {answer} – {who}" },
  "rsvpNotice.lineOnBehalf": { de: "{partner}: {answer} – eingetragen von {who}", en: "{partner}: {answer} – entered by {who}" },
  "rsvpNotice.footer": { de: "`status {id}` zeigt die Übersicht.", en: "`status {id}` shows the overview." },

  // --- delivery: the organisers hear of what could not be delivered ------------------------------
  "platform.console": { de: "Konsole", en: "console" },
  "platform.matrix": { de: "Matrix", en: "Matrix" },
  "platform.teams": { de: "Teams", en: "Teams" },
  "platform.email": { de: "E-Mail", en: "e-mail" },
  "deliveryReport.title": {
    de: "{count|Eine Nachricht|{count} Nachrichten} an Partnerbehörden {count|konnte|konnten} nicht zugestellt werden",
    en: "{count|One message|{count} messages} to partner agencies could not be delivered",
  },
  "deliveryReport.line": { de: "{name} ({partner}), {what} über {platform}: {state}", en: "{name} ({partner}), {what} via {platform}: {state}" },
  "deliveryReport.parked": {
    de: "nicht erreichbar – {hint} Die Nachricht geht von selbst hinaus, sobald die Person erreichbar ist.",
    en: "not reachable – {hint} The message goes out by itself as soon as the person can be reached.",
  },
  "deliveryReport.failed": {
    de: "abgelehnt ({reason}). Bitte die hinterlegte Adresse prüfen und mit `kontakt aendern` berichtigen.",
    en: "refused ({reason}). Please check the registered address and correct it with `contact change`.",
  },
  "deliveryReport.uncertain": {
    de: "unklar, ob sie angekommen ist (die Verbindung brach ab); sie wird nicht doppelt gesendet. Bitte bei der Person nachfragen.",
    en: "unclear whether it arrived (the connection broke off); it is not sent twice. Please check with the person.",
  },
  "deliveryReport.hint.teams": {
    de: "die Person hat die App „siko-bot“ in Teams noch nicht hinzugefügt oder den Bot blockiert; bitten Sie sie, die App hinzuzufügen.",
    en: "the person has not added the “siko-bot” app in Teams yet or has blocked the bot; please ask them to add the app.",
  },
  "deliveryReport.hint.matrix": {
    de: "die Person hat den Direktchat mit dem Bot abgelehnt oder verlassen; sie kann dem Bot eine Direktnachricht schreiben.",
    en: "the person rejected or left the direct chat with the bot; they can send the bot a direct message.",
  },
  "deliveryReport.hint.email": { de: "der Mailserver nimmt die Nachricht derzeit nicht an.", en: "the mail server does not accept the message at the moment." },
  "deliveryReport.hint.console": { de: "die Person ist nicht erreichbar.", en: "the person cannot be reached." },
  "deliveryReport.what.invitation": { de: "Einladung", en: "invitation" },
  "deliveryReport.what.update": { de: "Änderungsmitteilung", en: "change notice" },
  "deliveryReport.what.cancellation": { de: "Absage", en: "cancellation" },
  "deliveryReport.what.reminder": { de: "Erinnerung", en: "reminder" },
  "deliveryReport.what.message": { de: "Nachricht", en: "message" },
  "deliveryReport.conference": { de: "zu {title}", en: "for {title}" },

  // --- status: delivery per contact ---------------------------------------------------------------
  "delivery.delivered": { de: "zugestellt ({platform})", en: "delivered ({platform})" },
  "delivery.waiting": { de: "wartet auf Zustellung ({platform})", en: "waiting to be delivered ({platform})" },
  "delivery.parked": { de: "nicht erreichbar ({platform}), wartet", en: "not reachable ({platform}), waiting" },
  "delivery.failed": { de: "nicht zustellbar ({platform})", en: "could not be delivered ({platform})" },
  "delivery.uncertain": { de: "Zustellung unklar ({platform})", en: "delivery unclear ({platform})" },
  "delivery.superseded": { de: "nicht gesendet: die Adresse ({platform}) gilt nicht mehr", en: "not sent: the address ({platform}) no longer applies" },
  "delivery.none": { de: "keine Adresse für {platforms}", en: "no address for {platforms}" },

  // --- einladen: what was queued and who gets nothing ------------------------------------------------
  "invite.queued": {
    de: "{count|Eine Nachricht ist|{count} Nachrichten sind} zur Zustellung vorgemerkt.",
    en: "{count|One message is|{count} messages are} queued for delivery.",
  },
  "invite.unreachable": {
    de: "Ohne Adresse für {platforms} – {count|diese Person erhält|diese {count} Personen erhalten} nichts: {names}. Eine Adresse ergänzen Sie mit `kontakt aendern \"<Behörde>\" \"<Name>\" --matrix …` (oder `--teams`, `--email`), danach erneut `einladen {id}`.",
    en: "No address for {platforms} – {count|this person receives|these {count} people receive} nothing: {names}. Add an address with `contact change \"<agency>\" \"<name>\" --matrix …` (or `--teams`, `--email`), then `invite {id}` again.",
  },
} satisfies Record<string, Entry>;
