// Messages over SMTP, with the server's answer mapped to the port's errors. Connecting and logging in is
// kept apart from the transaction, because only a failure there proves that nothing was handed over:
//   - no connection, or the login refused            → NotPosted (retried; nothing can have been delivered)
//   - a 4xx reply (greylisting, a full queue)         → RetryAfter
//   - a 5xx reply to MAIL FROM, RCPT TO or DATA       → PermanentFailure (the organisers are told)
//   - the connection lost without a reply             → a plain Error: the message may have been accepted,
//                                                       so the outbox marks it uncertain and never resends it blindly.
import MailComposer, { type MailComposerOptions } from "nodemailer/lib/mail-composer";
import SMTPConnection from "nodemailer/lib/smtp-connection";
import { NotPosted, PermanentFailure, RetryAfter } from "../../src/port.ts";

export interface SmtpTarget {
  host: string;
  port: number;
  /** Implicit TLS (smtps://, usually port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  /** Refuse to send without STARTTLS (`?requireTLS=true`). */
  requireTLS: boolean;
  user?: string;
  pass?: string;
  /** Extra TLS options (tests: a self-signed certificate). */
  tls?: { rejectUnauthorized?: boolean };
}

/** Reads `smtp://user:pass@host:port` or `smtps://…`; the password stays inside this object and never reaches a log. */
export function parseSmtpUrl(url: string): SmtpTarget {
  const u = new URL(url);
  if (u.protocol !== "smtp:" && u.protocol !== "smtps:") throw new Error("SIKO_SMTP_URL: use smtp:// or smtps://");
  const secure = u.protocol === "smtps:";
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    requireTLS: u.searchParams.get("requireTLS") === "true",
    ...(u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : {}),
  };
}

/** Where the bot sends mail, as safe to log: never the user name or the password. */
export function describeTarget(t: SmtpTarget): string {
  return `${t.secure ? "smtps" : "smtp"}://${t.host}:${t.port}`;
}

/** Retry after a temporary refusal: greylisting usually lets the second attempt through after a few minutes. */
export const TEMPORARY_RETRY_MS = 5 * 60_000;

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  command?: string;
}

export async function buildMessage(mail: MailComposerOptions): Promise<{ raw: Buffer; envelope: { from: string; to: string[] } }> {
  const node = new MailComposer(mail).compile();
  const envelope = node.getEnvelope() as { from: string; to: string[] };
  return { raw: await node.build(), envelope };
}

/** A connection to the server, not yet open; its 'error' events are reported by the callbacks of `open`. */
function connection(target: SmtpTarget, timeoutMs: number): SMTPConnection {
  const conn = new SMTPConnection({
    host: target.host,
    port: target.port,
    secure: target.secure,
    requireTLS: target.requireTLS,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    ...(target.tls ? { tls: target.tls } : {}),
  });
  // An 'error' event without a listener would end the process.
  conn.on("error", () => {});
  return conn;
}

/** Connects and, where the target has a user, logs in. */
async function open(conn: SMTPConnection, target: SmtpTarget): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    conn.connect((err?: Error | null) => (err ? reject(err) : resolve()));
    conn.once("error", reject);
  });
  if (target.user) await new Promise<void>((resolve, reject) => conn.login({ user: target.user!, pass: target.pass ?? "" }, (err) => (err ? reject(err) : resolve())));
}

/** Whether a kept connection still takes a command: RSET, or false when the server closed it meanwhile. */
function answers(conn: SMTPConnection): Promise<boolean> {
  if (conn.destroyed) return Promise.resolve(false);
  return new Promise<boolean>((resolve) => {
    // nodemailer never calls back a pending RSET when the connection fails; its 'error' or 'end' event says so.
    const done = (ok: boolean) => {
      conn.off("end", gone).off("error", gone);
      resolve(ok);
    };
    const gone = () => done(false);
    conn.once("end", gone).once("error", gone);
    conn.reset((err) => done(!err));
  });
}

function shut(conn: SMTPConnection): void {
  if (conn.destroyed) return;
  try {
    conn.quit();
  } catch {
    conn.close();
  }
}

