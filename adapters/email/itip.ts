// Reading iCalendar objects with one small line parser (RFC 5545 3.1 unfolding, parameters, quoted values): the
// few properties the adapter needs of what it sends (METHOD, UID, DTEND), and the iTIP REPLY (RFC 5546) that a
// calendar program sends when the invitee presses "Accept" in Outlook, Thunderbird or Apple Calendar: which
// event (UID), who (the ATTENDEE's address) and what (PARTSTAT).
import { DateTime } from "luxon";

export type ReplyAnswer = "accepted" | "declined" | "tentative" | "delegated";

export interface CalendarReply {
  uid: string;
  /** Lower-case address of the replying ATTENDEE. */
  attendee: string;
  answer: ReplyAnswer;
  /** DELEGATED: whom to (CN or address of DELEGATED-TO); DECLINED: the COMMENT, when given. */
  text?: string;
  /** The start of the event as the replying calendar has it (its DTSTART), when given: the version answered. */
  startsAt?: Date;
}

const PARTSTAT: Record<string, ReplyAnswer> = { ACCEPTED: "accepted", DECLINED: "declined", TENTATIVE: "tentative", DELEGATED: "delegated" };

export interface Line {
  name: string;
  params: Map<string, string>;
  value: string;
}

function lines(ics: string): Line[] {
  return ics
    .replace(/\r*\n[ \t]/g, "")
    .split(/\r*\n/)
    .filter(Boolean)
    .map((raw) => {
      // Split name;params:value, with ':' and ';' inside quoted parameter values left alone.
      let i = 0;
      let quoted = false;
      for (; i < raw.length; i++) {
        const c = raw[i];
        if (c === '"') quoted = !quoted;
        else if (c === ":" && !quoted) break;
      }
      const head = raw.slice(0, i);
      const value = raw.slice(i + 1);
      const [name = "", ...rest] = head.match(/(?:[^;"]|"[^"]*")+/g) ?? [];
      const params = new Map<string, string>();
      for (const p of rest) {
        const eq = p.indexOf("=");
        if (eq > 0) params.set(p.slice(0, eq).toUpperCase(), p.slice(eq + 1).replace(/^"(.*)"$/, "$1"));
      }
      return { name: name.toUpperCase(), params, value };
    });
}

function unescapeText(v: string): string {
  return v.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === "n" || c === "N" ? "\n" : c));
}

function addressOf(calAddress: string): string {
  return calAddress.replace(/^mailto:/i, "").trim().toLowerCase();
}

/** The first `name` property of a calendar object (METHOD, UID, DTEND), or undefined. */
export function property(ics: string, name: string): Line | undefined {
  return lines(ics).find((l) => l.name === name);
}

/** When the event of `ics` ends (its DTEND), so answer links and replies expire then; `fallback` when unreadable. */
export function endOf(ics: string | undefined, fallback: Date): Date {
  return (ics && instantOf(property(ics, "DTEND"))) || fallback;
}

/** A DATE-TIME property (UTC, or local with TZID) as an instant; undefined when absent or unreadable. */
function instantOf(line: Line | undefined): Date | undefined {
  const m = line && /^(\d{8}T\d{6})(Z?)$/.exec(line.value.trim());
  if (!m) return undefined;
  const dt = DateTime.fromFormat(m[1]!, "yyyyMMdd'T'HHmmss", { zone: m[2] ? "utc" : (line.params.get("TZID") ?? "utc") });
  return dt.isValid ? dt.toJSDate() : undefined;
}

/**
 * The reply in an iCalendar object, or a reason why there is none (not a REPLY, no single ATTENDEE with a
 * final PARTSTAT). A REPLY carries exactly the replying attendee; Outlook leaves out the ORGANIZER.
 */
export function readReply(ics: string): CalendarReply | { ignored: string } {
  const all = lines(ics);
  const method = all.find((l) => l.name === "METHOD")?.value.trim().toUpperCase();
  if (method !== "REPLY") return { ignored: `method ${method ?? "missing"}` };
  const start = all.findIndex((l) => l.name === "BEGIN" && l.value.toUpperCase() === "VEVENT");
  if (start < 0) return { ignored: "no VEVENT" };
  const end = all.findIndex((l, i) => i > start && l.name === "END" && l.value.toUpperCase() === "VEVENT");
  const event = all.slice(start, end < 0 ? undefined : end);
  const uid = event.find((l) => l.name === "UID")?.value.trim();
  if (!uid) return { ignored: "no UID" };
  // The replying attendee; a delegation reply may also name the delegate (RFC 5546 4.2.5).
  let attendees = event.filter((l) => l.name === "ATTENDEE");
  if (attendees.length > 1) attendees = attendees.filter((l) => l.params.has("DELEGATED-TO"));
  if (attendees.length !== 1) return { ignored: `${attendees.length} replying attendees` };
  const a = attendees[0]!;
  const answer = PARTSTAT[(a.params.get("PARTSTAT") ?? "").toUpperCase()];
  if (!answer) return { ignored: `PARTSTAT ${a.params.get("PARTSTAT") ?? "missing"}` };
  const reply: CalendarReply = { uid, attendee: addressOf(a.value), answer };
  const startsAt = instantOf(event.find((l) => l.name === "DTSTART"));
  if (startsAt) reply.startsAt = startsAt;
  if (answer === "delegated") {
    const to = a.params.get("DELEGATED-TO");
    const delegate = to ? all.find((l) => l.name === "ATTENDEE" && addressOf(l.value) === addressOf(to)) : undefined;
    const name = delegate?.params.get("CN") ?? (to ? addressOf(to) : undefined);
    if (name) reply.text = name;
  }
  if (answer === "declined") {
    const comment = event.find((l) => l.name === "COMMENT")?.value;
    // Outlook writes an empty COMMENT ("\n") when the person typed nothing.
    const reason = comment ? unescapeText(comment).trim().slice(0, 500) : "";
    if (reason) reply.text = reason;
  }
  return reply;
}
