// A SiKo over Matrix, end to end: the real matrix-bot-sdk (the bot, behind the real core) and matrix-js-sdk
// (the people) against the spec-shaped test homeserver. The organiser binds a room, plans and invites; each
// partner's direct room (created by the bot, unencrypted) gets the invitation, its .ics as m.file and the
// answer reactions; Anna reacts ✅, Markus ❌ and takes it back, somebody else reacts ✅ on Markus's
// invitation (ignored); `!siko status` shows exactly that and each invitation shows its agency's answer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIRECT_MARKER } from "../../adapters/matrix/matrixAdapter.ts";
import type { MatrixEvent } from "../support/matrix/homeserver.ts";
import { until, type Person } from "../support/matrix/people.ts";
import { SpecValidator, specReader } from "../support/matrix/spec.ts";
import { startWorld, type World } from "../support/matrix/world.ts";

let w: World;
let orga: Person, anna: Person, markus: Person, vorzimmer: Person;
let kpbRoom: string;

beforeAll(async () => {
  w = await startWorld(["orga", "anna", "markus", "vorzimmer"]);
  [orga, anna, markus, vorzimmer] = (["orga", "anna", "markus", "vorzimmer"] as const).map((n) => w.people[n]!) as [Person, Person, Person, Person];
  await w.h.say("kpb import nrw");
  await w.h.say(`rolle geben ${orga.id} organisator --kpb "PP Köln"`);
});
afterAll(async () => w?.stop());

/** The invitation the bot posted in a person's direct room (the first message with answer reactions). */
function invitationIn(roomId: string): MatrixEvent | undefined {
  return w.hs.timeline(roomId).find((e) => e.sender === w.bot.userId && e.type === "m.room.message" && String(e.content.body).startsWith("Einladung"));
}

function directRoomOf(person: Person): string | undefined {
  return w.hs.roomIds().find((id) => {
    const marker = w.hs.timeline(id).find((e) => e.type === DIRECT_MARKER);
    return marker?.content.user === person.id;
  });
}

/** What a message reads now in the person's client (matrix-js-sdk applies the latest m.replace). */
function shownTo(person: Person, roomId: string, eventId: string): string {
  const ev = person.client.getRoom(roomId)?.findEventById(eventId);
  return ev ? String(ev.getContent().body) : "";
}

