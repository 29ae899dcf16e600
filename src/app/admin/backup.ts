// `sicherung` / `backup`: an admin asks for a backup now; the housekeeping round takes it (SQLite's online
// backup cannot run inside the command's transaction) and answers where the file is.
import { randomUUID } from "node:crypto";
import * as z from "zod";
import { requestBackup } from "../../db/backupRequests.ts";
import { defineCommand, UserError } from "../command.ts";

export const backup = defineCommand({
  id: "admin.backup",
  names: { de: "sicherung", en: "backup" },
  summary: "cmd.backup",
  args: [],
  flags: [],
  input: z.object({}),
  access: { kind: "global", roles: ["admin"] },
  run({ tx, t, locale, room, settings, audit }) {
    if (!settings.backupDir) throw new UserError("backup.noDir");
    const id = randomUUID();
    requestBackup(tx, { id, to: { platform: room.platform, kind: "room", id: room.platformRoomId }, locale });
    audit("backup.request", "installation", null, { id });
    return { text: t("backup.requested", { dir: settings.backupDir }) };
  },
});
