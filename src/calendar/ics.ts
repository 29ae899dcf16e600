// iCalendar text (RFC 5545 / iTIP RFC 5546) for conference invitations, cancellations and the per-KPB feed.
// Pure functions over plain data: no I/O, no clock (the caller passes DTSTAMP), so the same input gives the same file.
//
// Decisions (see also the comments at the functions below):
// - Time zone: DTSTART/DTEND carry TZID=Europe/Berlin with Berlin wall-clock time, computed by luxon from the UTC
//   instant (never from the server's zone), and the file holds a full VTIMEZONE from timezones-ical-library. The
//   generator is given to ical-generator WITHOUT a calendar-wide zone name: with one, ical-generator 10 writes DTSTAMP
//   floating (no `Z`, forbidden by RFC 5545) and adds TIMEZONE-ID/X-WR-TIMEZONE; without one it still emits the
//   VTIMEZONE for every zone used by an event.
// - Escaping: ical-generator escapes TEXT values (`\` `;` `,` and line breaks) but leaves other control characters
//   alone, writes CN params as `"...\"..."` (a `"` ends an RFC 5545 quoted param whatever precedes it), and does not
//   escape NAME/X-WR-CALNAME, UID, PRODID or DELEGATED-TO at all. So every string is cleaned here first (see `cleanText`,
//   `paramText`), addresses must pass `EMAIL_RE`, URLs must be http(s), UIDs must be printable ASCII.
// - Folding: ical-generator 10's foldLines counts UTF-8 octets (TextEncoder per code point, surrogate pairs kept
//   together) and never splits a multi-byte character: lines are at most 75 octets. The tests check every line.
import ical, {
  ICalAlarmType,
  ICalAttendeeRole,
  ICalAttendeeStatus,
  ICalAttendeeType,
  ICalCalendarMethod,
  ICalEventClass,
  ICalEventStatus,
  ICalEventTransparency,
  type ICalCalendar,
  type ICalEvent,
} from "ical-generator";
import { DateTime } from "luxon";
import { tzlib_get_ical_block } from "timezones-ical-library";
import { TIME_ZONE } from "../domain/types.ts";

export interface IcsAttendee {
  contactId: number;
  name: string;
  email?: string | null;
  role: "REQ-PARTICIPANT" | "OPT-PARTICIPANT" | "CHAIR";
  partstat: "NEEDS-ACTION" | "ACCEPTED" | "DECLINED" | "TENTATIVE" | "DELEGATED";
  /** E-mail address of the delegate; written as DELEGATED-TO only when partstat is DELEGATED. */
  delegatedTo?: string | null;
}

export interface IcsConference {
  /** Stable per conference, e.g. "siko-12@siko-bot.polizei.nrw"; printable ASCII without `;` `,` `\`. */
  uid: string;
  /** Incremented by the caller on every partner-visible change (move, place, agenda, cancellation). */
  sequence: number;
  status: "CONFIRMED" | "CANCELLED" | "TENTATIVE";
  summary: string;
  location: string | null;
  /** Topics, written into DESCRIPTION as a numbered list. */
  agenda: string[];
  descriptionIntro?: string;
  /** Heading of the agenda list in DESCRIPTION; default "Tagesordnung". */
  agendaHeading?: string;
  /** Further lines of DESCRIPTION after the agenda (e.g. the reason of a cancellation, who deputises). */
  notes?: string[];
  /**
   * Whether attendees are asked to reply by calendar (RSVP=TRUE, replies go by e-mail to ORGANIZER). Only where
   * those replies are read; default false: calendars then send nothing that would be lost.
   */
  askForReplies?: boolean;
  /** UTC instants; written as Europe/Berlin wall-clock time with TZID. */
  startsAt: Date;
  endsAt: Date;
  organizer: { name: string; email: string };
  attendees: IcsAttendee[];
  /** Minutes before the start for a DISPLAY alarm; default 1440 (a day before); null for none. */
  alarmMinutesBefore?: number | null;
  url?: string | null;
}

