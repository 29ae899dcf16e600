// Reads the organiser mailbox for calendar replies (SIKO_IMAP_URL): a poll every interval that fetches the
// messages after the last one read (by UID, per UIDVALIDITY, kept in the adapter state) and hands each mail
// with a calendar object to the adapter. A crash between answering and remembering the UID reads the mail
// again; its answer is then a duplicate event (keyed by its Message-ID) and has no second effect. A mail larger
// than MAX_REPLY_BYTES (by its RFC822.SIZE) is not downloaded: it is logged and passed over.
import { ImapFlow } from "imapflow";
import type { AdapterLogger, AdapterState } from "../../src/port.ts";
import { readInbound, type InboundMail } from "./inbound.ts";

/** The largest mail downloaded: a calendar REPLY is a few kilobytes, and a bigger mail (spam with an attachment) is not one. */
export const MAX_REPLY_BYTES = 2 * 1024 * 1024;

export interface ImapTarget {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  pass: string;
  mailbox: string;
}

/** `imap://user:pass@host:143/INBOX` (STARTTLS when offered) or `imaps://…:993/INBOX`; the mailbox defaults to INBOX. */
export function parseImapUrl(url: string): ImapTarget {
  const u = new URL(url);
  if (u.protocol !== "imap:" && u.protocol !== "imaps:") throw new Error("SIKO_IMAP_URL: use imap:// or imaps://");
  const secure = u.protocol === "imaps:";
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 993 : 143,
    secure,
    user: decodeURIComponent(u.username),
    pass: decodeURIComponent(u.password),
    mailbox: decodeURIComponent(u.pathname.replace(/^\/+/, "")) || "INBOX",
  };
}

export function describeImap(t: ImapTarget): string {
  return `${t.secure ? "imaps" : "imap"}://${t.host}:${t.port}/${t.mailbox}`;
}

export class ImapReplyReader {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly target: ImapTarget,
    private readonly receive: (mail: InboundMail) => Promise<string[]>,
    private readonly state: AdapterState,
    private readonly logger: AdapterLogger,
    private readonly intervalMs = 60_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
    this.timer.unref();
    void this.poll();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => 0);
  }

  /** One round: the new messages of the mailbox; resolves with how many were read. Errors are logged, not thrown. */
  poll(): Promise<number> {
    if (!this.running)
      this.running = this.round()
        .catch((e: unknown) => {
          this.logger.warn({ imap: describeImap(this.target), error: (e as Error).message?.split("\n")[0] }, "reading the organiser mailbox failed; next round later");
          return 0;
        })
        .finally(() => (this.running = null));
    return this.running;
  }

  private async round(): Promise<number> {
    const t = this.target;
    const client = new ImapFlow({ host: t.host, port: t.port, secure: t.secure, auth: { user: t.user, pass: t.pass }, logger: false, disableAutoIdle: true });
    client.on("error", () => {});
    await client.connect();
    let n = 0;
    try {
      const lock = await client.getMailboxLock(t.mailbox);
      try {
        const box = client.mailbox;
        if (!box || box.exists === 0) return 0;
        const key = `imap:${t.mailbox}:${String(box.uidValidity)}`;
        const last = Number(this.state.get(key) ?? 0);
        // Nothing new: no FETCH, which for `n:*` would ask for the newest message again on every poll.
        if (box.uidNext !== undefined && box.uidNext <= last + 1) return 0;
        // Sizes first, the whole list before any other command: imapflow deadlocks on a command issued while a
        // fetch is still being iterated.
        const found: Array<{ uid: number; size: number | undefined }> = [];
        for await (const msg of client.fetch(`${last + 1}:*`, { uid: true, size: true }, { uid: true })) found.push({ uid: msg.uid, size: msg.size });
        // `n:*` always includes the newest message, even when it is older than n.
        const fresh = found.filter((m) => m.uid > last).sort((a, b) => a.uid - b.uid);
        for (const { uid, size } of fresh) {
          if (size !== undefined && size > MAX_REPLY_BYTES) {
            // Not downloaded; the cursor passes it so that it is not looked at again.
            this.logger.warn({ uid, size }, "a mail too large to be a calendar reply was skipped");
            this.state.set(key, String(uid));
            continue;
          }
          const msg = await client.fetchOne(String(uid), { source: true }, { uid: true });
          // Gone since the list was read (expunged): nothing to read.
          if (!msg || !msg.source) continue;
          const mail = await readInbound(msg.source);
          if (mail.calendars.length > 0) {
            const results = await this.receive(mail);
            this.logger.info({ uid, results }, "calendar reply read");
          }
          this.state.set(key, String(uid));
          n++;
        }
      } finally {
        lock.release();
      }
    } finally {
      await client.logout().catch(() => undefined);
    }
    return n;
  }
}
