// The bot as a real process, SIGKILLed where it hurts: once after the homeserver stored an invitation but before
// the bot heard back (so before its "delivered" mark), once in the middle of creating a direct room. Each time
// it is started again on the same SQLite file; in the end the homeserver holds each invitation once and each
// person has one direct room with the bot, because every event is sent with a txnId derived from its outbox
// key and the room creation was recorded before it was attempted.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIRECT_MARKER } from "../../adapters/matrix/matrixAdapter.ts";
import { openDatabase } from "../../src/db/client.ts";
import * as s from "../../src/db/schema.ts";
import { FakePlatform } from "../support/fakePlatform.ts";
import { startHarness } from "../support/harness.ts";
import { spawnMatrixBot, type MatrixBotProcess } from "../support/matrix/childMatrixBot.ts";
import { TestHomeserver, type HsUser, type RequestRecord } from "../support/matrix/homeserver.ts";
import { until } from "../support/matrix/people.ts";

let dir: string;
let file: string;
let hs: TestHomeserver;
let bot: HsUser;
let people: HsUser[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "siko-mx-crash-"));
  file = join(dir, "siko.db");
  hs = new TestHomeserver();
  await hs.listen();
  bot = hs.registerUser("siko", "siko-bot");
  people = ["anna", "markus", "petra"].map((n) => hs.registerUser(n));
  // The organiser's work, done before the bot process runs: the outbox holds three invitations to Matrix users.
  const h = startHarness({ file, adapters: [new FakePlatform("matrix")] });
  await h.ready;
  await h.say("kpb import nrw");
  await h.say('rolle geben chef organisator --kpb "PP Köln"');
  await h.say('raum binden "PP Köln"');
  const agencies = [
    ["Staatsanwaltschaft Köln", "staatsanwaltschaft"],
    ["Bundespolizeiinspektion Köln", "bundespolizei"],
    ["Stadt Köln", "kommune"],
  ];
  for (const [i, [agency, category]] of agencies.entries()) {
    await h.say(`partner anlegen "${agency}" --kategorie ${category}`);
    await h.say(`kontakt anlegen "${agency}" "Kontakt ${i + 1}" --matrix ${people[i]!.userId}`);
  }
  await h.say("planen 2027-03-15 10:00");
  expect(await h.say("einladen 1 --trotzdem")).toContain("3 Nachrichten sind zur Zustellung vorgemerkt");
  h.close();
});

afterAll(async () => {
  await hs?.close();
  rmSync(dir, { recursive: true, force: true });
});

function envFor(minutesLater: number): Record<string, string> {
  return {
    SIKO_DB_PATH: file,
    SIKO_MATRIX_HOMESERVER_URL: hs.url,
    SIKO_MATRIX_ACCESS_TOKEN: bot.accessToken,
    SIKO_OUTBOX_INTERVAL_MS: "100",
    // A restart comes after the lease of the killed process's row ran out (60 s): its clock is set later.
    ...(minutesLater > 0 ? { SIKO_SIMULATED_TIME: new Date(Date.now() + minutesLater * 60_000).toISOString() } : {}),
  };
}

/** Runs the bot until the homeserver has carried out the request `match` accepts, then SIGKILLs it before it hears back. */
async function killAt(minutesLater: number, match: (r: RequestRecord) => boolean): Promise<RequestRecord> {
  let proc: MatrixBotProcess | null = null;
  const held = new Promise<RequestRecord>((resolve) =>
    hs.holdAnswer(match, (record) => {
      proc!.child.kill("SIGKILL");
      resolve(record);
    }),
  );
  proc = spawnMatrixBot(envFor(minutesLater));
  const record = await Promise.race([held, proc.exited.then((e) => Promise.reject(new Error(`the bot exited early (${JSON.stringify(e)}): ${proc!.stderr()}`)))]);
  expect((await proc.exited).signal).toBe("SIGKILL");
  return record;
}

const invitationText = (r: RequestRecord) => r.method === "PUT" && /\/send\/m\.room\.message\//.test(r.path) && String((r.body as { body?: string })?.body).startsWith("Einladung");

function outboxStatuses(): string[] {
  const db = openDatabase(file);
  try {
    return db.db.select().from(s.outbox).all().filter((r) => r.platform === "matrix").map((r) => r.status);
  } finally {
    db.close();
  }
}

