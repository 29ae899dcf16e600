// Answers from the calendar program: iTIP REPLY mails (RFC 5546/6047) as Outlook, Thunderbird and Apple write
// them, read from raw RFC 5322 messages by the adapter and recorded as the attendee's answer by the core; a
// reply that matches no invitation, or comes from an address that was not invited, changes nothing and is logged.
// Last, the same replies read from the organiser mailbox by imapflow from the small IMAP server of test/support.
import { Writable } from "node:stream";
import { simpleParser } from "mailparser";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmailAdapter } from "../../adapters/email/emailAdapter.ts";
import { MAX_REPLY_BYTES } from "../../adapters/email/imap.ts";
import { readInbound } from "../../adapters/email/inbound.ts";
import { adapterState, createAdapterHost } from "../../src/delivery/host.ts";
import { invitedByEmail, startEmailBot, testEmailAdapter, type EmailBot } from "../support/emailHost.ts";
import type { Harness } from "../support/harness.ts";
import { startImap, type TestImap } from "../support/imapServer.ts";
import type { TestSmtp } from "../support/smtpServer.ts";

let bot: EmailBot;
let smtp: TestSmtp;
let h: Harness;
let email: EmailAdapter;
let uid: string;

function answerOf(partner: string): { answer: string | null; deputy: string | null; reason: string | null } {
  return h.sqlite
    .prepare("SELECT i.answer AS answer, i.deputy_name AS deputy, i.reason AS reason FROM invitations i JOIN partner_agencies p ON p.id = i.partner_agency_id WHERE p.name = ?")
    .get(partner) as { answer: string | null; deputy: string | null; reason: string | null };
}

const crlf = (s: string) => s.replace(/\r?\n/g, "\r\n");

/** Outlook: method=REPLY, base64, no ORGANIZER, the address in capitals. */
function outlook(from: string, attendee: string, partstat: string): Buffer {
  const ics = crlf(`BEGIN:VCALENDAR
METHOD:REPLY
PRODID:Microsoft Exchange Server 2010
VERSION:2.0
BEGIN:VEVENT
ATTENDEE;PARTSTAT=${partstat};CN="Becker, Anna":MAILTO:${attendee.toUpperCase()}
COMMENT;LANGUAGE=de-DE:\\n
SUMMARY;LANGUAGE=de-DE:Angenommen: Sicherheitskonferenz PP Köln 2027
UID:${uid}
SEQUENCE:0
DTSTAMP:20260302T100000Z
END:VEVENT
END:VCALENDAR
`);
  return Buffer.from(
    crlf(`From: "Becker, Anna" <${from}>
To: siko@polizei.example
Subject: Angenommen: Sicherheitskonferenz
Message-ID: <outlook-${partstat}-${from}@sta.example>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="_000_outlook_"

--_000_outlook_
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: base64

${Buffer.from("Angenommen").toString("base64")}

--_000_outlook_
Content-Type: text/calendar; charset="utf-8"; method=REPLY
Content-Transfer-Encoding: base64

${Buffer.from(ics).toString("base64").replace(/(.{76})/g, "$1\r\n")}

--_000_outlook_--
`),
  );
}

/** Thunderbird: method=REPLY, with ORGANIZER, 8bit, and the decline's reason as COMMENT. */
function thunderbird(from: string, partstat: string, comment: string): Buffer {
  return Buffer.from(
    crlf(`From: Bert Jansen <${from}>
To: siko@polizei.example
Subject: =?UTF-8?Q?Abgelehnt=3A_Sicherheitskonferenz?=
Message-ID: <tb-${partstat}@ag.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="------------tb"

--------------tb
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit

Bert Jansen hat Ihre Einladung abgelehnt.
--------------tb
Content-Type: text/calendar; charset=UTF-8; method=REPLY
Content-Transfer-Encoding: 8bit

BEGIN:VCALENDAR
PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN
VERSION:2.0
METHOD:REPLY
BEGIN:VEVENT
UID:${uid}
SEQUENCE:0
ORGANIZER;CN=PP Köln:mailto:siko-pp-koeln@siko-bot.invalid
ATTENDEE;CN=Bert Jansen;PARTSTAT=${partstat};ROLE=REQ-PARTICIPANT:mailto:${from}
COMMENT:${comment}
DTSTAMP:20260302T101500Z
END:VEVENT
END:VCALENDAR

--------------tb--
`),
  );
}

