// Delivery over Matrix when things go wrong: a homeserver that rate-limits (429 with retry_after_ms) and a
// proxy answering 502 for a few seconds delay invitations but neither lose nor duplicate them; a person who
// rejects the bot's direct room becomes unreachable (parked, reported to the organisers) until they write to
// the bot again; an answer given while the bot was down counts after its restart, even when the sync cannot
// show it any more; and, with SIKO_MATRIX_POLLS, a poll answers like the reactions.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIRECT_MARKER } from "../../adapters/matrix/matrixAdapter.ts";
import * as s from "../../src/db/schema.ts";
import type { MatrixEvent } from "../support/matrix/homeserver.ts";
import { until, type Person } from "../support/matrix/people.ts";
import { startWorld, type World } from "../support/matrix/world.ts";

let w: World;
let orga: Person, anna: Person, markus: Person, petra: Person;
let kpbRoom: string;

beforeAll(async () => {
  w = await startWorld(["orga", "anna", "markus", "petra"], { polls: true });
  [orga, anna, markus, petra] = (["orga", "anna", "markus", "petra"] as const).map((n) => w.people[n]!) as [Person, Person, Person, Person];
  anna.autoJoin = false; // Anna will reject the bot's direct room
  await w.h.say("kpb import nrw");
  await w.h.say(`rolle geben ${orga.id} organisator --kpb "PP Köln"`);
  ({ room_id: kpbRoom } = await orga.client.createRoom({ name: "Leitungsstab PP Köln", invite: [w.bot.userId] }));
  await until(() => w.hs.membership(kpbRoom, w.bot.userId) === "join", "the bot joining the KPB room");
  await w.command(orga, kpbRoom, '!siko raum binden "PP Köln"');
  for (const [agency, category, person] of [
    ["Staatsanwaltschaft Köln", "staatsanwaltschaft", anna],
    ["Bundespolizeiinspektion Köln", "bundespolizei", markus],
    ["Stadt Köln", "kommune", petra],
  ] as const) {
    await w.command(orga, kpbRoom, `!siko partner anlegen "${agency}" --kategorie ${category}`);
    await w.command(orga, kpbRoom, `!siko kontakt anlegen "${agency}" "${person.id}" --matrix ${person.id}`);
  }
  await w.command(orga, kpbRoom, "!siko planen 2027-03-15 10:00");
});
afterAll(async () => w?.stop());

function directRoomOf(person: Person): string | undefined {
  const rooms = w.hs.roomIds().filter((id) => w.hs.timeline(id).some((e) => e.type === DIRECT_MARKER && e.content.user === person.id));
  return rooms.at(-1);
}

function botMessages(roomId: string, pred: (e: MatrixEvent) => boolean): MatrixEvent[] {
  return w.hs.timeline(roomId).filter((e) => e.sender === w.bot.userId && pred(e));
}

const isInvitation = (e: MatrixEvent) => e.type === "m.room.message" && String(e.content.body).startsWith("Einladung");
/** The change notice after `verschieben` (not the edit that marks the old invitation as moved). */
const isChangeNotice = (e: MatrixEvent) => e.type === "m.room.message" && String(e.content.body).startsWith("Geändert");

function outbox(kind: string) {
  return w.h.db.select().from(s.outbox).all().filter((r) => r.platform === "matrix" && r.kind === kind && r.operation === "send");
}

