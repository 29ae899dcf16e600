import { and, eq, isNull } from "drizzle-orm";
import * as z from "zod";
import type { Platform, Role } from "../../domain/types.ts";
import { findKpb, upsertUser } from "../../db/directory.ts";
import * as s from "../../db/schema.ts";
import { defineCommand, UserError } from "../command.ts";
import { name } from "../values.ts";

/** Role names as typed, in both languages. */
const ROLE_WORDS: Record<string, Role> = {
  admin: "admin",
  organisator: "organiser",
  organiser: "organiser",
  organizer: "organiser",
  leitung: "leader",
  leader: "leader",
  partner: "partner",
  lzpd: "reporter",
  reporter: "reporter",
};

const GLOBAL_ROLES: readonly Role[] = ["admin", "reporter"];

/**
 * Reads a user id as typed: `@name:server` is Matrix, a GUID is a Teams AAD object id, `console:name` or
 * `matrix:…`/`teams:…` name the platform outright; anything else is a user of the caller's own platform.
 */
export function parsePrincipal(raw: string, callerPlatform: Platform): { platform: Platform; id: string } | null {
  const explicit = /^(console|matrix|teams):(.+)$/.exec(raw);
  if (explicit) return parsePrincipal(explicit[2]!, explicit[1] as Platform);
  if (/^@[^:\s]+:[^\s]+$/.test(raw)) return { platform: "matrix", id: raw };
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(raw)) return { platform: "teams", id: raw.toLowerCase() };
  if (callerPlatform === "console" && raw.length > 0) return { platform: "console", id: raw };
  return null;
}

export const roleGrant = defineCommand({
  id: "role.grant",
  names: { de: "rolle geben", en: "role grant" },
  summary: "cmd.roleGrant",
  args: [
    { key: "user", names: { de: "benutzer", en: "user" } },
    { key: "role", names: { de: "rolle", en: "role" } },
  ],
  flags: [{ key: "kpb", names: { de: "kpb", en: "kpb" } }],
  input: z.object({
    user: name,
    role: z
      .string()
      .transform((v) => ROLE_WORDS[v.trim().toLowerCase()])
      .pipe(z.enum(["admin", "organiser", "leader", "partner", "reporter"], { error: "value.oneOf|allowed=admin, organisator, leitung, lzpd" })),
    kpb: name.optional(),
  }),
  access: { kind: "global", roles: ["admin"] },
  run({ tx, t, clock, caller, roomKpb, audit }, input) {
    const principal = parsePrincipal(input.user, caller.user.platform);
    if (!principal) throw new UserError("role.badUser", { user: input.user });
    const roleName = t(`role.${input.role}`);
    // Partners act through their contact entry (kontakt anlegen … --matrix/--teams), not through a role.
    if (input.role === "partner") throw new UserError("role.partnerByContact");
    const global = GLOBAL_ROLES.includes(input.role);
    if (global && input.kpb) throw new UserError("role.isGlobal", { role: roleName });
    const kpb = global ? null : input.kpb ? findKpb(tx, input.kpb) : roomKpb;
    if (!global && input.kpb && !kpb) throw new UserError("kpb.notFound", { ref: input.kpb });
    if (!global && !kpb) throw new UserError("role.needsKpb", { role: roleName });
    const now = clock.now();
    const user = upsertUser(tx, principal.platform, principal.id, now);
    const params = { user: `${principal.platform}:${principal.id}`, role: roleName, scope: kpb ? t("engine.scopeKpb", { kpb: kpb.name }) : "" };
    const existing = tx
      .select()
      .from(s.roleGrants)
      .where(and(eq(s.roleGrants.userId, user.id), eq(s.roleGrants.role, input.role), kpb ? eq(s.roleGrants.kpbId, kpb.id) : isNull(s.roleGrants.kpbId)))
      .get();
    if (existing) return { text: t("role.already", params) };
    const grant = tx
      .insert(s.roleGrants)
      .values({ userId: user.id, role: input.role, kpbId: kpb?.id ?? null, grantedBy: caller.principal, createdAt: now })
      .returning()
      .get();
    audit("role.grant", "user", user.id, { grantId: grant.id, role: input.role, kpbId: kpb?.id ?? null });
    return { text: t("role.granted", params) };
  },
});
