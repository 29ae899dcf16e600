// What the organisers hear from the bot about answers and deliveries. Pure: the caller loads the facts.
import type { Locale, Platform, RsvpAnswer } from "../domain/types.ts";
import type { ConferenceRow } from "../db/schema.ts";
import type { OutboundMessage, RichText } from "../port.ts";
import { answerLabel, titleOf } from "./conference.ts";
import { translate, translator } from "./i18n/catalogue.ts";
import { join, plain, rich, user } from "./rich.ts";

export interface NoticeAnswer {
  partnerName: string;
  answer: RsvpAnswer;
  deputyName: string | null;
  reason: string | null;
  /** The contact who answered; null when an organiser entered it on the agency's behalf (`enteredBy`). */
  contactName: string | null;
  /** The organiser's name as the platform gave it, else their id there. */
  enteredBy: string;
}

/** The organisers' notice of new answers, with the line that everybody has answered when that is so. */
export function rsvpNoticeMessage(locale: Locale, conf: Pick<ConferenceRow, "id" | "number" | "track">, answers: readonly NoticeAnswer[], allAnswered: number | null): OutboundMessage {
  const t = translator(locale);
  const title = titleOf(conf, t);
  const items: RichText[] = answers.map((a) =>
    rich(locale, a.contactName === null ? "rsvpNotice.lineOnBehalf" : "rsvpNotice.line", {
      partner: user(a.partnerName),
      answer: user(plain(answerLabel(locale, a.answer, a.deputyName, a.reason))),
      who: user(a.contactName ?? a.enteredBy),
    }),
  );
  const complete = allAnswered === null ? [] : [rich(locale, "rsvp.allAnswered", { title, count: allAnswered, id: conf.number })];
  const heading = rich(locale, "rsvpNotice.title", { title });
  const footer = rich(locale, "rsvpNotice.footer", { id: conf.number });
  return {
    text: [plain(heading), ...items.map((i) => `- ${plain(i)}`), ...complete.map(plain), ...(complete.length ? [] : [plain(footer)])].join("\n"),
    locale,
    kind: "rsvp-notice",
    view: { title: heading, sections: [{ items }], note: complete[0] ?? footer },
  };
}

export interface UndeliveredRow {
  contactName: string;
  partnerName: string;
  platform: Platform;
  status: "parked" | "failed" | "uncertain";
  kind: string;
  lastError: string | null;
  conference: Pick<ConferenceRow, "id" | "number" | "track"> | null;
}

const WHAT = new Set(["invitation", "update", "cancellation", "reminder"]);

/** One notice per round to a KPB's organisers: each message that did not reach a partner, and what to do. */
export function deliveryReportMessage(locale: Locale, rows: readonly UndeliveredRow[]): OutboundMessage {
  const t = translator(locale);
  const items = rows.map((r) => {
    const platform = t(`platform.${r.platform}`);
    const what = t(`deliveryReport.what.${WHAT.has(r.kind) ? r.kind : "message"}` as "deliveryReport.what.message");
    const about = r.conference ? ` ${t("deliveryReport.conference", { title: titleOf(r.conference, t) })}` : "";
    const state =
      r.status === "parked"
        ? t("deliveryReport.parked", { hint: t(`deliveryReport.hint.${r.platform}`) })
        : r.status === "failed"
          ? translate(locale, "deliveryReport.failed", { reason: (r.lastError ?? "–").slice(0, 200) })
          : t("deliveryReport.uncertain");
    return join(rich(locale, "deliveryReport.line", { name: user(r.contactName), partner: user(r.partnerName), what: what + about, platform, state }));
  });
  const title = rich(locale, "deliveryReport.title", { count: rows.length });
  return {
    text: [plain(title), ...items.map((i) => `- ${plain(i)}`)].join("\n"),
    locale,
    kind: "delivery-report",
    view: { title, sections: [{ items }] },
  };
}
