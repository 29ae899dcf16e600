// Configuration from the environment (and an optional JSON file named by SIKO_CONFIG_FILE), validated by one zod schema.
// Variable names are part of the operators' deployment files: keep them stable.
import { readFileSync } from "node:fs";
import * as z from "zod";
import { PLATFORMS } from "./domain/types.ts";
import { parseInstant } from "./domain/dates.ts";
import { dateErrorMessage } from "./messages/dates.ts";
import { translate } from "./messages/i18n/catalogue.ts";
import { DEFAULT_REMINDER_POLICY, reminderPolicySchema, type ReminderPolicy } from "./domain/reminderPolicy.ts";

const boolish = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

export const configSchema = z
  .object({
    SIKO_ADAPTERS: z
      .string()
      .default("console")
      .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean))
      .pipe(z.array(z.enum(PLATFORMS)).min(1)),
    SIKO_DB_PATH: z.string().min(1).default("./data/siko.db"),
    SIKO_LOCALE: z.enum(["de", "en"]).default("de"),
    SIKO_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    /** Unset: the server starts only if an adapter needs it (Teams, e-mail). true: also for the feeds and pages alone. */
    SIKO_HTTP_ENABLED: boolish.optional(),
    /** Loopback by default: the feeds carry confidential data and need TLS from a reverse proxy in front. */
    SIKO_HTTP_HOST: z.string().min(1).default("127.0.0.1"),
    SIKO_PUBLIC_URL: z.url().default("http://localhost:3978"),
    SIKO_ADMINS: z
      .string()
      .default("")
      .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean)),
    /** Starts a simulated clock at this instant (Berlin time unless it names a zone); the console's `/zeit` moves it. */
    SIKO_SIMULATED_TIME: z.string().optional(),
    SIKO_CONSOLE_USER: z.string().min(1).max(100).default("konsole"),
    /** Unset: "warn" on the console alone (the terminal is the chat), "info" when a chat platform is configured. */
    SIKO_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
    /** When set, /metrics answers only requests with `Authorization: Bearer <token>`. */
    SIKO_METRICS_TOKEN: z.string().min(16, "at least 16 characters").optional(),
    /** Folder of the nightly backups and of `sicherung`; unset: the bot takes no backups itself. */
    SIKO_BACKUP_DIR: z.string().min(1).optional(),
    SIKO_BACKUP_KEEP: z.coerce.number().int().min(1).max(1000).default(7),
    /** Delivered messages and audit details older than this are removed in the nightly round. */
    SIKO_RETENTION_YEARS: z.coerce.number().int().min(1).max(30).default(5),
    /** On SIGTERM the bot finishes the send in flight for at most this long, then exits anyway. */
    SIKO_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(10_000),
    SIKO_OUTBOX_INTERVAL_MS: z.coerce.number().int().min(50).default(2000),
    SIKO_RSVP_NOTICE_DELAY_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
    /** A JSON file overriding parts of the reminder policy (see reminderPolicySchema). */
    SIKO_REMINDER_POLICY_FILE: z.string().min(1).optional(),
    SIKO_SWEEP_INTERVAL_MS: z.coerce.number().int().min(1000).default(5 * 60_000),
    /** The iCalendar ORGANIZER of every KPB that set none of its own (`kalender organisator`). */
    SIKO_ORGANIZER_EMAIL: z.email().max(254).optional(),
    SIKO_MATRIX_HOMESERVER_URL: z.url().optional(),
    SIKO_MATRIX_ACCESS_TOKEN: z.string().min(1).optional(),
    SIKO_MATRIX_E2EE: boolish.default(false),
    /** User ids (`@a:example.org`) and server names (`example.org`) whose room invitations the bot accepts (besides SIKO_ADMINS). */
    SIKO_MATRIX_ALLOWED_INVITERS: z
      .string()
      .default("")
      .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean))
      .pipe(z.array(z.string().regex(/^(@[^:\s]+:[^\s]+|:?[A-Za-z0-9.-]+(:\d+)?)$/, "a Matrix user id (@name:server) or a server name (server.org)"))),
    /** Also offer an MSC3381 poll with each invitation (besides the reactions). */
    SIKO_MATRIX_POLLS: boolish.default(false),
    /** smtp://user:password@host:587 (STARTTLS when offered; `?requireTLS=true` insists) or smtps://…:465. */
    SIKO_SMTP_URL: z
      .url()
      .refine((u) => /^smtps?:\/\//i.test(u), "an smtp:// or smtps:// URL")
      .optional(),
    /** The From of every mail: `"Name" <address>` or an address. */
    SIKO_MAIL_FROM: z
      .string()
      .regex(/^(?:[^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, "an address, or \"Name\" <address>")
      .optional(),
    /** The organiser mailbox with the calendar programs' replies: imap://user:password@host:143/INBOX or imaps://…:993/INBOX. */
    SIKO_IMAP_URL: z
      .url()
      .refine((u) => /^imaps?:\/\//i.test(u), "an imap:// or imaps:// URL")
      .optional(),
    SIKO_IMAP_INTERVAL_MS: z.coerce.number().int().min(1000).default(60_000),
    SIKO_TEAMS_APP_ID: z.string().min(1).optional(),
    SIKO_TEAMS_APP_PASSWORD: z.string().min(1).optional(),
    /** What the Azure bot registration is: new registrations are single tenant (the tenant id is then required). */
    SIKO_TEAMS_APP_TYPE: z.enum(["SingleTenant", "MultiTenant", "UserAssignedMSI"]).default("SingleTenant"),
    SIKO_TEAMS_TENANT_ID: z.string().min(1).optional(),
    /** Tenants whose activities are taken; by default the bot's own tenant (SIKO_TEAMS_TENANT_ID), when set. */
    SIKO_TEAMS_ALLOWED_TENANTS: z
      .string()
      .default("")
      .transform((v) => v.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean)),
    /** Only for a local try-out (Agents Playground): requests are not authenticated without app credentials. */
    SIKO_TEAMS_ALLOW_ANONYMOUS: boolish.default(false),
    /** How long the download link of an invitation's .ics in Teams works. */
    SIKO_TEAMS_ICS_LINK_DAYS: z.coerce.number().int().min(1).max(365).default(60),
  })
  .superRefine((c, ctx) => {
    // Said at start rather than overridden in silence: Teams posts to the server, e-mail answers open a page on it.
    for (const needs of ["teams", "email"] as const)
      if (c.SIKO_HTTP_ENABLED === false && c.SIKO_ADAPTERS.includes(needs))
        ctx.addIssue({ code: "custom", path: ["SIKO_HTTP_ENABLED"], message: `the ${needs} adapter needs the HTTP server; remove SIKO_HTTP_ENABLED=false` });
    if (c.SIKO_ADAPTERS.includes("teams") && !c.SIKO_TEAMS_ALLOW_ANONYMOUS) {
      const needed: Array<"SIKO_TEAMS_APP_ID" | "SIKO_TEAMS_APP_PASSWORD" | "SIKO_TEAMS_TENANT_ID"> = ["SIKO_TEAMS_APP_ID", ...(c.SIKO_TEAMS_APP_TYPE === "UserAssignedMSI" ? [] : ["SIKO_TEAMS_APP_PASSWORD" as const]), ...(c.SIKO_TEAMS_APP_TYPE === "MultiTenant" ? [] : ["SIKO_TEAMS_TENANT_ID" as const])];
      for (const key of needed)
        if (!c[key]) ctx.addIssue({ code: "custom", path: [key], message: `required when SIKO_ADAPTERS contains teams (${c.SIKO_TEAMS_APP_TYPE}); SIKO_TEAMS_ALLOW_ANONYMOUS=true runs without authentication, for a local try-out only` });
    }
    if (c.SIKO_ADAPTERS.includes("email")) {
      for (const key of ["SIKO_SMTP_URL", "SIKO_MAIL_FROM"] as const) {
        if (!c[key]) ctx.addIssue({ code: "custom", path: [key], message: "required when SIKO_ADAPTERS contains email" });
      }
    }
    if (c.SIKO_ADAPTERS.includes("matrix")) {
      for (const key of ["SIKO_MATRIX_HOMESERVER_URL", "SIKO_MATRIX_ACCESS_TOKEN"] as const) {
        if (!c[key]) ctx.addIssue({ code: "custom", path: [key], message: "required when SIKO_ADAPTERS contains matrix" });
      }
    }
  })
  .transform((c, ctx) => {
    if (c.SIKO_SIMULATED_TIME === undefined) return { ...c, SIKO_SIMULATED_TIME: undefined };
    const parsed = parseInstant(c.SIKO_SIMULATED_TIME);
    if (parsed.ok) return { ...c, SIKO_SIMULATED_TIME: parsed.value.instant };
    // Whoever tries the bot with a simulated clock reads the reason in the bot's language.
    const m = dateErrorMessage(parsed.error);
    ctx.addIssue({ code: "custom", path: ["SIKO_SIMULATED_TIME"], message: translate(c.SIKO_LOCALE, m.key, m.params) });
    return z.NEVER;
  });

export type Config = z.output<typeof configSchema>;

/** Whether the HTTP server (feeds, pages, health check) runs: when enabled, or when Teams (its endpoint) or e-mail (the answer page) needs it. */
export function httpServerWanted(c: Config): boolean {
  return c.SIKO_HTTP_ENABLED === true || c.SIKO_ADAPTERS.includes("teams") || c.SIKO_ADAPTERS.includes("email");
}

export class ConfigError extends Error {}

/** Reads the configuration; a wrong value throws a ConfigError naming the variable and what is allowed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  let fromFile: Record<string, unknown> = {};
  if (env.SIKO_CONFIG_FILE) {
    try {
      fromFile = z.record(z.string(), z.unknown()).parse(JSON.parse(readFileSync(env.SIKO_CONFIG_FILE, "utf8")));
    } catch (e) {
      throw new ConfigError(`SIKO_CONFIG_FILE: cannot read ${env.SIKO_CONFIG_FILE} as a JSON object (${(e as Error).message})`);
    }
  }
  // The environment wins over the file, so a deployment can override one value without editing the file.
  const merged: Record<string, unknown> = { ...stringify(fromFile) };
  for (const [k, v] of Object.entries(env)) if (k.startsWith("SIKO_") && v !== undefined && v !== "") merged[k] = v;
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    // Name the variable itself (`SIKO_ADAPTERS`, not `SIKO_ADAPTERS.1` for the second list entry).
    const lines = result.error.issues.map((i) => `${String(i.path[0] ?? "(config)")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join("\n  ")}`);
  }
  return result.data;
}

function stringify(o: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : String(v)]));
}

/** The reminder policy: the documented defaults, with what SIKO_REMINDER_POLICY_FILE overrides. */
export function loadReminderPolicy(config: Pick<Config, "SIKO_REMINDER_POLICY_FILE">): ReminderPolicy {
  const file = config.SIKO_REMINDER_POLICY_FILE;
  if (!file) return DEFAULT_REMINDER_POLICY;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new ConfigError(`SIKO_REMINDER_POLICY_FILE: cannot read ${file} as JSON (${(e as Error).message})`);
  }
  const parsed = reminderPolicySchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join(".") || "(policy)"}: ${i.message}`);
    throw new ConfigError(`SIKO_REMINDER_POLICY_FILE ${file}:\n  ${lines.join("\n  ")}`);
  }
  return parsed.data;
}
