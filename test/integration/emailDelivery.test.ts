// The e-mail channel against a real SMTP server started in the test (smtp-server): what an invited partner's
// mail server receives from the real core through the outbox — an iMIP invitation (RFC 6047) with text, HTML
// and the calendar object, the .ics as an attachment, RFC 2047 headers — and how SMTP answers map to the port.
import ICAL from "ical.js";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmailAdapter } from "../../adapters/email/emailAdapter.ts";
import { NotPosted, PermanentFailure, RetryAfter, type OutboundMessage } from "../../src/port.ts";
import { invitedByEmail } from "../support/emailHost.ts";
import { testHost } from "../support/testHost.ts";
import { startHarness, type Harness } from "../support/harness.ts";
import { parseMime, partsOf, shapeOf } from "../support/mime.ts";
import { startSmtp, type TestSmtp } from "../support/smtpServer.ts";

const FROM = '"Polizeipräsidium Köln – SiKo" <siko@polizei.example>';
const PASSWORD = "Geheim-Passwort-42";
let smtp: TestSmtp;
let h: Harness;

function adapterFor(port: number, pass = PASSWORD): EmailAdapter {
  return new EmailAdapter({ smtp: { host: "127.0.0.1", port, secure: false, requireTLS: false, user: "siko", pass }, from: FROM, timeoutMs: 5_000 });
}

beforeAll(async () => {
  smtp = await startSmtp({ user: "siko", pass: PASSWORD });
  h = startHarness({ adapters: [adapterFor(smtp.port)] });
  await h.ready;
  const invited = await invitedByEmail(
    h,
    [["Staatsanwaltschaft Köln", "staatsanwaltschaft", "Jürgen Müller-Lüdenscheidt", "Juergen.Mueller@StA-Koeln.example"]],
    '2027-03-15 10:00 --dauer 2h --ort "Präsidium <b>Walter-Pauli-Ring</b>"',
  );
  expect(invited).toContain("Jürgen Müller-Lüdenscheidt");
});
afterAll(async () => {
  h?.close();
  await smtp?.close();
});