/** Connects and logs in without sending: null when that works, else a few words on what failed (no secret). */
export async function smtpVerify(target: SmtpTarget, timeoutMs = 10_000): Promise<string | null> {
  const conn = connection(target, timeoutMs);
  try {
    await open(conn, target);
    return null;
  } catch (e) {
    const err = e as SmtpError;
    return err.code === "EAUTH" ? "SMTP login refused" : `SMTP not reachable (${err.code ?? "error"})`;
  } finally {
    shut(conn);
  }
}

/**
 * Sends over one logged-in connection that the next message reuses while it follows within `idleMs`: an
 * invitation goes to every partner at once, and a handshake and login per message is what submission servers
 * throttle. Messages are queued, because a connection carries one transaction at a time.
 */
export class SmtpSender {
  private conn: SMTPConnection | null = null;
  private idle: NodeJS.Timeout | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly target: SmtpTarget,
    private readonly timeoutMs = 60_000,
    private readonly idleMs = 10_000,
  ) {}

  send(envelope: { from: string; to: string[] }, raw: Buffer): Promise<string> {
    const run = this.queue.then(() => this.transaction(envelope, raw));
    this.queue = run.catch(() => undefined);
    return run;
  }

  close(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    const conn = this.conn;
    this.conn = null;
    if (conn) shut(conn);
  }

  private async transaction(envelope: { from: string; to: string[] }, raw: Buffer): Promise<string> {
    if (this.idle) clearTimeout(this.idle);
    const conn = await this.connected();
    try {
      const info = await new Promise<{ response?: string; rejected?: unknown[] }>((resolve, reject) =>
        conn.send(envelope, raw, (err, info) => (err ? reject(err) : resolve(info as { response?: string; rejected?: unknown[] }))),
      );
      if (info.rejected && info.rejected.length > 0) throw new PermanentFailure(`SMTP refused the recipient`);
      this.idle = setTimeout(() => this.close(), this.idleMs);
      this.idle.unref();
      return info.response ?? "";
    } catch (e) {
      // A failed transaction leaves the session in a state not worth reasoning about: the next message starts afresh.
      this.close();
      if (e instanceof PermanentFailure) throw e;
      const err = e as SmtpError;
      const code = err.responseCode ?? 0;
      if (code >= 400 && code < 500) throw new RetryAfter(TEMPORARY_RETRY_MS, `SMTP ${code} at ${err.command ?? "send"}: ${firstLine(err.message)}`);
      if (code >= 500) throw new PermanentFailure(`SMTP ${code} at ${err.command ?? "send"}: ${firstLine(err.message)}`);
      // No reply: whether the server took the message is unknown.
      throw new Error(`SMTP connection lost during the transaction (${err.code ?? "error"}): ${firstLine(err.message)}`);
    }
  }

  /**
   * The kept connection if it still answers (an RSET: a server that dropped it must not turn the next message
   * into an unknown outcome), else a new one. A failure here proves that nothing was handed over.
   */
  private async connected(): Promise<SMTPConnection> {
    const kept = this.conn;
    if (kept && (await answers(kept))) return kept;
    this.close();
    const conn = connection(this.target, this.timeoutMs);
    try {
      await open(conn, this.target);
    } catch (e) {
      shut(conn);
      const err = e as SmtpError;
      if (err.responseCode && err.responseCode >= 400 && err.responseCode < 500) throw new RetryAfter(TEMPORARY_RETRY_MS, `SMTP ${err.responseCode} before the message`);
      throw new NotPosted(`SMTP ${err.code ?? "error"}${err.responseCode ? ` ${err.responseCode}` : ""} before the message: ${firstLine(err.message)}`);
    }
    // The server may end an idle session; then the next message opens a new one.
    conn.once("end", () => {
      if (this.conn === conn) this.close();
    });
    this.conn = conn;
    return conn;
  }
}

function firstLine(s: string): string {
  return s.split("\n")[0]!.slice(0, 200);
}