/** Apple Mail: the calendar as an attachment without the method parameter, quoted-printable, folded lines. */
function apple(from: string, partstat: string): Buffer {
  return Buffer.from(
    crlf(`From: Clara =?utf-8?Q?=C3=96zdemir?= <${from}>
Content-Type: multipart/mixed; boundary="Apple-Mail=_1"
Mime-Version: 1.0 (Mac OS X Mail 16.0)
Message-Id: <apple-${partstat}@schulamt.example>
Subject: Einladung: Sicherheitskonferenz

--Apple-Mail=_1
Content-Transfer-Encoding: 7bit
Content-Type: text/plain; charset=us-ascii


--Apple-Mail=_1
Content-Disposition: attachment; filename=iCal-20260302-101500.ics
Content-Type: text/calendar; name="iCal-20260302-101500.ics"
Content-Transfer-Encoding: quoted-printable

BEGIN:VCALENDAR
METHOD:REPLY
VERSION:2.0
PRODID:-//Apple Inc.//macOS 14.0//EN
BEGIN:VEVENT
ATTENDEE;CN=3D"Clara =C3=96zdemir";CUTYPE=3DINDIVIDUAL;EMAIL=3D"${from}";PARTSTAT=3D${partstat}:mailto:${from}
UID:${uid}
DTSTAMP:20260302T101500Z
SEQUENCE:0
END:VEVENT
END:VCALENDAR

--Apple-Mail=_1--
`),
  );
}

beforeAll(async () => {
  bot = await startEmailBot();
  ({ smtp, h, email } = bot);
  await invitedByEmail(h, [
    ["Staatsanwaltschaft Köln", "staatsanwaltschaft", "Anna Becker", "anna@sta.example"],
    ["Amtsgericht Köln", "gericht", "Bert Jansen", "bert@ag.example"],
    ["Schulamt Köln", "schulamt", "Clara Özdemir", "clara@schulamt.example"],
  ]);
  const [mail] = await smtp.waitFor(3);
  const ics = (await simpleParser(mail!.raw)).attachments.find((a) => a.filename?.endsWith(".ics"))!.content.toString("utf8");
  uid = /^UID:(.+?)\r?$/m.exec(ics.replace(/\r?\n[ \t]/g, ""))![1]!;
});
afterAll(() => bot?.close());

describe("a calendar program's REPLY", () => {
  it("from Outlook (no ORGANIZER, base64, the address in capitals) records the acceptance", async () => {
    expect(await email.receiveReply(await readInbound(outlook("anna@sta.example", "anna@sta.example", "ACCEPTED")))).toEqual(["done"]);
    expect(answerOf("Staatsanwaltschaft Köln").answer).toBe("accepted");
  });

  it("from Thunderbird (method=REPLY, 8bit) records the decline with its comment as the reason", async () => {
    expect(await email.receiveReply(await readInbound(thunderbird("bert@ag.example", "DECLINED", "Terminkollision\\, leider")))).toEqual(["done"]);
    expect(answerOf("Amtsgericht Köln")).toMatchObject({ answer: "declined", reason: "Terminkollision, leider" });
  });

  it("from Apple (an attachment without the method parameter, quoted-printable) records the tentative answer", async () => {
    expect(await email.receiveReply(await readInbound(apple("clara@schulamt.example", "TENTATIVE")))).toEqual(["done"]);
    expect(answerOf("Schulamt Köln").answer).toBe("tentative");
  });

  it("replies without a Message-ID are told apart by their content", async () => {
    const withoutId = (raw: Buffer) => Buffer.from(raw.toString("latin1").replace(/^Message-ID: .*\r\n/im, ""), "latin1");
    const first = await readInbound(withoutId(thunderbird("bert@ag.example", "TENTATIVE", "")));
    expect(first.messageId).toBe("");
    expect(await email.receiveReply(first)).toEqual(["done"]);
    expect(answerOf("Amtsgericht Köln").answer).toBe("tentative");
    expect(await email.receiveReply(await readInbound(withoutId(thunderbird("bert@ag.example", "ACCEPTED", ""))))).toEqual(["done"]);
    expect(answerOf("Amtsgericht Köln").answer).toBe("accepted");
    expect(await email.receiveReply(await readInbound(withoutId(thunderbird("bert@ag.example", "ACCEPTED", ""))))).toEqual(["duplicate"]);
  });

  it("the same reply read twice is one answer", async () => {
    const before = h.count("rsvp_log");
    expect(await email.receiveReply(await readInbound(apple("clara@schulamt.example", "TENTATIVE")))).toEqual(["duplicate"]);
    expect(h.count("rsvp_log")).toBe(before);
  });

  it("a delegation (RFC 5546 4.2.5: the delegator DELEGATED-TO, the delegate DELEGATED-FROM) names the deputy", async () => {
    const ics = crlf(`BEGIN:VCALENDAR
PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN
VERSION:2.0
METHOD:REPLY
BEGIN:VEVENT
UID:${uid}
SEQUENCE:0
ORGANIZER;CN=PP Köln:mailto:siko-pp-koeln@siko-bot.invalid
ATTENDEE;CN=Clara Özdemir;PARTSTAT=DELEGATED;DELEGATED-TO="mailto:uenal@schulamt.example":mailto:clara@schulamt.example
ATTENDEE;CN=Deniz Ünal;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;DELEGATED-FROM="mailto:clara@schulamt.example":mailto:uenal@schulamt.example
DTSTAMP:20260302T103000Z
END:VEVENT
END:VCALENDAR
`);
    expect(await email.receiveReply({ from: "clara@schulamt.example", messageId: "<delegation@schulamt.example>", calendars: [ics] })).toEqual(["done"]);
    expect(answerOf("Schulamt Köln")).toMatchObject({ answer: "delegated", deputy: "Deniz Ünal" });
  });

  it("a reply from an address that was not invited, with another From, or for an unknown UID changes nothing", async () => {
    const before = h.dump();
    expect(await email.receiveReply(await readInbound(outlook("mallory@evil.example", "mallory@evil.example", "DECLINED")))).toEqual([
      "ignored: no invitation to this attendee with this UID",
    ]);
    expect(await email.receiveReply(await readInbound(outlook("mallory@evil.example", "anna@sta.example", "DECLINED")))).toEqual(["ignored: From is not the attendee"]);
    const other = outlook("anna@sta.example", "anna@sta.example", "DECLINED").toString("latin1");
    const foreign = Buffer.from(Buffer.from(other.split("base64\r\n\r\n")[2]!.split("\r\n\r\n--")[0]!.replace(/\r\n/g, ""), "base64").toString("utf8").replace(uid, "fremd-123@example"));
    expect(
      await email.receiveReply({ from: "anna@sta.example", messageId: "<x@y>", calendars: [foreign.toString("utf8")] }),
    ).toEqual(["ignored: no invitation to this attendee with this UID"]);
    expect(answerOf("Staatsanwaltschaft Köln").answer).toBe("accepted");
    expect(h.dump()).toEqual(before);
  });
});

