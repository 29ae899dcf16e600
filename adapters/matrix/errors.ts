// What a failed request to the homeserver means for the outbox: wait (429, 5xx, a gateway error), unreachable
// (the person left or rejected the direct room), refused for good (400), or unknown (a timeout or a reset
// connection: the event may exist, so it is resent with the same txnId). Error texts never carry the token.

import { NotPosted, PermanentFailure, RetryAfter, retryAfterHeaderMs, Unreachable } from "../../src/port.ts";

/** How long to wait after a 5xx or a gateway error that names no time. */
export const SERVER_ERROR_WAIT_MS = 2_000;

interface HttpLike {
  statusCode?: number;
  headers?: Record<string, string | string[] | undefined>;
  body?: unknown;
  errcode?: string;
  error?: string;
  retryAfterMs?: number;
  code?: string;
  message?: string;
}

/** The HTTP status of a matrix-bot-sdk error (a MatrixError, or the raw response it throws for non-JSON answers). */
export function statusOf(e: unknown): number | undefined {
  const x = e as HttpLike | null;
  return typeof x?.statusCode === "number" ? x.statusCode : undefined;
}

export function errcodeOf(e: unknown): string | undefined {
  const x = e as HttpLike | null;
  if (typeof x?.errcode === "string") return x.errcode;
  const body = x?.body as { errcode?: unknown } | undefined;
  return typeof body?.errcode === "string" ? body.errcode : undefined;
}

/** A connection-level failure before any answer: refused, unknown host, reset, timeout. */
export function networkCodeOf(e: unknown): string | undefined {
  const code = (e as HttpLike | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** The wait the server asked for: `retry_after_ms` in the body, else the Retry-After header (seconds or a date). */
export function retryAfterMs(e: unknown): number | undefined {
  const x = e as HttpLike | null;
  if (typeof x?.retryAfterMs === "number") return x.retryAfterMs;
  const body = x?.body as { retry_after_ms?: unknown } | undefined;
  if (typeof body?.retry_after_ms === "number") return body.retry_after_ms;
  const header = x?.headers?.["retry-after"];
  return retryAfterHeaderMs(Array.isArray(header) ? header[0] : header);
}

/** A short description of an error for logs and the outbox's `lastError`, with `secret` removed. */
export function describe(e: unknown, secret?: string): string {
  const status = statusOf(e);
  const errcode = errcodeOf(e);
  const x = e as HttpLike | null;
  let text: string;
  if (errcode) text = `${status ?? ""} ${errcode}: ${x?.error ?? (x?.body as { error?: string } | undefined)?.error ?? ""}`.trim();
  else if (status !== undefined) text = `HTTP ${status}`;
  else text = String(x?.message ?? e);
  return redact(text, secret);
}

export function redact(text: string, secret?: string): string {
  return secret ? text.split(secret).join("[token]") : text;
}

const CONNECT_FAILURES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/**
 * Turns a failed send into the port's errors. A refused connection proves nothing was posted; a timeout or a
 * reset does not (the homeserver may have stored the event), so it stays an unknown outcome, which the
 * outbox retries with the same txnId.
 */
export function toPortError(e: unknown, secret?: string): Error {
  const text = describe(e, secret);
  const status = statusOf(e);
  const errcode = errcodeOf(e);
  if (e instanceof RetryAfter || e instanceof Unreachable || e instanceof PermanentFailure || e instanceof NotPosted) return e;
  if (status === 429 || errcode === "M_LIMIT_EXCEEDED") return new RetryAfter(retryAfterMs(e) ?? SERVER_ERROR_WAIT_MS, text);
  if (status !== undefined && status >= 500) return new RetryAfter(retryAfterMs(e) ?? SERVER_ERROR_WAIT_MS, text);
  if (status === 403) return new Unreachable(text);
  if (status === 401) return new RetryAfter(60_000, `${text} (the access token was refused; check SIKO_MATRIX_ACCESS_TOKEN)`);
  if (status !== undefined && status >= 400) return new PermanentFailure(text);
  const code = networkCodeOf(e);
  if (code && CONNECT_FAILURES.has(code)) return new NotPosted(text);
  return new Error(text);
}

/** The homeserver provably stored nothing: it answered with an error below 500, or the connection was refused. */
export function nothingStored(e: unknown): boolean {
  const status = statusOf(e);
  if (status !== undefined) return status < 500;
  const code = networkCodeOf(e);
  return code !== undefined && CONNECT_FAILURES.has(code);
}
