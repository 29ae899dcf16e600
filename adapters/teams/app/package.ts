// `npm run teams:package`: the Teams app package (manifest.json, color.png, outline.png) as a zip to sideload
// or to upload in the Teams admin center. Reads SIKO_TEAMS_APP_ID and SIKO_PUBLIC_URL like the bot;
// SIKO_TEAMS_APP_VERSION, SIKO_TEAMS_DEVELOPER_NAME and SIKO_TEAMS_DEVELOPER_URL are optional.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { zipSync } from "fflate";
import { buildManifest } from "./manifest.ts";
import { colorIcon, outlineIcon } from "./icons.ts";

export interface PackageInput {
  appId: string;
  publicUrl: string;
  version?: string;
  developerName?: string;
  developerUrl?: string;
}

/** The files of the package, by name. */
export function packageFiles(input: PackageInput): Record<string, Uint8Array> {
  const publicUrl = new URL(input.publicUrl);
  const website = input.developerUrl ?? (publicUrl.protocol === "https:" ? publicUrl.origin : "https://polizei.nrw");
  const manifest = buildManifest({
    appId: input.appId,
    version: input.version ?? "1.0.0",
    websiteUrl: website,
    developerName: input.developerName ?? "Polizei NRW",
    validDomains: publicUrl.hostname === "localhost" ? [] : [publicUrl.hostname],
  });
  return {
    "manifest.json": new TextEncoder().encode(JSON.stringify(manifest, null, 2) + "\n"),
    "color.png": colorIcon(),
    "outline.png": outlineIcon(),
  };
}

export function teamsPackage(input: PackageInput): Uint8Array {
  // A fixed file time keeps the zip the same for the same input.
  return zipSync(packageFiles(input), { mtime: new Date("2026-01-01T00:00:00Z") });
}

const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const appId = process.env.SIKO_TEAMS_APP_ID ?? "";
  if (!GUID.test(appId)) {
    process.stderr.write("teams:package: SIKO_TEAMS_APP_ID must be the bot registration's app id (a GUID)\n");
    process.exit(2);
  }
  const out = resolve(process.argv[2] ?? "out/siko-bot-teams.zip");
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    teamsPackage({
      appId,
      publicUrl: process.env.SIKO_PUBLIC_URL ?? "http://localhost:3978",
      version: process.env.SIKO_TEAMS_APP_VERSION,
      developerName: process.env.SIKO_TEAMS_DEVELOPER_NAME,
      developerUrl: process.env.SIKO_TEAMS_DEVELOPER_URL,
    }),
  );
  process.stdout.write(`${out}\n`);
}
