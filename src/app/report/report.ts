// `bericht [jahr]`: the annual report (decree §5). The LZPD gets the whole state in a direct chat; an organiser
// or leader gets their own KPB. Markdown in chat; `--format csv|md` as a file; `--seite` a link to the overview page.
// Without a year it covers the reporting period of the policy (default: the previous year and the current one to date).
import * as z from "zod";
import { formatDateTime } from "../../domain/dates.ts";
import { berlinYearOf } from "../../domain/holidays.ts";
import { reportMarkdown } from "../../messages/report.ts";
import { reportCsv } from "../../messages/reportCsv.ts";
import { defineCommand, UserError, type Reply } from "../command.ts";
import { name, oneOf, year } from "../values.ts";
import { annualReports, loadComparisonGroups } from "./facts.ts";
import { newPageLink } from "./page.ts";

/** The years of the reporting period, oldest first. */
export function periodYears(period: "previous+current" | "previous" | "current", now: Date): number[] {
  const y = berlinYearOf(now);
  return period === "previous" ? [y - 1] : period === "current" ? [y] : [y - 1, y];
}

export const report = defineCommand({
  id: "report",
  names: { de: "bericht", en: "report" },
  summary: "cmd.report",
  args: [{ key: "year", names: { de: "jahr", en: "year" }, optional: true }],
  flags: [
    { key: "kpb", names: { de: "kpb", en: "kpb" } },
    { key: "format", names: { de: "format", en: "format" }, valueName: { de: "csv|md", en: "csv|md" } },
    { key: "page", names: { de: "seite", en: "page" }, boolean: true },
  ],
  input: z.object({ year: year.optional(), kpb: name.optional(), format: oneOf(["csv", "md"]).optional(), page: z.boolean().optional() }),
  access: { kind: "kpb", roles: ["organiser", "leader", "reporter"], confidential: true, wholeState: ["reporter"] },
  run({ tx, t, locale, clock, kpb, room, settings, caller, audit }, input): Reply {
    const policy = settings.reminderPolicy;
    const years = input.year ? [input.year] : periodYears(policy.report.period, clock.now());
    const label = years.join("–");
    // The command to type instead: with the year asked for, or none (a period of several years is no argument).
    if (!kpb && !room.direct) throw new UserError("report.directOnly", { year: input.year ? `${input.year} ` : "" });
    if (input.page) {
      // The page shows every KPB: only for the LZPD (the whole-state case), and the link only in a direct chat.
      const pageYear = input.year ?? berlinYearOf(clock.now());
      if (kpb) throw new UserError("report.pageLzpdOnly", { year: pageYear });
      const link = newPageLink(tx, pageYear, caller.principal, clock.now());
      audit("report.pageLink", "report_link", null, { year: pageYear, expiresAt: link.expiresAt.toISOString() });
      const url = `${settings.publicUrl.replace(/\/+$/, "")}/bericht?token=${link.token}`;
      const text = t("report.pageLink", { year: pageYear, until: formatDateTime(link.expiresAt, locale), url });
      return { text: settings.httpServer === false ? `${text}\n${t("report.pageNoServer")}` : text, kind: "link" };
    }
    const groups = kpb ? [] : loadComparisonGroups(settings.referenceDir);
    const reports = annualReports(tx, years, { ...(kpb ? { kpbIds: [kpb.id] } : {}), groups }, policy, clock);
    const markdown = reports.map((r) => reportMarkdown(r, t, locale, kpb?.name)).join("\n\n---\n\n");
    if (!input.format) return { text: markdown };
    const stem = `siko-bericht-${years.join("-")}${kpb ? `-${kpb.slug}` : ""}`;
    const file =
      input.format === "csv"
        ? { filename: `${stem}.csv`, contentType: "text/csv; charset=utf-8", content: reportCsv(reports, t, locale) }
        : { filename: `${stem}.md`, contentType: "text/markdown; charset=utf-8", content: markdown };
    return { text: t("report.file", { year: label, filename: file.filename }), attachment: file };
  },
});
