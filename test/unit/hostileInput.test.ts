// Thousands of hostile lines through the real dispatcher: no answer may carry a raw control, C1, bidi or
// invisible formatting character from the input (terminal escapes on the console, spoofed text in a shared
// room), and none may end in an internal error.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemo } from "../../src/app/demo.ts";
import { visible } from "../../src/domain/text.ts";
import { REFERENCE_DIR, startHarness, type Harness, type Speaker } from "../support/harness.ts";
import { prng } from "../support/prng.ts";

// Written out here rather than imported, so the test does not share the code's idea of what is dangerous.
const DANGEROUS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\u{e0000}-\u{e007f}]/u;
const HOSTILE = [
  "\u001b[2J", "\u001b]0;pwned\u0007", "\u0007", "\u0000", "\u0008", "\r", "\t", "\u000b", "\u000c", "\u007f", "\u0085", "\u009b31m",
  "\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u061c", "\u200b", "\u200c", "\u200d", "\u2060",
  "\ufeff", "\u00ad", "\u2028", "\u2029", "\u{e0041}", "\u180e", "\u202a", "\u202b", "\u202c",
];
const VERBS = [
  "", "hilfe", "help", "kpb zeigen", "partner anlegen", "partner entfernen", "kontakt anlegen", "planen", "einladen", "zusage", "absage",
  "vertretung", "status", "verschieben", "absagen", "durchgefuehrt", "liste", "ics", "uebersicht", "quittieren", "rolle geben", "sprache",
  "tagesordnung", "ort", "raum binden", "kpb pflicht", "kalender link",
];

function hostileLines(count: number): string[] {
  const rnd = prng(13);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const spiked = (word: string): string => {
    const at = Math.floor(rnd() * (word.length + 1));
    return word.slice(0, at) + pick(HOSTILE) + word.slice(at);
  };
  const shapes: Array<() => string> = [
    () => spiked("quatsch"),
    () => `${pick(VERBS)} ${spiked("1")} ${spiked("extra")}`,
    () => `${pick(VERBS)} --${spiked("farbe")} blau`,
    () => `${pick(VERBS)} "${spiked("Stadt Köln")}" --kategorie ${spiked("kommune")}`,
    () => `partner anlegen "${spiked("Stadt")}" --kategorie kommune --kpb ${spiked("koeln")}`,
    () => `${pick(VERBS)} 1 ${spiked("2027-03-15")} ${spiked("10:00")}`,
    () => `zusage 1 --fuer "${spiked("Landgericht Köln")}"`,
    () => `hilfe ${spiked("planen")}`,
    () => `kontakt anlegen "Stadt Köln" "${spiked("Eva")}" --email ${spiked("eva@x.example")} --matrix ${spiked("@eva:x.org")}`,
    () => `${spiked(pick(VERBS.filter(Boolean)))} ${spiked("--trotzdem")}`,
    () => `durchgefuehrt 1 --anwesend "${spiked("Stadt Köln")}" --themen ${spiked("1,2")}`,
    () => `!siko ${spiked(pick(VERBS.filter(Boolean)))}`,
    () => `${pick(VERBS)} „${spiked("Saal")}“ ${spiked("x")} --${spiked("kpb")}=${spiked("bonn")}`,
  ];
  return Array.from({ length: count }, () => pick(shapes)());
}

describe("hostile input", () => {
  let h: Harness;
  const ORGA: Speaker = { user: "orga", room: "lage" };
  const speakers: Speaker[] = [
    ORGA,
    { user: "Dr. Anna Becker", room: "dm-anna", direct: true },
    { user: "fremd", room: "flur" },
    { user: "@mallory:evil.example", room: "!x:evil.example", platform: "matrix" },
  ];

  beforeAll(async () => {
    h = startHarness();
    h.clock.set(new Date("2027-02-01T08:00:00Z"));
    await h.say("hilfe");
    h.db.transaction((tx) => loadDemo(tx, REFERENCE_DIR, h.clock.now(), { platform: "console", userId: ORGA.user, roomId: ORGA.room }));
    await h.say("planen 2027-03-15 10:00", ORGA);
    await h.say("einladen 1", ORGA);
  });
  afterAll(() => h.close());

  it("no answer to 2,000 hostile lines echoes a control, bidi or invisible character, and none is an internal error", async () => {
    const lines = hostileLines(2_000);
    const leaks: string[] = [];
    for (const [i, line] of lines.entries()) {
      const answer = await h.say(line, speakers[i % speakers.length]);
      if (DANGEROUS.test(answer) || /Interner Fehler|Internal error/.test(answer)) leaks.push(`${JSON.stringify(line)} → ${JSON.stringify(answer.slice(0, 300))}`);
    }
    expect(leaks.slice(0, 5)).toEqual([]);
  });

  it("an unknown command typed with terminal escapes is quoted with the escapes shown, not run", async () => {
    expect(await h.say("\u001b[2Jquatsch\u0007", ORGA)).toBe("Unbekannter Befehl „␛[2Jquatsch␇“. `hilfe` zeigt alle Befehle.");
    expect(await h.say("partner liste extra\u202etxt.exe", ORGA)).toContain("Zu viele Angaben: „extra[U+202E]txt.exe“.");
    expect(await h.say("partner liste --\u2066farbe", ORGA)).toContain("Unbekannte Option --[U+2066]farbe.");
  });
});

describe("visible", () => {
  it("shows C0 as control pictures and every other such character by its code point, and leaves emoji sequences alone", () => {
    expect(visible("a\u0000b\u001bc\u007fd")).toBe("a␀b␛c␡d");
    expect(visible("x\u202ey\u2066z\u0085")).toBe("x[U+202E]y[U+2066]z[U+0085]");
    expect(visible("Feuerwehr 🚒 Köln 👩‍🚒 ❤️‍🔥")).toBe("Feuerwehr 🚒 Köln 👩‍🚒 ❤️‍🔥");
    expect(visible("a\u200db")).toBe("a[U+200D]b");
    expect(visible("tag\u{e0041}")).toBe("tag[U+E0041]");
  });
});
