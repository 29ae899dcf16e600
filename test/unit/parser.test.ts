import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_MESSAGE_LENGTH } from "../../src/app/dispatcher.ts";
import { editDistance, stripPrefix, tokenize, type Token } from "../../src/app/parser.ts";
import { normalizeWord } from "../../src/domain/names.ts";
import { ADMIN, startHarness, type Harness } from "../support/harness.ts";

function tokens(input: string): Token[] {
  const r = tokenize(input);
  if (!r.ok) throw new Error(`tokenize failed: ${r.error}`);
  return r.tokens;
}

const words = (input: string): string[] => tokens(input).map((t) => (t.kind === "word" ? t.value : `--${t.name}${t.value === undefined ? "" : `=${t.value}`}`));

describe("tokenize", () => {
  it("splits on any whitespace and keeps plain words", () => {
    expect(tokens("  kpb \t zeigen   koeln ")).toEqual([
      { kind: "word", value: "kpb", quoted: false },
      { kind: "word", value: "zeigen", quoted: false },
      { kind: "word", value: "koeln", quoted: false },
    ]);
  });

  it("keeps spaces inside straight double and single quotes", () => {
    expect(tokens(`partner anlegen "Stadt Köln" 'Landgericht Bonn'`).slice(2)).toEqual([
      { kind: "word", value: "Stadt Köln", quoted: true },
      { kind: "word", value: "Landgericht Bonn", quoted: true },
    ]);
  });

  it("accepts German „…“ and English “…” quotes, also as autocorrect mixes them", () => {
    expect(words("„Stadt Köln“")).toEqual(["Stadt Köln"]);
    expect(words("„Stadt Köln”")).toEqual(["Stadt Köln"]);
    expect(words("“Stadt Köln”")).toEqual(["Stadt Köln"]);
    expect(words("“Stadt Köln“")).toEqual(["Stadt Köln"]);
    expect(words("«Stadt Köln»")).toEqual(["Stadt Köln"]);
  });

  it("reads escaped quotes and backslashes inside a quoted string", () => {
    expect(words(String.raw`"Verein \"Sicher Leben\" e.V." x`)).toEqual(['Verein "Sicher Leben" e.V.', "x"]);
    expect(words(String.raw`'O\'Neill'`)).toEqual(["O'Neill"]);
    expect(words(String.raw`"C:\\Pfad"`)).toEqual(["C:\\Pfad"]);
  });

  it("keeps one kind of quote inside another", () => {
    expect(words(`'Verein "Sicher Leben" e.V.'`)).toEqual(['Verein "Sicher Leben" e.V.']);
    expect(words(`„Kölner 'Veedel' e.V.“`)).toEqual(["Kölner 'Veedel' e.V."]);
  });

  it("reads nested German quotes as one name: „Saal „Rhein““", () => {
    expect(words("ort 1 „Saal „Rhein““")).toEqual(["ort", "1", "Saal „Rhein“"]);
    expect(words("«Verein «Sicher» e.V.» x")).toEqual(["Verein «Sicher» e.V.", "x"]);
    expect(tokenize("„Saal „Rhein“")).toEqual({ ok: false, error: "unterminated-quote" });
  });

  it("treats an apostrophe inside a word as a letter", () => {
    expect(words("vertretung 12 O'Brien")).toEqual(["vertretung", "12", "O'Brien"]);
  });

  it("reads `--flag value` as a flag followed by a word", () => {
    expect(tokens("--kategorie kommune")).toEqual([
      { kind: "flag", name: "kategorie" },
      { kind: "word", value: "kommune", quoted: false },
    ]);
  });

  it("reads `--flag=value`, also with a quoted value holding spaces", () => {
    expect(tokens("--kpb=koeln")).toEqual([{ kind: "flag", name: "kpb", value: "koeln" }]);
    expect(tokens(`--ort="Raum 1.02" x`)).toEqual([
      { kind: "flag", name: "ort", value: "Raum 1.02" },
      { kind: "word", value: "x", quoted: false },
    ]);
    expect(tokens("--frist=")).toEqual([{ kind: "flag", name: "frist", value: "" }]);
  });

  it("folds flag names like verbs", () => {
    expect(tokens("--FUNKTION x")[0]).toEqual({ kind: "flag", name: "funktion" });
    expect(tokens("--Dauer=2h")[0]).toEqual({ kind: "flag", name: "dauer", value: "2h" });
  });

  it("does not read a quoted `--word` or a bare `--` as a flag", () => {
    expect(tokens(`"--kpb" --`)).toEqual([
      { kind: "word", value: "--kpb", quoted: true },
      { kind: "word", value: "--", quoted: false },
    ]);
  });

  it("keeps an empty quoted string as an empty word", () => {
    expect(tokens(`"" x`)[0]).toEqual({ kind: "word", value: "", quoted: true });
  });

  it("reports an unterminated quote instead of guessing", () => {
    expect(tokenize(`partner anlegen "Stadt Köln --kategorie kommune`)).toEqual({ ok: false, error: "unterminated-quote" });
    expect(tokenize("„Stadt Köln")).toEqual({ ok: false, error: "unterminated-quote" });
    expect(tokenize(String.raw`"abc\"`)).toEqual({ ok: false, error: "unterminated-quote" });
  });

  it("returns no tokens for blank input", () => {
    expect(tokenize("   \t ")).toEqual({ ok: true, tokens: [] });
  });
});