describe("Matrix delivery under trouble", () => {
  it("429 with retry_after_ms and 502 for a few seconds delay the invitations but neither lose nor duplicate them", async () => {
    const start = w.hs.log.length;
    // Every request but the sync gets 502 for two seconds (a proxy whose homeserver restarts), and after that
    // the first three sends are rate-limited.
    w.hs.inject({ path: /^\/_matrix\/(client\/v3\/(createRoom|rooms|user)|media)/, fault: { status: 502 }, until: Date.now() + 2_000 });
    w.hs.inject({ method: "PUT", path: /\/send\//, fault: { status: 429, retryAfterMs: 700 }, times: 3 });
    await w.command(orga, kpbRoom, "!siko einladen 1 --trotzdem");
    await w.deliverUntil(() => outbox("invitation").every((r) => r.status === "delivered") && outbox("invitation").length === 3, "all invitations delivered", 20_000);
    w.hs.clearFaults();

    const answered = w.hs.log.slice(start).map((r) => r.status);
    expect(answered).toContain(502);
    expect(answered.filter((st) => st === 429)).toHaveLength(3);
    const limited = w.hs.log.slice(start).find((r) => r.status === 429)!;
    expect(limited.response).toEqual({ errcode: "M_LIMIT_EXCEEDED", error: "Too many requests", retry_after_ms: 700 });
    // "Not now" is no attempt: each row went out on its first counted attempt.
    expect(outbox("invitation").map((r) => r.attempts)).toEqual([1, 1, 1]);
    for (const person of [anna, markus, petra]) {
      const room = directRoomOf(person)!;
      expect(botMessages(room, isInvitation)).toHaveLength(1);
      expect(botMessages(room, (e) => e.type === "m.reaction")).toHaveLength(3);
      expect(botMessages(room, (e) => e.content.msgtype === "m.file")).toHaveLength(1);
    }
    // Each person has one direct room with the bot.
    expect(w.hs.roomIds().filter((id) => w.hs.timeline(id).some((e) => e.type === DIRECT_MARKER))).toHaveLength(3);
  });

  it("a poll (SIKO_MATRIX_POLLS) answers like the reactions", async () => {
    const room = directRoomOf(petra)!;
    const poll = await until(() => w.hs.timeline(room).find((e) => e.type === "org.matrix.msc3381.poll.start"), "the poll");
    const start = poll.content["org.matrix.msc3381.poll.start"] as { answers: Array<{ id: string; "org.matrix.msc1767.text": string }> };
    expect(start.answers.map((a) => a["org.matrix.msc1767.text"])).toEqual(["Zusage", "Absage", "Vorbehalt"]);
    expect(String(poll.content["org.matrix.msc1767.text"])).toContain("1. Zusage");
    await until(() => w.hs.membership(room, petra.id) === "join", "Petra joining");
    await petra.client.sendEvent(room, "org.matrix.msc3381.poll.response" as never, {
      "m.relates_to": { rel_type: "m.reference", event_id: poll.event_id },
      "org.matrix.msc3381.poll.response": { answers: ["tentative"] },
    } as never);
    await until(() => w.threadReplies(room, poll.event_id).length > 0, "the confirmation of Petra's poll answer");
    expect(await w.command(orga, kpbRoom, "!siko status 1")).toMatch(/Stadt Köln[^\n]*Vorbehalt/);
  });

  it("a person who rejects the direct room is unreachable: later messages wait and the organisers hear of it", async () => {
    const room = directRoomOf(anna)!;
    await until(() => anna.invitedTo.includes(room), "Anna's invitation to the direct room");
    await anna.client.leave(room);
    await until(() => w.hs.membership(room, anna.id) === "leave", "Anna's rejection");
    // The bot takes the rejection from its sync; a command after it makes sure it was handled.
    await w.command(orga, kpbRoom, "!siko ich");
    await w.command(orga, kpbRoom, "!siko verschieben 1 2027-03-22 10:00");
    await w.deliverUntil(() => outbox("update").find((r) => r.addressId === anna.id)?.status === "parked", "the update to Anna parked");
    expect(botMessages(room, isChangeNotice)).toHaveLength(0);
    await w.deliverUntil(
      () => botMessages(kpbRoom, (e) => String(e.content.body).includes("konnte nicht zugestellt werden") && String(e.content.body).includes(anna.id)).length > 0,
      "the organisers' delivery report",
    );
  });

  it("when she writes to the bot again, she gets a new direct room and what waited for her", async () => {
    anna.autoJoin = true;
    // Element opens a direct chat as an encrypted room the bot cannot read; the bot declines it and opens its own.
    const { room_id: hers } = await anna.client.createRoom({
      is_direct: true,
      invite: [w.bot.userId],
      preset: "trusted_private_chat" as never,
      initial_state: [{ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }],
    });
    await until(() => w.hs.membership(hers, w.bot.userId) === "leave", "the bot declining her encrypted room");
    const fresh = await w.deliverUntil(() => {
      const id = directRoomOf(anna);
      return id && botMessages(id, isChangeNotice).length === 1 && outbox("update").find((r) => r.addressId === anna.id)?.status === "delivered" ? id : null;
    }, "the update in a new direct room");
    expect(w.hs.timeline(fresh).some((e) => e.type === "m.room.encryption")).toBe(false);
    expect(fresh).not.toBe(hers);
  });

  it("an answer given while the bot was down counts after its restart, though the sync shows it no more", async () => {
    const room = directRoomOf(markus)!;
    const update = await w.deliverUntil(() => botMessages(room, isChangeNotice)[0], "Markus's change notice");
    await until(() => markus.client.getRoom(room)?.findEventById(update.event_id), "Markus seeing the change notice");
    let reaction = "";
    await w.restartAdapter(async () => {
      reaction = await markus.react(room, update.event_id, "✅");
      // More than the sync's timeline holds: the reaction is out of sight of an incremental sync.
      for (let i = 0; i < 60; i++) await markus.client.sendEvent(room, "m.room.message" as never, { msgtype: "m.notice", body: `Notiz ${i}` } as never);
    });
    await until(() => w.threadReplies(room, update.event_id).length > 0, "the confirmation of the answer given while the bot was down");
    expect(String(w.threadReplies(room, update.event_id)[0]!.content.body)).toContain("Zusage");
    const seen = w.h.sqlite.prepare("SELECT count(*) AS n FROM processed_events WHERE event_id = ?").get(reaction) as { n: number };
    expect(seen.n).toBe(1);
    expect(await w.command(orga, kpbRoom, "!siko status 1")).toMatch(/Bundespolizeiinspektion Köln[^\n]*Zusage/);
  });

  it("a send the homeserver refused before storing anything (429) is retried without reading the room's history", async () => {
    const before = Math.max(...w.h.db.select().from(s.outbox).all().map((r) => r.id));
    await w.command(orga, kpbRoom, '!siko ort 1 "Rathaus, Saal 2"');
    const start = w.hs.log.length;
    w.hs.inject({ method: "PUT", path: /\/send\//, fault: { status: 429, retryAfterMs: 200 }, times: 1 });
    const notices = () => outbox("update").filter((r) => r.id > before);
    await w.deliverUntil(() => notices().length === 3 && notices().every((r) => r.status === "delivered"), "the place notices delivered");
    w.hs.clearFaults();
    const since = w.hs.log.slice(start);
    expect(since.filter((r) => r.status === 429)).toHaveLength(1);
    expect(since.filter((r) => r.method === "GET" && /\/messages/.test(r.path))).toEqual([]);
    for (const person of [anna, markus, petra]) expect(botMessages(directRoomOf(person)!, (e) => String(e.content.body).includes("Rathaus, Saal 2") && !e.content["m.new_content"])).toHaveLength(1);
  });
});
