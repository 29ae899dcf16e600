// The state-wide overview page: server-rendered HTML and inline SVG, no external resources, no script, German,
// with a print layout. States are coloured with the Okabe–Ito palette (distinct for colour-blind readers) and
// every colour also has its text (the state's name in the cell, a symbol, and a legend).
import { createHash } from "node:crypto";
import type { TrackState } from "../domain/annualMinimum.ts";
import { heldShare, type AnnualReport } from "../domain/annualReport.ts";
import { formatDate } from "../domain/dates.ts";
import type { Translator } from "./i18n/catalogue.ts";
import { escapeHtml } from "./html.ts";

/** The states of the SiKo tracks; the exercise track's states are a subset. */
type PageState = TrackState;

/** Background, text colour and a symbol per state; the symbol repeats the meaning without colour. */
export const PAGE_STATES: Record<PageState, { bg: string; fg: string; symbol: string }> = {
  held: { bg: "#009E73", fg: "#ffffff", symbol: "✓" },
  scheduled: { bg: "#56B4E9", fg: "#000000", symbol: "◷" },
  pending: { bg: "#F0E442", fg: "#000000", symbol: "○" },
  "at-risk": { bg: "#E69F00", fg: "#000000", symbol: "!" },
  overdue: { bg: "#D55E00", fg: "#ffffff", symbol: "✗" },
  "not-connected": { bg: "#BBBBBB", fg: "#000000", symbol: "–" },
  // A year before the bot watched: nothing known either way.
  untracked: { bg: "#E0E0E0", fg: "#000000", symbol: "?" },
  "not-applicable": { bg: "#ffffff", fg: "#555555", symbol: "·" },
};

const LEGEND_ORDER = ["held", "scheduled", "pending", "at-risk", "overdue", "not-connected", "untracked", "not-applicable"] as const;

const STYLE = `
*{box-sizing:border-box}
body{font-family:system-ui,"Segoe UI",Arial,sans-serif;margin:1.5rem;color:#111;background:#fff;line-height:1.35}
h1{font-size:1.4rem;margin:0 0 .25rem}
h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
.meta{color:#444;margin:0 0 1rem}
table{border-collapse:collapse}
th,td{border:1px solid #999;padding:.2rem .45rem;text-align:left;font-size:.85rem}
th{background:#eee}
td.st{min-width:9.5rem;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.legend{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0}
.legend li{border:1px solid #999;padding:.15rem .5rem;font-size:.85rem;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.sym{display:inline-block;width:1.1em;text-align:center;font-weight:bold}
.grid{columns:1}
figure{margin:0}
figcaption{font-size:.85rem;color:#444}
${LEGEND_ORDER.map((s) => `.s-${s}{background:${PAGE_STATES[s].bg};color:${PAGE_STATES[s].fg}}`).join("\n")}
@page{size:A4 portrait;margin:12mm}
@media print{body{margin:0;font-size:9pt}th,td{font-size:8pt;padding:.1rem .3rem}h2{break-after:avoid}tr{break-inside:avoid}.noprint{display:none}}
`;

/** The value of the page's Content-Security-Policy: its one inline style by hash, nothing else at all. */
export const PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash("sha256").update(STYLE, "utf8").digest("base64")}'; img-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`;

/** The state's name as everywhere else; "untracked" explains itself here, where the LZPD reads the legend. */
function stateName(state: PageState, t: Translator): string {
  return t(state === "untracked" ? "page.state.untracked" : `state.${state}`);
}

function stateCell(state: PageState, t: Translator, label: string): string {
  const name = stateName(state, t);
  return `<td class="st s-${state}" data-state="${state}" title="${escapeHtml(label)}: ${escapeHtml(name)}"><span class="sym" aria-hidden="true">${PAGE_STATES[state].symbol}</span> ${escapeHtml(name)}</td>`;
}

export interface ChartPoint {
  year: number;
  /** Share of KPBs that held their SiKo, 0..1; null without data. */
  share: number | null;
  held: number;
  of: number;
}

