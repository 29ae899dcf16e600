// The Teams app package: a manifest valid against Microsoft's published schema 1.25 (as Microsoft ships it in
// the npm package @microsoft/app-manifest, so the test runs offline), its command menus generated from the command declarations,
// and the two icons Teams asks for, made by the project.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { inflateSync } from "node:zlib";
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { commands } from "../../src/app/registry.ts";
import { MENUS } from "../../adapters/teams/app/manifest.ts";
import { packageFiles, teamsPackage } from "../../adapters/teams/app/package.ts";

const require = createRequire(import.meta.url);
const Ajv = require("ajv-draft-04") as typeof import("ajv-draft-04").default;
const addFormats = require("ajv-formats") as typeof import("ajv-formats").default;
const schema = JSON.parse(readFileSync(new URL("../../node_modules/@microsoft/app-manifest/build/json-schemas/teams/v1.25/MicrosoftTeams.schema.json", import.meta.url), "utf8")) as object;

const INPUT = { appId: "3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b", publicUrl: "https://siko.polizei.example" };

function decodePng(buf: Uint8Array): { width: number; height: number; rgba: (x: number, y: number) => number[] } {
  const b = Buffer.from(buf);
  expect(b.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = b.readUInt32BE(16);
  const height = b.readUInt32BE(20);
  expect([b[24], b[25]]).toEqual([8, 6]); // 8-bit RGBA
  const idat: Buffer[] = [];
  for (let at = 8; at < b.length; ) {
    const len = b.readUInt32BE(at);
    if (b.toString("ascii", at + 4, at + 8) === "IDAT") idat.push(b.subarray(at + 8, at + 8 + len));
    at += len + 12;
  }
  const raw = inflateSync(Buffer.concat(idat));
  return { width, height, rgba: (x, y) => [...raw.subarray(y * (width * 4 + 1) + 1 + x * 4, y * (width * 4 + 1) + 5 + x * 4)] };
}

describe("Teams app package", () => {
  const files = packageFiles(INPUT);
  const manifest = JSON.parse(new TextDecoder().decode(files["manifest.json"])) as {
    manifestVersion: string;
    bots: Array<{ botId: string; scopes: string[]; commandLists: Array<{ scopes: string[]; commands: Array<{ title: string }> }> }>;
  };

  it("the manifest is valid against the published Teams manifest schema 1.25", () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const ok = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(manifest.manifestVersion).toBe("1.25");
  });

  it("a broken manifest is refused by the same check (the validation is real)", () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    expect(ajv.validate(schema, { ...manifest, id: "not-a-guid" })).toBe(false);
  });

  it("has the bot in personal, team and group-chat scope with at most ten commands per scope, named as the commands are", () => {
    const bot = manifest.bots[0]!;
    expect(bot.botId).toBe(INPUT.appId);
    expect(bot.scopes.sort()).toEqual(["groupChat", "personal", "team"]);
    const germanNames = new Set(commands.map((c) => c.names.de));
    for (const list of bot.commandLists) {
      expect(list.commands.length).toBeLessThanOrEqual(10);
      for (const c of list.commands) expect(germanNames).toContain(c.title);
    }
    expect(bot.commandLists.map((l) => l.commands.map((c) => c.title))).toEqual([MENUS.personal, MENUS.team].map((ids) => ids.map((id) => commands.find((c) => c.id === id)!.names.de)));
  });

  it("ships a 192×192 colour icon and a 32×32 outline icon that is white on transparent", () => {
    const color = decodePng(files["color.png"]!);
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = decodePng(files["outline.png"]!);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    let drawn = 0;
    for (let y = 0; y < 32; y++)
      for (let x = 0; x < 32; x++) {
        const [r, g, b, a] = outline.rgba(x, y);
        if (a === 0) continue;
        drawn++;
        expect([r, g, b]).toEqual([255, 255, 255]);
      }
    expect(drawn).toBeGreaterThan(60);
  });

  it("zips exactly the manifest and the two icons, the same bytes for the same input", () => {
    const zip = teamsPackage(INPUT);
    expect(Object.keys(unzipSync(zip)).sort()).toEqual(["color.png", "manifest.json", "outline.png"]);
    expect(Buffer.from(teamsPackage(INPUT)).equals(Buffer.from(zip))).toBe(true);
  });
});
