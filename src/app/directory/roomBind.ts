import { eq } from "drizzle-orm";
import * as z from "zod";
import { hasRole } from "../../domain/access.ts";
import * as s from "../../db/schema.ts";
import { defineCommand, UserError } from "../command.ts";
import { name } from "../values.ts";

export const roomBind = defineCommand({
  id: "room.bind",
  names: { de: "raum binden", en: "room bind" },
  summary: "cmd.roomBind",
  args: [{ key: "kpb", names: { de: "kpb", en: "kpb" }, rest: true }],
  flags: [],
  input: z.object({ kpb: name }),
  access: { kind: "kpb", roles: ["organiser"] },
  run({ tx, t, caller, room, roomKpb, kpb, audit }) {
    if (room.direct) throw new UserError("room.directCannotBind");
    if (roomKpb?.id === kpb!.id) return { text: t("room.alreadyBound", { kpb: kpb!.name }) };
    // Moving a room away from a KPB would show the new KPB's conferences to the old KPB's people (R9).
    if (roomKpb && !hasRole(caller.grants, ["organiser"], roomKpb.id)) throw new UserError("room.rebindNotAllowed", { kpb: roomKpb.name });
    tx.update(s.rooms).set({ kpbId: kpb!.id }).where(eq(s.rooms.id, room.id)).run();
    audit("room.bind", "room", room.id, { platform: room.platform, roomId: room.platformRoomId, kpbId: kpb!.id, previousKpbId: roomKpb?.id ?? null });
    return { text: roomKpb ? t("room.rebound", { old: roomKpb.name, kpb: kpb!.name }) : t("room.bound", { kpb: kpb!.name }) };
  },
});
