// Personal answer links: a random 256-bit token per invited contact and message, kept only as its SHA-256 in
// the adapter's state, with what that invitee may see (the message's view) and when it stops working (the end
// of the conference). A database leak therefore yields no working link.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { DateTime } from "luxon";
import type { Locale } from "../../src/domain/types.ts";
import type { AdapterState, View } from "../../src/port.ts";

export interface LinkRecord {
  /** The invitee's address (lower case): the sender of the answer. */
  address: string;
  conference: number;
  locale: Locale;
  view?: View;
  text: string;
  /** ISO instant after which the link shows nothing. */
  expires: string;
}

const PREFIX = "link:";
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export class AnswerLinks {
  constructor(
    private readonly state: AdapterState,
    private readonly clock: { now(): Date },
  ) {}

  /** A new link token for `record`; only its hash is stored. */
  issue(record: LinkRecord): string {
    const token = randomBytes(32).toString("base64url");
    this.state.set(PREFIX + hashToken(token), JSON.stringify(record));
    return token;
  }

  /** The record behind a token, or null when the token is malformed, unknown or expired. */
  find(token: string): { id: string; record: LinkRecord } | null {
    if (!TOKEN.test(token)) return null;
    const id = hashToken(token);
    const raw = this.state.get(PREFIX + id);
    if (!raw) return null;
    const record = JSON.parse(raw) as LinkRecord;
    if (new Date(record.expires).getTime() <= this.clock.now().getTime()) return null;
    return { id, record };
  }

  /** Removes the links whose conference is over. */
  prune(): number {
    const now = this.clock.now().getTime();
    let n = 0;
    for (const [key, raw] of this.state.entries(PREFIX)) {
      if (new Date((JSON.parse(raw) as LinkRecord).expires).getTime() <= now) {
        this.state.delete(key);
        n++;
      }
    }
    return n;
  }

  /** A form token bound to one link and one rendering of the page (`nonce`): the CSRF check of the answer form. */
  formToken(linkId: string, nonce: string): string {
    return createHmac("sha256", this.secret()).update(`${linkId}\u0000${nonce}`).digest("base64url");
  }

  checkFormToken(linkId: string, nonce: string, given: string): boolean {
    const want = Buffer.from(this.formToken(linkId, nonce));
    const got = Buffer.from(given);
    return want.length === got.length && timingSafeEqual(want, got);
  }

  /** Made once, at start, so that showing a page writes nothing. */
  secret(): string {
    let s = this.state.get("form-secret");
    if (!s) {
      s = randomBytes(32).toString("base64url");
      this.state.set("form-secret", s);
    }
    return s;
  }
}

/**
 * When the conference of an .ics ends (its DTEND), so the link can expire then; `fallback` when the object
 * has none that can be read.
 */
export function endOf(ics: string | undefined, fallback: Date): Date {
  const m = ics && /^DTEND(?:;TZID=([^:;]+))?(?:;[^:]*)?:(\d{8}T\d{6})(Z?)\r?$/m.exec(ics);
  if (!m) return fallback;
  const zone = m[3] ? "utc" : (m[1] ?? "utc");
  const dt = DateTime.fromFormat(m[2]!, "yyyyMMdd'T'HHmmss", { zone });
  return dt.isValid ? dt.toJSDate() : fallback;
}
