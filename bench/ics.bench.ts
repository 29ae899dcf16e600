// Cost of our iCalendar layer (cleaning, validation, escaping) relative to bare ical-generator serialising the
// same events, both measured in the same run so the ratio does not depend on the machine.
// Run alone: npx tsx bench/ics.bench.ts
import ical, {
  ICalAlarmType,
  ICalAttendeeRole,
  ICalAttendeeStatus,
  ICalAttendeeType,
  ICalCalendarMethod,
  ICalEventClass,
  ICalEventStatus,
  type ICalEventData,
} from "ical-generator";
import { DateTime } from "luxon";
import { tzlib_get_ical_block } from "timezones-ical-library";
import { buildFeed, buildInvitation, type IcsAttendee, type IcsConference } from "../src/calendar/ics.ts";
import { cpuMs, paired, report, runIfMain, type Paired } from "./support.ts";

const ZONE = "Europe/Berlin";
const STAMP = new Date("2027-01-15T10:30:00Z");

function makeConference(i: number, attendeeCount: number): IcsConference {
  const start = DateTime.fromObject({ year: 2027, month: 1 + (i % 12), day: 1 + (i % 28), hour: 9 }, { zone: ZONE });
  const attendees: IcsAttendee[] = Array.from({ length: attendeeCount }, (_, k) => ({
    contactId: k + 1,
    name: `Kontakt ${k + 1} Müller-Lüdenscheidt, Ordnungsamt`,
    email: `kontakt${k + 1}@behoerde-${k % 7}.nrw.de`,
    role: k === 0 ? "CHAIR" : k % 5 === 0 ? "OPT-PARTICIPANT" : "REQ-PARTICIPANT",
    partstat: (["NEEDS-ACTION", "ACCEPTED", "DECLINED", "TENTATIVE"] as const)[k % 4]!,
  }));
  return {
    uid: `siko-${i}@siko-bot.polizei.nrw`,
    sequence: i % 4,
    status: "CONFIRMED",
    summary: `Sicherheitskonferenz PP Köln ${2027 + (i % 3)} – Sitzung ${i}`,
    location: "Polizeipräsidium Köln, Walter-Pauli-Ring 2-6, Großer Sitzungssaal",
    agenda: [
      "Begrüßung und Lagebild",
      "Sicherheit im ÖPNV; Ergebnisse der Schwerpunktkontrollen",
      "Wohnungseinbruch, Prävention und Beratung",
      "Verschiedenes",
    ],
    descriptionIntro: "Einladung zur Sicherheitskonferenz der Kreispolizeibehörde.",
    startsAt: start.toJSDate(),
    endsAt: start.plus({ hours: 3 }).toJSDate(),
    organizer: { name: "PP Köln – Leitungsstab", email: "siko@polizei.nrw.de" },
    attendees,
    alarmMinutesBefore: 1440,
  };
}

// ---- baseline: the same events through bare ical-generator, no cleaning or validation --------------------------

const tzCache = new Map<string, string>();
function baselineTz(tz: string): string {
  let v = tzCache.get(tz);
  if (v === undefined) {
    v = (tzlib_get_ical_block(tz, false) as string[])[0] ?? "";
    tzCache.set(tz, v);
  }
  return v;
}

function baselineEvent(c: IcsConference, withAttendees: boolean): ICalEventData {
  return {
    id: c.uid,
    sequence: c.sequence,
    stamp: STAMP,
    start: DateTime.fromJSDate(c.startsAt, { zone: ZONE }),
    end: DateTime.fromJSDate(c.endsAt, { zone: ZONE }),
    timezone: ZONE,
    summary: c.summary,
    location: c.location,
    description: `${c.descriptionIntro}\n\nTagesordnung:\n` + c.agenda.map((t, i) => `${i + 1}. ${t}`).join("\n"),
    status: ICalEventStatus.CONFIRMED,
    class: ICalEventClass.CONFIDENTIAL,
    organizer: c.organizer,
    attendees: withAttendees
      ? c.attendees.map((a) => ({
          email: a.email ?? "",
          name: a.name,
          role: a.role as ICalAttendeeRole,
          status: a.partstat as ICalAttendeeStatus,
          rsvp: true,
          type: ICalAttendeeType.INDIVIDUAL,
        }))
      : [],
    alarms: [{ type: ICalAlarmType.display, triggerBefore: (c.alarmMinutesBefore ?? 1440) * 60 }],
  };
}

function baseline(method: ICalCalendarMethod, confs: IcsConference[], withAttendees: boolean): string {
  return ical({
    prodId: { company: "Polizei NRW", product: "siko-bot", language: "DE" },
    method,
    timezone: { name: null, generator: baselineTz },
    events: confs.map((c) => baselineEvent(c, withAttendees)),
  }).toString();
}

// ---- timing ----------------------------------------------------------------------------------------------------

function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

let sink = 0; // keeps results observable so the work is not optimised away

function timeRound(fn: () => string, iters: number): number {
  const t0 = nowMs();
  for (let i = 0; i < iters; i++) sink += fn().length;
  return (nowMs() - t0) / iters;
}

/**
 * Warm-up, then paired rounds: ours and the baseline in turns (the order flips each round, so drift hits both),
 * and the ratio taken per round from CPU time — never a ratio of two medians measured apart.
 */
async function compare(ours: () => string, base: () => string, rounds: number, roundMs: number): Promise<Paired> {
  const warm = nowMs();
  let n = 0;
  while (nowMs() - warm < roundMs * 2 || n < 3) {
    sink += ours().length + base().length;
    n++;
  }
  const iters = Math.max(1, Math.round(roundMs / ((nowMs() - warm) / n / 2)));
  const repeat = (fn: () => string) => () => cpuMs(() => void timeRound(fn, iters));
  return paired(rounds, repeat(base), repeat(ours));
}

function countEvents(s: string): number {
  return s.split("BEGIN:VEVENT").length - 1;
}

export async function run(): Promise<void> {
  // (a) REQUEST of one conference with 60 attendees
  const one = makeConference(1, 60);
  const req = () => buildInvitation(one, { method: "REQUEST", stamp: STAMP });
  const reqBase = () => baseline(ICalCalendarMethod.REQUEST, [one], true);
  if ((req().match(/^ATTENDEE/gm) ?? []).length !== 60 || (reqBase().match(/^ATTENDEE/gm) ?? []).length !== 60) {
    throw new Error("bench setup: expected 60 ATTENDEE lines in both outputs");
  }
  report("ics request (60 attendees) vs bare ical-generator", await compare(req, reqBase, 15, 40));

  // (b) feed of 1,000 conferences (no attendees in a feed, so none in the baseline either)
  const many = Array.from({ length: 1000 }, (_, i) => makeConference(i, 0));
  const feed = () => buildFeed("PP Köln – Sicherheitskonferenzen", many, { stamp: STAMP, refreshSeconds: null });
  const feedBase = () => baseline(ICalCalendarMethod.PUBLISH, many, false);
  if (countEvents(feed()) !== 1000 || countEvents(feedBase()) !== 1000) {
    throw new Error("bench setup: expected 1000 VEVENTs in both outputs");
  }
  report("ics feed (1000 conferences) vs bare ical-generator", await compare(feed, feedBase, 7, 300));

  if (sink === 0) console.log("(no output)");
}

runIfMain(import.meta.url, run);
