// Turns a typed line into tokens: words, quoted strings and --flags. Binding tokens to a command's
// declared arguments happens in the dispatcher, which knows which flags take a value.
import { normalizeWord } from "../domain/names.ts";

export type Token = { kind: "word"; value: string; quoted: boolean } | { kind: "flag"; name: string; value?: string };

export type TokenizeResult = { ok: true; tokens: Token[] } | { ok: false; error: "unterminated-quote" };

/** Prefixes a chat message may start with; on the console none is needed. */
const PREFIXES = ["!siko", "/siko", "siko:"];

/** Opening quote → the closing quotes it accepts. German „…“ and English “…” both occur, and autocorrect mixes them. */
const QUOTES: Record<string, readonly string[]> = { '"': ['"'], "'": ["'"], "„": ["“", "”"], "“": ["”", "“"], "«": ["»"], "»": ["«"] };
/** Openers that are never closers, so the same quote inside opens a nested pair („Saal „Rhein““). */
const NESTING = new Set(["„", "«"]);

export function stripPrefix(text: string): string {
  const trimmed = text.trim();
  const lower = trimmed.toLowerCase();
  for (const p of PREFIXES) {
    if (lower === p) return "";
    if (lower.startsWith(p + " ")) return trimmed.slice(p.length).trim();
  }
  return trimmed;
}

export function tokenize(input: string): TokenizeResult {
  const tokens: Token[] = [];
  let i = 0;
  const n = input.length;
  while (i < n) {
    const ch = input[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const word = readWord(input, i);
    if (!word.ok) return word;
    i = word.end;
    // A flag starts with an unquoted `--`; its value may be quoted (`--ort="Raum 1"`), `"--kpb"` is a word.
    if (!word.startsQuoted && word.value.startsWith("--") && word.value.length > 2) {
      const body = word.value.slice(2);
      const eq = body.indexOf("=");
      if (eq > 0) tokens.push({ kind: "flag", name: normalizeWord(body.slice(0, eq)), value: body.slice(eq + 1) });
      else tokens.push({ kind: "flag", name: normalizeWord(body) });
    } else {
      tokens.push({ kind: "word", value: word.value, quoted: word.quoted });
    }
  }
  return { ok: true, tokens };
}

/**
 * Reads one whitespace-delimited word in which quoted parts may hold spaces (also `--ort="Raum 1"`). A quote
 * opens only at the start of a word or after `=`, so an apostrophe inside a name (`O'Brien`) is just a letter.
 */
function readWord(
  input: string,
  start: number,
): { ok: true; value: string; quoted: boolean; startsQuoted: boolean; end: number } | { ok: false; error: "unterminated-quote" } {
  let value = "";
  let quoted = false;
  let i = start;
  const startsQuoted = QUOTES[input[start]!] !== undefined;
  while (i < input.length && !/\s/.test(input[i]!)) {
    const ch = input[i]!;
    const closers = i === start || input[i - 1] === "=" ? QUOTES[ch] : undefined;
    if (closers !== undefined) {
      quoted = true;
      i++;
      let closed = false;
      let depth = 0;
      while (i < input.length) {
        const c = input[i]!;
        if (c === "\\" && i + 1 < input.length && (closers.includes(input[i + 1]!) || input[i + 1] === "\\")) {
          value += input[i + 1];
          i += 2;
          continue;
        }
        if (c === ch && NESTING.has(ch)) depth++;
        else if (closers.includes(c)) {
          if (depth === 0) {
            closed = true;
            i++;
            break;
          }
          depth--;
        }
        value += c;
        i++;
      }
      if (!closed) return { ok: false, error: "unterminated-quote" };
    } else {
      value += ch;
      i++;
    }
  }
  return { ok: true, value, quoted, startsQuoted, end: i };
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}