export interface IcsProdId {
  company: string;
  product: string;
  language?: string;
}

export interface InvitationOptions {
  method: "REQUEST" | "CANCEL";
  /** DTSTAMP: when this iTIP message was created (the caller's clock). */
  stamp: Date;
  prodId?: IcsProdId;
}

export interface FeedOptions {
  stamp: Date;
  prodId?: IcsProdId;
  /** REFRESH-INTERVAL / X-PUBLISHED-TTL hint for subscribers; default 3600 s, null for none. */
  refreshSeconds?: number | null;
}

export const DEFAULT_PRODID: IcsProdId = { company: "Polizei NRW", product: "siko-bot", language: "DE" };
export const DEFAULT_ALARM_MINUTES = 1440;

// ---------------------------------------------------------------------------------------------------------------
// Text cleaning

// C0 controls except LF (kept as a line break where the field allows one), DEL, C1 controls. TAB becomes a space:
// RFC 5545 allows it in TEXT, but several clients render it inconsistently.
const CONTROL_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F]/g;
// Every line break a client or parser might honour: CRLF, CR, LF, NEL, LINE/PARAGRAPH SEPARATOR, VT, FF.
const BREAK_RE = /\r\n|[\r\n\u0085\u2028\u2029\u000B\u000C]/g;
// Unpaired UTF-16 surrogates cannot be encoded as UTF-8; TextEncoder would silently turn them into U+FFFD anyway.
const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Cleans user text for a TEXT value. Line breaks become "\n" (which ical-generator escapes to the two characters
 * `\n`) when `multiline`, otherwise a single space; all other control characters are removed; the text is put in
 * Unicode NFC so that decomposed umlauts (a + U+0308) arrive as one character.
 */
export function cleanText(input: string, multiline: boolean): string {
  const s = String(input)
    .replace(LONE_SURROGATE_RE, "\uFFFD")
    .normalize("NFC")
    .replace(BREAK_RE, multiline ? "\n" : " ")
    .replace(/\t/g, " ")
    .replace(CONTROL_RE, "");
  return multiline ? s : s.replace(/ {2,}/g, " ").trim();
}

/**
 * A value for a quoted parameter (CN). RFC 5545 has no escape inside a quoted parameter: a `"` always ends it, and
 * ical-generator's `\"` would therefore break the line. `"` becomes `'`; `\` becomes `/` (ical-generator would double
 * it, which clients show literally). `:` `;` `,` are legal inside the quotes and stay.
 */
export function paramText(input: string): string {
  return cleanText(input, false).replace(/"/g, "'").replace(/\\/g, "/");
}

/** TEXT escaping per RFC 5545 3.3.11, for the places where ical-generator writes a value unescaped (NAME). */
export function escapeText(input: string): string {
  return cleanText(input, false).replace(/[\\;,]/g, (m) => "\\" + m);
}

// A conservative addr-spec: ASCII only, no characters that need escaping or quoting in a mailto: URI or a
// cal-address (`;` `,` `"` `:` `\` `%` `?`, spaces). Addresses outside this set are treated as absent.
const EMAIL_RE =
  /^[A-Za-z0-9.!#$&'*+/=^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function validEmail(email: string | null | undefined): string | null {
  if (typeof email !== "string") return null;
  const e = email.trim();
  return e.length <= 254 && EMAIL_RE.test(e) ? e : null;
}

function validUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url.trim());
    if (u.protocol !== "https:" && u.protocol !== "http:") return null;
    // URL is a URI value, not TEXT: ical-generator's TEXT escaping of `;` and `,` would corrupt it, so encode them.
    return u.href.replace(/;/g, "%3B").replace(/,/g, "%2C");
  } catch {
    return null;
  }
}

