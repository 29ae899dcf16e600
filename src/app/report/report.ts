// `bericht <jahr>`: the annual report (decree §5). The LZPD gets the whole state in a direct chat; an organiser
// or leader (or the LZPD with `--kpb`) gets one KPB. Markdown in chat; `--format csv|md` as a file.
import * as z from "zod";
import { buildAnnualReport } from "../../domain/annualReport.ts";
import { reportMarkdown } from "../../messages/report.ts";
import { reportCsv } from "../../messages/reportCsv.ts";
import { defineCommand, UserError, type Reply } from "../command.ts";
import { name, oneOf, year } from "../values.ts";
import { loadComparisonGroups, loadReportFacts } from "./facts.ts";
import { newPageLink } from "./page.ts";
import { formatDateTime } from "../../domain/dates.ts";

export const report = defineCommand({
  id: "report",
  names: { de: "bericht", en: "report" },
  summary: "cmd.report",
  args: [{ key: "year", names: { de: "jahr", en: "year" } }],
  flags: [
    { key: "kpb", names: { de: "kpb", en: "kpb" } },
    { key: "format", names: { de: "format", en: "format" }, valueName: { de: "csv|md", en: "csv|md" } },
    { key: "page", names: { de: "seite", en: "page" }, boolean: true },
  ],
  input: z.object({ year, kpb: name.optional(), format: oneOf(["csv", "md"]).optional(), page: z.boolean().optional() }),
  access: { kind: "kpb", roles: ["organiser", "leader", "reporter"], confidential: true, wholeState: ["reporter"] },
  run({ tx, t, locale, clock, kpb, room, settings, caller, audit }, input): Reply {
    if (!kpb && !room.direct) throw new UserError("report.directOnly", { year: input.year });
    if (input.page) {
      // The page shows every KPB: only for the LZPD (the whole-state case), and the link only in a direct chat.
      if (kpb) throw new UserError("report.pageLzpdOnly", { year: input.year });
      const link = newPageLink(tx, input.year, caller.principal, clock.now());
      audit("report.pageLink", "report_link", null, { year: input.year, expiresAt: link.expiresAt.toISOString() });
      const url = `${settings.publicUrl.replace(/\/+$/, "")}/bericht?token=${link.token}`;
      return { text: t("report.pageLink", { year: input.year, until: formatDateTime(link.expiresAt, locale), url }), kind: "link" };
    }
    const facts = loadReportFacts(tx, input.year, kpb ? [kpb.id] : undefined);
    const groups = kpb ? [] : loadComparisonGroups(settings.referenceDir);
    const built = buildAnnualReport({ year: input.year, kpbs: facts, groups, firstThreshold: settings.reminderPolicy.annual.organisers ?? undefined, exerciseThreshold: settings.reminderPolicy.exercise.reminders[0] }, clock);
    const markdown = reportMarkdown(built, t, locale, kpb?.name);
    if (!input.format) return { text: markdown };
    const stem = `siko-bericht-${input.year}${kpb ? `-${kpb.slug}` : ""}`;
    const file =
      input.format === "csv"
        ? { filename: `${stem}.csv`, contentType: "text/csv; charset=utf-8", content: reportCsv(built, t, locale) }
        : { filename: `${stem}.md`, contentType: "text/markdown; charset=utf-8", content: markdown };
    return { text: t("report.file", { year: input.year, filename: file.filename }), attachment: file };
  },
});
