// How names and verbs are compared: the way KPB staff type them varies (case, umlauts or their ae/oe/ue spelling).
/** Folds case and German spellings so that `durchgeführt`, `Durchgefuehrt` and `DURCHGEFÜHRT` are one verb. */
export function normalizeWord(word: string): string {
  return word
    .normalize("NFC")
    .toLowerCase()
    .replace(/ä/g, "ae")
    .replace(/ö/g, "oe")
    .replace(/ü/g, "ue")
    .replace(/ß/g, "ss");
}