describe("reading the organiser mailbox over IMAP", () => {
  /**
   * A mailbox on the test IMAP server (its own UIDVALIDITY, since the cursor per UIDVALIDITY lives in the shared
   * adapter state) and a second e-mail adapter that reads it. The reader shares the bot's state (the invitations it
   * sent) through a host on the same database; `start` begins reading, logging to `logger`.
   */
  async function mailbox(uidValidity: number): Promise<{ imap: TestImap; reader: EmailAdapter; start(logger?: pino.Logger): Promise<void>; close(): Promise<void> }> {
    const imap = await startImap({ user: "siko-pp-koeln", pass: "Imap-Geheim-7", uidValidity });
    const reader = testEmailAdapter(smtp, {
      imap: { host: "127.0.0.1", port: imap.port, secure: false, user: "siko-pp-koeln", pass: "Imap-Geheim-7", mailbox: "INBOX" },
      imapIntervalMs: 3_600_000,
    });
    return {
      imap,
      reader,
      start: (logger = pino({ level: "silent" })) =>
        reader.start(createAdapterHost("email", { db: h.db, clock: h.clock, logger, publicUrl: "http://localhost:3978", worker: h.worker, mount: () => {} }), (e) => h.dispatcher.handle(e)),
      close: async () => {
        await reader.stop();
        await imap.close();
      },
    };
  }

  it("a reply that arrives in the mailbox is read once, and a poll later reads only what is new", async () => {
    const { imap, reader, start, close } = await mailbox(1714);
    try {
      imap.add(Buffer.from("From: someone@example.org\r\nSubject: no calendar\r\n\r\nHallo\r\n"));
      imap.add(outlook("anna@sta.example", "anna@sta.example", "DECLINED"));
      await start();
      await reader.pollReplies();
      expect(answerOf("Staatsanwaltschaft Köln").answer).toBe("declined");
      const fetches = imap.commands.filter((c) => / UID FETCH /i.test(c)).length;
      imap.add(thunderbird("bert@ag.example", "ACCEPTED", "gern"));
      expect(await reader.pollReplies()).toBe(1);
      expect(answerOf("Amtsgericht Köln").answer).toBe("accepted");
      // Two: the sizes of the new messages, then the one new mail.
      expect(imap.commands.filter((c) => / UID FETCH /i.test(c)).length).toBe(fetches + 2);
      // Nothing new (UIDNEXT says so): no FETCH at all.
      expect(await reader.pollReplies()).toBe(0);
      expect(imap.commands.filter((c) => / UID FETCH /i.test(c)).length).toBe(fetches + 2);
      expect(imap.refused).toEqual([]);
      expect(imap.commands.join("\n")).not.toContain("Imap-Geheim-7");
    } finally {
      await close();
    }
  });

  it("a mail too large to be a calendar reply is not downloaded, is logged and passed over; the reply after it is read", async () => {
    const { imap, reader, start, close } = await mailbox(1715);
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({ write: (chunk, _enc, done) => void (lines.push(JSON.parse(String(chunk)) as Record<string, unknown>), done()) });
    try {
      // A REPLY (Anna, tentative: not yet answered so) padded with an attachment beyond the limit.
      const padding = Buffer.alloc(MAX_REPLY_BYTES, 7).toString("base64").replace(/(.{76})/g, "$1\r\n");
      const big = Buffer.from(
        outlook("anna@sta.example", "anna@sta.example", "TENTATIVE")
          .toString("latin1")
          .replace(
            "--_000_outlook_--",
            `--_000_outlook_\r\nContent-Type: application/octet-stream; name="anhang.bin"\r\nContent-Disposition: attachment; filename="anhang.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n${padding}\r\n--_000_outlook_--`,
          ),
        "latin1",
      );
      expect(big.length).toBeGreaterThan(MAX_REPLY_BYTES);
      imap.add(big);
      imap.add(apple("clara@schulamt.example", "ACCEPTED"));
      const [bigUid, replyUid] = imap.messages.map((m) => m.uid);
      await start(pino({ level: "debug" }, sink));
      const read = await reader.pollReplies();
      // The big one: its size asked, its content never.
      const fetches = imap.commands.filter((c) => / UID FETCH /i.test(c));
      expect(fetches.some((c) => /RFC822\.SIZE/i.test(c))).toBe(true);
      expect(fetches.filter((c) => new RegExp(` UID FETCH ${bigUid} .*BODY`, "i").test(c))).toEqual([]);
      expect(fetches.filter((c) => new RegExp(` UID FETCH ${replyUid} .*BODY`, "i").test(c))).toHaveLength(1);
      expect(read).toBe(1);
      expect(answerOf("Staatsanwaltschaft Köln").answer).toBe("declined");
      const skipped = lines.filter((l) => l.msg === "a mail too large to be a calendar reply was skipped");
      expect(skipped).toHaveLength(1);
      expect(skipped[0]).toMatchObject({ level: 40, uid: bigUid, size: big.length });
      expect(JSON.stringify(skipped[0])).not.toMatch(/Angenommen|anhang|anna@/i);
      // The reply after it was taken, and the cursor is past both.
      expect(answerOf("Schulamt Köln").answer).toBe("accepted");
      expect(adapterState(h.db, h.clock, "email").get("imap:INBOX:1715")).toBe(String(replyUid));
      // Passed over for good: the next poll asks for nothing.
      const before = imap.commands.length;
      expect(await reader.pollReplies()).toBe(0);
      expect(imap.commands.slice(before).filter((c) => / UID FETCH /i.test(c))).toEqual([]);
      expect(imap.refused).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe("a REPLY to a version the conference moved away from", () => {
  it("changes nothing; one to the moved date counts", async () => {
    await h.say("verschieben 1 2027-03-22 10:00");
    await h.worker.flush();
    // Thunderbird answering the invitation it still holds for the 15th (DTSTART as sent, in Berlin time).
    const withStart = (raw: Buffer, start: string, id: string) =>
      Buffer.from(raw.toString("utf8").replace("SEQUENCE:0", `SEQUENCE:0\r\nDTSTART;TZID=Europe/Berlin:${start}`).replace(/^Message-ID: .*$/m, `Message-ID: <${id}@ag.example>`), "utf8");
    const before = h.count("rsvp_log");
    expect(await email.receiveReply(await readInbound(withStart(thunderbird("bert@ag.example", "ACCEPTED", ""), "20270315T100000", "old-version")))).toEqual(["refused"]);
    expect(answerOf("Amtsgericht Köln").answer).toBeNull();
    expect(h.count("rsvp_log")).toBe(before);
    expect(await email.receiveReply(await readInbound(withStart(thunderbird("bert@ag.example", "ACCEPTED", ""), "20270322T100000", "new-version")))).toEqual(["done"]);
    expect(answerOf("Amtsgericht Köln").answer).toBe("accepted");
  });
});
