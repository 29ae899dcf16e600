// Answers given while the bot was down, read back at its start from the invitations' relations: for an agency
// with two contacts, each with their own copy of the invitation, the answer given last counts, whichever copy
// it was given on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIRECT_MARKER } from "../../adapters/matrix/matrixAdapter.ts";
import type { MatrixEvent } from "../support/matrix/homeserver.ts";
import { until, type Person } from "../support/matrix/people.ts";
import { startWorld, type World } from "../support/matrix/world.ts";

let w: World;
let orga: Person, petra: Person, paul: Person;
let kpbRoom: string;

beforeAll(async () => {
  w = await startWorld(["orga", "petra", "paul"]);
  [orga, petra, paul] = (["orga", "petra", "paul"] as const).map((n) => w.people[n]!) as [Person, Person, Person];
  await w.h.say("kpb import nrw");
  await w.h.say(`rolle geben ${orga.id} organisator --kpb "PP Köln"`);
  ({ room_id: kpbRoom } = await orga.client.createRoom({ name: "Leitungsstab PP Köln", invite: [w.bot.userId] }));
  await until(() => w.hs.membership(kpbRoom, w.bot.userId) === "join", "the bot joining the KPB room");
  await w.command(orga, kpbRoom, '!siko raum binden "PP Köln"');
  await w.command(orga, kpbRoom, '!siko partner anlegen "Stadt Köln" --kategorie kommune');
  for (const person of [petra, paul]) await w.command(orga, kpbRoom, `!siko kontakt anlegen "Stadt Köln" "${person.id}" --matrix ${person.id}`);
  await w.command(orga, kpbRoom, "!siko planen 2027-03-15 10:00");
  await w.command(orga, kpbRoom, "!siko einladen 1 --trotzdem");
});
afterAll(async () => w?.stop());

function invitationTo(person: Person): { room: string; event: MatrixEvent } | null {
  const room = w.hs.roomIds().find((id) => w.hs.timeline(id).some((e) => e.type === DIRECT_MARKER && e.content.user === person.id));
  const event = room && w.hs.timeline(room).find((e) => e.sender === w.bot.userId && e.type === "m.room.message" && String(e.content.body).startsWith("Einladung"));
  return room && event ? { room, event } : null;
}

describe("answers read back at start", () => {
  it("take the later of two answers given on two copies for one agency, whichever copy is read first", async () => {
    type Copy = { room: string; event: MatrixEvent };
    const [a, b] = await w.deliverUntil((): [Copy, Copy] | null => {
      const [x, y] = [invitationTo(petra), invitationTo(paul)];
      return x && y ? [x, y] : null;
    }, "both invitations");
    for (const [person, copy] of [[petra, a], [paul, b]] as const) await until(() => person.client.getRoom(copy.room)?.findEventById(copy.event.event_id), `${person.id} seeing the invitation`);
    // The bot reads the copies back in the order of their event ids: the later answer goes on the copy it reads first.
    const petras = { person: petra, copy: a };
    const pauls = { person: paul, copy: b };
    const [readFirst, readLast] = a.event.event_id < b.event.event_id ? [petras, pauls] : [pauls, petras];
    await w.restartAdapter(async () => {
      await readLast.person.react(readLast.copy.room, readLast.copy.event.event_id, "✅");
      // The homeserver stamps milliseconds: the second answer is later, not at the same instant.
      const first = Date.now();
      await until(() => Date.now() > first, "the next millisecond");
      await readFirst.person.react(readFirst.copy.room, readFirst.copy.event.event_id, "❌");
    });
    await until(() => w.threadReplies(readFirst.copy.room, readFirst.copy.event.event_id).length > 0, "the confirmation of the later answer");
    expect(await w.command(orga, kpbRoom, "!siko status 1")).toMatch(/Stadt Köln[^\n]*Absage/);
  });
});