function checkUid(uid: string): string {
  if (!/^[\x21-\x7E]{1,255}$/.test(uid) || /[;,\\]/.test(uid)) {
    throw new RangeError(`iCalendar UID must be 1-255 printable ASCII characters without ; , \\ : ${JSON.stringify(uid)}`);
  }
  return uid;
}

function checkDate(d: Date, what: string): Date {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new RangeError(`${what} is not a valid date`);
  return d;
}

// ---------------------------------------------------------------------------------------------------------------
// Time zone

let vtimezoneCache: Map<string, string | null> | null = null;

/** VTIMEZONE block from timezones-ical-library (IANA data compiled to RRULEs), cached: it is the same every call. */
function vtimezone(tz: string): string | null {
  vtimezoneCache ??= new Map();
  if (!vtimezoneCache.has(tz)) {
    const block = tzlib_get_ical_block(tz, false);
    const text = Array.isArray(block) ? block[0] : null;
    vtimezoneCache.set(tz, text && text.includes("BEGIN:VTIMEZONE") ? text : null);
  }
  return vtimezoneCache.get(tz) ?? null;
}

function berlin(d: Date): DateTime {
  return DateTime.fromJSDate(d, { zone: TIME_ZONE });
}

// ---------------------------------------------------------------------------------------------------------------
// Building

