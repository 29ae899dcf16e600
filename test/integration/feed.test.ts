// The calendar feed over real HTTP: the real server on an ephemeral loopback port, the real feed service on an
// in-memory database filled through the real commands, and fetch as the client.
import ICAL from "ical.js";
import { request } from "node:http";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFeedService } from "../../src/app/calendar/feed.ts";
import { loadDemo } from "../../src/app/demo.ts";
import { startHttpServer, type RunningHttpServer } from "../../src/http/server.ts";
import { ADMIN, REFERENCE_DIR, startHarness, type Harness, type Speaker } from "../support/harness.ts";

const KOELN: Speaker = { user: "orga", room: "lage" };
const DDORF: Speaker = { user: ADMIN.user, room: "ddorf" };
const KOELN_DM: Speaker = { user: KOELN.user, room: "dm-orga", direct: true };
const NOT_FOUND = "Not Found\n";

let h: Harness;
let http: RunningHttpServer;
let base: string;
let koelnToken: string;
let ddorfToken: string;
const uids = { koeln: [] as string[], ddorf: [] as string[] };

/** The path and query of the link the bot printed, against the test server. */
function linkOf(answer: string): string {
  const m = /http:\/\/localhost:3978(\/calendar\/[a-z0-9-]+\.ics\?token=[A-Za-z0-9_-]+)/.exec(answer);
  if (!m) throw new Error(`no link in: ${answer}`);
  return m[1]!;
}

function tokenOf(path: string): string {
  return new URL(path, "http://x").searchParams.get("token")!;
}

function uidOf(id: number): string {
  return h.sqlite.prepare("SELECT id, created_at AS c FROM conferences WHERE id = ?").all(id).map((r) => `siko-${id}-${(r as { c: number }).c}@siko-bot`)[0]!;
}

function feedUids(text: string): string[] {
  const cal = new ICAL.Component(ICAL.parse(text));
  return cal.getAllSubcomponents("vevent").map((e) => String(e.getFirstPropertyValue("uid")));
}

beforeAll(async () => {
  h = startHarness();
  await h.say("hilfe", ADMIN);
  h.db.transaction((tx) => loadDemo(tx, REFERENCE_DIR, h.clock.now(), { platform: "console", userId: KOELN.user, roomId: KOELN.room }));
  await h.say("raum binden duesseldorf", DDORF);
  await h.say("planen 2027-03-15 10:00", KOELN); // Köln #1 (id 1)
  await h.say("einladen 1", KOELN);
  await h.say("planen 2027-05-10 10:00", DDORF); // Düsseldorf #1 (id 2): numbers are per KPB
  await h.say("planen 2027-09-20 09:00", KOELN); // Köln #2 (id 3)
  await h.say("absagen 2", KOELN);
  uids.koeln = [uidOf(1), uidOf(3)];
  uids.ddorf = [uidOf(2)];
  // In a direct chat the link is the answer itself (from a group room it comes as a direct message).
  koelnToken = tokenOf(linkOf(await h.say("kalender link", KOELN_DM)));
  ddorfToken = tokenOf(linkOf(await h.say("kalender link --kpb duesseldorf", { user: DDORF.user, room: "dm-chef", direct: true })));

  const feed = createFeedService({ db: h.db, clock: h.clock, publicUrl: "http://localhost:3978", locale: "de" });
  http = await startHttpServer({ feed, logger: pino({ level: "silent" }) }, { port: 0, host: "127.0.0.1" });
  base = `http://127.0.0.1:${http.port}`;
});

afterAll(async () => {
  await http?.close();
  h?.close();
});

