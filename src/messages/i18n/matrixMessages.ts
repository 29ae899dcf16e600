// Sentences only the Matrix adapter says, part of the one catalogue (catalogue.ts).
import type { Entry } from "./entry.ts";

export const matrixMessages = {
  "matrix.pollQuestion": { de: "Ihre Antwort: {title}", en: "Your answer: {title}" },
  "matrix.encryptedRoom": {
    de: "Dieser Raum ist verschlüsselt; siko-bot kann hier nichts lesen. Bitte schreiben Sie mir in einem unverschlüsselten Raum (z. B. dem Direktchat, den ich mit Ihnen eröffne) oder bitten Sie die Administration, Ende-zu-Ende-Verschlüsselung für den Bot einzurichten.",
    en: "This room is encrypted; siko-bot cannot read anything here. Please write to me in an unencrypted room (e.g. the direct chat I open with you), or ask the administrators to set up end-to-end encryption for the bot.",
  },
} satisfies Record<string, Entry>;