describe("an invitation by e-mail", () => {
  it("reaches the contact's address (lower case), logged in with the configured account, From the functional mailbox", async () => {
    const [mail] = await smtp.waitFor(1);
    expect(mail!.to).toEqual(["juergen.mueller@sta-koeln.example"]);
    expect(mail!.from).toBe("siko@polizei.example");
    expect(mail!.user).toBe("siko");
  });

  it("is iMIP: multipart/alternative of text, HTML and text/calendar whose method equals the object's METHOD, plus the .ics attached", async () => {
    const [mail] = await smtp.waitFor(1);
    const root = parseMime(mail!.raw);
    expect(shapeOf(root)).toBe("multipart/mixed(multipart/alternative(text/plain,text/html,text/calendar),application/ics)");
    const cal = partsOf(root).find((p) => p.type === "text/calendar")!;
    const object = cal.body.toString("utf8");
    expect(cal.params.get("method")).toBe("REQUEST");
    expect(object).toMatch(/^METHOD:REQUEST\r?$/m);
    const attached = partsOf(root).find((p) => p.type === "application/ics")!;
    expect(attached.headers.get("content-disposition")).toMatch(/^attachment;.*filename=.*\.ics/);
    expect(attached.body.toString("utf8")).toBe(object);
  });

  it("has RFC 2047 encoded umlauts in From and Subject, which a mail parser reads back", async () => {
    const [mail] = await smtp.waitFor(1);
    const root = parseMime(mail!.raw);
    expect(root.headers.get("subject")).toMatch(/=\?UTF-8\?[BQ]\?/i);
    expect(root.headers.get("from")).toMatch(/=\?UTF-8\?[BQ]\?.*<siko@polizei\.example>/i);
    expect(mail!.raw.toString("latin1")).not.toMatch(/[^\x00-\x7f]/);
    const parsed = await simpleParser(mail!.raw);
    expect(parsed.subject).toBe("Einladung: SiKo #1 – PP Köln");
    expect(parsed.from?.value[0]).toEqual({ name: "Polizeipräsidium Köln – SiKo", address: "siko@polizei.example" });
    expect(parsed.messageId).toMatch(/^<[0-9a-f]{40}@polizei\.example>$/);
    expect(parsed.headers.get("auto-submitted")).toBe("auto-generated");
  });

  it("shows what the organiser typed literally in the HTML, and carries a personal answer link", async () => {
    const [mail] = await smtp.waitFor(1);
    const parsed = await simpleParser(mail!.raw);
    const html = String(parsed.html);
    expect(html).toContain("Präsidium &lt;b&gt;Walter-Pauli-Ring&lt;/b&gt;");
    expect(html).not.toContain("<b>Walter");
    expect(parsed.text).toMatch(/https:\/\/siko\.polizei\.example\/antwort\/[A-Za-z0-9_-]{43}|http:\/\/localhost:3978\/antwort\/[A-Za-z0-9_-]{43}/);
  });

  it("reads in plain text as in HTML: the conference's facts and the answer link, no chat command to type; the .ics names the link too", async () => {
    const [mail] = await smtp.waitFor(1);
    const text = String((await simpleParser(mail!.raw)).text);
    expect(text).toContain("Präsidium <b>Walter-Pauli-Ring</b>");
    expect(text).toMatch(/Wann: Mo, 15\.03\.2027, 10:00–12:00 Uhr/);
    expect(text).toContain("Bitte antworten Sie über Ihren persönlichen Link");
    expect(text).not.toMatch(/`(zusage|absage|vorbehalt|vertretung) 1/);
    expect(text).not.toContain("Bitte hier antworten");
    const cal = partsOf(parseMime(mail!.raw)).find((p) => p.type === "text/calendar")!;
    const description = String(new ICAL.Component(ICAL.parse(cal.body.toString("utf8"))).getFirstSubcomponent("vevent")!.getFirstPropertyValue("description"));
    expect(description).toContain("über den persönlichen Link in der Einladungs-E-Mail antworten");
  });

  it("carries a calendar object an independent parser (ical.js) reads: the invitee as ATTENDEE, Europe/Berlin times", async () => {
    const [mail] = await smtp.waitFor(1);
    const cal = partsOf(parseMime(mail!.raw)).find((p) => p.type === "text/calendar")!;
    const comp = new ICAL.Component(ICAL.parse(cal.body.toString("utf8")));
    expect(comp.getFirstPropertyValue("method")).toBe("REQUEST");
    const event = new ICAL.Event(comp.getFirstSubcomponent("vevent")!);
    expect(event.summary).toContain("PP Köln");
    expect(event.startDate.toJSDate().toISOString()).toBe("2027-03-15T09:00:00.000Z");
    const attendees = event.attendees.map((a) => String(a.getFirstValue()).toLowerCase());
    expect(attendees).toContain("mailto:juergen.mueller@sta-koeln.example");
    expect(event.attendees[0]!.getParameter("cn")).toBe("Jürgen Müller-Lüdenscheidt");
  });

  it("a cancellation is iMIP too, with method=CANCEL in the MIME type and the object", async () => {
    await h.say('absagen 1 --ja "Terminkollision"');
    await h.worker.flush();
    const mails = await smtp.waitFor(2);
    const cal = partsOf(parseMime(mails[1]!.raw)).find((p) => p.type === "text/calendar")!;
    expect(cal.params.get("method")).toBe("CANCEL");
    expect(cal.body.toString("utf8")).toMatch(/^METHOD:CANCEL\r?$/m);
    // A cancellation asks for no answer: no link.
    expect((await simpleParser(mails[1]!.raw)).text).not.toContain("/antwort/");
  });
});

describe("SMTP answers as the outbox understands them", () => {
  const msg: OutboundMessage = { text: "Erinnerung: bitte antworten", locale: "de" };

  async function started(port: number, pass = PASSWORD) {
    const adapter = adapterFor(port, pass);
    const host = testHost();
    await adapter.start(host, async () => ({ outcome: "done", replies: [] }));
    return { adapter, host };
  }

  it("the same outbox key gives the same Message-ID, so a resend is recognisable; messages in a row share one connection", async () => {
    const { adapter } = await started(smtp.port);
    const before = smtp.received.length;
    const connections = smtp.connections;
    const a = await adapter.send({ platform: "email", kind: "user", id: "a@example.org" }, msg, "reminder:k=1");
    const b = await adapter.send({ platform: "email", kind: "user", id: "a@example.org" }, msg, "reminder:k=1");
    const c = await adapter.send({ platform: "email", kind: "user", id: "a@example.org" }, msg, "reminder:k=2");
    expect(a.messageId).toBe(b.messageId);
    expect(c.messageId).not.toBe(a.messageId);
    const got = await smtp.waitFor(before + 3);
    const ids = await Promise.all(got.slice(before).map(async (m) => (await simpleParser(m.raw)).messageId));
    expect(ids).toEqual([a.messageId, a.messageId, c.messageId]);
    expect(smtp.connections - connections).toBe(1);
    await adapter.stop();
  });

  it("a kept connection that the server closed meanwhile: the next message goes out on a new one", async () => {
    const { adapter } = await started(smtp.port);
    const before = smtp.received.length;
    await adapter.send({ platform: "email", kind: "user", id: "a@example.org" }, msg, "k:kept-1");
    smtp.hangUp();
    await adapter.send({ platform: "email", kind: "user", id: "a@example.org" }, msg, "k:kept-2");
    expect(await smtp.waitFor(before + 2)).toHaveLength(before + 2);
    await adapter.stop();
  });

  it("5xx for the recipient is permanent, 4xx is retry-after", async () => {
    const { adapter } = await started(smtp.port);
    smtp.refuse.set("gibtsnicht@example.org", 550);
    smtp.refuse.set("grau@example.org", 451);
    await expect(adapter.send({ platform: "email", kind: "user", id: "gibtsnicht@example.org" }, msg, "k:550")).rejects.toBeInstanceOf(PermanentFailure);
    await expect(adapter.send({ platform: "email", kind: "user", id: "grau@example.org" }, msg, "k:451")).rejects.toBeInstanceOf(RetryAfter);
  });

  it("a connection lost after DATA is an unknown outcome (a plain Error), never 'not posted'", async () => {
    const { adapter } = await started(smtp.port);
    smtp.dropAfterData = 1;
    const err = await adapter.send({ platform: "email", kind: "user", id: "b@example.org" }, msg, "k:drop").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    for (const cls of [NotPosted, PermanentFailure, RetryAfter]) expect(err).not.toBeInstanceOf(cls);
  });

  it("no server, or a refused login, proves nothing was posted; the password is in no error and no log line", async () => {
    const closed = await startSmtp();
    const port = closed.port;
    await closed.close();
    const { adapter: down } = await started(port);
    await expect(down.send({ platform: "email", kind: "user", id: "c@example.org" }, msg, "k:down")).rejects.toBeInstanceOf(NotPosted);
    const { adapter: wrong, host } = await started(smtp.port, "falsch-" + PASSWORD);
    const err = (await wrong.send({ platform: "email", kind: "user", id: "c@example.org" }, msg, "k:auth").catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(NotPosted);
    expect(err.message).not.toContain(PASSWORD);
    expect(JSON.stringify(host.lines)).not.toContain(PASSWORD);
    expect(JSON.stringify(host.lines)).toContain("smtp://127.0.0.1");
  });

  it("readiness says whether the SMTP server takes the login, in a few words and without the password", async () => {
    expect(await (await started(smtp.port)).adapter.readiness()).toEqual({ ready: true });
    expect(await (await started(smtp.port, "falsch")).adapter.readiness()).toEqual({ ready: false, detail: "SMTP login refused" });
    const closed = await startSmtp();
    await closed.close();
    const down = await (await started(closed.port)).adapter.readiness();
    expect(down).toMatchObject({ ready: false, detail: expect.stringMatching(/^SMTP not reachable \(E[A-Z]+\)$/) });
  });

  it("probes that come while a readiness check runs share its one SMTP login", async () => {
    const { adapter } = await started(smtp.port);
    const before = smtp.connections;
    const answers = await Promise.all(Array.from({ length: 20 }, () => adapter.readiness()));
    expect(answers.every((a) => a.ready)).toBe(true);
    expect(smtp.connections - before).toBe(1);
  });

  it("a room address or something that is no address is refused for good", async () => {
    const { adapter } = await started(smtp.port);
    await expect(adapter.send({ platform: "email", kind: "room", id: "x@example.org" }, msg, "k:room")).rejects.toBeInstanceOf(PermanentFailure);
    await expect(adapter.send({ platform: "email", kind: "user", id: "keine adresse" }, msg, "k:bad")).rejects.toBeInstanceOf(PermanentFailure);
  });
});