describe("the Matrix bot killed mid-send", () => {
  it("killed after the homeserver stored an invitation, and again while it created a direct room: each invitation is there once", async () => {
    // 1. The second invitation is stored, the answer never reaches the bot: SIGKILL.
    let invitations = 0;
    const first = await killAt(0, (r) => invitationText(r) && ++invitations === 2);
    expect(first.status).toBe(200);
    // The restart comes so late that the homeserver no longer knows the transaction ids (Synapse keeps them
    // about half an hour): the bot finds its event in the room's history instead of posting it again.
    hs.forgetTransactions();
    // 2. Restarted later: it resends that invitation (same txnId), and is killed while creating the third direct room.
    let rooms = 0;
    await killAt(10, (r) => r.method === "POST" && r.path.endsWith("/createRoom") && ++rooms === 1);
    const directRooms = () => hs.roomIds().filter((id) => hs.timeline(id).some((e) => e.type === DIRECT_MARKER));
    expect(directRooms()).toHaveLength(3); // the third was created; the bot never heard of it

    // 3. Restarted again: it finds the third room by its marker instead of creating a fourth, and delivers.
    const last = spawnMatrixBot(envFor(20));
    try {
      await until(() => outboxStatuses().every((st) => st === "delivered"), "every invitation delivered", 20_000);
    } finally {
      last.child.kill("SIGTERM");
      await last.exited;
    }

    expect(directRooms()).toHaveLength(3);
    expect(last.stderr()).toContain("found the direct room created before a crash");
    expect(last.stderr()).not.toContain(bot.accessToken);
    for (const person of people) {
      const [room, ...more] = directRooms().filter((id) => hs.timeline(id).some((e) => e.type === DIRECT_MARKER && e.content.user === person.userId));
      expect(more).toEqual([]);
      const timeline = hs.timeline(room!);
      const byBot = (pred: (e: (typeof timeline)[number]) => boolean) => timeline.filter((e) => e.sender === bot.userId && pred(e));
      expect(byBot((e) => e.type === "m.room.message" && String(e.content.body).startsWith("Einladung"))).toHaveLength(1);
      expect(byBot((e) => e.type === "m.room.message" && e.content.msgtype === "m.file")).toHaveLength(1);
      expect(byBot((e) => e.type === "m.reaction")).toHaveLength(3);
    }
    // The held invitation was not sent again: the restarted bot found it in the room's history.
    expect(hs.log.filter((r) => r.path === first.path)).toHaveLength(1);
  }, 60_000);

  it("killed while answering a command: after the restart the command had its effect once and its answer is there once", async () => {
    const orga = hs.registerUser("orga2", "Olga");
    const db = join(dir, "inbound.db");
    const env = { SIKO_DB_PATH: db, SIKO_MATRIX_HOMESERVER_URL: hs.url, SIKO_MATRIX_ACCESS_TOKEN: bot.accessToken, SIKO_ADMINS: orga.userId, SIKO_MATRIX_ALLOWED_INVITERS: hs.serverName };
    const call = async (method: string, path: string, body: unknown) =>
      (await (await fetch(hs.url + path, { method, headers: { Authorization: `Bearer ${orga.accessToken}`, "Content-Type": "application/json" }, body: JSON.stringify(body) })).json()) as Record<string, string>;
    const room = (await call("POST", "/_matrix/client/v3/createRoom", { name: "Leitungsstab", invite: [bot.userId] })).room_id!;
    const r = encodeURIComponent(room);
    let n = 0;
    const say = async (body: string) => (await call("PUT", `/_matrix/client/v3/rooms/${r}/send/m.room.message/c${++n}`, { msgtype: "m.text", body })).event_id!;
    const repliesTo = (eventId: string) => hs.timeline(room).filter((e) => e.sender === bot.userId && (e.content["m.relates_to"] as { event_id?: string } | undefined)?.event_id === eventId);

    const first = spawnMatrixBot(env);
    await until(() => hs.membership(room, bot.userId) === "join", "the bot joining", 20_000);
    for (const line of ["!siko kpb import nrw", `!siko rolle geben ${orga.userId} organisator --kpb "PP Köln"`, '!siko raum binden "PP Köln"']) {
      const id = await say(line);
      await until(() => repliesTo(id).length === 1, `the answer to ${line}`);
    }
    // The answer to `planen` is stored by the homeserver, but the bot dies before it hears back: the command
    // ran (its transaction committed), the sync token of that batch was not stored.
    const held = new Promise<RequestRecord>((resolve) =>
      hs.holdAnswer(
        (rec) => rec.method === "PUT" && rec.path.includes(r) && String((rec.body as { body?: string })?.body).includes("geplant"),
        (rec) => {
          first.child.kill("SIGKILL");
          resolve(rec);
        },
      ),
    );
    const plan = await say("!siko planen 2027-03-15 10:00");
    const heldReply = await held;
    await first.exited;

    const second = spawnMatrixBot(env);
    try {
      // The sync shows the command again; the core knows the event and gives back its first answer, which is
      // sent with the same txnId: the homeserver keeps the one it has.
      const check = await say("!siko liste 2027");
      await until(() => repliesTo(check).length === 1, "the restarted bot answering", 20_000);
      expect(repliesTo(plan)).toHaveLength(1);
      expect(repliesTo(plan)[0]!.content.body).toBe((heldReply.body as { body: string }).body);
      expect(String(repliesTo(check)[0]!.content.body)).toContain("SiKo #1");
      expect(String(repliesTo(check)[0]!.content.body)).not.toContain("SiKo #2");
    } finally {
      second.child.kill("SIGTERM");
      await second.exited;
    }
    const { sqlite, close } = openDatabase(db);
    try {
      expect((sqlite.prepare("SELECT count(*) AS n FROM conferences").get() as { n: number }).n).toBe(1);
      // The restarted bot saw the command again (its sync token had not been stored) and finished answering it.
      expect(sqlite.prepare("SELECT key FROM adapter_state WHERE platform = 'matrix' AND key = ?").get(`replied:${plan}`)).toBeTruthy();
    } finally {
      close();
    }
  }, 60_000);
});
