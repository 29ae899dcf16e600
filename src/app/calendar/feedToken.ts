// The secret in a KPB's feed URL. Only its SHA-256 digest is stored (kpbs.feed_token = "sha256:<base64url>"), so a
// copy of the database or a backup does not hand out a working link; the price is that the link can be shown only
// when it is made. A 256-bit random token needs no slow hash: guessing it is hopeless either way.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

const PREFIX = "sha256:";
const TOKEN_RE = /^[A-Za-z0-9_-]{1,128}$/;
// Compared against when there is no stored digest, so a missing KPB or token takes the same path as a wrong one.
const DUMMY = createHash("sha256").update("siko-bot: no feed token").digest();

export function newFeedToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashFeedToken(token: string): string {
  return PREFIX + digest(token).toString("base64url");
}

function digest(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

function storedDigest(stored: string | null | undefined): Buffer | null {
  if (!stored?.startsWith(PREFIX)) return null;
  const d = Buffer.from(stored.slice(PREFIX.length), "base64url");
  return d.length === 32 ? d : null;
}

/** Constant-time check of a presented token against the stored digest; false for anything missing or malformed. */
export function feedTokenMatches(stored: string | null | undefined, presented: unknown): boolean {
  const expected = storedDigest(stored);
  const wellFormed = typeof presented === "string" && TOKEN_RE.test(presented);
  // Both digests are 32 bytes, so timingSafeEqual never throws and the time does not depend on where they differ.
  const same = timingSafeEqual(digest(wellFormed ? presented : ""), expected ?? DUMMY);
  return same && expected !== null && wellFormed;
}
