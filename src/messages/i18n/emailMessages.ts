// Sentences only the e-mail channel says (the mail around an invitation, the answer page), part of the one
// catalogue (catalogue.ts).
import type { Entry } from "./entry.ts";

export const emailMessages = {
  "email.answerHere": { de: "Ihre Antwort", en: "Your answer" },
  "email.linkIntro": {
    de: "Bitte antworten Sie über Ihren persönlichen Link (nur für Sie; bitte nicht weitergeben):",
    en: "Please answer through your personal link (for you only; please do not pass it on):",
  },
  "email.linkButton": { de: "Antwort geben", en: "Answer" },
  "email.page.title": { de: "Antwort auf die Einladung", en: "Answer to the invitation" },
  "email.page.choose": { de: "Bitte wählen Sie Ihre Antwort:", en: "Please choose your answer:" },
  "email.page.text": {
    de: "Name der Vertretung (bei „Vertretung“) oder Grund (bei „Absage“, freiwillig):",
    en: "Name of the deputy (for “Deputy”) or reason (for “Decline”, optional):",
  },
  "email.page.invalid": {
    de: "Dieser Link ist ungültig oder abgelaufen. Bitte wenden Sie sich an die einladende Behörde.",
    en: "This link is invalid or has expired. Please contact the inviting authority.",
  },
  "email.page.forbidden": {
    de: "Ihre Antwort wurde aus Sicherheitsgründen nicht angenommen: Sie kam nicht direkt von dieser Antwortseite (etwa über eine Vorschau, eine Übersetzung oder einen Proxy). Bitte öffnen Sie den Link aus der Einladung direkt im Browser und antworten Sie dort.",
    en: "Your answer was not accepted for security reasons: it did not come directly from this answer page (for example through a preview, a translation service or a proxy). Please open the link from the invitation directly in your browser and answer there.",
  },
  "email.page.recorded": { de: "Danke, Ihre Antwort ist eingegangen.", en: "Thank you, your answer has been received." },
  "email.page.change": { de: "Sie können Ihre Antwort bis zum Beginn der Sicherheitskonferenz ändern.", en: "You can change your answer until the security conference begins." },
  "email.footer": {
    de: "Diese Nachricht wurde von siko-bot im Auftrag der einladenden Kreispolizeibehörde versandt. Vertraulich – nicht öffentlich.",
    en: "This message was sent by siko-bot on behalf of the inviting police authority. Confidential – not public.",
  },
} satisfies Record<string, Entry>;
