// The e-mail channel: partners outside the chat platforms get invitations, updates and cancellations as iMIP
// messages (RFC 6047) that calendar programs understand, and answer through a personal link to a small page on
// the bot's HTTP server (page.ts). Everything else the bot says to them is a plain mail with the same link.
// Like every adapter it translates only: the core decides who may answer and records it.
import { createHash } from "node:crypto";
import type { MailComposerOptions } from "nodemailer/lib/mail-composer";
import type { Config } from "../../src/config.ts";
import {
  PermanentFailure,
  type AdapterCapabilities,
  type AdapterHost,
  type Address,
  type ChatAdapter,
  type DeliveryReceipt,
  type EventHandler,
  type OutboundMessage,
} from "../../src/port.ts";
import { calendarMethodOf } from "../../src/calendar/conferenceIcs.ts";
import { AnswerLinks, type LinkRecord } from "./links.ts";
import { answerPage, ANSWER_PATH } from "./page.ts";
import { describeImap, ImapReplyReader, parseImapUrl, type ImapTarget } from "./imap.ts";
import { endOf, property, readReply } from "./itip.ts";
import { renderMail } from "./render.ts";
import { buildMessage, describeTarget, parseSmtpUrl, SmtpSender, smtpVerify, type SmtpTarget } from "./smtp.ts";

export interface EmailAdapterOptions {
  smtp: SmtpTarget;
  /** The From header: `"Name" <address>` or an address. */
  from: string;
  timeoutMs?: number;
  /** The organiser mailbox to read calendar replies from (SIKO_IMAP_URL). */
  imap?: ImapTarget;
  imapIntervalMs?: number;
}

/** Deliberately simple: one `@`, no spaces or angle brackets; the server judges the rest. */
const ADDRESS = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

export class EmailAdapter implements ChatAdapter {
  readonly platform = "email" as const;
  readonly capabilities: AdapterCapabilities = { buttons: false, files: true, edits: false, dedupesByKey: false, answerGesture: "link" };
  private host: AdapterHost | null = null;
  private links: AnswerLinks | null = null;
  private onEvent: EventHandler | null = null;
  private imap: ImapReplyReader | null = null;
  private readonly fromDomain: string;
  private readonly smtp: SmtpSender;

  constructor(private readonly opts: EmailAdapterOptions) {
    this.smtp = new SmtpSender(opts.smtp, opts.timeoutMs);
    this.fromDomain = /@([^>\s]+)>?\s*$/.exec(opts.from)?.[1]?.toLowerCase() ?? "siko-bot.invalid";
  }

  async start(host: AdapterHost, onEvent: EventHandler): Promise<void> {
    this.host = host;
    this.onEvent = onEvent;
    this.links = new AnswerLinks(host.state, host.clock);
    const pruned = this.links.prune();
    this.links.secret();
    const answerNow = (r: LinkRecord) => (r.messageId ? host.deliveredMessage({ platform: "email", kind: "user", id: r.address }, r.messageId)?.message.rsvp : undefined);
    const invited = (r: LinkRecord) => host.invited({ platform: "email", kind: "user", id: r.address }, r.conference);
    host.mount(ANSWER_PATH, answerPage({ links: this.links, onEvent, publicUrl: host.publicUrl, logger: host.logger, clock: host.clock, answerNow, invited }));
    if (this.opts.imap) {
      this.imap = new ImapReplyReader(this.opts.imap, (mail) => this.receiveReply(mail), host.state, host.logger, this.opts.imapIntervalMs);
      this.imap.start();
    }
    host.logger.info({ smtp: describeTarget(this.opts.smtp), imap: this.opts.imap ? describeImap(this.opts.imap) : null, pruned }, "e-mail channel ready");
  }

  async send(to: Address, msg: OutboundMessage, key: string): Promise<DeliveryReceipt> {
    if (!this.host || !this.links) throw new Error("e-mail adapter not started");
    if (to.kind !== "user" || !ADDRESS.test(to.id)) throw new PermanentFailure("e-mail reaches people by their address only");
    // The core names the iTIP method of a calendar file in its content type (`text/calendar; method=REQUEST`).
    const method = msg.attachment ? calendarMethodOf(msg.attachment.contentType) : null;
    const ics = method ? msg.attachment! : null;
    // Link and REPLY matching both end with the conference (DTEND), else a day after the announced start.
    const expires = msg.rsvp ? endOf(ics?.content, new Date(new Date(msg.rsvp.startsAt).getTime() + 24 * 3600_000)).toISOString() : "";
    // Derived from the outbox key: a resend of the same row carries the same Message-ID, so it is recognisable.
    const messageId = `<${createHash("sha256").update(key).digest("hex").slice(0, 40)}@${this.fromDomain}>`;
    const link = this.linkFor(to, msg, expires, messageId);
    const mail = renderMail(msg, link);
    const options: MailComposerOptions = {
      from: this.opts.from,
      to: to.id,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId,
      date: this.host.clock.now(),
      headers: { "Auto-Submitted": "auto-generated" },
      // iMIP: the calendar object as an alternative of the body, its METHOD repeated in the MIME type.
      ...(ics && method ? { alternatives: [{ contentType: `text/calendar; charset=utf-8; method=${method}`, content: ics.content }] } : {}),
      ...(msg.attachment
        ? { attachments: [{ filename: msg.attachment.filename, content: msg.attachment.content, contentType: ics ? "application/ics" : msg.attachment.contentType }] }
        : {}),
    };
    const uid = ics ? property(ics.content, "UID")?.value.trim() : undefined;
    // Remembered so that a calendar program's REPLY can be matched to what this address was sent; before the
    // send, because a send whose outcome is unknown may well have arrived.
    if (uid && method === "REQUEST" && msg.rsvp) this.links.rememberInvitation(uid, to.id, msg.rsvp.conferenceId, expires);
    const { raw, envelope } = await buildMessage(options);
    await this.smtp.send(envelope, raw);
    // A cancellation is what the invitee's answer links show from now on, without the answer form.
    // A change that asks for no new answer (the place) comes without a link; the links already out show it all the same.
    const cancelled = uid && method === "CANCEL" ? this.links.invitation(uid, to.id) : null;
    const conference = cancelled ? cancelled.conference : !link && msg.rsvp?.state === "open" ? msg.rsvp.conferenceId : null;
    if (conference !== null) this.links.show({ address: to.id, conference, locale: msg.locale, ...(msg.view ? { view: msg.view } : {}), text: msg.text, messageId }, !cancelled);
    return { messageId };
  }