describe("stripPrefix", () => {
  it("removes the Matrix prefix in any case, and the other accepted prefixes", () => {
    expect(stripPrefix("!siko kpb liste")).toBe("kpb liste");
    expect(stripPrefix("  !SIKO   hilfe  ")).toBe("hilfe");
    expect(stripPrefix("/siko hilfe")).toBe("hilfe");
    expect(stripPrefix("siko: hilfe")).toBe("hilfe");
    expect(stripPrefix("!siko")).toBe("");
  });

  it("leaves text without a prefix alone (the console needs none)", () => {
    expect(stripPrefix("kpb liste")).toBe("kpb liste");
    // Not a prefix: only the whole word counts.
    expect(stripPrefix("!sikohilfe")).toBe("!sikohilfe");
    expect(stripPrefix("sikorsky hilfe")).toBe("sikorsky hilfe");
  });
});

describe("normalizeWord", () => {
  it("folds case and German spellings into one key", () => {
    expect(normalizeWord("Durchgeführt")).toBe("durchgefuehrt");
    expect(normalizeWord("DURCHGEFÜHRT")).toBe("durchgefuehrt");
    expect(normalizeWord("durchgefuehrt")).toBe("durchgefuehrt");
    expect(normalizeWord("Übersicht")).toBe("uebersicht");
    expect(normalizeWord("Größe")).toBe("groesse");
    expect(normalizeWord("STRAẞE")).toBe("strasse");
    expect(normalizeWord("Ärger")).toBe("aerger");
  });

  it("treats decomposed umlauts (u + combining diaeresis) like composed ones", () => {
    expect(normalizeWord("durchgefu\u0308hrt")).toBe("durchgefuehrt");
  });
});

describe("editDistance", () => {
  it("counts insertions, deletions and substitutions", () => {
    expect(editDistance("hilfe", "hilfe")).toBe(0);
    expect(editDistance("hilf", "hilfe")).toBe(1);
    expect(editDistance("partnr", "partner")).toBe(1);
    expect(editDistance("kbp", "kpb")).toBe(2);
    expect(editDistance("", "abc")).toBe(3);
  });
});

