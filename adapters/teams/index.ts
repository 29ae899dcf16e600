// Entry of the Teams adapter for the composition root (src/main.ts loads it only when SIKO_ADAPTERS names teams).
import type { Config } from "../../src/config.ts";
import { TeamsAdapter } from "./teamsAdapter.ts";

export function createTeamsAdapter(config: Config, env: Record<string, string | undefined> = process.env): TeamsAdapter {
  const allowed = config.SIKO_TEAMS_ALLOWED_TENANTS.length ? config.SIKO_TEAMS_ALLOWED_TENANTS : config.SIKO_TEAMS_TENANT_ID ? [config.SIKO_TEAMS_TENANT_ID.toLowerCase()] : [];
  return new TeamsAdapter({
    appId: config.SIKO_TEAMS_APP_ID,
    appPassword: config.SIKO_TEAMS_APP_PASSWORD,
    appType: config.SIKO_TEAMS_APP_TYPE,
    tenantId: config.SIKO_TEAMS_TENANT_ID,
    allowedTenants: allowed,
    allowAnonymous: config.SIKO_TEAMS_ALLOW_ANONYMOUS,
    env,
    defaultLocale: config.SIKO_LOCALE,
    icsLinkDays: config.SIKO_TEAMS_ICS_LINK_DAYS,
  });
}
