// The per-KPB subscription feed: checks the token and returns the iCalendar text, or null for every kind of "no"
// (unknown KPB, no token yet, wrong or old token), so the HTTP layer cannot tell them apart either.
//
// Content: every conference of that KPB, including cancelled ones (STATUS:CANCELLED, so a subscribed calendar shows
// the cancellation instead of the entry silently vanishing) and held ones (the year's history). Planned conferences
// whose invitations have not gone out are TENTATIVE. No attendees: a feed is read, not answered (see buildFeed).
import { createHash } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { toIcsConference, type IcsSettings } from "../../calendar/conferenceIcs.ts";
import { buildFeed } from "../../calendar/ics.ts";
import type { Clock } from "../../domain/clock.ts";
import type { Locale } from "../../domain/types.ts";
import type { Db } from "../../db/client.ts";
import * as s from "../../db/schema.ts";
import { translate } from "../../messages/i18n/catalogue.ts";
import { feedTokenMatches } from "./feedToken.ts";

export type FeedLookup = (slug: string, token: unknown) => string | null;

export interface FeedServiceDeps extends IcsSettings {
  db: Db;
  clock: Clock;
  locale: Locale;
}

const SLUG_RE = /^[a-z0-9-]{1,80}$/;

export function createFeedService(deps: FeedServiceDeps): FeedLookup {
  // Building 1,000 events takes about half a second (ical-generator folds every line), so the text is kept per KPB.
  // The key is a digest of the rows it is made from, not max(updatedAt): two changes within one millisecond (or a
  // simulated clock that stands still or goes back) must not serve a stale feed. Reading the rows costs little.
  const cache = new Map<number, { key: string; text: string }>();
  return (slug, token) => {
    const kpb = SLUG_RE.test(slug) ? deps.db.select().from(s.kpbs).where(eq(s.kpbs.slug, slug)).get() : undefined;
    // Always compared, also for an unknown KPB, so the answer time does not say whether the KPB exists.
    const ok = feedTokenMatches(kpb?.feedToken, token);
    if (!kpb || !ok) return null;
    const rows = deps.db.select().from(s.conferences).where(eq(s.conferences.kpbId, kpb.id)).orderBy(asc(s.conferences.startsAt), asc(s.conferences.id)).all();
    const key = createHash("sha256").update(JSON.stringify([kpb.feedToken, kpb.name, kpb.slug, rows])).digest("base64url");
    const hit = cache.get(kpb.id);
    if (hit?.key === key) return hit.text;
    const events = rows.map((conf) => {
      const ics = toIcsConference(conf, kpb, [], deps);
      return conf.status === "planned" ? { ...ics, status: "TENTATIVE" as const } : ics;
    });
    const text = buildFeed(translate(deps.locale, "calendar.feedName", { kpb: kpb.name }), events, { stamp: deps.clock.now() });
    cache.set(kpb.id, { key, text });
    return text;
  };
}
