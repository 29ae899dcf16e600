// Start-up facts from the configuration: the admins named in SIKO_ADMINS hold the admin role.
import { and, eq, isNull } from "drizzle-orm";
import type { Tx } from "../db/client.ts";
import { upsertUser } from "../db/directory.ts";
import * as s from "../db/schema.ts";
import { ConfigError } from "../config.ts";
import { parsePrincipal } from "./directory/roleGrant.ts";

/** Grants admin to every configured id that lacks it; returns how many were added. Never revokes. */
export function grantConfiguredAdmins(tx: Tx, ids: readonly string[], now: Date): number {
  let added = 0;
  for (const raw of ids) {
    // A bare name is a console user; Matrix ids and AAD object ids are recognised by their shape.
    const principal = parsePrincipal(raw, "console");
    if (!principal) throw new ConfigError(`SIKO_ADMINS: "${raw}" is not a user id (e.g. @alice:example.org, an AAD object id, or console:name)`);
    const user = upsertUser(tx, principal.platform, principal.id, now);
    const has = tx
      .select()
      .from(s.roleGrants)
      .where(and(eq(s.roleGrants.userId, user.id), eq(s.roleGrants.role, "admin"), isNull(s.roleGrants.kpbId)))
      .get();
    if (has) continue;
    tx.insert(s.roleGrants).values({ userId: user.id, role: "admin", kpbId: null, grantedBy: "config:SIKO_ADMINS", createdAt: now }).run();
    tx.insert(s.auditLog).values({ at: now, actor: "system", action: "role.grant", entity: "user", entityId: user.id, details: { role: "admin", reason: "SIKO_ADMINS" } }).run();
    added++;
  }
  return added;
}
