// The one catalogue: every sentence in both languages with the same placeholders, and plurals that read right.
import { describe, expect, it } from "vitest";
import { catalogue, translate, type MessageKey } from "../../src/messages/i18n/catalogue.ts";

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)[}|]/g)].map((m) => m[1]!).filter((v, i, a) => a.indexOf(v) === i).sort();

describe("catalogue", () => {
  it("has every sentence in German and English with the same placeholders", () => {
    for (const [key, entry] of Object.entries(catalogue) as [MessageKey, { de: string; en: string }][]) {
      expect(entry.de.trim(), key).not.toBe("");
      expect(entry.en.trim(), key).not.toBe("");
      expect(placeholders(entry.en), key).toEqual(placeholders(entry.de));
    }
  });

  it("chooses singular or plural by the number", () => {
    expect(translate("de", "cancel.done", { title: "SiKo #1", count: 1 })).toBe("SiKo #1 abgesagt. 1 Kontakt wurde benachrichtigt.");
    expect(translate("de", "cancel.done", { title: "SiKo #1", count: 12 })).toBe("SiKo #1 abgesagt. 12 Kontakte wurden benachrichtigt.");
    expect(translate("en", "invite.sent", { title: "SiKo #1", contacts: 1, partners: 1, deadline: "", list: "" })).toBe("Invited to SiKo #1: 1 contact of 1 agency.\n");
    expect(translate("de", "rsvp.allAnswered", { title: "SiKo #1", count: 3, id: 1 })).toBe(
      "SiKo #1: Alle 3 eingeladenen Behörden haben geantwortet. `status 1` zeigt die Übersicht.",
    );
  });
});
