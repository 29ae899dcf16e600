// The words and buttons that describe a conference in messages: shared by the commands' replies, the
// invitations and change notices, and the reminders.
import { formatDate, formatDateTime, formatRange } from "../domain/dates.ts";
import type { Locale, RsvpAnswer } from "../domain/types.ts";
import type { ConferenceRow, KpbRow } from "../db/schema.ts";
import type { Button, Fact, RichText, RsvpState, View } from "../port.ts";
import { translator, type Translator } from "./i18n/catalogue.ts";
import { bot, plain, rich, user, type UserText } from "./rich.ts";

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

/**
 * How a conference is typed where the room does not tell the KPB (a partner's direct chat): with the KPB's short
 * name, `koeln#1`, since numbers count per KPB and one person may be invited to two KPBs' #1.
 */
export function typedRef(conf: { number: number }, kpb: { slug: string }): string {
  return `${kpb.slug}#${conf.number}`;
}

/** The four answers as buttons (Matrix shows the first three as reactions by their emoji). */
export function rsvpButtons(conf: Pick<ConferenceRow, "id" | "number" | "startsAt">, kpb: { slug: string }, t: Translator): Button[] {
  // The button carries the internal id; the typed command shows the reference people type. It also carries
  // the start it was offered for: pressed on a message the conference has moved away from, it changes nothing.
  const action = (answer: string) => ({ verb: "rsvp", data: { conference: conf.id, answer, at: conf.startsAt.getTime() } });
  const conferenceId = typedRef(conf, kpb);
  return [
    { label: t("button.accept"), emoji: "✅", role: "primary", action: action("accepted"), typed: t("rsvp.typed.accept", { id: conferenceId }) },
    { label: t("button.decline"), emoji: "❌", role: "secondary", action: action("declined"), typed: t("rsvp.typed.decline", { id: conferenceId }) },
    { label: t("button.tentative"), emoji: "❔", role: "secondary", action: action("tentative"), typed: t("rsvp.typed.tentative", { id: conferenceId }) },
    {
      label: t("button.delegate"),
      role: "secondary",
      action: action("delegated"),
      needsText: { prompt: t("button.deputyPrompt") },
      typed: t("rsvp.typed.delegate", { id: conferenceId }),
    },
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
    id: typedRef(conf, kpb),
  };
}

/** An agency's answer in words: "Zusage", "Vertretung: Dr. X", "Absage („Krankheit“)"; deputy and reason as typed. */
export function answerLabel(locale: Locale, answer: RsvpAnswer | null, deputy: string | null, reason: string | null): RichText {
  const t = translator(locale);
  if (!answer) return bot(t("answer.none"));
  const base = t(`answer.${answer}`);
  if (answer === "delegated" && deputy) return rich(locale, "answer.withDeputy", { answer: base, deputy: user(deputy) });
  if (answer === "declined" && reason) return rich(locale, "answer.withReason", { answer: base, reason: user(reason) });
  return bot(base);
}

export type PartnerMessageKind = "invitation" | "update" | "cancellation" | "reminder";

const TITLE_KEY = { invitation: "view.invitationTitle", update: "view.updateTitle", cancellation: "view.cancelTitle", reminder: "view.reminderTitle" } as const;

/**
 * The structured view of what a partner receives about a conference: what it is, when and where, for which
 * agency, the agenda, and the confidentiality note. `lead` says what this message is about (moved, new place…).
 */
export function partnerView(
  kind: PartnerMessageKind,
  conf: ConferenceRow,
  kpb: KpbRow,
  partnerName: string,
  locale: Locale,
  opts: { lead?: RichText; deadline?: string | null } = {},
): View {
  const t = translator(locale);
  const facts: Fact[] = [
    { label: t("view.when"), value: bot(formatRange(conf.startsAt, conf.endsAt, locale)) },
    { label: t("view.where"), value: conf.location ? [{ user: conf.location }] : bot(t("conference.placeOpen")) },
    { label: t("view.for"), value: [{ user: partnerName }] },
  ];
  if (opts.deadline) facts.push({ label: t("view.deadline"), value: bot(formatDate(opts.deadline, locale)) });
  return {
    title: rich(locale, TITLE_KEY[kind], { title: titleOf(conf, t), kpb: user(kpb.name) }),
    ...(opts.lead ? { lead: opts.lead } : {}),
    facts,
    sections: kind === "cancellation" ? [] : [{ heading: t("view.agenda"), items: conf.agenda.map((item) => [{ user: item }]) }],
    note: bot(t("view.confidential")),
  };
}

/**
 * The answer state a message about a conference shows to one agency, as of now: its current answer, and
 * whether the message's answer controls still apply (not when the conference moved since, was cancelled or began).
 * `announced` is what the message said: its start, and its place (undefined when it named none). A place
 * changed since leaves the controls, since answers stand, and says where the conference is now.
 */
export function rsvpStateOf(
  conf: Pick<ConferenceRow, "id" | "number" | "track" | "status" | "startsAt" | "location">,
  partner: { id: number; name: string },
  invitation: { answer: RsvpAnswer | null; deputyName: string | null; reason: string | null } | null,
  announced: { startsAt: Date; place?: string | null },
  now: Date,
  locale: Locale,
): RsvpState {
  const t = translator(locale);
  const answer = invitation?.answer
    ? rich(locale, "rsvpState.answer", { partner: user(partner.name), answer: plainAnswer(locale, invitation) })
    : rich(locale, "rsvpState.none", { partner: user(partner.name) });
  const base = { conferenceId: conf.id, partnerAgencyId: partner.id, startsAt: announced.startsAt.toISOString(), ...(announced.place !== undefined ? { place: announced.place } : {}), answer };
  const title = titleOf(conf, t);
  if (conf.status === "cancelled") return { ...base, state: "closed", note: rich(locale, "rsvpState.cancelled", { title }) };
  if (conf.status === "held" || conf.startsAt.getTime() <= now.getTime()) return { ...base, state: "closed", note: rich(locale, "rsvpState.closed", { title }) };
  if (conf.startsAt.getTime() !== announced.startsAt.getTime())
    return { ...base, state: "moved", note: rich(locale, "rsvpState.moved", { title, when: formatDateTime(conf.startsAt, locale) }) };
  if (announced.place !== undefined && announced.place !== conf.location)
    return { ...base, state: "open", note: rich(locale, "rsvpState.placeChanged", { title, place: conf.location === null ? placeOf(conf, t) : user(conf.location) }) };
  return { ...base, state: "open" };
}

function plainAnswer(locale: Locale, inv: { answer: RsvpAnswer | null; deputyName: string | null; reason: string | null }): UserText {
  // Inside a sentence the deputy's name and the reason stay marked as typed by a user.
  return user(plain(answerLabel(locale, inv.answer, inv.deputyName, inv.reason)));
}
