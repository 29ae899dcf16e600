// The words and buttons that describe a conference in messages: shared by the commands' replies, the
// invitations and change notices, and the reminders.
import { formatDateTime, formatRange } from "../domain/dates.ts";
import type { Locale } from "../domain/types.ts";
import type { ConferenceRow, KpbRow } from "../db/schema.ts";
import type { Button } from "../port.ts";
import type { Translator } from "./i18n/catalogue.ts";

export function titleOf(conf: Pick<ConferenceRow, "number" | "track">, t: Translator): string {
  return `${t(`track.${conf.track}`)} #${conf.number}`;
}

export function placeOf(conf: Pick<ConferenceRow, "location">, t: Translator): string {
  return conf.location ?? t("conference.placeOpen");
}

export function agendaText(conf: Pick<ConferenceRow, "agenda">, t: Translator): string {
  return [t("conference.agendaTitle"), ...conf.agenda.map((item, i) => `  ${i + 1}. ${item}`)].join("\n");
}

export function summaryOf(conf: ConferenceRow, kpb: KpbRow, t: Translator, locale: Locale): string {
  return t("conference.summary", {
    title: titleOf(conf, t),
    kpb: kpb.name,
    range: formatRange(conf.startsAt, conf.endsAt, locale),
    place: placeOf(conf, t),
    status: t(`status.${conf.status}`),
  });
}

/** "Teilgenommen: … Gäste ohne Einladung: … Besprochen: …" for a conference recorded as held. */
export function outcomeText(conf: Pick<ConferenceRow, "agenda" | "outcome">, partnerNames: ReadonlyMap<number, string>, t: Translator): string {
  const o = conf.outcome;
  if (!o) return "";
  const attended = o.attendedPartnerIds.map((id) => partnerNames.get(id) ?? `#${id}`);
  const parts = [t("outcome.attended", { names: attended.join(", ") || "–" })];
  if (o.guests?.length) parts.push(t("outcome.guests", { names: o.guests.join(", ") }));
  parts.push(t("outcome.items", { items: o.discussedItems.map((n) => `${n}. ${conf.agenda[n - 1] ?? ""}`).join("; ") || "–" }));
  return parts.join(" ");
}

export function rsvpButtons(conferenceId: number, t: Translator): Button[] {
  const action = (answer: string) => ({ verb: "rsvp", data: { conference: conferenceId, answer } });
  return [
    { label: t("button.accept"), action: action("accepted") },
    { label: t("button.decline"), action: action("declined") },
    { label: t("button.tentative"), action: action("tentative") },
    { label: t("button.delegate"), action: action("delegated"), needsText: { prompt: t("button.deputyPrompt") } },
  ];
}

export function partnerMessageContext(conf: ConferenceRow, kpb: KpbRow, t: Translator, locale: Locale) {
  return {
    title: titleOf(conf, t),
    kpb: kpb.name,
    when: formatDateTime(conf.startsAt, locale),
    range: formatRange(conf.startsAt, conf.endsAt, locale),
    place: placeOf(conf, t),
    agenda: agendaText(conf, t),
    id: conf.number,
  };
}