describe("commands typed through the dispatcher", () => {
  let h: Harness;
  beforeEach(async () => {
    h = startHarness();
    expect(await h.say("kpb import nrw")).toContain("47 KPB neu angelegt");
    expect(await h.say("raum binden koeln")).toContain("PP Köln");
  });
  afterEach(() => h.close());

  it("accepts German and English verbs and answers in the user's language", async () => {
    await h.say("sprache de");
    const de1 = await h.say("kpb liste");
    const de2 = await h.say("kpb list");
    expect(de1).toMatch(/^47 Kreispolizeibehörden:/);
    expect(de2).toBe(de1);
    expect(await h.say("sprache en")).toBe("I will answer you in English from now on.");
    const en1 = await h.say("kpb list");
    const en2 = await h.say("kpb liste");
    expect(en1).toMatch(/^47 district police authorities:/);
    expect(en2).toBe(en1);
    expect(en1).toContain("PP Köln (`koeln`) (motorway police)");
  });

  it("answers a second user in their own language while the first keeps German", async () => {
    const anna: typeof ADMIN = { user: "anna", room: "lage" };
    await h.say("language en", anna);
    expect(await h.say("kpb show koeln", anna)).toContain("Motorway police: yes");
    expect(await h.say("kpb zeigen koeln")).toContain("Autobahnpolizei: ja");
  });

  it("folds case and umlaut spellings of command names", async () => {
    await h.say("sprache de");
    const plain = await h.say("kpb liste");
    expect(await h.say("Kpb Liste")).toBe(plain);
    expect(await h.say("KPB LIST")).toBe(plain);
    const show = await h.say("kpb zeigen koeln");
    expect(show).toContain("PP Köln (`koeln`)");
    // The KPB reference is folded the same way as the verb.
    expect(await h.say("KPB ZEIGEN Köln")).toBe(show);
    expect(await h.say("kpb zeigen PP KÖLN")).toBe(show);
    expect(await h.say("kpb zeigen Muenster")).toContain("PP Münster");
  });

  it("accepts the chat prefix in front of a command", async () => {
    expect(await h.say("!siko kpb liste")).toMatch(/^47 Kreispolizeibehörden:/);
  });

  it("suggests the nearest command for a misspelled verb", async () => {
    const reply = await h.say("hilf");
    expect(reply).toContain("Unbekannter Befehl „hilf“.");
    expect(reply).toContain("Meinten Sie `hilfe`?");
    expect(await h.say("partnr liste")).toContain("Meinten Sie `partner`?");
  });

  it("suggests the command for a misspelled `hilfe` topic, and nothing far-fetched for a short word", async () => {
    expect(await h.say("hilfe plannen")).toMatch(/^Zu „plannen“ gibt es keinen Befehl\. Meinten Sie `hilfe planen`\?/);
    await h.say("sprache en");
    const foo = await h.say("foo");
    expect(foo).toBe("Unknown command “foo”. `help` lists all commands.");
  });

  it("answers an unknown command without a suggestion when nothing is close", async () => {
    const reply = await h.say("xylophon spielen");
    expect(reply).toContain("Unbekannter Befehl „xylophon“.");
    expect(reply).not.toContain("Meinten Sie");
    expect(reply).toContain("`hilfe` zeigt alle Befehle");
  });

  it("names the missing argument and shows the usage line", async () => {
    const reply = await h.say("kontakt anlegen \"Stadt Köln\"");
    expect(reply).toContain("Es fehlt: <name>.");
    expect(reply).toContain("Aufruf: `kontakt anlegen <partner> <name> [--funktion <funktion>]");
  });

  it("shows the usage in English to an English user", async () => {
    await h.say("sprache en");
    const reply = await h.say("partner add --category kommune");
    expect(reply).toContain("Missing: <name>.");
    expect(reply).toContain("Usage: `partner add <name> --category <category> [--kpb <kpb>]…`");
  });

  it("refuses a wrong category and lists the allowed ones", async () => {
    const before = h.dump();
    const reply = await h.say(`partner anlegen "Stadt Köln" --kategorie polizei`);
    expect(reply).toContain("Ungültiger Wert für --kategorie: erlaubt sind staatsanwaltschaft, gericht, kommune");
    expect(reply).toContain("sonstige");
    expect(reply).toContain("Aufruf: `partner anlegen <name> --kategorie <kategorie>");
    expect(h.dump()).toEqual(before);
  });

  it("says what a conference number looks like when it is mistyped", async () => {
    for (const wrong of ["abc", "#", "koeln#"])
      expect(await h.say(`status ${wrong}`)).toContain("Ungültiger Wert für <id>: keine Konferenz-Nummer (Beispiel: #12 oder koeln#12)");
  });

  it("refuses an unknown flag", async () => {
    const reply = await h.say(`partner anlegen "Stadt Köln" --kategorie kommune --farbe blau`);
    expect(reply).toContain("Unbekannte Option --farbe.");
    expect(reply).toContain("Aufruf: `partner anlegen");
    expect(h.count("partner_agencies")).toBe(0);
  });

  it("refuses a repeated flag that is not repeatable", async () => {
    const reply = await h.say(`partner anlegen "Stadt Köln" --kategorie kommune --kategorie zoll`);
    expect(reply).toContain("Die Option --kategorie darf nur einmal vorkommen.");
    expect(h.count("partner_agencies")).toBe(0);
  });

  it("accepts a repeatable flag several times", async () => {
    const reply = await h.say(`partner anlegen "Hauptzollamt Köln" --kategorie zoll --kpb koeln --kpb bonn`);
    expect(reply).toContain("angelegt für PP Köln, PP Bonn");
  });

  it("refuses a flag without its value", async () => {
    expect(await h.say(`partner anlegen "Stadt Köln" --kategorie`)).toContain("Die Option --kategorie braucht einen Wert.");
  });

  it("refuses words beyond the declared arguments (e.g. a forgotten quote)", async () => {
    const reply = await h.say("partner anlegen Stadt Köln --kategorie kommune");
    expect(reply).toContain("Zu viele Angaben: „Köln“.");
    expect(reply).toContain("Aufruf: `partner anlegen");
    expect(h.count("partner_agencies")).toBe(0);
  });

  it("refuses an unterminated quote with an example", async () => {
    expect(await h.say(`partner anlegen "Stadt Köln --kategorie kommune`)).toContain("Ein Anführungszeichen wurde nicht geschlossen.");
  });

  it("takes a flag value given with = and quotes", async () => {
    const reply = await h.say(`partner anlegen "Stadt Köln" --kategorie=kommune`);
    expect(reply).toContain("Partnerbehörde „Stadt Köln“ (Kommune) angelegt für PP Köln.");
    expect(await h.say(`kontakt anlegen "Stadt Köln" "Petra Schmitz" --funktion="Leiterin Ordnungsamt"`)).toContain("(Leiterin Ordnungsamt)");
  });

  it("refuses a message over the length limit and accepts one at the limit", async () => {
    expect(MAX_MESSAGE_LENGTH).toBe(20_000);
    const over = "hilfe " + "x".repeat(20_001 - 6);
    expect(over).toHaveLength(20_001);
    expect(await h.say(over)).toBe("Die Nachricht ist zu lang (20001 Zeichen, höchstens 20000).");
    // 20,000 characters pass the length check and reach the command (whose own limit then applies).
    const at = "hilfe " + "x".repeat(20_000 - 6);
    expect(await h.say(at)).toContain("Ungültiger Wert für <befehl>: zu lang (höchstens 200 Zeichen)");
  });

  it("asks for a command on empty input", async () => {
    expect(await h.say("   ")).toBe("Bitte einen Befehl eingeben. `hilfe` zeigt alle Befehle.");
    expect(await h.say("!siko")).toBe("Bitte einen Befehl eingeben. `hilfe` zeigt alle Befehle.");
  });

  it("explains one command with its other-language spelling", async () => {
    const reply = await h.say("hilfe partner anlegen");
    expect(reply).toContain("`partner anlegen <name> --kategorie <kategorie> [--kpb <kpb>]…`");
    expect(reply).toContain("Erlaubt für: organisator");
    expect(reply).toContain("Auch: `partner add <name> --category <category> [--kpb <kpb>]…`");
  });
});
