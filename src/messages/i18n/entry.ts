/** One sentence of the catalogue: German first, English second. Placeholders are {name}. */
export type Entry = { de: string; en: string };
