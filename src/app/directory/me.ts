import { inArray } from "drizzle-orm";
import * as z from "zod";
import * as s from "../../db/schema.ts";
import { defineCommand } from "../command.ts";

export const me = defineCommand({
  id: "me",
  readOnly: true,
  names: { de: "ich", en: "me" },
  summary: "cmd.me",
  args: [],
  flags: [],
  input: z.object({}),
  access: { kind: "anyone" },
  run({ tx, t, caller, room, roomKpb, locale }) {
    const kpbIds = caller.grants.map((g) => g.kpbId).filter((id): id is number => id !== null);
    const kpbNames = new Map(
      (kpbIds.length ? tx.select().from(s.kpbs).where(inArray(s.kpbs.id, kpbIds)).all() : []).map((k) => [k.id, k.name]),
    );
    const roles = caller.grants.map((g) => `${t(`role.${g.role}`)}${g.kpbId ? ` (${kpbNames.get(g.kpbId)})` : ""}`);
    const partnerIds = caller.contacts.map((c) => c.partnerAgencyId);
    const partners = partnerIds.length ? tx.select().from(s.partnerAgencies).where(inArray(s.partnerAgencies.id, partnerIds)).all() : [];
    return {
      text: t("me.summary", {
        // The name people see, and the id an admin types in `rolle geben`.
        principal: caller.user.displayName ? `${caller.user.displayName} (${caller.principal})` : caller.principal,
        roles: roles.join(", ") || t("me.none"),
        contacts: partners.map((p) => p.name).join(", ") || t("me.none"),
        locale,
        room: roomKpb ? t("me.roomBound", { kpb: roomKpb.name }) : t("me.roomUnbound"),
      }),
    };
  },
});
