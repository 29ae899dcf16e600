// Cost of the Matrix adapter's send (rendering, the direct room looked up or created, the attempt noted in the
// adapter state once per send, txnIds) relative to the bare requests it makes, both against the test
// homeserver on loopback in the same run, so the ratio does not depend on the machine.
// Run alone: npx tsx bench/matrix.bench.ts
import pino from "pino";
import { MatrixAdapter } from "../adapters/matrix/matrixAdapter.ts";
import { openDatabase } from "../src/db/client.ts";
import { systemClock } from "../src/domain/clock.ts";
import { createAdapterHost } from "../src/delivery/host.ts";
import { OutboxWorker } from "../src/delivery/worker.ts";
import { translator } from "../src/messages/i18n/catalogue.ts";
import { rsvpButtons } from "../src/messages/conference.ts";
import type { OutboundMessage } from "../src/port.ts";
import { TestHomeserver, type HsUser } from "../test/support/matrix/homeserver.ts";
import { runIfMain } from "./support.ts";

const PEOPLE = 150;

function invitation(i: number): OutboundMessage {
  return {
    text: `Einladung: SiKo #${i} von PP Köln\nWann: Mo, 15.03.2027, 10:00–13:00 Uhr\nWo: Präsidium\nAntwort mit \`zusage ${i}\`.`,
    locale: "de",
    kind: "invitation",
    view: {
      title: [{ text: `Einladung: SiKo #${i} – ` }, { user: "PP Köln" }],
      facts: [
        { label: "Wann", value: [{ text: "Mo, 15.03.2027, 10:00–13:00 Uhr" }] },
        { label: "Wo", value: [{ user: "Polizeipräsidium Köln, Walter-Pauli-Ring 2-6" }] },
      ],
      sections: [{ heading: "Tagesordnung", items: ["Lagebild", "Brennpunkte", "Großveranstaltungen", "Kooperation"].map((t) => [{ user: t }]) }],
      note: [{ text: "Vertraulich – die Sicherheitskonferenz ist nicht öffentlich." }],
    },
    buttons: rsvpButtons({ id: i, number: i, startsAt: new Date("2027-03-15T09:00:00.000Z") }, { slug: "koeln" }, translator("de")),
    rsvp: { conferenceId: i, partnerAgencyId: 1, startsAt: "2027-03-15T09:00:00.000Z", state: "open", answer: [{ text: "Noch keine Antwort." }] },
    attachment: { filename: `siko-${i}.ics`, contentType: "text/calendar; charset=utf-8; method=REQUEST", content: "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".repeat(20) },
  };
}

/** The same requests without the adapter: create the direct room, upload, message, file, three reactions. */
async function bare(hs: TestHomeserver, bot: HsUser, people: HsUser[], rooms: Map<string, string>, round: number): Promise<void> {
  const call = async (method: string, path: string, body: unknown, type = "application/json") => {
    const res = await fetch(hs.url + path, { method, headers: { Authorization: `Bearer ${bot.accessToken}`, "Content-Type": type }, body: typeof body === "string" ? body : JSON.stringify(body) });
    return (await res.json()) as Record<string, string>;
  };
  for (const [i, p] of people.entries()) {
    let room = rooms.get(p.userId);
    if (!room) {
      room = (await call("POST", "/_matrix/client/v3/createRoom", { preset: "trusted_private_chat", is_direct: true, invite: [p.userId] })).room_id!;
      rooms.set(p.userId, room);
    }
    const r = encodeURIComponent(room);
    const t = `bare.${round}.${i}`;
    const msg = await call("PUT", `/_matrix/client/v3/rooms/${r}/send/m.room.message/${t}.text`, { msgtype: "m.text", body: invitation(i).text });
    const up = await call("POST", `/_matrix/media/v3/upload?filename=siko.ics`, invitation(i).attachment!.content, "text/calendar");
    await call("PUT", `/_matrix/client/v3/rooms/${r}/send/m.room.message/${t}.file`, { msgtype: "m.file", body: "siko.ics", url: up.content_uri });
    for (const [k, key] of ["✅", "❌", "❔"].entries())
      await call("PUT", `/_matrix/client/v3/rooms/${r}/send/m.reaction/${t}.r${k}`, { "m.relates_to": { rel_type: "m.annotation", event_id: msg.event_id, key } });
  }
}

export async function run(): Promise<void> {
  const hs = new TestHomeserver();
  await hs.listen();
  const botA = hs.registerUser("siko", "siko-bot");
  const botB = hs.registerUser("bare");
  const people = Array.from({ length: PEOPLE }, (_, i) => hs.registerUser(`p${i}`));
  const { db, close } = openDatabase(":memory:");
  const logger = pino({ level: "silent" });
  const worker = new OutboxWorker({ db, clock: systemClock, adapters: new Map(), logger, intervalMs: 60_000 });
  const adapter = new MatrixAdapter({ homeserverUrl: hs.url, accessToken: botA.accessToken, e2ee: false, cryptoDir: "/tmp/unused", allowedInviters: [], polls: false });
  await adapter.start(createAdapterHost("matrix", { db, clock: systemClock, logger, publicUrl: "http://localhost", worker, mount: () => {} }), async () => ({ outcome: "done", replies: [] }));

  const viaAdapter = async (round: number) => {
    for (const [i, p] of people.entries()) await adapter.send({ platform: "matrix", kind: "user", id: p.userId }, invitation(i), `invite:conf=${i}:round=${round}:matrix:${p.userId}`);
  };
  const bareRooms = new Map<string, string>();
  const time = async (f: () => Promise<void>) => {
    const t0 = performance.now();
    await f();
    return performance.now() - t0;
  };
  // Warm-up, then each measured twice in alternation; the first round creates the direct rooms.
  const firstAdapter = await time(() => viaAdapter(0));
  const firstBare = await time(() => bare(hs, botB, people, bareRooms, 0));
  let a = Infinity;
  let b = Infinity;
  for (let round = 1; round <= 2; round++) {
    a = Math.min(a, await time(() => viaAdapter(round)));
    b = Math.min(b, await time(() => bare(hs, botB, people, bareRooms, round)));
  }
  console.log(`invitation with .ics and 3 reactions, ${PEOPLE} people, direct room created: adapter ${(firstAdapter / PEOPLE).toFixed(2)} ms, bare ${(firstBare / PEOPLE).toFixed(2)} ms, ratio ${(firstAdapter / firstBare).toFixed(2)}`);
  console.log(`invitation with .ics and 3 reactions, ${PEOPLE} people, direct room known:   adapter ${(a / PEOPLE).toFixed(2)} ms, bare ${(b / PEOPLE).toFixed(2)} ms, ratio ${(a / b).toFixed(2)}`);
  const mem = process.memoryUsage();
  console.log(`heap used after ${PEOPLE * 4} invitations: ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB`);
  await adapter.stop();
  await hs.close();
  close();
}

runIfMain(import.meta.url, run);
