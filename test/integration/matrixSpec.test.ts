// The test homeserver answers as the specification says: every endpoint it serves is called (successes and
// the errors clients must handle), and every JSON answer is checked against the response schema of the
// Client-Server API definitions (matrix-org/matrix-spec, data/api/client-server/). See ../support/matrix/spec.ts
// for where the definitions come from; without them this test is skipped and says why.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestHomeserver, type HsUser } from "../support/matrix/homeserver.ts";
import { SpecValidator, specReader } from "../support/matrix/spec.ts";

const reader = specReader();
if (!reader) console.warn("matrixSpec: no copy of the Matrix specification (set MATRIX_SPEC_DIR or place matrix-spec in ../shared/matrix-spec, beside the project); the schema check is skipped");

let hs: TestHomeserver;
let alice: HsUser, bob: HsUser;

async function call(user: HsUser | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  const res = await fetch(hs.url + path, {
    method,
    headers: { ...(user ? { Authorization: `Bearer ${user.accessToken}` } : {}), ...(body !== undefined && !(body instanceof Uint8Array) ? { "Content-Type": "application/json" } : {}), ...headers },
    body: body === undefined ? undefined : body instanceof Uint8Array ? Buffer.from(body) : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    /* media */
  }
  return { status: res.status, json };
}

const enc = encodeURIComponent;

beforeAll(async () => {
  hs = new TestHomeserver();
  await hs.listen();
  alice = hs.registerUser("alice", "Alice");
  bob = hs.registerUser("bob", "Bob");
});
afterAll(async () => hs?.close());

describe.skipIf(!reader)("the test homeserver against the specification's schemas", () => {
  it("every answer of every endpoint it serves conforms", async () => {
    const C = "/_matrix/client/v3";
    expect((await call(null, "GET", "/_matrix/client/versions")).status).toBe(200);
    await call(null, "GET", `${C}/login`);
    expect((await call(null, "POST", `${C}/login`, { type: "m.login.password", identifier: { type: "m.id.user", user: "alice" }, password: "alice" })).status).toBe(200);
    expect((await call(null, "POST", `${C}/login`, { type: "m.login.password", identifier: { type: "m.id.user", user: "alice" }, password: "wrong" })).status).toBe(403);
    expect((await call(alice, "GET", `${C}/account/whoami`)).json.user_id).toBe(alice.userId);
    expect((await call({ ...alice, accessToken: "nope" }, "GET", `${C}/account/whoami`)).status).toBe(401);
    await call(alice, "GET", `${C}/capabilities`);
    await call(alice, "GET", `${C}/pushrules/`);
    await call(alice, "GET", `${C}/profile/${enc(bob.userId)}`);
    await call(alice, "GET", `${C}/profile/${enc(bob.userId)}/displayname`);
    expect((await call(alice, "GET", `${C}/profile/${enc("@nobody:siko.test")}`)).status).toBe(404);
    const filter = await call(alice, "POST", `${C}/user/${enc(alice.userId)}/filter`, { room: { timeline: { limit: 5 } } });
    await call(alice, "GET", `${C}/user/${enc(alice.userId)}/filter/${filter.json.filter_id}`);
    expect((await call(alice, "GET", `${C}/user/${enc(alice.userId)}/account_data/m.direct`)).status).toBe(404);
    await call(alice, "PUT", `${C}/user/${enc(alice.userId)}/account_data/m.direct`, { [bob.userId]: [] });
    await call(alice, "GET", `${C}/user/${enc(alice.userId)}/account_data/m.direct`);
    expect((await call(alice, "GET", `${C}/user/${enc(bob.userId)}/account_data/m.direct`)).status).toBe(403);

    const first = await call(bob, "GET", `${C}/sync?timeout=0`);
    const room = (await call(alice, "POST", `${C}/createRoom`, { preset: "trusted_private_chat", is_direct: true, invite: [bob.userId], name: "Direkt", initial_state: [{ type: "org.example.marker", state_key: "", content: { a: 1 } }] })).json.room_id as string;
    const invited = await call(bob, "GET", `${C}/sync?since=${first.json.next_batch}&timeout=1000`);
    expect(Object.keys(invited.json.rooms.invite)).toEqual([room]);
    expect((await call(bob, "PUT", `${C}/rooms/${enc(room)}/send/m.room.message/t1`, { msgtype: "m.text", body: "not joined" })).status).toBe(403);
    await call(bob, "POST", `${C}/rooms/${enc(room)}/join`, {});
    await call(bob, "POST", `${C}/join/${enc(room)}`, {});
    const sent = await call(alice, "PUT", `${C}/rooms/${enc(room)}/send/m.room.message/txn-1`, { msgtype: "m.text", body: "hallo", "m.mentions": {} });
    const again = await call(alice, "PUT", `${C}/rooms/${enc(room)}/send/m.room.message/txn-1`, { msgtype: "m.text", body: "hallo", "m.mentions": {} });
    expect(again.json.event_id).toBe(sent.json.event_id);
    // A transaction id is scoped to one device and one endpoint: the same id on another path is a new request.
    const elsewhere = await call(alice, "PUT", `${C}/rooms/${enc(room)}/send/org.example.note/txn-1`, { note: 1 });
    expect(elsewhere.json.event_id).not.toBe(sent.json.event_id);
    // Only the sending device is told the transaction id.
    const seenBy = async (who: HsUser) => (await call(who, "GET", `${C}/rooms/${enc(room)}/event/${enc(sent.json.event_id)}`)).json.unsigned?.transaction_id;
    expect([await seenBy(alice), await seenBy(bob)]).toEqual(["txn-1", undefined]);
    const reaction = await call(bob, "PUT", `${C}/rooms/${enc(room)}/send/m.reaction/r1`, { "m.relates_to": { rel_type: "m.annotation", event_id: sent.json.event_id, key: "✅" } });
    const twice = await call(bob, "PUT", `${C}/rooms/${enc(room)}/send/m.reaction/r2`, { "m.relates_to": { rel_type: "m.annotation", event_id: sent.json.event_id, key: "✅" } });
    expect([twice.status, twice.json.errcode]).toEqual([400, "M_DUPLICATE_ANNOTATION"]);
    await call(alice, "PUT", `${C}/rooms/${enc(room)}/state/m.room.topic/`, { topic: "SiKo" });
    await call(alice, "PUT", `${C}/rooms/${enc(room)}/state/m.room.name/`, { name: "Direkt 2" });
    await call(alice, "GET", `${C}/rooms/${enc(room)}/state`);
    await call(alice, "GET", `${C}/rooms/${enc(room)}/state/m.room.topic/`);
    await call(alice, "GET", `${C}/rooms/${enc(room)}/state/org.example.marker/`);
    expect((await call(alice, "GET", `${C}/rooms/${enc(room)}/state/m.room.avatar/`)).status).toBe(404);
    await call(alice, "GET", `${C}/rooms/${enc(room)}/event/${enc(sent.json.event_id)}`);
    expect((await call(alice, "GET", `${C}/rooms/${enc(room)}/event/${enc("$nope")}`)).status).toBe(404);
    await call(alice, "GET", `${C}/rooms/${enc(room)}/joined_members`);
    await call(alice, "GET", `${C}/rooms/${enc(room)}/members`);
    await call(alice, "GET", `${C}/rooms/${enc(room)}/messages?dir=b&limit=3`);
    await call(alice, "GET", `${C}/rooms/${enc(room)}/messages?dir=f&limit=100`);
    for (const suffix of ["", "/m.annotation", "/m.annotation/m.reaction"]) await call(alice, "GET", `/_matrix/client/v1/rooms/${enc(room)}/relations/${enc(sent.json.event_id)}${suffix}?limit=1`);
    await call(bob, "PUT", `${C}/rooms/${enc(room)}/redact/${enc(reaction.json.event_id)}/x1`, { reason: "zurück" });
    await call(alice, "PUT", `${C}/rooms/${enc(room)}/typing/${enc(alice.userId)}`, { typing: true, timeout: 1000 });
    await call(alice, "POST", `${C}/rooms/${enc(room)}/receipt/m.read/${enc(sent.json.event_id)}`, {});
    await call(alice, "POST", `${C}/rooms/${enc(room)}/read_markers`, { "m.fully_read": sent.json.event_id });
    await call(alice, "GET", `${C}/joined_rooms`);
    await call(alice, "POST", `${C}/rooms/${enc(room)}/invite`, { user_id: "@carol:siko.test" });
    expect((await call(alice, "POST", `${C}/rooms/${enc(room)}/invite`, { user_id: bob.userId })).status).toBe(403);

    // Sync: initial, incremental with news, a long poll that times out, a limited timeline, and a leave.
    await call(alice, "GET", `${C}/sync?filter=${filter.json.filter_id}`);
    const before = await call(alice, "GET", `${C}/sync?timeout=0`);
    for (let i = 0; i < 7; i++) await call(bob, "PUT", `${C}/rooms/${enc(room)}/send/m.room.message/n${i}`, { msgtype: "m.text", body: `n${i}` });
    const limited = await call(alice, "GET", `${C}/sync?since=${before.json.next_batch}&filter=${filter.json.filter_id}`);
    expect(limited.json.rooms.join[room].timeline.limited).toBe(true);
    const quiet = await call(alice, "GET", `${C}/sync?since=${limited.json.next_batch}&timeout=50`);
    expect(quiet.json.next_batch).toBe(limited.json.next_batch);
    await call(bob, "POST", `${C}/rooms/${enc(room)}/leave`, {});
    const left = await call(bob, "GET", `${C}/sync?since=${invited.json.next_batch}&timeout=0`);
    expect(Object.keys(left.json.rooms.leave)).toEqual([room]);
    // A former member reads history and state up to the leave, nothing after; the last page has no `end`.
    const afterLeave = await call(alice, "PUT", `${C}/rooms/${enc(room)}/send/m.room.message/after-leave`, { msgtype: "m.text", body: "danach" });
    const history = await call(bob, "GET", `${C}/rooms/${enc(room)}/messages?dir=b&limit=100`);
    expect(history.json.chunk[0].content.membership).toBe("leave");
    expect(history.json.chunk.map((e: { event_id: string }) => e.event_id)).not.toContain(afterLeave.json.event_id);
    expect(history.json.end).toBeUndefined();
    expect((await call(bob, "GET", `${C}/rooms/${enc(room)}/event/${enc(afterLeave.json.event_id)}`)).status).toBe(404);
    expect((await call(bob, "GET", `${C}/sync?since=garbage`)).status).toBe(400);

    // Media: upload, download (bytes, not checked as JSON), config; unknown media is 404.
    const upload = await call(alice, "POST", "/_matrix/media/v3/upload?filename=siko.ics", new TextEncoder().encode("BEGIN:VCALENDAR"), { "Content-Type": "text/calendar" });
    const [, server, media] = /^mxc:\/\/([^/]+)\/(.+)$/.exec(upload.json.content_uri)!;
    expect((await call(alice, "GET", `/_matrix/client/v1/media/download/${server}/${media}`)).json).toBe("BEGIN:VCALENDAR");
    expect((await call(null, "GET", `/_matrix/media/v3/download/${server}/${media}/siko.ics`)).status).toBe(200);
    expect((await call(alice, "GET", `/_matrix/client/v1/media/download/${server}/nope`)).status).toBe(404);
    await call(alice, "GET", "/_matrix/media/v3/config");
    await call(alice, "GET", "/_matrix/client/v1/media/config");

    // Rate limited.
    hs.inject({ method: "PUT", path: /\/send\//, fault: { status: 429, retryAfterMs: 1500 }, times: 1 });
    const limitedSend = await call(alice, "PUT", `${C}/rooms/${enc(room)}/send/m.room.message/later`, { msgtype: "m.text", body: "x" });
    expect(limitedSend.status).toBe(429);

    const spec = new SpecValidator(reader!.read);
    const checked = hs.log.filter((r) => r.response !== undefined);
    const problems = checked.flatMap((r) => spec.check(r.method, r.path, r.status, r.response));
    expect(problems).toEqual([]);
    // Each kind of answer was checked: every endpoint above with at least one answer.
    const endpoints = new Set(checked.map((r) => `${r.method} ${spec.operation(r.method, r.path)!.template}`));
    expect(endpoints.size).toBeGreaterThanOrEqual(33);
    // And the check bites: answers missing what the spec requires are caught.
    expect(spec.check("GET", `${C}/account/whoami`, 200, { device_id: "X" })).not.toEqual([]);
    expect(spec.check("GET", `${C}/sync`, 200, { rooms: { join: {} } })).not.toEqual([]);
    expect(spec.check("PUT", `${C}/rooms/${enc(room)}/send/m.room.message/t`, 429, { error: "slow down" })).not.toEqual([]);
  });
});
