// Characters that must never reach a reader raw: they steer terminals (ESC, BEL), break lines where none are
// expected, or make text display as something else (bidi overrides and isolates, CVE-2021-42574; zero-width and
// other invisible formatting). User text is refused when it holds one (values.ts); where typed input is quoted
// back anyway (an unknown command, a stray argument), `visible` shows each such character as a visible sign.

// C0, DEL, C1; soft hyphen; Arabic letter mark; Hangul fillers; Mongolian vowel separator; zero-width space,
// non-joiner, marks (LRM, RLM); line and paragraph separators; embeddings and overrides; word joiner, invisible
// operators, isolates, deprecated format controls; BOM; interlinear annotation; tag characters.
const ALWAYS =
  "\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u061c\\u115f\\u1160\\u180e\\u200b\\u200c\\u200e\\u200f\\u2028-\\u202e" +
  "\\u2060-\\u206f\\u3164\\ufeff\\uffa0\\ufff9-\\ufffb\\u{e0000}-\\u{e007f}";
// A zero-width joiner is part of an emoji sequence (👩‍🚒, ❤️‍🔥) and only there is it harmless.
const STRAY_JOINER = "(?<!\\p{Extended_Pictographic}[\\ufe0f\\u{1f3fb}-\\u{1f3ff}]?)\\u200d|\\u200d(?!\\p{Extended_Pictographic})";

const SOURCE = `[${ALWAYS}]|${STRAY_JOINER}`;

/** Whether the text holds a character that `visible` would have to show. */
export function hasInvisible(text: string): boolean {
  return new RegExp(SOURCE, "u").test(text);
}

/** The text with every control, bidi and invisible formatting character shown: ESC as ␛, RLO as [U+202E]. */
export function visible(text: string): string {
  return text.replace(new RegExp(SOURCE, "gu"), (ch) => {
    const code = ch.codePointAt(0)!;
    // The Control Pictures block has a sign for each C0 character (U+2400 + code) and for DEL.
    if (code < 0x20) return String.fromCodePoint(0x2400 + code);
    if (code === 0x7f) return "\u2421";
    return `[U+${code.toString(16).toUpperCase().padStart(4, "0")}]`;
  });
}
