// The feed token (digest storage, constant-time check) and the feed service (content, statuses, cache), without HTTP.
import ICAL from "ical.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFeedService } from "../../src/app/calendar/feed.ts";
import { feedTokenMatches, hashFeedToken, newFeedToken } from "../../src/app/calendar/feedToken.ts";
import { loadDemo } from "../../src/app/demo.ts";
import { ADMIN, REFERENCE_DIR, startHarness, type Harness, type Speaker } from "../support/harness.ts";

describe("feed token", () => {
  it("is 32 random bytes in base64url, stored as a SHA-256 digest", () => {
    const a = newFeedToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newFeedToken()).not.toBe(a);
    expect(hashFeedToken(a)).toMatch(/^sha256:[A-Za-z0-9_-]{43}$/);
    expect(hashFeedToken(a)).toBe(hashFeedToken(a));
  });

  it("matches only the very token, and nothing when none is stored or the input is not a token", () => {
    const token = newFeedToken();
    const stored = hashFeedToken(token);
    expect(feedTokenMatches(stored, token)).toBe(true);
    expect(feedTokenMatches(stored, newFeedToken())).toBe(false);
    expect(feedTokenMatches(stored, token.slice(0, -1))).toBe(false);
    expect(feedTokenMatches(stored, token + "A")).toBe(false);
    expect(feedTokenMatches(stored, [token])).toBe(false);
    expect(feedTokenMatches(stored, undefined)).toBe(false);
    expect(feedTokenMatches(stored, "")).toBe(false);
    expect(feedTokenMatches(stored, `${token}\n`)).toBe(false);
    // the stored digest itself is not a key (someone who read the database)
    expect(feedTokenMatches(stored, stored.slice("sha256:".length))).toBe(false);
    expect(feedTokenMatches(null, token)).toBe(false);
    expect(feedTokenMatches(token, token)).toBe(false); // a plain value in the column is not trusted
    expect(feedTokenMatches(hashFeedToken(""), "")).toBe(false);
  });
});

describe("feed service", () => {
  const ORGA: Speaker = { user: "orga", room: "lage" };
  let h: Harness;
  let token: string;

  beforeEach(async () => {
    h = startHarness();
    await h.say("hilfe", ADMIN);
    h.db.transaction((tx) => loadDemo(tx, REFERENCE_DIR, h.clock.now(), { platform: "console", userId: ORGA.user, roomId: ORGA.room }));
    // In a direct chat the link is the answer itself.
    token = /token=([A-Za-z0-9_-]+)/.exec(await h.say("kalender link", { user: ORGA.user, room: "dm-orga", direct: true }))![1]!;
  });
  afterEach(() => h.close());

  const service = () => createFeedService({ db: h.db, clock: h.clock, publicUrl: "http://localhost:3978", locale: "de" });

  function events(text: string) {
    const cal = new ICAL.Component(ICAL.parse(text));
    return {
      method: cal.getFirstPropertyValue("method"),
      name: cal.getFirstPropertyValue("x-wr-calname"),
      events: cal.getAllSubcomponents("vevent").map((e) => ({
        summary: String(e.getFirstPropertyValue("summary")),
        status: String(e.getFirstPropertyValue("status")),
        location: e.getFirstPropertyValue("location"),
        attendees: e.getAllProperties("attendee").length,
      })),
    };
  }

  it("returns null for an unknown KPB, a KPB without a token, and any malformed slug", () => {
    const feed = service();
    expect(feed("nirgendwo", token)).toBeNull();
    expect(feed("duesseldorf", token)).toBeNull();
    expect(feed("Koeln", token)).toBeNull();
    expect(feed("../koeln", token)).toBeNull();
    expect(feed("koeln", token)).not.toBeNull();
  });

  it("lists every conference of the KPB: planned as TENTATIVE, invited as CONFIRMED, cancelled as CANCELLED, no attendees", async () => {
    await h.say("planen 2027-03-15 10:00 --ort \"Raum 1\"", ORGA);
    await h.say("einladen 1", ORGA);
    await h.say("planen 2027-06-15 10:00", ORGA);
    await h.say("planen 2027-09-15 10:00", ORGA);
    await h.say("absagen 3", ORGA);
    const feed = events(service()("koeln", token)!);
    expect(feed.method).toBe("PUBLISH");
    expect(feed.name).toBe("Sicherheitskonferenzen PP Köln");
    expect(feed.events.map((e) => e.status)).toEqual(["CONFIRMED", "TENTATIVE", "CANCELLED"]);
    expect(feed.events.every((e) => e.summary.includes("PP Köln") && e.attendees === 0)).toBe(true);
    expect(feed.events[0]!.location).toBe("Raum 1");
  });

  it("serves the cached text until a row changes, even when the clock stands still", async () => {
    await h.say("planen 2027-03-15 10:00", ORGA);
    const feed = service();
    const first = feed("koeln", token)!;
    expect(feed("koeln", token)).toBe(first); // the same string object: not rebuilt
    await h.say('tagesordnung 1 --neu "Fahrradkriminalität"', ORGA); // same clock instant as the plan
    const second = feed("koeln", token)!;
    expect(second).not.toBe(first);
    expect(second.replace(/\r\n /g, "")).toContain("Fahrradkriminalität");
  });
});
