// The state-wide overview page behind an expiring, unguessable link: `bericht <jahr> --seite` makes the link (a
// 256-bit random token, only its digest stored), the HTTP server asks `createReportPage` for the page. Every kind
// of "no" (unknown, altered, expired) is null, so the server answers them all with the same 404.
import { eq } from "drizzle-orm";
import { heldShare } from "../../domain/annualReport.ts";
import type { Clock } from "../../domain/clock.ts";
import type { Tx, Db } from "../../db/client.ts";
import * as s from "../../db/schema.ts";
import { translator } from "../../messages/i18n/catalogue.ts";
import { PAGE_CSP, reportPageHtml, type ChartPoint } from "../../messages/reportPage.ts";
import type { RuntimeSettings } from "../../settings.ts";
import { feedTokenMatches, hashFeedToken, newFeedToken } from "../calendar/feedToken.ts";
import { annualReports, loadComparisonGroups } from "./facts.ts";

/** How long a page link works. */
export const PAGE_LINK_HOURS = 24;
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

export function newPageLink(tx: Tx, year: number, createdBy: string, now: Date): { token: string; expiresAt: Date } {
  const token = newFeedToken();
  const expiresAt = new Date(now.getTime() + PAGE_LINK_HOURS * 3_600_000);
  tx.insert(s.reportLinks).values({ tokenHash: hashFeedToken(token), year, createdBy, createdAt: now, expiresAt }).run();
  return { token, expiresAt };
}

export type ReportPageLookup = (token: unknown) => { html: string; csp: string } | null;

export function createReportPage(deps: { db: Db; clock: Clock; settings: Pick<RuntimeSettings, "referenceDir" | "reminderPolicy"> }): ReportPageLookup {
  return (token) => {
    const wellFormed = typeof token === "string" && TOKEN_RE.test(token);
    const row = wellFormed ? deps.db.select().from(s.reportLinks).where(eq(s.reportLinks.tokenHash, hashFeedToken(token))).get() : undefined;
    // Compared in constant time also when nothing was found, so the answer time says nothing.
    const ok = feedTokenMatches(row?.tokenHash, token);
    const now = deps.clock.now();
    if (!row || !ok || row.expiresAt.getTime() <= now.getTime()) return null;
    return deps.db.transaction((tx) => {
      const groups = loadComparisonGroups(deps.settings.referenceDir);
      // The page's year and the four before it, for the chart.
      const reports = annualReports(tx, [4, 3, 2, 1, 0].map((back) => row.year - back), { groups }, deps.settings.reminderPolicy, deps.clock);
      const history: ChartPoint[] = reports.map((r) => ({ year: r.year, share: heldShare(r.nrw, "siko"), held: r.nrw.states.siko.held ?? 0, of: r.nrw.applicable.siko }));
      const report = reports.at(-1)!;
      return { html: reportPageHtml(report, history, translator("de")), csp: PAGE_CSP };
    });
  };
}
