// Personal answer links: a random 256-bit token per invited contact and message, kept only as its SHA-256 in
// the adapter's state. Every link of one invitee for one conference shows one page: the latest message about it
// (a mail cannot be edited, so an older mail's link must not show the old date after a reschedule), until the
// end of the conference. A database leak therefore yields no working link. Beside them, which invitation
// (iCalendar UID) went to which address, so that a calendar program's REPLY can be matched.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
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
  /** False once a later message said that no answer is taken any more (the conference was cancelled). */
  open: boolean;
  /** ISO instant the conference begins: from then on the page takes no answer, as the core takes none. */
  startsAt?: string;
  /** The Message-ID of the mail shown: the core tells by it how the agency's answer stands now. */
  messageId?: string;
}

/** A message an invitee's links show (a later mail about the conference than the one a link came with). */
export type ShownMessage = Pick<LinkRecord, "address" | "conference" | "locale" | "view" | "text" | "messageId">;

const PREFIX = "link:";
const PAGE = "page:";
const SENT = "sent:";

const pageKey = (conference: number, address: string) => `${PAGE}${conference}\u0000${address}`;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export class AnswerLinks {
  constructor(
    private readonly state: AdapterState,
    private readonly clock: { now(): Date },
  ) {}

  /** A new link token that, like this invitee's earlier ones, shows `record` from now on; only its hash is stored. */
  issue(record: Omit<LinkRecord, "open">): string {
    const token = randomBytes(32).toString("base64url");
    this.state.set(PREFIX + hashToken(token), JSON.stringify({ address: record.address, conference: record.conference }));
    this.state.set(pageKey(record.conference, record.address), JSON.stringify({ ...record, open: true }));
    return token;
  }

  /**
   * The invitee's links show this message from now on: answers as before (the place changed), or none any more
   * (`open` false: cancelled). Nothing when they have no link.
   */
  show(update: ShownMessage, open = true): void {
    const key = pageKey(update.conference, update.address);
    const raw = this.state.get(key);
    if (raw) this.state.set(key, JSON.stringify({ ...(JSON.parse(raw) as LinkRecord), view: undefined, ...update, open }));
  }

  /** The record behind a token, or null when the token is malformed, unknown or expired. */
  find(token: string): { id: string; record: LinkRecord } | null {
    if (!TOKEN.test(token)) return null;
    const id = hashToken(token);
    const link = this.state.get(PREFIX + id);
    if (!link) return null;
    const { address, conference } = JSON.parse(link) as { address: string; conference: number };
    const raw = this.state.get(pageKey(conference, address));
    if (!raw) return null;
    const record = JSON.parse(raw) as LinkRecord;
    if (this.expired(record.expires)) return null;
    return { id, record };
  }

  /** Remembers that the invitation `uid` was sent to `address`, until `expires` (ISO instant). */
  rememberInvitation(uid: string, address: string, conference: number, expires: string): void {
    this.state.set(`${SENT}${uid}\u0000${address}`, JSON.stringify({ conference, expires }));
  }

  /** The conference of the invitation `uid` sent to `address`, and whether it is over; null when none was sent. */
  invitation(uid: string, address: string): { conference: number; over: boolean } | null {
    const raw = this.state.get(`${SENT}${uid}\u0000${address}`);
    if (!raw) return null;
    const sent = JSON.parse(raw) as { conference: number; expires: string };
    return { conference: sent.conference, over: this.expired(sent.expires) };
  }

  /** Removes the pages, links and invitation records whose conference is over. */
  prune(): number {
    let n = 0;
    for (const prefix of [PAGE, SENT])
      for (const [key, raw] of this.state.entries(prefix))
        if (this.expired((JSON.parse(raw) as { expires: string }).expires)) {
          this.state.delete(key);
          n++;
        }
    for (const [key, raw] of this.state.entries(PREFIX)) {
      const link = JSON.parse(raw) as { address: string; conference: number };
      if (this.state.get(pageKey(link.conference, link.address)) === undefined) {
        this.state.delete(key);
        n++;
      }
    }
    return n;
  }

  private expired(expires: string): boolean {
    return new Date(expires).getTime() <= this.clock.now().getTime();
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
