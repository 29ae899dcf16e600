// Every generated file is read back with ical.js (the parser Thunderbird uses), never with our own code.
import ICAL from "ical.js";
import { DateTime } from "luxon";
import { afterEach, describe, expect, it } from "vitest";
import {
  buildFeed,
  buildInvitation,
  icsFilename,
  type IcsAttendee,
  type IcsConference,
} from "../../src/calendar/ics.ts";

const STAMP = new Date("2027-01-15T10:30:00Z");
const berlin = (iso: string): Date => DateTime.fromISO(iso, { zone: "Europe/Berlin" }).toJSDate();

function attendees(): IcsAttendee[] {
  return [
    { contactId: 1, name: "Anna Ärger", email: "anna@stadt-koeln.de", role: "CHAIR", partstat: "ACCEPTED" },
    { contactId: 2, name: "Bernd Böhm", email: "bernd@polizei.nrw.de", role: "REQ-PARTICIPANT", partstat: "NEEDS-ACTION" },
    { contactId: 3, name: "Clara Çelik", email: "clara@kvb.de", role: "OPT-PARTICIPANT", partstat: "TENTATIVE" },
    { contactId: 4, name: "Dieter Dreß", email: "dieter@ihk.de", role: "REQ-PARTICIPANT", partstat: "DECLINED" },
    {
      contactId: 5,
      name: "Emil Eßer",
      email: "emil@ordnungsamt.de",
      role: "REQ-PARTICIPANT",
      partstat: "DELEGATED",
      delegatedTo: "fritz@ordnungsamt.de",
    },
    { contactId: 6, name: "Fritz Fuß", email: "fritz@ordnungsamt.de", role: "REQ-PARTICIPANT", partstat: "ACCEPTED" },
  ];
}

function conference(over: Partial<IcsConference> = {}): IcsConference {
  return {
    uid: "siko-12@siko-bot.polizei.nrw",
    sequence: 0,
    status: "CONFIRMED",
    summary: "Sicherheitskonferenz PP Köln 2027",
    location: "Polizeipräsidium Köln, Walter-Pauli-Ring 2-6, Raum 1",
    agenda: ["Lagebild Kriminalität", "Sicherheit im ÖPNV", "Verschiedenes"],
    descriptionIntro: "Einladung zur jährlichen Sicherheitskonferenz.",
    startsAt: berlin("2027-03-29T09:00"),
    endsAt: berlin("2027-03-29T12:00"),
    organizer: { name: "PP Köln – Leitungsstab", email: "siko@polizei.nrw.de" },
    attendees: attendees(),
    ...over,
  };
}

interface Parsed {
  cal: ICAL.Component;
  events: ICAL.Component[];
  event: ICAL.Component;
}