  /**
   * A mail that reached the organiser mailbox (read by ./imap.ts): each iTIP REPLY in it whose UID and ATTENDEE
   * match an invitation sent to that address, and whose From is that attendee, becomes the attendee's answer.
   * Anything else changes nothing and is logged. Returns what became of each calendar part.
   */
  async receiveReply(mail: { from: string; messageId: string; calendars: string[] }): Promise<string[]> {
    if (!this.host || !this.onEvent || !this.links) throw new Error("e-mail adapter not started");
    const from = mail.from.trim().toLowerCase();
    const results: string[] = [];
    for (const [i, ics] of mail.calendars.entries()) {
      const reply = readReply(ics);
      if ("ignored" in reply) {
        results.push(`ignored: ${reply.ignored}`);
        continue;
      }
      const sent = this.links.invitation(reply.uid, reply.attendee);
      const why = !sent ? "no invitation to this attendee with this UID" : sent.over ? "the conference is over" : reply.attendee !== from ? "From is not the attendee" : null;
      if (!sent || why) {
        this.host.logger.warn({ uid: reply.uid, reason: why }, "calendar reply ignored");
        results.push(`ignored: ${why}`);
        continue;
      }
      const data: Record<string, string | number> = { conference: sent.conference, answer: reply.answer };
      if (reply.text) data.text = reply.text;
      // The start the replying calendar holds: a reply to a version the conference moved away from changes nothing.
      if (reply.startsAt) data.at = reply.startsAt.getTime();
      // A mail without Message-ID (nothing forbids it) is known by its sender and calendar object instead: keyed by
      // the empty id alone, every later such reply would be taken for the first one again.
      const origin = mail.messageId || `${from}\u0000${ics}`;
      const result = await this.onEvent({
        kind: "action",
        eventId: `email-reply:${createHash("sha256").update(`${origin}\u0000${i}`).digest("hex").slice(0, 32)}`,
        sender: { platform: "email", id: reply.attendee },
        room: { platform: "email", id: reply.attendee, direct: true },
        action: { verb: "rsvp", data },
      });
      if (result.outcome !== "done") this.host.logger.warn({ uid: reply.uid, outcome: result.outcome }, "calendar reply not taken");
      results.push(result.outcome);
    }
    return results;
  }

  /** The last SMTP check, or the one under way: probes that come while it runs wait for it instead of logging in again. */
  private checked: { at: number; detail: Promise<string | null> } | null = null;

  /** Whether the SMTP server takes the bot's login now; asked at most every 30 seconds. */
  async readiness(): Promise<{ ready: boolean; detail?: string }> {
    if (!this.host) return { ready: false, detail: "not started" };
    const now = Date.now();
    if (!this.checked || now - this.checked.at > 30_000) this.checked = { at: now, detail: smtpVerify(this.opts.smtp, Math.min(this.opts.timeoutMs ?? 10_000, 10_000)) };
    const detail = await this.checked.detail;
    return detail ? { ready: false, detail } : { ready: true };
  }

  async stop(): Promise<void> {
    this.smtp.close();
    await this.imap?.stop();
  }

  /** Reads the organiser mailbox once now (tests; the reader also polls on its own). */
  pollReplies(): Promise<number> {
    return this.imap?.poll() ?? Promise.resolve(0);
  }

  /** A personal answer link when the message asks this person for an answer that can still be given. */
  private linkFor(to: Address, msg: OutboundMessage, expires: string, messageId: string): string | null {
    const rsvp = msg.rsvp;
    if (!rsvp || rsvp.state !== "open" || !msg.buttons?.some((b) => b.action.verb === "rsvp")) return null;
    const token = this.links!.issue({
      address: to.id,
      conference: rsvp.conferenceId,
      locale: msg.locale,
      ...(msg.view ? { view: msg.view } : {}),
      text: msg.text,
      expires,
      startsAt: rsvp.startsAt,
      messageId,
    });
    return `${this.host!.publicUrl.replace(/\/+$/, "")}${ANSWER_PATH}/${token}`;
  }
}

/** The adapter as the composition root makes it from the configuration. */
export function createEmailAdapter(config: Config): EmailAdapter {
  return new EmailAdapter({
    smtp: parseSmtpUrl(config.SIKO_SMTP_URL!),
    from: config.SIKO_MAIL_FROM!,
    ...(config.SIKO_IMAP_URL ? { imap: parseImapUrl(config.SIKO_IMAP_URL), imapIntervalMs: config.SIKO_IMAP_INTERVAL_MS } : {}),
  });
}