function newCalendar(method: ICalCalendarMethod, prodId: IcsProdId | undefined): ICalCalendar {
  const p = prodId ?? DEFAULT_PRODID;
  return ical({
    prodId: {
      company: cleanText(p.company, false).replace(/\//g, "-") || "siko-bot",
      product: cleanText(p.product, false).replace(/\//g, "-") || "siko-bot",
      language: (p.language ?? "DE").replace(/[^A-Za-z]/g, "").slice(0, 4).toUpperCase() || "DE",
    },
    method,
    // Generator without a calendar-wide name: see the file comment.
    timezone: { name: null, generator: vtimezone },
  });
}

function description(conf: IcsConference): string {
  const parts: string[] = [];
  const intro = conf.descriptionIntro ? cleanText(conf.descriptionIntro, true).trim() : "";
  if (intro) parts.push(intro);
  const topics = conf.agenda.map((t) => cleanText(t, false)).filter((t) => t.length > 0);
  if (topics.length > 0) {
    const heading = cleanText(conf.agendaHeading ?? "Tagesordnung", false);
    parts.push(`${heading}:\n` + topics.map((t, i) => `${i + 1}. ${t}`).join("\n"));
  }
  const notes = (conf.notes ?? []).map((n) => cleanText(n, false)).filter((n) => n.length > 0);
  if (notes.length > 0) parts.push(notes.join("\n"));
  const url = validUrl(conf.url);
  if (url) parts.push(url);
  return parts.join("\n\n");
}

interface EventOptions {
  stamp: Date;
  method: "REQUEST" | "CANCEL" | "PUBLISH";
}

function addEvent(cal: ICalCalendar, conf: IcsConference, o: EventOptions): ICalEvent {
  const start = checkDate(conf.startsAt, "startsAt");
  const end = checkDate(conf.endsAt, "endsAt");
  if (end.getTime() < start.getTime()) throw new RangeError("endsAt is before startsAt");
  if (!Number.isInteger(conf.sequence) || conf.sequence < 0) throw new RangeError("sequence must be an integer >= 0");

  const status = o.method === "CANCEL" ? "CANCELLED" : conf.status;
  const location = conf.location ? cleanText(conf.location, true).trim() : "";
  const desc = description(conf);
  const event = cal.createEvent({
    id: checkUid(conf.uid),
    sequence: conf.sequence,
    stamp: checkDate(o.stamp, "stamp"),
    // Zoned luxon objects plus the event zone: DTSTART;TZID=Europe/Berlin:<Berlin wall clock>.
    start: berlin(start),
    end: berlin(end),
    timezone: TIME_ZONE,
    summary: cleanText(conf.summary, false),
    location: location || null,
    description: desc || null,
    status: ICalEventStatus[status],
    class: ICalEventClass.CONFIDENTIAL,
    transparency: status === "CANCELLED" ? ICalEventTransparency.TRANSPARENT : ICalEventTransparency.OPAQUE,
    url: validUrl(conf.url),
  });

  const organizerEmail = validEmail(conf.organizer.email);
  if (organizerEmail) {
    event.organizer({ name: paramText(conf.organizer.name) || organizerEmail, email: organizerEmail });
  } else if (o.method !== "PUBLISH") {
    // RFC 5546: ORGANIZER is required in REQUEST and CANCEL, and replies go to it.
    throw new RangeError("the organizer needs a valid e-mail address for an iTIP invitation");
  }

  if (o.method !== "PUBLISH") addAttendees(event, conf.attendees, o.method === "REQUEST" && conf.askForReplies === true);

  const minutes = conf.alarmMinutesBefore === undefined ? DEFAULT_ALARM_MINUTES : conf.alarmMinutesBefore;
  if (status !== "CANCELLED" && minutes !== null && Number.isFinite(minutes) && minutes >= 0) {
    event.createAlarm({
      type: ICalAlarmType.display,
      triggerBefore: Math.round(minutes) * 60,
      description: cleanText(conf.summary, false) || "Sicherheitskonferenz",
    });
  }
  return event;
}

/**
 * One ATTENDEE per attendee that has a usable e-mail address.
 *
 * Attendees without an e-mail address are left out, on purpose: an ATTENDEE value must be a cal-address URI, and
 * the only URI every target client understands there is mailto: (Outlook and Google send the RSVP to it; a
 * urn:/x- URI would show as an attendee nobody can reach, and ical-generator 10 hard-codes `MAILTO:` and throws
 * without an address anyway). Such contacts answer through the bot, and the bot's own records, not this file,
 * are the source of truth for who is invited.
 *
 * Addresses are de-duplicated case-insensitively (first one wins): two ATTENDEE lines for one mailbox make Outlook
 * show the person twice and track only one answer.
 */
function addAttendees(event: ICalEvent, attendees: IcsAttendee[], askForReplies: boolean): void {
  const seen = new Set<string>();
  const usable: { a: IcsAttendee; email: string }[] = [];
  for (const a of attendees) {
    const email = validEmail(a.email);
    if (!email || seen.has(email.toLowerCase())) continue;
    seen.add(email.toLowerCase());
    usable.push({ a, email });
  }
  // delegatee address -> delegator address, for DELEGATED-FROM on the delegate's own line (RFC 5546 3.2.2.3).
  const delegatedFrom = new Map<string, string>();
  for (const { a, email } of usable) {
    const to = a.partstat === "DELEGATED" ? validEmail(a.delegatedTo) : null;
    if (to) delegatedFrom.set(to.toLowerCase(), email);
  }

  for (const { a, email } of usable) {
    const att = event.createAttendee({
      email,
      name: paramText(a.name) || email,
      role: ICalAttendeeRole[a.role === "REQ-PARTICIPANT" ? "REQ" : a.role === "OPT-PARTICIPANT" ? "OPT" : "CHAIR"],
      type: ICalAttendeeType.INDIVIDUAL,
      // RSVP asks the client to send a reply by e-mail: only where it is read (a cancellation expects none).
      rsvp: askForReplies ? true : null,
    });
    const to = a.partstat === "DELEGATED" ? validEmail(a.delegatedTo) : null;
    // ical-generator writes DELEGATED-TO/-FROM as `"<email()>"` unescaped; with the validated address prefixed by
    // mailto: this is the quoted cal-address RFC 5545 3.2.4/3.2.5 asks for.
    if (to) att.delegatedTo({ email: `mailto:${to}` });
    const from = delegatedFrom.get(email.toLowerCase());
    if (from) att.delegatedFrom({ email: `mailto:${from}` });
    // Set last: delegatedTo() would otherwise overwrite the status.
    att.status(ICalAttendeeStatus[a.partstat === "NEEDS-ACTION" ? "NEEDSACTION" : a.partstat]);
  }
}

/**
 * The iTIP message for one conference: METHOD:REQUEST for the invitation and every update (same UID, the caller's
 * higher SEQUENCE), METHOD:CANCEL with STATUS:CANCELLED for a cancellation (attendees listed, as RFC 5546 3.2.5
 * requires when the whole event is cancelled; no RSVP, no alarm).
 */
export function buildInvitation(conf: IcsConference, opts: InvitationOptions): string {
  const method = opts.method === "CANCEL" ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST;
  const cal = newCalendar(method, opts.prodId);
  addEvent(cal, conf, { stamp: opts.stamp, method: opts.method });
  return finish(cal.toString());
}

/**
 * A subscribable calendar (METHOD:PUBLISH) of several conferences, e.g. one KPB's. No ATTENDEE lines: a subscriber
 * cannot answer through a feed, and the feed should not spread the invitation list further than needed.
 * Cancelled conferences that the caller still passes appear with STATUS:CANCELLED.
 */
export function buildFeed(name: string, conferences: IcsConference[], opts: FeedOptions): string {
  const cal = newCalendar(ICalCalendarMethod.PUBLISH, opts.prodId);
  // ical-generator writes NAME and X-WR-CALNAME without escaping, so the value is escaped here.
  const calName = escapeText(name);
  if (calName) cal.name(calName);
  const refresh = opts.refreshSeconds === undefined ? 3600 : opts.refreshSeconds;
  if (refresh !== null && refresh > 0) cal.ttl(Math.round(refresh));
  for (const conf of conferences) addEvent(cal, conf, { stamp: opts.stamp, method: "PUBLISH" });
  return finish(cal.toString());
}

/**
 * The calendar as RFC 5545 has it (icalbody = calprops *component, every content line ending in CRLF):
 * ical-generator writes REFRESH-INTERVAL and X-PUBLISHED-TTL after the VTIMEZONE and no CRLF after
 * END:VCALENDAR, so calendar properties are moved before the first component and the last line is ended.
 */
function finish(text: string): string {
  const lines = text.replace(/\r\n$/, "").split("\r\n");
  const props: string[] = [];
  const components: string[] = [];
  let depth = 0;
  let inProp = false;
  for (const line of lines.slice(1, -1)) {
    // A folded line continues the one before it, wherever that went.
    if (line.startsWith(" ") || line.startsWith("\t")) {
      (inProp ? props : components).push(line);
      continue;
    }
    if (/^BEGIN:/i.test(line)) depth++;
    inProp = depth === 0;
    (inProp ? props : components).push(line);
    if (/^END:/i.test(line)) depth--;
  }
  return [lines[0]!, ...props, ...components, lines[lines.length - 1]!].join("\r\n") + "\r\n";
}

const TRANSLIT: Record<string, string> = { ä: "ae", ö: "oe", ü: "ue", ß: "ss", Ä: "Ae", Ö: "Oe", Ü: "Ue" };

/**
 * A safe attachment name: "<Berlin date>-<summary slug>.ics", ASCII letters, digits and `-` only (no quoting
 * needed in Content-Disposition, valid on every file system), at most 80 characters. A year the summary ends
 * with is left out: the date in front already says it.
 */
export function icsFilename(conf: Pick<IcsConference, "summary" | "startsAt">): string {
  const slug = cleanText(conf.summary ?? "", false)
    .replace(/[äöüßÄÖÜ]/g, (c) => TRANSLIT[c] ?? c)
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  const date =
    conf.startsAt instanceof Date && !Number.isNaN(conf.startsAt.getTime()) ? berlin(conf.startsAt).toISODate() : null;
  const name = date && slug.endsWith(`-${date.slice(0, 4)}`) ? slug.slice(0, -5) : slug;
  const base = [date, name || "sicherheitskonferenz"].filter(Boolean).join("-");
  return `${base}.ics`;
}