/** Parses with ical.js and registers the file's own VTIMEZONEs, so conversions use exactly what we emitted. */
function parse(text: string): Parsed {
  const cal = new ICAL.Component(ICAL.parse(text));
  for (const vtz of cal.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(new ICAL.Timezone(vtz));
  const events = cal.getAllSubcomponents("vevent");
  const event = events[0];
  if (!event) throw new Error("no VEVENT");
  return { cal, events, event };
}

function utcOf(event: ICAL.Component, prop: "dtstart" | "dtend"): string {
  const t = event.getFirstPropertyValue(prop) as ICAL.Time;
  return t.convertToZone(ICAL.Timezone.utcTimezone).toString();
}

function unfoldedLines(text: string): string[] {
  return text.replace(/\r\n[ \t]/g, "").split("\r\n");
}

afterEach(() => ICAL.TimezoneService.reset());

describe("buildInvitation REQUEST", () => {
  const text = buildInvitation(conference(), { method: "REQUEST", stamp: STAMP });

  it("has the calendar properties", () => {
    const { cal } = parse(text);
    expect(cal.getFirstPropertyValue("version")).toBe("2.0");
    expect(cal.getFirstPropertyValue("prodid")).toBe("-//Polizei NRW//siko-bot//DE");
    expect(cal.getFirstPropertyValue("method")).toBe("REQUEST");
    expect(text.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    expect(text).not.toMatch(/\r(?!\n)|(?<!\r)\n/); // CRLF only
  });

  it("has the event properties", () => {
    const { event } = parse(text);
    expect(event.getFirstPropertyValue("uid")).toBe("siko-12@siko-bot.polizei.nrw");
    expect(event.getFirstPropertyValue("sequence")).toBe(0);
    expect(event.getFirstPropertyValue("status")).toBe("CONFIRMED");
    expect(event.getFirstPropertyValue("class")).toBe("CONFIDENTIAL");
    expect(event.getFirstPropertyValue("summary")).toBe("Sicherheitskonferenz PP Köln 2027");
    expect(event.getFirstPropertyValue("location")).toBe("Polizeipräsidium Köln, Walter-Pauli-Ring 2-6, Raum 1");
    expect(event.getFirstPropertyValue("description")).toBe(
      "Einladung zur jährlichen Sicherheitskonferenz.\n\nTagesordnung:\n" +
        "1. Lagebild Kriminalität\n2. Sicherheit im ÖPNV\n3. Verschiedenes",
    );
  });

  it("writes DTSTAMP in UTC with Z", () => {
    const { event } = parse(text);
    const line = unfoldedLines(text).find((l) => l.startsWith("DTSTAMP"));
    expect(line).toBe("DTSTAMP:20270115T103000Z");
    const stamp = event.getFirstPropertyValue("dtstamp") as ICAL.Time;
    expect(stamp.zone).toBe(ICAL.Timezone.utcTimezone);
    expect(stamp.toJSDate().toISOString()).toBe(STAMP.toISOString());
  });

  it("writes DTSTART/DTEND with TZID=Europe/Berlin and Berlin wall-clock time", () => {
    const lines = unfoldedLines(text);
    expect(lines).toContain("DTSTART;TZID=Europe/Berlin:20270329T090000");
    expect(lines).toContain("DTEND;TZID=Europe/Berlin:20270329T120000");
  });

  it("has a full VTIMEZONE for Europe/Berlin with STANDARD and DAYLIGHT", () => {
    const { cal } = parse(text);
    const tzs = cal.getAllSubcomponents("vtimezone");
    expect(tzs).toHaveLength(1);
    const tz = tzs[0]!;
    expect(tz.getFirstPropertyValue("tzid")).toBe("Europe/Berlin");
    const std = tz.getFirstSubcomponent("standard");
    const dst = tz.getFirstSubcomponent("daylight");
    expect(std?.getFirstPropertyValue("tzoffsetto")?.toString()).toBe("+01:00");
    expect(dst?.getFirstPropertyValue("tzoffsetto")?.toString()).toBe("+02:00");
    expect(std?.hasProperty("rrule")).toBe(true);
    expect(dst?.hasProperty("rrule")).toBe(true);
    // no calendar-wide zone: that is what made ical-generator write DTSTAMP floating
    expect(text).not.toContain("X-WR-TIMEZONE");
    expect(text).not.toContain("TIMEZONE-ID");
  });

  it("asks calendars for no reply unless replies are read (RSVP=TRUE only with askForReplies)", () => {
    for (const p of parse(text).event.getAllProperties("attendee")) expect(p.getParameter("rsvp")).toBeUndefined();
    const asking = parse(buildInvitation(conference({ askForReplies: true }), { method: "REQUEST", stamp: STAMP })).event;
    for (const p of asking.getAllProperties("attendee")) expect(p.getParameter("rsvp")).toBe("TRUE");
  });

  it("ends the last line, END:VCALENDAR, with CRLF", () => {
    expect(text.endsWith("END:VCALENDAR\r\n")).toBe(true);
  });

  it("has ORGANIZER with CN and one ATTENDEE per contact with CN, ROLE, PARTSTAT, CUTYPE", () => {
    const { event } = parse(text);
    const org = event.getFirstProperty("organizer")!;
    expect(org.getFirstValue()).toBe("mailto:siko@polizei.nrw.de");
    expect(org.getParameter("cn")).toBe("PP Köln – Leitungsstab");

    const atts = event.getAllProperties("attendee");
    expect(atts).toHaveLength(6);
    const byMail = new Map(atts.map((p) => [String(p.getFirstValue()).toLowerCase(), p]));
    for (const a of attendees()) {
      const p = byMail.get(`mailto:${a.email}`);
      expect(p, a.name).toBeDefined();
      expect(p!.getParameter("cn")).toBe(a.name);
      expect(p!.getParameter("role")).toBe(a.role);
      expect(p!.getParameter("partstat")).toBe(a.partstat);
      expect(p!.getParameter("cutype")).toBe("INDIVIDUAL");
    }
    expect(byMail.get("mailto:emil@ordnungsamt.de")!.getParameter("delegated-to")).toBe("mailto:fritz@ordnungsamt.de");
    expect(byMail.get("mailto:fritz@ordnungsamt.de")!.getParameter("delegated-from")).toBe("mailto:emil@ordnungsamt.de");
  });

  it("has a DISPLAY alarm a day before by default", () => {
    const { event } = parse(text);
    const alarms = event.getAllSubcomponents("valarm");
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.getFirstPropertyValue("action")).toBe("DISPLAY");
    expect(alarms[0]!.getFirstPropertyValue("trigger")?.toString()).toBe("-P1D");
    expect(alarms[0]!.getFirstPropertyValue("description")).toBe("Sicherheitskonferenz PP Köln 2027");

    const custom = parse(buildInvitation(conference({ alarmMinutesBefore: 90 }), { method: "REQUEST", stamp: STAMP }));
    expect(custom.event.getFirstSubcomponent("valarm")!.getFirstPropertyValue("trigger")?.toString()).toBe("-PT1H30M");
    const none = parse(buildInvitation(conference({ alarmMinutesBefore: null }), { method: "REQUEST", stamp: STAMP }));
    expect(none.event.getAllSubcomponents("valarm")).toHaveLength(0);
  });

  it("keeps every line at 75 octets or fewer, CRLF-terminated", () => {
    for (const line of text.split("\r\n")) expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
  });
});

describe("updates and cancellation", () => {
  const original = buildInvitation(conference(), { method: "REQUEST", stamp: STAMP });
  const moved = buildInvitation(
    conference({ sequence: 1, startsAt: berlin("2027-04-12T10:00"), endsAt: berlin("2027-04-12T13:00") }),
    { method: "REQUEST", stamp: new Date("2027-02-01T08:00:00Z") },
  );
  const cancelled = buildInvitation(conference({ sequence: 2 }), { method: "CANCEL", stamp: new Date("2027-03-01T08:00:00Z") });

  it("a moved conference keeps its UID and has a higher SEQUENCE", () => {
    const a = parse(original).event;
    const b = parse(moved).event;
    expect(b.getFirstPropertyValue("uid")).toBe(a.getFirstPropertyValue("uid"));
    expect(b.getFirstPropertyValue("sequence")).toBe(1);
    expect(Number(b.getFirstPropertyValue("sequence"))).toBeGreaterThan(Number(a.getFirstPropertyValue("sequence")));
    expect(utcOf(b, "dtstart")).toBe("2027-04-12T08:00:00Z");
    expect(parse(moved).cal.getFirstPropertyValue("method")).toBe("REQUEST");
  });

  it("the cancellation is METHOD:CANCEL, STATUS:CANCELLED, same UID, higher SEQUENCE, attendees listed", () => {
    const { cal, event } = parse(cancelled);
    expect(cal.getFirstPropertyValue("method")).toBe("CANCEL");
    expect(event.getFirstPropertyValue("status")).toBe("CANCELLED");
    expect(event.getFirstPropertyValue("uid")).toBe("siko-12@siko-bot.polizei.nrw");
    expect(event.getFirstPropertyValue("sequence")).toBe(2);
    expect(event.getFirstProperty("organizer")?.getFirstValue()).toBe("mailto:siko@polizei.nrw.de");
    expect(event.getAllProperties("attendee")).toHaveLength(6);
    expect(event.getAllSubcomponents("valarm")).toHaveLength(0);
    // a cancellation expects no reply
    for (const p of event.getAllProperties("attendee")) expect(p.getParameter("rsvp")).toBeUndefined();
  });

  it("STATUS:CANCELLED is forced by METHOD:CANCEL whatever status the caller passed", () => {
    const { event } = parse(cancelled);
    expect(conference().status).toBe("CONFIRMED");
    expect(event.getFirstPropertyValue("status")).toBe("CANCELLED");
  });
});

describe("time zone", () => {
  it("09:00 Berlin on 2027-03-29 (summer time) is 07:00 UTC", () => {
    const start = DateTime.fromObject({ year: 2027, month: 3, day: 29, hour: 9 }, { zone: "Europe/Berlin" });
    const conf = conference({ startsAt: start.toJSDate(), endsAt: start.plus({ hours: 3 }).toJSDate() });
    const { event } = parse(buildInvitation(conf, { method: "REQUEST", stamp: STAMP }));
    expect(utcOf(event, "dtstart")).toBe("2027-03-29T07:00:00Z");
    expect(utcOf(event, "dtend")).toBe("2027-03-29T10:00:00Z");
  });

  it("09:00 Berlin on 2027-10-31 (winter time) is 08:00 UTC", () => {
    const start = DateTime.fromObject({ year: 2027, month: 10, day: 31, hour: 9 }, { zone: "Europe/Berlin" });
    const conf = conference({ startsAt: start.toJSDate(), endsAt: start.plus({ hours: 3 }).toJSDate() });
    const text = buildInvitation(conf, { method: "REQUEST", stamp: STAMP });
    expect(unfoldedLines(text)).toContain("DTSTART;TZID=Europe/Berlin:20271031T090000");
    const { event } = parse(text);
    expect(utcOf(event, "dtstart")).toBe("2027-10-31T08:00:00Z");
  });

  it("does not depend on the process time zone (vitest runs with TZ=UTC)", () => {
    expect(new Date(2027, 0, 1).getTimezoneOffset()).toBe(0);
  });
});

describe("escaping of user text", () => {
  const evil = 'Raum 1\r\nATTENDEE:mailto:x@evil';

  it("a place with CRLF cannot add an attendee; the location round-trips as text", () => {
    const text = buildInvitation(conference({ location: evil }), { method: "REQUEST", stamp: STAMP });
    const { event } = parse(text);
    expect(event.getAllProperties("attendee")).toHaveLength(6);
    expect(event.getAllProperties("attendee").map((p) => p.getFirstValue())).not.toContain("mailto:x@evil");
    expect(event.getFirstPropertyValue("location")).toBe("Raum 1\nATTENDEE:mailto:x@evil");
    expect(unfoldedLines(text).filter((l) => l.startsWith("ATTENDEE"))).toHaveLength(6);
  });

  it("agenda topics, intro, summary and names with ; , \\ and line breaks stay inside their property", () => {
    const conf = conference({
      summary: "Konferenz\r\nMETHOD:PUBLISH",
      descriptionIntro: "Zeile 1\rZeile 2\u2028END:VEVENT",
      agenda: ["A; B, C \\ D", "E\nDTSTART:19990101T000000Z", "F\u0000\u0007\u001b[31mG\u007f"],
      attendees: [
        { contactId: 1, name: 'Eve "X";ROLE=CHAIR:mailto:e@evil', email: "eve@x.de", role: "OPT-PARTICIPANT", partstat: "NEEDS-ACTION" },
        { contactId: 2, name: "Zoë\r\nATTENDEE:mailto:z@evil", email: "zoe@x.de", role: "REQ-PARTICIPANT", partstat: "NEEDS-ACTION" },
      ],
      organizer: { name: 'Org"; X', email: "org@x.de" },
    });
    const text = buildInvitation(conf, { method: "REQUEST", stamp: STAMP });
    const { cal, events, event } = parse(text);
    expect(cal.getAllProperties("method")).toHaveLength(1);
    expect(cal.getFirstPropertyValue("method")).toBe("REQUEST");
    expect(events).toHaveLength(1);
    expect(event.getAllProperties("dtstart")).toHaveLength(1);
    expect(event.getFirstPropertyValue("summary")).toBe("Konferenz METHOD:PUBLISH");
    expect(event.getFirstPropertyValue("description")).toBe(
      "Zeile 1\nZeile 2\nEND:VEVENT\n\nTagesordnung:\n1. A; B, C \\ D\n2. E DTSTART:19990101T000000Z\n3. F[31mG",
    );
    const atts = event.getAllProperties("attendee");
    expect(atts.map((p) => String(p.getFirstValue()).toLowerCase())).toEqual(["mailto:eve@x.de", "mailto:zoe@x.de"]);
    expect(atts[0]!.getParameter("cn")).toBe("Eve 'X';ROLE=CHAIR:mailto:e@evil");
    expect(atts[0]!.getParameter("role")).toBe("OPT-PARTICIPANT");
    expect(atts[1]!.getParameter("cn")).toBe("Zoë ATTENDEE:mailto:z@evil");
    expect(event.getFirstProperty("organizer")!.getParameter("cn")).toBe("Org'; X");
    // no raw control characters anywhere except the CRLF line ends
    expect(text.replace(/\r\n/g, "")).not.toMatch(/[\u0000-\u0008\u000A-\u001F\u007F]/);
  });

  it("umlauts and emoji round-trip, and folding never splits a UTF-8 sequence", () => {
    const topic = "Straßenverkehr: Ärger über Öffnungszeiten und Überfälle 🚓👮‍♀️ ".repeat(4).trim();
    const conf = conference({ summary: "Sicherheitskonferenz äöüß ÄÖÜ 🚨 ".repeat(5).trim(), agenda: [topic], location: "Münster – Präsidium 🏢" });
    const text = buildInvitation(conf, { method: "REQUEST", stamp: STAMP });
    const lines = text.split("\r\n");
    for (const line of lines) {
      const bytes = Buffer.from(line, "utf8");
      expect(bytes.length).toBeLessThanOrEqual(75);
      // decoding the physical line alone gives no replacement character: no split inside a character
      expect(bytes.toString("utf8")).not.toContain("\uFFFD");
    }
    expect(lines.some((l) => l.startsWith(" "))).toBe(true); // folding did happen
    const { event } = parse(text);
    expect(event.getFirstPropertyValue("summary")).toBe(conf.summary);
    expect(event.getFirstPropertyValue("location")).toBe("Münster – Präsidium 🏢");
    expect(event.getFirstPropertyValue("description")).toContain(`1. ${topic}`);
  });

  it("decomposed umlauts are normalised to NFC", () => {
    const { event } = parse(buildInvitation(conference({ location: "Ko\u0308ln" }), { method: "REQUEST", stamp: STAMP }));
    expect(event.getFirstPropertyValue("location")).toBe("Köln");
  });
});

describe("attendees without a usable e-mail address", () => {
  it("are left out; duplicates by address are written once", () => {
    const list: IcsAttendee[] = [
      { contactId: 1, name: "Mit Mail", email: "a@x.de", role: "REQ-PARTICIPANT", partstat: "ACCEPTED" },
      { contactId: 2, name: "Ohne Mail", email: null, role: "REQ-PARTICIPANT", partstat: "NEEDS-ACTION" },
      { contactId: 3, name: "Leer", email: "", role: "REQ-PARTICIPANT", partstat: "NEEDS-ACTION" },
      { contactId: 4, name: "Kaputt", email: "a@x.de\r\nATTENDEE:mailto:x@evil", role: "REQ-PARTICIPANT", partstat: "NEEDS-ACTION" },
      { contactId: 5, name: "Semikolon", email: "b;c@x.de", role: "REQ-PARTICIPANT", partstat: "NEEDS-ACTION" },
      { contactId: 6, name: "Doppelt", email: "A@X.DE", role: "OPT-PARTICIPANT", partstat: "NEEDS-ACTION" },
    ];
    const { event } = parse(buildInvitation(conference({ attendees: list }), { method: "REQUEST", stamp: STAMP }));
    const atts = event.getAllProperties("attendee");
    expect(atts).toHaveLength(1);
    expect(atts[0]!.getParameter("cn")).toBe("Mit Mail");
  });

  it("an organizer without a valid address is refused for an iTIP message", () => {
    expect(() =>
      buildInvitation(conference({ organizer: { name: "X", email: "kein-mail" } }), { method: "REQUEST", stamp: STAMP }),
    ).toThrow(RangeError);
  });
});

describe("input checks", () => {
  it("rejects a UID that could break the line, a negative sequence, and an end before the start", () => {
    expect(() => buildInvitation(conference({ uid: "a\r\nX:y" }), { method: "REQUEST", stamp: STAMP })).toThrow(RangeError);
    expect(() => buildInvitation(conference({ sequence: -1 }), { method: "REQUEST", stamp: STAMP })).toThrow(RangeError);
    expect(() =>
      buildInvitation(conference({ endsAt: berlin("2027-03-29T08:00") }), { method: "REQUEST", stamp: STAMP }),
    ).toThrow(RangeError);
  });

  it("writes an http(s) URL as URI and drops anything else", () => {
    const ok = parse(buildInvitation(conference({ url: "https://siko.example/k/12?a=1;b,2" }), { method: "REQUEST", stamp: STAMP }));
    expect(ok.event.getFirstPropertyValue("url")).toBe("https://siko.example/k/12?a=1%3Bb%2C2");
    const bad = parse(buildInvitation(conference({ url: "javascript:alert(1)" }), { method: "REQUEST", stamp: STAMP }));
    expect(bad.event.hasProperty("url")).toBe(false);
  });
});

describe("buildFeed", () => {
  const confs = Array.from({ length: 5 }, (_, i) =>
    conference({
      uid: `siko-${i + 1}@siko-bot.polizei.nrw`,
      sequence: i,
      summary: `Sicherheitskonferenz Nr. ${i + 1}`,
      startsAt: berlin(`2027-0${i + 1}-10T09:00`),
      endsAt: berlin(`2027-0${i + 1}-10T12:00`),
      status: i === 4 ? "CANCELLED" : "CONFIRMED",
    }),
  );
  const text = buildFeed("PP Köln; Sicherheitskonferenzen, intern\r\nX-EVIL:1", confs, { stamp: STAMP });

  it("writes every calendar property before the first component (RFC 5545 icalbody) and ends with CRLF", () => {
    const lines = text.split("\r\n");
    const firstComponent = lines.findIndex((l, i) => i > 0 && l.startsWith("BEGIN:"));
    for (const prop of ["REFRESH-INTERVAL", "X-PUBLISHED-TTL", "NAME", "X-WR-CALNAME", "METHOD"])
      expect(lines.findIndex((l) => l.startsWith(prop)), prop).toBeLessThan(firstComponent);
    expect(text.endsWith("END:VCALENDAR\r\n")).toBe(true);
  });

  it("parses to one VEVENT per conference, METHOD:PUBLISH, no attendees, one VTIMEZONE", () => {
    const { cal, events } = parse(text);
    expect(cal.getFirstPropertyValue("method")).toBe("PUBLISH");
    expect(events).toHaveLength(5);
    expect(events.map((e) => e.getFirstPropertyValue("uid"))).toEqual(confs.map((c) => c.uid));
    expect(events.map((e) => e.getFirstPropertyValue("sequence"))).toEqual([0, 1, 2, 3, 4]);
    expect(events[4]!.getFirstPropertyValue("status")).toBe("CANCELLED");
    for (const e of events) {
      expect(e.getAllProperties("attendee")).toHaveLength(0);
      expect(e.getFirstPropertyValue("class")).toBe("CONFIDENTIAL");
      expect(e.getFirstProperty("organizer")?.getFirstValue()).toBe("mailto:siko@polizei.nrw.de");
    }
    expect(cal.getAllSubcomponents("vtimezone")).toHaveLength(1);
    // January is winter time, May summer time
    expect(utcOf(events[0]!, "dtstart")).toBe("2027-01-10T08:00:00Z");
    expect(utcOf(events[4]!, "dtstart")).toBe("2027-05-10T07:00:00Z");
  });

  it("escapes the calendar name (ical-generator writes it raw)", () => {
    const { cal } = parse(text);
    expect(cal.hasProperty("x-evil")).toBe(false);
    // ical.js knows neither NAME (RFC 7986) nor X-WR-CALNAME and hands back the raw value: it is RFC 5545 TEXT
    // escaped on one line, and unescapes to the name with the line break flattened.
    for (const prop of ["name", "x-wr-calname"]) {
      const raw = String(cal.getFirstPropertyValue(prop));
      expect(raw).toBe("PP Köln\\; Sicherheitskonferenzen\\, intern X-EVIL:1");
      expect(raw.replace(/\\([\\;,])/g, "$1")).toBe("PP Köln; Sicherheitskonferenzen, intern X-EVIL:1");
    }
    expect(unfoldedLines(text).filter((l) => l.startsWith("X-EVIL"))).toHaveLength(0);
  });

  it("has DTSTAMP with Z and short lines", () => {
    for (const l of unfoldedLines(text).filter((x) => x.startsWith("DTSTAMP"))) expect(l).toMatch(/^DTSTAMP:\d{8}T\d{6}Z$/);
    for (const line of text.split("\r\n")) expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
  });

  it("an empty feed is still a valid calendar", () => {
    const { cal } = (() => {
      const c = new ICAL.Component(ICAL.parse(buildFeed("Leer", [], { stamp: STAMP })));
      return { cal: c };
    })();
    expect(cal.getAllSubcomponents("vevent")).toHaveLength(0);
    expect(cal.getFirstPropertyValue("method")).toBe("PUBLISH");
  });
});

describe("icsFilename", () => {
  it("is an ASCII slug with the Berlin date", () => {
    // The summary's year is not repeated after the date.
    expect(icsFilename(conference())).toBe("2027-03-29-sicherheitskonferenz-pp-koeln.ics");
    // 23:30 UTC on 31 Dec is already 1 Jan in Berlin
    expect(icsFilename({ summary: '../../etc/passwd"\r\n', startsAt: new Date("2026-12-31T23:30:00Z") })).toBe(
      "2027-01-01-etc-passwd.ics",
    );
    expect(icsFilename({ summary: "🚨", startsAt: new Date("2027-05-01T10:00:00Z") })).toBe(
      "2027-05-01-sicherheitskonferenz.ics",
    );
  });
});
