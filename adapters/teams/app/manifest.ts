// The Teams app manifest (schema 1.25), generated: the bot in personal, team and group-chat scope, and the
// command menus from the command declarations (src/app/registry.ts), at most ten per scope as Teams shows.
import { commands } from "../../../src/app/registry.ts";
import type { CommandDef } from "../../../src/app/command.ts";
import { translate } from "../../../src/messages/i18n/catalogue.ts";
import { ACCENT } from "./icons.ts";

export const MANIFEST_VERSION = "1.25";
const MAX_COMMANDS_PER_SCOPE = 10;

/**
 * Which commands each menu offers, by command id. In a 1:1 chat: what partners and the leadership use; in a
 * team channel or group chat: the organisers' work. Each must exist in the registry (checked below).
 */
export const MENUS: Record<"personal" | "team", readonly string[]> = {
  personal: ["help", "rsvp.accept", "rsvp.decline", "rsvp.tentative", "rsvp.delegate", "calendar.ics", "me", "language", "overview.kpb", "conference.list"],
  team: ["help", "conference.plan", "conference.invite", "conference.status", "conference.agenda", "conference.reschedule", "conference.list", "partner.list", "room.bind", "overview.kpb"],
};

export interface ManifestOptions {
  /** The Azure bot registration's app id (also the Teams app id). */
  appId: string;
  version: string;
  /** https URL of the operator (developer info, privacy, terms). */
  websiteUrl: string;
  developerName: string;
  /** Host names the app links to (the bot's public host, for the .ics links). */
  validDomains: string[];
}

function command(id: string): CommandDef {
  const found = commands.find((c) => c.id === id);
  if (!found) throw new Error(`teams manifest: no command ${id} in the registry`);
  return found;
}

function menu(ids: readonly string[]) {
  if (ids.length > MAX_COMMANDS_PER_SCOPE) throw new Error(`teams manifest: at most ${MAX_COMMANDS_PER_SCOPE} commands per scope`);
  return ids.map((id) => {
    const c = command(id);
    const description = translate("de", c.summary);
    return { title: c.names.de, description: description.length > 128 ? `${description.slice(0, 127)}…` : description };
  });
}

export function buildManifest(o: ManifestOptions): Record<string, unknown> {
  return {
    $schema: `https://developer.microsoft.com/en-us/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`,
    manifestVersion: MANIFEST_VERSION,
    version: o.version,
    id: o.appId,
    localizationInfo: { defaultLanguageTag: "de-de" },
    developer: { name: o.developerName.slice(0, 32), websiteUrl: o.websiteUrl, privacyUrl: o.websiteUrl, termsOfUseUrl: o.websiteUrl },
    name: { short: "siko-bot", full: "siko-bot – Sicherheitskonferenzen der Polizei NRW" },
    description: {
      short: "Sicherheitskonferenzen planen, einladen, Antworten sammeln",
      full: "siko-bot plant die Sicherheitskonferenzen der Kreispolizeibehörden in NRW: Einladungen an die Partnerbehörden mit Antwort-Schaltflächen und Kalenderdatei, Übersicht der Antworten, Erinnerungen an das jährliche Minimum. Sicherheitskonferenzen sind nicht öffentlich.",
    },
    icons: { color: "color.png", outline: "outline.png" },
    accentColor: ACCENT,
    bots: [
      {
        botId: o.appId,
        scopes: ["personal", "team", "groupChat"],
        supportsFiles: false,
        isNotificationOnly: false,
        commandLists: [
          { scopes: ["personal"], commands: menu(MENUS.personal) },
          { scopes: ["team", "groupChat"], commands: menu(MENUS.team) },
        ],
      },
    ],
    permissions: ["identity", "messageTeamMembers"],
    validDomains: o.validDomains,
  };
}
