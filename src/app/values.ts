// zod schemas for command arguments. Their error messages are catalogue keys (with `|name=value` params),
// so the dispatcher can answer in the user's language.
import * as z from "zod";
import { MAX_YEAR } from "../domain/dates.ts";
import { hasInvisible } from "../domain/text.ts";
import { isMessageKey, type Message, type MessageKey, type Params } from "../messages/i18n/catalogue.ts";

export function errorCode(key: MessageKey, params: Params = {}): string {
  const tail = Object.entries(params).map(([k, v]) => `|${k}=${v}`);
  return key + tail.join("");
}

export function decodeErrorCode(code: string): Message | null {
  const [key, ...rest] = code.split("|");
  if (!key || !isMessageKey(key)) return null;
  return { key, params: Object.fromEntries(rest.map((p) => p.split("=", 2) as [string, string])) };
}

/** One line of user text: NFC-normalised, trimmed, non-empty, bounded, without control characters. */
export function text(max: number) {
  return z
    .string()
    .transform((v) => v.normalize("NFC").trim())
    .pipe(
      z
        .string()
        .min(1, errorCode("value.required"))
        .max(max, errorCode("value.tooLong", { max }))
        .refine((v) => !hasInvisible(v), errorCode("value.controlChars")),
    );
}

export const NAME_MAX = 200;
export const name = text(NAME_MAX);

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z
    .string()
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.enum(values, { error: errorCode("value.oneOf", { allowed: values.join(", ") }) }));
}

export const email = z
  .string()
  .trim()
  .pipe(z.email({ error: errorCode("value.email") }).max(254, errorCode("value.tooLong", { max: 254 })))
  // One form per address (as the port's canonicalUserId): replies from "Anna.Becker@…" match "anna.becker@…".
  .transform((v) => v.toLowerCase());

export const matrixUserId = z
  .string()
  .trim()
  .regex(/^@[a-z0-9._=\-/+]+:[a-zA-Z0-9.\-]+(:\d{1,5})?$/, errorCode("value.matrixId"));

export const teamsObjectId = z
  .string()
  .trim()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, errorCode("value.teamsId"))
  .transform((v) => v.toLowerCase());

export const yesNo = z
  .string()
  .transform((v) => v.trim().toLowerCase())
  .pipe(z.enum(["ja", "nein", "yes", "no", "true", "false"], { error: errorCode("value.yesNo") }))
  .transform((v) => v === "ja" || v === "yes" || v === "true");

/**
 * A conference as people name it: its number (`2`, `#2`) within the KPB the room or chat implies, or with the
 * KPB in front (`koeln#2`); a button names it by its internal id (`{ id }`), which nobody types.
 */
export type ConferenceRef = { number: number; kpb?: string } | { id: number };

export const conferenceRef: z.ZodType<ConferenceRef, unknown> = z.union([
  z.object({ id: z.number().int().positive() }).strict(),
  z
    .string()
    .trim()
    .regex(/^(?:[^#\s]{1,80}#)?#?\d{1,9}$/, errorCode("value.conferenceId"))
    .transform((v) => {
      const hash = v.lastIndexOf("#");
      const kpb = hash > 0 ? v.slice(0, hash) : undefined;
      const number = Number(v.slice(hash + 1));
      return kpb === undefined ? { number } : { number, kpb };
    }),
], { error: errorCode("value.conferenceId") });

export const year = z
  .string()
  .regex(/^\d{4}$/, errorCode("value.year"))
  .transform(Number)
  .pipe(z.number().min(2000, errorCode("value.year")).max(MAX_YEAR, errorCode("value.year")));

export const positiveInt = z
  .string()
  .regex(/^\d{1,6}$/, errorCode("value.number"))
  .transform(Number);