describe("a SiKo over Matrix", () => {
  it("the organiser binds the KPB room, registers partners by MXID, plans and invites", async () => {
    ({ room_id: kpbRoom } = await orga.client.createRoom({ name: "Leitungsstab PP Köln", invite: [w.bot.userId] }));
    await until(() => w.hs.membership(kpbRoom, w.bot.userId) === "join", "the bot joining the KPB room");
    expect(await w.command(orga, kpbRoom, '!siko raum binden "PP Köln"')).toContain("PP Köln");
    await w.command(orga, kpbRoom, '!siko partner anlegen "Staatsanwaltschaft Köln" --kategorie staatsanwaltschaft');
    await w.command(orga, kpbRoom, '!siko partner anlegen "Bundespolizeiinspektion Köln" --kategorie bundespolizei');
    await w.command(orga, kpbRoom, `!siko kontakt anlegen "Staatsanwaltschaft Köln" "Dr. Anna Becker" --matrix ${anna.id}`);
    await w.command(orga, kpbRoom, `!siko kontakt anlegen "Bundespolizeiinspektion Köln" "Markus Hoffmann" --matrix ${markus.id}`);
    const planned = await w.command(orga, kpbRoom, '!siko planen 2027-03-15 10:00 --ort "Präsidium <b>Walter-Pauli-Ring</b>"');
    expect(planned).toContain("SiKo #1");
    const invited = await w.command(orga, kpbRoom, "!siko einladen 1 --trotzdem");
    expect(invited).toContain("Dr. Anna Becker");

    // The reply is a thread reply to the command, with HTML and an empty m.mentions besides the one pinged.
    const reply = w.hs.timeline(kpbRoom).filter((e) => e.sender === w.bot.userId && e.type === "m.room.message").at(-1)!;
    expect(reply.content.format).toBe("org.matrix.custom.html");
    expect(reply.content["m.mentions"]).toEqual({ user_ids: [orga.id] });
    expect((reply.content["m.relates_to"] as { rel_type: string }).rel_type).toBe("m.thread");
    // The operator's /readyz sees the adapter syncing.
    expect(await w.adapter.readiness()).toEqual({ ready: true });
  });

  it("each partner gets the invitation in the bot's own unencrypted direct room, with the .ics and the answer reactions", async () => {
    for (const person of [anna, markus]) {
      const roomId = await w.deliverUntil(() => {
        const id = directRoomOf(person);
        return id && invitationIn(id) && w.hs.timeline(id).filter((e) => e.type === "m.reaction").length === 3 ? id : null;
      }, `the invitation to ${person.id}`);
      const timeline = w.hs.timeline(roomId);
      // Created by the bot: direct, unencrypted, the person invited with is_direct, remembered in m.direct.
      expect(timeline.some((e) => e.type === "m.room.encryption")).toBe(false);
      const invite = timeline.find((e) => e.type === "m.room.member" && e.state_key === person.id && e.content.membership === "invite")!;
      expect(invite.content.is_direct).toBe(true);
      expect(w.hs.accountDataOf(w.bot.userId, "m.direct")?.[person.id]).toEqual([roomId]);
      const invitation = invitationIn(roomId)!;
      expect(invitation.content["m.mentions"]).toEqual({});
      // What the organiser typed as the place is shown literally, never as markup.
      expect(invitation.content.formatted_body).toContain("Präsidium &lt;b&gt;Walter-Pauli-Ring&lt;/b&gt;");
      expect(invitation.content.formatted_body).not.toContain("<b>Walter");
      expect(invitation.content.body).toContain("Bitte antworten Sie mit einer Reaktion auf diese Nachricht: ✅ Zusage, ❌ Absage, ❔ Vorbehalt");
      expect(timeline.filter((e) => e.type === "m.reaction").map((e) => (e.content["m.relates_to"] as { key: string }).key)).toEqual(["✅", "❌", "❔"]);
      // The .ics went to the media repository and arrives as m.file; the person's client can download it.
      const file = timeline.find((e) => e.type === "m.room.message" && e.content.msgtype === "m.file")!;
      const [, server, media] = /^mxc:\/\/([^/]+)\/(.+)$/.exec(String(file.content.url))!;
      const ics = await fetch(`${w.hs.url}/_matrix/client/v1/media/download/${server}/${media}`, { headers: { Authorization: `Bearer ${person.user.accessToken}` } });
      expect(ics.headers.get("content-type")).toContain("text/calendar");
      const text = await ics.text();
      expect(text).toContain("BEGIN:VCALENDAR");
      expect(text).toContain("METHOD:REQUEST");
      // matrix-js-sdk, the people's client, shows the invitation too.
      await until(() => person.client.getRoom(roomId)?.findEventById(invitation.event_id), `${person.id}'s client showing the invitation`);
    }
    expect(w.hs.timeline(directRoomOf(anna)!).filter((e) => e.type === "m.room.create")).toHaveLength(1);
  });

  it("Anna reacts ✅, Markus ❌ and takes it back, and Markus's assistant reacts ✅ on his invitation", async () => {
    const annaRoom = directRoomOf(anna)!;
    const markusRoom = directRoomOf(markus)!;
    const annaInv = invitationIn(annaRoom)!.event_id;
    const markusInv = invitationIn(markusRoom)!.event_id;

    // Clients add U+FE0F to some emoji; the bot compares keys without it.
    const yes = await anna.react(annaRoom, annaInv, "✅\uFE0F");
    await w.deliverUntil(() => w.threadReplies(annaRoom, annaInv).length >= 1, "the confirmation of Anna's answer");
    expect(String(w.threadReplies(annaRoom, annaInv)[0]!.content.body)).toContain("Antwort für Staatsanwaltschaft Köln zu SiKo #1 gespeichert: Zusage");

    const no = await markus.react(markusRoom, markusInv, "❌");
    await w.deliverUntil(() => w.threadReplies(markusRoom, markusInv).length >= 1, "the confirmation of Markus's answer");
    await markus.redact(markusRoom, no);

    // Markus brings his assistant into the direct room; her ✅ on his invitation is not his answer.
    await markus.client.invite(markusRoom, vorzimmer.id);
    await until(() => w.hs.membership(markusRoom, vorzimmer.id) === "join", "the assistant joining");
    await until(() => vorzimmer.client.getRoom(markusRoom)?.findEventById(markusInv), "the assistant seeing the invitation");
    const stranger = await vorzimmer.react(markusRoom, markusInv, "✅");
    // A command after her reaction: once its reply is there, the bot has handled everything before it.
    await w.command(markus, markusRoom, "ich");
    expect(w.threadReplies(markusRoom, markusInv)).toHaveLength(1);
    // Her reaction never reached the core; Anna's and Markus's did.
    const seen = (id: string) => w.h.sqlite.prepare("SELECT count(*) AS n FROM processed_events WHERE event_id = ?").get(id) as { n: number };
    expect([seen(yes).n, seen(no).n, seen(stranger).n]).toEqual([1, 1, 0]);
  });

  it("`!siko status 1` shows exactly that, and every invitation shows its agency's current answer", async () => {
    const status = await w.command(orga, kpbRoom, "!siko status 1");
    expect(status).toMatch(/Staatsanwaltschaft Köln[^\n]*Zusage/);
    expect(status).toMatch(/Bundespolizeiinspektion Köln[^\n]*Absage/);
    expect(status).toContain("2 von 2");

    const annaRoom = directRoomOf(anna)!;
    const markusRoom = directRoomOf(markus)!;
    const annaInv = invitationIn(annaRoom)!.event_id;
    const markusInv = invitationIn(markusRoom)!.event_id;
    // The edits (m.replace) reach the people's client, which shows the invitation as edited.
    await w.deliverUntil(() => shownTo(anna, annaRoom, annaInv).includes("Antwort von Staatsanwaltschaft Köln: Zusage"), "Anna's invitation showing her answer");
    await w.deliverUntil(() => shownTo(markus, markusRoom, markusInv).includes("Antwort von Bundespolizeiinspektion Köln: Absage"), "Markus's invitation showing his answer");
    const edits = w.hs.timeline(markusRoom).filter((e) => (e.content["m.relates_to"] as { rel_type?: string } | undefined)?.rel_type === "m.replace");
    expect(edits.length).toBeGreaterThan(0);
    expect(edits.every((e) => (e.content["m.relates_to"] as { event_id: string }).event_id === markusInv)).toBe(true);
    // Each partner received the invitation once.
    expect(w.hs.timeline(annaRoom).filter((e) => e.sender === w.bot.userId && String(e.content.body).startsWith("Einladung"))).toHaveLength(1);
    expect(w.hs.timeline(markusRoom).filter((e) => e.sender === w.bot.userId && String(e.content.body).startsWith("Einladung"))).toHaveLength(1);
  });

  it("an unbound room sees no conference, and invitations from servers not on the allow-list are declined", async () => {
    const { room_id: other } = await orga.client.createRoom({ name: "Kaffeeküche", invite: [w.bot.userId] });
    await until(() => w.hs.membership(other, w.bot.userId) === "join", "the bot joining the second room");
    const refused = await w.command(orga, other, "!siko status 1");
    expect(refused).toContain("Konferenz #1 kann ich hier nicht zeigen");
    expect(refused).not.toContain("Staatsanwaltschaft");

    const outsider = w.hs.registerUser("mallory", "Mallory", undefined, "elsewhere.example");
    const { room_id: theirs } = await fetch(`${w.hs.url}/_matrix/client/v3/createRoom`, {
      method: "POST",
      headers: { Authorization: `Bearer ${outsider.accessToken}`, "Content-Type": "application/json" },
      body: JSON.stringify({ name: "Gewinnspiel", invite: [w.bot.userId] }),
    }).then((r) => r.json() as Promise<{ room_id: string }>);
    await until(() => w.hs.membership(theirs, w.bot.userId) === "leave", "the bot declining the outsider's invitation");
  });

  it("the organisers' room hears of the answers", async () => {
    await w.deliverUntil(
      () => w.hs.timeline(kpbRoom).some((e) => e.sender === w.bot.userId && String(e.content.body).includes("Neue Antworten zu SiKo #1")),
      "the answer notice in the KPB room",
    );
  });

  it.skipIf(!specReader())("everything the homeserver answered both SDKs conforms to the specification's schemas", () => {
    const spec = new SpecValidator(specReader()!.read);
    // Endpoints the server does not serve (404 M_UNRECOGNIZED to matrix-js-sdk's optional calls) are not its answers.
    const served = w.hs.log.filter((r) => r.response !== undefined && (r.response as { errcode?: string }).errcode !== "M_UNRECOGNIZED");
    expect(served.length).toBeGreaterThan(100);
    expect(served.flatMap((r) => spec.check(r.method, r.path, r.status, r.response))).toEqual([]);
  });
});