async function get(path: string, init?: RequestInit): Promise<{ status: number; headers: Headers; body: string }> {
  const res = await fetch(base + path, { redirect: "manual", ...init });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

describe("GET /calendar/<kpb>.ics", () => {
  it("with the right token: 200, text/calendar, not cacheable, and only that KPB's conferences", async () => {
    const res = await get(`/calendar/koeln.ics?token=${koelnToken}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-powered-by")).toBeNull();
    expect(res.headers.get("etag")).toBeNull();
    expect(feedUids(res.body).sort()).toEqual([...uids.koeln].sort());
    expect(res.body).toContain("STATUS:CANCELLED"); // Köln #2 stays in the feed, marked cancelled
    expect(res.body).not.toContain("Düsseldorf");
    expect(res.body).not.toMatch(/^ATTENDEE/m);

    const other = await get(`/calendar/duesseldorf.ics?token=${ddorfToken}`);
    expect(other.status).toBe(200);
    expect(feedUids(other.body)).toEqual(uids.ddorf);
  });

  it("answers a wrong, missing, foreign or malformed token with the same bare 404", async () => {
    const wrong = koelnToken.slice(0, -2) + (koelnToken.endsWith("AA") ? "BB" : "AA");
    for (const path of [
      `/calendar/koeln.ics?token=${wrong}`,
      "/calendar/koeln.ics",
      "/calendar/koeln.ics?token=",
      `/calendar/koeln.ics?token=${ddorfToken}`, // another KPB's token
      `/calendar/koeln.ics?token=${koelnToken}&token=${koelnToken}`, // an array, not a string
      `/calendar/koeln.ics?token=${koelnToken}%0A`,
      `/calendar/koeln.ics?Token=${koelnToken}`,
      `/calendar/koeln?token=${koelnToken}`,
      `/calendar/koeln.ics.ics?token=${koelnToken}`,
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).toBe(NOT_FOUND);
      expect(res.headers.get("content-type"), path).toBe("text/plain; charset=utf-8");
      expect(res.headers.get("cache-control"), path).toBe("no-store");
    }
  });

  it("answers an unknown KPB exactly like a wrong token", async () => {
    const unknown = await get(`/calendar/atlantis.ics?token=${koelnToken}`);
    const wrong = await get(`/calendar/koeln.ics?token=${ddorfToken}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toBe(wrong.body);
    expect([...unknown.headers.entries()].filter(([k]) => k !== "date")).toEqual([...wrong.headers.entries()].filter(([k]) => k !== "date"));
  });

  it("after `kalender erneuern` refuses the old token at once and serves the new one", async () => {
    const before = koelnToken;
    const fresh = tokenOf(linkOf(await h.say("kalender erneuern", KOELN_DM)));
    koelnToken = fresh;
    expect((await get(`/calendar/koeln.ics?token=${before}`)).status).toBe(404);
    const res = await get(`/calendar/koeln.ics?token=${fresh}`);
    expect(res.status).toBe(200);
    expect(feedUids(res.body).sort()).toEqual([...uids.koeln].sort());
    // the other KPB's link is untouched
    expect((await get(`/calendar/duesseldorf.ics?token=${ddorfToken}`)).status).toBe(200);
  });

  it("shows a change made after the first fetch", async () => {
    await h.say("verschieben 1 2027-03-29 09:00", KOELN);
    const res = await get(`/calendar/koeln.ics?token=${koelnToken}`);
    expect(res.body).toContain("DTSTART;TZID=Europe/Berlin:20270329T090000");
  });
});

describe("other routes", () => {
  it("GET /healthz is 200 JSON", async () => {
    const res = await get("/healthz");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(JSON.parse(res.body)).toEqual({ status: "ok" });
  });

  it("everything else is 404, other methods too", async () => {
    for (const [method, path] of [
      ["GET", "/"],
      ["GET", "/calendar/"],
      ["GET", "/calendar"],
      ["GET", "/../etc/passwd"],
      ["DELETE", `/calendar/koeln.ics?token=${koelnToken}`],
      ["PUT", "/healthz"],
    ] as const) {
      const res = await get(path, { method });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body).toBe(NOT_FOUND);
    }
  });

  it("refuses request bodies unread, and oversized headers", async () => {
    const post = await get("/healthz", { method: "POST", body: "x".repeat(100_000) });
    expect(post.status).toBe(413);
    expect(post.body).toBe("Payload Too Large\n");
    const big = await new Promise<number>((resolve, reject) => {
      const req = request(`${base}/healthz`, { headers: { "x-filler": "y".repeat(20_000) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    expect(big).toBe(431);
  });

  it("answers a malformed URL without a stack trace", async () => {
    const res = await get("/calendar/%E0%A4%A.ics?token=x");
    expect([400, 404]).toContain(res.status);
    expect(res.body).not.toMatch(/at |Error|node_modules/);
  });
});
