// The calendar objects in an incoming mail: every text/calendar part, with or without the method parameter
// (Apple leaves it out), and .ics attachments however they are typed; plus the From address. The MIME work
// (multipart, transfer encodings, header folding, encoded words) is mailparser's.
import { simpleParser } from "mailparser";

export interface InboundMail {
  from: string;
  messageId: string;
  calendars: string[];
}

export async function readInbound(raw: Buffer): Promise<InboundMail> {
  const mail = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true });
  const from = (mail.from?.value[0]?.address ?? "").trim().toLowerCase();
  const calendars = mail.attachments
    .filter((a) => a.contentType === "text/calendar" || a.contentType === "application/ics" || /\.ics$/i.test(a.filename ?? ""))
    .map((a) => a.content.toString("utf8"));
  // The same object often comes twice (the alternative and an attachment): one answer is enough.
  const unique = [...new Set(calendars.map((c) => c.replace(/\r\n/g, "\n").trimEnd()))];
  return { from, messageId: mail.messageId ?? "", calendars: unique.map((c) => `${c.replace(/\n/g, "\r\n")}\r\n`) };
}