function chart(points: readonly ChartPoint[], t: Translator): string {
  const w = 420;
  const h = 200;
  const left = 40;
  const bottom = 170;
  const top = 20;
  const barW = 50;
  const gap = (w - left - points.length * barW) / (points.length + 1);
  const scale = (v: number) => (bottom - top) * v;
  const bars = points
    .map((p, i) => {
      const x = left + gap + i * (barW + gap);
      const v = p.share ?? 0;
      const pct = p.share === null ? "–" : `${Math.round(v * 100)} %`;
      const y = bottom - scale(v);
      return `<g data-year="${p.year}" data-share="${p.share === null ? "" : v.toFixed(4)}"><title>${escapeHtml(t("page.chartBar", { year: p.year, percent: pct, held: p.held, of: p.of }))}</title><rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW}" height="${scale(v).toFixed(1)}" fill="#0072B2"/><text x="${(x + barW / 2).toFixed(1)}" y="${(y - 4).toFixed(1)}" text-anchor="middle" font-size="12">${pct}</text><text x="${(x + barW / 2).toFixed(1)}" y="${bottom + 16}" text-anchor="middle" font-size="12">${p.year}</text></g>`;
    })
    .join("");
  const axis = [0, 0.5, 1]
    .map((v) => `<line x1="${left}" x2="${w}" y1="${bottom - scale(v)}" y2="${bottom - scale(v)}" stroke="#ccc"/><text x="${left - 4}" y="${bottom - scale(v) + 4}" text-anchor="end" font-size="11">${v * 100} %</text>`)
    .join("");
  const summary = points.map((p) => `${p.year}: ${p.share === null ? "–" : `${Math.round((p.share ?? 0) * 100)} %`}`).join(", ");
  return `<figure><svg id="chart" role="img" aria-labelledby="chart-title" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" xmlns="http://www.w3.org/2000/svg"><title id="chart-title">${escapeHtml(t("page.chartTitle") + ": " + summary)}</title>${axis}${bars}</svg><figcaption>${escapeHtml(t("page.chartCaption"))} ${escapeHtml(summary)}</figcaption></figure>`;
}

export function reportPageHtml(report: AnnualReport, history: readonly ChartPoint[], t: Translator): string {
  const counts: Record<string, Record<string, number>> = { siko: {}, "siko-ap": {}, exercise: {} };
  const rows = report.kpbs
    .map((k) => {
      const cells = k.tracks.map((tr) => {
        counts[tr.track]![tr.state] = (counts[tr.track]![tr.state] ?? 0) + 1;
        return stateCell(tr.state, t, `${k.name} – ${t(`track.${tr.track}`)}`);
      });
      counts.exercise![k.exercise.state] = (counts.exercise![k.exercise.state] ?? 0) + 1;
      cells.push(stateCell(k.exercise.state, t, `${k.name} – ${t("track.exercise")}`));
      return `<tr data-kpb="${escapeHtml(k.name)}"><th scope="row">${escapeHtml(k.name)}</th>${cells.join("")}</tr>`;
    })
    .join("\n");
  const trackNames = [t("track.siko"), t("track.siko-ap"), t("track.exercise")];
  const countRows = LEGEND_ORDER.map((st) => {
    const c = [counts.siko![st] ?? 0, counts["siko-ap"]![st] ?? 0, counts.exercise![st] ?? 0];
    return `<tr data-count-state="${st}"><th scope="row"><span class="sym" aria-hidden="true">${PAGE_STATES[st].symbol}</span> ${escapeHtml(stateName(st, t))}</th>${c.map((n) => `<td>${n}</td>`).join("")}</tr>`;
  }).join("");
  const legend = LEGEND_ORDER.map((st) => `<li class="s-${st}"><span class="sym" aria-hidden="true">${PAGE_STATES[st].symbol}</span> ${escapeHtml(stateName(st, t))}</li>`).join("");
  const share = heldShare(report.nrw, "siko");
  return `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><meta name="robots" content="noindex, nofollow"><meta name="referrer" content="no-referrer"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t("page.title", { year: report.year }))}</title><style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(t("page.title", { year: report.year }))}</h1>
<p class="meta">${escapeHtml(t("page.meta", { date: formatDate(report.generatedAt, "de"), count: report.kpbs.length, share: share === null ? "–" : `${Math.round(share * 100)} %` }))}</p>
<h2>${escapeHtml(t("page.legend"))}</h2>
<ul class="legend" id="legend">${legend}</ul>
<h2>${escapeHtml(t("page.counts"))}</h2>
<table id="counts"><thead><tr><th scope="col">${escapeHtml(t("page.stateCol"))}</th>${trackNames.map((n) => `<th scope="col">${escapeHtml(n)}</th>`).join("")}</tr></thead><tbody>${countRows}</tbody></table>
<h2>${escapeHtml(t("page.history"))}</h2>
${chart(history, t)}
<h2>${escapeHtml(t("page.grid", { year: report.year }))}</h2>
<table id="grid"><thead><tr><th scope="col">KPB</th>${trackNames.map((n) => `<th scope="col">${escapeHtml(n)}</th>`).join("")}</tr></thead><tbody>
${rows}
</tbody></table>
<p class="meta">${escapeHtml(t("page.footer"))}</p>
</body></html>`;
}
