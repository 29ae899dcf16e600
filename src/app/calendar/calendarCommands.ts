// `kalender link` / `kalender erneuern`: the per-KPB subscription link. The token is made here and only its digest
// stored (feedToken.ts), so the link is shown once, when it is made; rotating replaces the digest in the same
// transaction, and the old link stops working with the commit.
import { eq } from "drizzle-orm";
import * as z from "zod";
import * as s from "../../db/schema.ts";
import { defineCommand, type CommandContext, type Reply } from "../command.ts";
import type { KpbRow } from "../../db/schema.ts";
import { email, name } from "../values.ts";
import { addressedKey, enqueue } from "../../delivery/outbox.ts";
import type { Address } from "../../port.ts";
import { organizerEmail } from "../../calendar/conferenceIcs.ts";
import { hashFeedToken, newFeedToken } from "./feedToken.ts";

export function feedUrl(publicUrl: string, slug: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, "")}/calendar/${encodeURIComponent(slug)}.ics?token=${token}`;
}

/**
 * Makes a new token and hands the link to the caller alone: in a direct chat as the answer, from a group room as
 * a direct message through the outbox (the room reads only that it was sent), since whoever reads it sees every
 * conference of the KPB. Returns what to answer where the command was typed.
 */
function issue(ctx: CommandContext, kpb: KpbRow, action: "calendar.token.create" | "calendar.token.rotate"): Reply {
  const token = newFeedToken();
  const digest = hashFeedToken(token);
  ctx.tx.update(s.kpbs).set({ feedToken: digest }).where(eq(s.kpbs.id, kpb.id)).run();
  // The token itself never goes into the audit log.
  ctx.audit(action, "kpb", kpb.id, { hadToken: kpb.feedToken !== null });
  const link = ctx.t("calendar.link", { kpb: kpb.name, url: feedUrl(ctx.settings.publicUrl, kpb.slug, token) });
  if (ctx.room.direct) return { text: link, kind: "link" };
  const to: Address = { platform: ctx.caller.user.platform, kind: "user", id: ctx.caller.user.platformUserId };
  enqueue(ctx.tx, { key: addressedKey(`calendar-link:kpb=${kpb.id}:${digest}`, to), to, message: { text: link, locale: ctx.locale, kind: "link" } }, ctx.clock.now());
  return { text: ctx.t("calendar.linkSent", { kpb: kpb.name }) };
}

const kpbFlag = { key: "kpb", names: { de: "kpb", en: "kpb" } };
const input = z.object({ kpb: name.optional() });

export const calendarLink = defineCommand({
  id: "calendar.link",
  names: { de: "kalender link", en: "calendar link" },
  summary: "cmd.calendarLink",
  args: [],
  flags: [kpbFlag],
  input,
  // The link grants every conference of the KPB: shown only where its details may be shown anyway (R9).
  access: { kind: "kpb", roles: ["organiser", "leader"], confidential: true },
  run(ctx): Reply {
    const kpb = ctx.kpb!;
    if (kpb.feedToken !== null) return { text: ctx.t("calendar.linkExists", { kpb: kpb.name }) };
    return issue(ctx, kpb, "calendar.token.create");
  },
});

export const calendarRotate = defineCommand({
  id: "calendar.rotate",
  names: { de: "kalender erneuern", en: "calendar rotate" },
  summary: "cmd.calendarRotate",
  args: [],
  flags: [kpbFlag],
  input,
  access: { kind: "kpb", roles: ["organiser"], confidential: true },
  run(ctx): Reply {
    const kpb = ctx.kpb!;
    const reply = issue(ctx, kpb, "calendar.token.rotate");
    return kpb.feedToken === null ? reply : { ...reply, text: `${ctx.t("calendar.rotated", { kpb: kpb.name })}\n\n${reply.text}` };
  },
});

/** `kalender organisator`: the address calendar files of the KPB name as ORGANIZER (the KPB's own mailbox). */
export const calendarOrganizer = defineCommand({
  id: "calendar.organizer",
  names: { de: "kalender organisator", en: "calendar organizer" },
  summary: "cmd.calendarOrganizer",
  args: [{ key: "email", names: { de: "e-mail", en: "e-mail" }, optional: true }],
  flags: [{ key: "clear", names: { de: "weg", en: "clear" }, boolean: true }, kpbFlag],
  input: z.object({ email: email.optional(), clear: z.boolean().default(false), kpb: name.optional() }),
  access: { kind: "kpb", roles: ["organiser"] },
  run(ctx, input): Reply {
    const kpb = ctx.kpb!;
    const next = input.clear ? null : (input.email ?? kpb.organizerEmail);
    if (next !== kpb.organizerEmail) {
      ctx.tx.update(s.kpbs).set({ organizerEmail: next }).where(eq(s.kpbs.id, kpb.id)).run();
      ctx.audit("calendar.organizer", "kpb", kpb.id, { before: kpb.organizerEmail, after: next });
    }
    const shown = organizerEmail({ ...kpb, organizerEmail: next }, ctx.settings);
    const key = next ? "calendar.organizerOwn" : ctx.settings.organizerEmail ? "calendar.organizerInstallation" : "calendar.organizerDefault";
    return { text: ctx.t(key, { kpb: kpb.name, email: shown }) };
  },
});
