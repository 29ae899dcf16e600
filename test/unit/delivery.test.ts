// Delivery on a platform that answers like a real one (test/support/fakePlatform.ts): waits on 429, parks on
// 403 until the person can be reached, fails on 400, never posts twice where a repeat cannot be told, edits
// every delivered copy when an agency answers, and tells the organisers what did not arrive.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { loadDemo } from "../../src/app/demo.ts";
import { adapterState } from "../../src/delivery/host.ts";
import { openDatabase } from "../../src/db/client.ts";
import * as s from "../../src/db/schema.ts";
import { ManualClock } from "../../src/domain/clock.ts";
import { OutboxWorker } from "../../src/delivery/worker.ts";
import { plain } from "../../src/messages/rich.ts";
import type { InboundEvent } from "../../src/port.ts";
import { FakePlatform } from "../support/fakePlatform.ts";
import { REFERENCE_DIR, startHarness, type Harness, type Speaker } from "../support/harness.ts";

const ORGANISER: Speaker = { platform: "matrix", user: "@orga:polizei.nrw.example", room: "!lage:polizei.nrw.example" };
const ANNA = "@anna.becker:sta-koeln.example";

let h: Harness;
const cleanups: Array<() => void> = [];
afterEach(() => {
  h?.close();
  cleanups.splice(0).forEach((f) => f());
});

/** PP Köln's demo partners, each reached on Matrix (Anna by her real id), a SiKo planned and invited. */
async function invitedOnMatrix(chat: FakePlatform, opts: { flush?: boolean; others?: FakePlatform[] } = {}): Promise<void> {
  h = startHarness({ adapters: [chat, ...(opts.others ?? [])] });
  h.clock.set(new Date("2027-02-01T08:00:00Z"));
  h.db.transaction((tx) => loadDemo(tx, REFERENCE_DIR, h.clock.now(), { platform: ORGANISER.platform!, userId: ORGANISER.user, roomId: ORGANISER.room }));
  h.sqlite.prepare("UPDATE contacts SET matrix_id = '@contact' || id || ':partner.example'").run();
  h.sqlite.prepare("UPDATE contacts SET matrix_id = ? WHERE name = 'Dr. Anna Becker'").run(ANNA);
  expect(await h.say("planen 2027-03-15 10:00 --ort Präsidium", ORGANISER)).toContain("SiKo #1 geplant.");
  expect(await h.say("einladen 1", ORGANISER)).toContain("Zu SiKo #1 eingeladen: 12 Kontakte");
  if (opts.flush !== false) await h.worker.flush();
}

function row(key: RegExp) {
  const rows = h.db.select().from(s.outbox).all().filter((r) => key.test(r.key));
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

const annaInvitation = /^invite:conf=1:.*:matrix$/;
const annaRow = () => h.db.select().from(s.outbox).all().find((r) => annaInvitation.test(r.key) && r.addressId === ANNA)!;

function reports(chat: FakePlatform): string[] {
  return chat.posted.filter((p) => p.message.kind === "delivery-report").map((p) => p.message.text);
}

function rsvp(chat: FakePlatform, from: string, answer: string, eventId: string): Promise<Awaited<ReturnType<FakePlatform["deliver"]>>> {
  const event: InboundEvent = {
    kind: "action",
    eventId,
    sender: { platform: "matrix", id: from },
    room: { platform: "matrix", id: `!dm-${from}`, direct: true },
    action: { verb: "rsvp", data: { conference: 1, answer } },
  };
  return chat.deliver(event);
}

describe("the outbox on a platform that pushes back", () => {
  it("a 429 with retry_after_ms=120000 is retried after two minutes of simulated time and counted as no attempt", async () => {
    const chat = new FakePlatform("matrix");
    chat.answerNext({ status: 429, retryAfterMs: 120_000 });
    await invitedOnMatrix(chat);
    const waiting = h.db.select().from(s.outbox).all().filter((r) => r.status === "pending");
    expect(waiting).toHaveLength(1);
    expect(waiting[0]!.attempts).toBe(0);
    expect(chat.posted.filter((p) => p.message.kind === "invitation")).toHaveLength(11);

    h.clock.advance(119_000);
    await h.worker.flush();
    expect(chat.requests).toHaveLength(12); // nothing asked again before the two minutes are up
    h.clock.advance(1_000);
    await h.worker.flush();
    const after = h.db.select().from(s.outbox).where(eq(s.outbox.id, waiting[0]!.id)).get()!;
    expect([after.status, after.attempts]).toEqual(["delivered", 1]);
    expect(chat.posted.filter((p) => p.message.kind === "invitation")).toHaveLength(12);
  });

  it("a 403 parks the invitation, the organisers' room hears of it once, and it goes out when the person can be reached", async () => {
    const chat = new FakePlatform("matrix");
    chat.block(ANNA);
    await invitedOnMatrix(chat);
    expect(annaRow().status).toBe("parked");
    expect(reports(chat)).toHaveLength(1);
    expect(reports(chat)[0]).toContain("Dr. Anna Becker (Staatsanwaltschaft Köln), Einladung zu SiKo #1 über Matrix: nicht erreichbar");
    expect(chat.posted.find((p) => p.message.kind === "delivery-report")!.to).toEqual({ platform: "matrix", kind: "room", id: ORGANISER.room });
    expect(await h.say("status 1", ORGANISER)).toContain("Dr. Anna Becker: nicht erreichbar (Matrix), wartet");

    await h.worker.flush();
    expect(reports(chat)).toHaveLength(1); // told once, not every round

    chat.reach(ANNA);
    await h.worker.flush();
    expect(annaRow().status).toBe("delivered");
    expect(chat.inboxOf(ANNA).map((m) => m.kind)).toEqual(["invitation"]);
    expect(await h.say("status 1", ORGANISER)).toContain("Dr. Anna Becker: zugestellt (Matrix)");
  });

  it("a 400 fails the invitation at once, and the organisers are told to check the address", async () => {
    const chat = new FakePlatform("matrix");
    chat.answerNext({ status: 400 });
    await invitedOnMatrix(chat);
    const failed = h.db.select().from(s.outbox).all().filter((r) => r.status === "failed");
    expect(failed.map((r) => r.attempts)).toEqual([1]);
    expect(reports(chat)[0]).toMatch(/abgelehnt \(400 Bad Request\)\. Bitte die hinterlegte Adresse prüfen/);
  });

  it("a 500 is retried with the same key, and the message arrives once", async () => {
    const chat = new FakePlatform("matrix");
    chat.answerNext({ lostAfterPosting: true }); // posted, but the answer was lost: the resend must not add a second
    await invitedOnMatrix(chat);
    expect(h.db.select().from(s.outbox).all().filter((r) => r.status === "pending")).toHaveLength(1);
    h.clock.advance(10_000);
    await h.worker.flush();
    expect(chat.posted.filter((p) => p.message.kind === "invitation")).toHaveLength(12);
    expect(new Set(chat.posted.map((p) => p.key)).size).toBe(chat.posted.length);
    expect(h.db.select().from(s.outbox).all().every((r) => r.status === "delivered")).toBe(true);
  });

  it("where the platform cannot tell a repeat, a send that broke off is never posted again, and the organisers hear it is unclear", async () => {
    const chat = new FakePlatform("matrix", { dedupesByKey: false });
    chat.answerNext({ lostAfterPosting: true });
    await invitedOnMatrix(chat);
    h.clock.advance(3_600_000);
    await h.worker.flush();
    const uncertain = h.db.select().from(s.outbox).all().filter((r) => r.status === "uncertain");
    expect(uncertain).toHaveLength(1);
    expect(chat.posted.filter((p) => p.key === uncertain[0]!.key)).toHaveLength(1);
    expect(reports(chat)[0]).toContain("unklar, ob sie angekommen ist");
  });

  // Where the platform cannot tell a repeat, only these answers may be retried: nothing was posted.
  it.each([
    { answer: { refusedBeforeSending: true as const }, what: "a refused connection is retried after the backoff, counted", attempts: 1, waitMs: 5_000 },
    { answer: { status: 503 as const, retryAfterMs: 30_000 }, what: "a 503 with Retry-After waits like a 429, uncounted", attempts: 0, waitMs: 30_000 },
  ])("$what, and the message arrives once", async ({ answer, attempts, waitMs }) => {
    const chat = new FakePlatform("matrix", { dedupesByKey: false });
    chat.answerNext(answer);
    await invitedOnMatrix(chat);
    const waiting = h.db.select().from(s.outbox).all().filter((r) => r.status === "pending");
    expect(waiting.map((r) => r.attempts)).toEqual([attempts]);
    h.clock.advance(waitMs);
    await h.worker.flush();
    expect(h.db.select().from(s.outbox).where(eq(s.outbox.id, waiting[0]!.id)).get()!.status).toBe("delivered");
    expect(chat.posted.filter((p) => p.key === waiting[0]!.key)).toHaveLength(1);
    expect(reports(chat)).toEqual([]);
  });

  it("a send left in flight by a dead worker is taken back by a running worker as soon as its lease ran out", async () => {
    const chat = new FakePlatform("matrix");
    await invitedOnMatrix(chat, { flush: false });
    const first = h.db.select().from(s.outbox).all()[0]!;
    h.db.update(s.outbox).set({ status: "sending", owner: "dead-process", leaseUntil: new Date(h.clock.now().getTime() + 60_000) }).where(eq(s.outbox.id, first.id)).run();
    await h.worker.flush();
    expect(chat.posted.some((p) => p.key === first.key)).toBe(false); // its holder may still be sending
    h.clock.advance(60_001);
    await h.worker.flush();
    expect(chat.posted.filter((p) => p.key === first.key)).toHaveLength(1);
    expect(row(new RegExp(`^${first.key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`)).status).toBe("delivered");
  });

  it("rows for a platform that is not configured any more are left as they were, not sent or given up", async () => {
    const chat = new FakePlatform("matrix");
    await invitedOnMatrix(chat, { flush: false });
    const past = new Date(h.clock.now().getTime() - 3_600_000);
    h.db.update(s.outbox).set({ platform: "teams" }).where(eq(s.outbox.addressId, ANNA)).run();
    const other = h.db.select().from(s.outbox).all().find((r) => r.addressId !== ANNA)!;
    h.db.update(s.outbox).set({ platform: "teams", status: "sending", owner: "old", leaseUntil: past }).where(eq(s.outbox.id, other.id)).run();
    const before = h.db.select().from(s.outbox).all().filter((r) => r.platform === "teams");
    await h.worker.flush();
    expect(h.db.select().from(s.outbox).all().filter((r) => r.platform === "teams")).toEqual(before);
  });
});

describe("one answer, every copy", () => {
  it("an agency's answer edits every delivered copy of its invitation to show it", async () => {
    const chat = new FakePlatform("matrix");
    // Two leaders of the same agency are invited; one answers for both.
    await invitedOnMatrix(chat, { flush: false });
    await h.say('kontakt anlegen "Staatsanwaltschaft Köln" "Dr. Berta Zweit" --matrix @berta:sta-koeln.example', ORGANISER);
    await h.say("einladen 1", ORGANISER);
    await h.worker.flush();
    const copies = chat.posted.filter((p) => p.message.kind === "invitation" && [ANNA, "@berta:sta-koeln.example"].includes(p.to.id));
    expect(copies).toHaveLength(2);
    const result = await rsvp(chat, ANNA, "accepted", "$reaction-1");
    expect(result.outcome).toBe("done");
    expect(plain(result.replies[0]!.rsvp!.answer)).toBe("Antwort von Staatsanwaltschaft Köln: Zusage");
    await h.worker.flush();
    for (const copy of copies) expect(plain(chat.current(copy.messageId)!.rsvp!.answer)).toBe("Antwort von Staatsanwaltschaft Köln: Zusage");
    // The other agencies' invitations are not touched.
    expect(chat.edited.map((e) => e.to.id).sort()).toEqual([ANNA, "@berta:sta-koeln.example"].sort());
  });

  it("an edit the platform refuses leaves the kept copy as the person still sees it", async () => {
    const chat = new FakePlatform("matrix");
    await invitedOnMatrix(chat);
    const copy = () => h.db.select().from(s.outbox).all().find((r) => r.addressId === ANNA && r.kind === "invitation" && r.operation === "send")!;
    const before = copy().message;
    chat.answerNext({ status: 400 });
    await h.say('zusage 1 --fuer "Staatsanwaltschaft Köln"', ORGANISER);
    await h.worker.flush();
    expect(h.db.select().from(s.outbox).all().find((r) => r.operation === "edit" && r.targetId === copy().id)!.status).toBe("failed");
    expect(copy().message).toEqual(before);
  });

  it("after a reschedule every earlier copy says the date moved and offers no answer any more", async () => {
    const chat = new FakePlatform("matrix");
    await invitedOnMatrix(chat);
    await h.say("verschieben 1 2027-03-22 10:00", ORGANISER);
    await h.worker.flush();
    const first = chat.posted.find((p) => p.to.id === ANNA && p.message.kind === "invitation")!;
    const now = chat.current(first.messageId)!;
    expect(now.rsvp!.state).toBe("moved");
    expect(now.buttons).toBeUndefined();
    expect(plain(now.rsvp!.note!)).toContain("wurde auf Mo, 22.03.2027, 10:00 Uhr verschoben");
    const update = chat.inboxOf(ANNA).find((m) => m.kind === "update")!;
    expect(update.rsvp!.state).toBe("open");
    expect(update.buttons?.map((b) => b.emoji)).toEqual(["✅", "❌", "❔", undefined]);
  });

  it("a new place reaches every invited contact with the answer buttons, so who has not answered can do so there", async () => {
    const chat = new FakePlatform("matrix");
    await invitedOnMatrix(chat);
    expect(await h.say('ort 1 "Polizeipräsidium Köln, Saal 3"', ORGANISER)).toContain("Saal 3");
    await h.worker.flush();
    const notice = chat.inboxOf(ANNA).find((m) => m.kind === "update")!;
    expect(plain(notice.view!.lead!)).toContain("Saal 3");
    expect(notice.rsvp!.state).toBe("open");
    expect(notice.buttons?.map((b) => b.action.data.answer)).toEqual(["accepted", "declined", "tentative", "delegated"]);
  });

  it("after a new place every earlier copy says where the conference is now and still takes answers", async () => {
    const chat = new FakePlatform("matrix");
    await invitedOnMatrix(chat);
    const first = chat.posted.find((p) => p.to.id === ANNA && p.message.kind === "invitation")!;
    expect(chat.current(first.messageId)!.rsvp!.note).toBeUndefined();
    // A copy that does not say which place it announced (a reminder to answer names none) is left as it is.
    const other = "@contact2:partner.example";
    h.sqlite.prepare("UPDATE outbox SET message = json_remove(message, '$.rsvp.place') WHERE address_id = ? AND kind = 'invitation'").run(other);
    await h.say('ort 1 "Polizeipräsidium Köln, Saal 3"', ORGANISER);
    await h.worker.flush();
    expect(chat.edited.filter((e) => e.to.id === other)).toEqual([]);
    const edited = chat.current(first.messageId)!;
    expect(plain(edited.rsvp!.note!)).toBe("Neuer Ort für SiKo #1: Polizeipräsidium Köln, Saal 3.");
    expect(edited.rsvp!.state).toBe("open");
    expect(edited.buttons?.map((b) => b.action.data.answer)).toEqual(["accepted", "declined", "tentative", "delegated"]);
    // The notice of the new place says nothing of a change; a later answer keeps the note on the old copy.
    const notice = chat.inboxOf(ANNA).find((m) => m.kind === "update")!;
    expect(notice.rsvp!.note).toBeUndefined();
    await rsvp(chat, ANNA, "accepted", "$reaction-place");
    await h.worker.flush();
    expect(plain(chat.current(first.messageId)!.rsvp!.answer)).toBe("Antwort von Staatsanwaltschaft Köln: Zusage");
    expect(plain(chat.current(first.messageId)!.rsvp!.note!)).toContain("Saal 3");
  });

  it("a person the KPB removed hears nothing new: no edit after ort or an answer, and an invitation still queued is not sent", async () => {
    const chat = new FakePlatform("matrix");
    await invitedOnMatrix(chat, { flush: false });
    // Berta is registered and invited while Anna's invitation is already out.
    await h.worker.flush();
    await h.say('kontakt anlegen "Staatsanwaltschaft Köln" "Dr. Berta Zweit" --matrix @berta:sta-koeln.example', ORGANISER);
    await h.say("einladen 1", ORGANISER);
    expect(await h.say('kontakt entfernen "Staatsanwaltschaft Köln" "Dr. Berta Zweit"', ORGANISER)).toContain("Dr. Berta Zweit");
    expect(await h.say('kontakt entfernen "Staatsanwaltschaft Köln" "Dr. Anna Becker"', ORGANISER)).toContain("Dr. Anna Becker");
    await h.say('ort 1 "Geheimer Ort, Raum 7"', ORGANISER);
    await h.say('zusage 1 --fuer "Staatsanwaltschaft Köln"', ORGANISER);
    await h.worker.flush();
    expect(chat.posted.filter((p) => p.to.id === "@berta:sta-koeln.example")).toEqual([]);
    expect(chat.edited.filter((e) => e.to.id === ANNA)).toEqual([]);
    expect(chat.inboxOf(ANNA).map((m) => m.kind)).toEqual(["invitation"]);
    expect(JSON.stringify(chat.inboxOf(ANNA))).not.toContain("Geheimer Ort");
    // Everyone still invited hears of the new place.
    expect(chat.inboxOf("@contact2:partner.example").some((m) => m.kind === "update" && m.text.includes("Geheimer Ort"))).toBe(true);
  });

  it("an invitation that could not reach a contact goes to the id the organiser corrects, and status says where it went", async () => {
    const chat = new FakePlatform("matrix");
    await invitedOnMatrix(chat, { flush: false });
    const other = h.sqlite
      .prepare("SELECT c.name AS name, c.matrix_id AS id, p.name AS partner FROM contacts c JOIN partner_agencies p ON p.id = c.partner_agency_id WHERE c.matrix_id <> ? ORDER BY c.id LIMIT 1")
      .get(ANNA) as { name: string; id: string; partner: string };
    chat.block(other.id);
    await h.worker.flush();
    expect(await h.say("status 1", ORGANISER)).toContain(`${other.name}: nicht erreichbar (Matrix), wartet`);
    await h.say(`kontakt aendern "${other.partner}" "${other.name}" --matrix @richtig:partner.example`, ORGANISER);
    await h.worker.flush();
    expect(chat.inboxOf("@richtig:partner.example").map((m) => m.kind)).toEqual(["invitation"]);
    expect(chat.posted.filter((p) => p.to.id === other.id)).toEqual([]);
    expect(await h.say("status 1", ORGANISER)).toContain(`${other.name}: zugestellt (Matrix)`);
  });

  it("what waits for a contact follows them to the channel the organiser switches them to, the old id kept", async () => {
    const chat = new FakePlatform("matrix");
    const mail = new FakePlatform("email");
    await invitedOnMatrix(chat, { flush: false, others: [mail] });
    chat.block(ANNA);
    await h.worker.flush();
    await h.say('kontakt aendern "Staatsanwaltschaft Köln" "Dr. Anna Becker" --email anna@sta.example --kanal email', ORGANISER);
    await h.worker.flush();
    expect(mail.inboxOf("anna@sta.example").map((m) => m.kind)).toEqual(["invitation"]);
    expect(await h.say("status 1", ORGANISER)).toContain("Dr. Anna Becker: zugestellt (E-Mail)");
  });

  it("a cancellation that could not reach a contact goes to the corrected id, not to the old one", async () => {
    const chat = new FakePlatform("matrix");
    await invitedOnMatrix(chat);
    chat.block(ANNA);
    await h.say("absagen 1 --ja", ORGANISER);
    await h.worker.flush();
    await h.say(`kontakt aendern "Staatsanwaltschaft Köln" "Dr. Anna Becker" --matrix @anna.richtig:sta-koeln.example`, ORGANISER);
    await h.worker.flush();
    chat.reach(ANNA);
    await h.worker.flush();
    expect(chat.inboxOf("@anna.richtig:sta-koeln.example").map((m) => m.kind)).toEqual(["cancellation"]);
    expect(chat.inboxOf(ANNA).map((m) => m.kind)).toEqual(["invitation"]);
  });

  it("removed and registered again before her invitation went out, a person gets it once", async () => {
    const chat = new FakePlatform("matrix");
    await invitedOnMatrix(chat, { flush: false });
    chat.block(ANNA);
    await h.worker.flush();
    await h.say('kontakt entfernen "Staatsanwaltschaft Köln" "Dr. Anna Becker"', ORGANISER);
    await h.say(`kontakt anlegen "Staatsanwaltschaft Köln" "Dr. Anna Becker" --matrix ${ANNA}`, ORGANISER);
    await h.say("einladen 1", ORGANISER);
    chat.reach(ANNA);
    await h.worker.flush();
    expect(chat.inboxOf(ANNA).map((m) => m.kind)).toEqual(["invitation"]);
  });

  it("a copy shown again is current for whoever is invited at that address, and no longer current once nobody is", async () => {
    const chat = new FakePlatform("matrix");
    await invitedOnMatrix(chat);
    const first = chat.posted.find((p) => p.to.id === ANNA && p.message.kind === "invitation")!;
    const shown = () => chat.host.deliveredMessage({ platform: "matrix", kind: "user", id: ANNA }, first.messageId)!.message;
    await h.say('kontakt entfernen "Staatsanwaltschaft Köln" "Dr. Anna Becker"', ORGANISER);
    expect(plain(shown().rsvp!.note!)).toBe("Diese Nachricht ist nicht mehr aktuell: Sie sind für diese Einladung nicht mehr eingetragen, oder sie ging an eine nicht mehr gültige Adresse. Antworten sind hier nicht möglich; bitte wenden Sie sich an die einladende KPB.");
    expect(shown().buttons).toBeUndefined();
    // Registered and invited again under the same id: her earlier copy counts again, and shows the answer given since.
    await h.say(`kontakt anlegen "Staatsanwaltschaft Köln" "Dr. Anna Becker" --matrix ${ANNA}`, ORGANISER);
    await h.say("einladen 1", ORGANISER);
    await h.say('zusage 1 --fuer "Staatsanwaltschaft Köln"', ORGANISER);
    expect(shown().rsvp!.state).toBe("open");
    expect(shown().rsvp!.note).toBeUndefined();
    expect(plain(shown().rsvp!.answer)).toBe("Antwort von Staatsanwaltschaft Köln: Zusage");
    // And the copy in her chat is edited as everyone's is: a reschedule takes its buttons.
    await h.worker.flush();
    await h.say("verschieben 1 2027-03-22 10:00", ORGANISER);
    await h.worker.flush();
    expect(chat.current(first.messageId)!.rsvp!.state).toBe("moved");
    expect(chat.current(first.messageId)!.buttons).toBeUndefined();
  });

  it("a deadline set back to an earlier date is told again", async () => {
    const chat = new FakePlatform("matrix");
    await invitedOnMatrix(chat);
    for (const date of ["05.03.2027", "08.03.2027", "05.03.2027"]) await h.say(`einladen 1 --frist ${date}`, ORGANISER);
    await h.worker.flush();
    const told = chat.inboxOf(ANNA).filter((m) => m.kind === "update").map((m) => /bis (\d\d\.\d\d\.\d{4})/.exec(m.text)?.[1]);
    expect(told).toEqual(["05.03.2027", "08.03.2027", "05.03.2027"]);
  });

  it("a button of a message the conference has moved away from changes nothing and says where to answer; the new message's button counts", async () => {
    const chat = new FakePlatform("matrix");
    await invitedOnMatrix(chat);
    const invitation = chat.inboxOf(ANNA).find((m) => m.kind === "invitation")!;
    await h.say("verschieben 1 2027-03-22 10:00", ORGANISER);
    await h.worker.flush();
    const press = (button: { action: { verb: string; data: Record<string, string | number> } }, eventId: string) =>
      chat.deliver({ kind: "action", eventId, sender: { platform: "matrix", id: ANNA }, room: { platform: "matrix", id: "!dm-anna:polizei.nrw.example", direct: true }, action: button.action });
    const before = h.dump(["processed_events"]);
    const old = await press(invitation.buttons![0]!, "$old-press"); // as a client that still shows the old message sends it
    expect(old.outcome).toBe("refused");
    expect(old.replies[0]!.text).toBe("Diese Einladung gilt nicht mehr: SiKo #1 ist verschoben auf Mo, 22.03.2027, 10:00 Uhr. Bitte antworten Sie auf die neue Einladung; es wurde nichts gespeichert.");
    expect(h.dump(["processed_events"])).toEqual(before);
    const update = chat.inboxOf(ANNA).find((m) => m.kind === "update")!;
    expect((await press(update.buttons![0]!, "$new-press")).outcome).toBe("done");
    expect(await h.say("status 1", ORGANISER)).toMatch(/Staatsanwaltschaft Köln[^\n]*Zusage/);
  });
});

describe("who is reached where", () => {
  it("a contact with a Matrix and a Teams id gets one copy, on the platform chosen for them", async () => {
    const matrix = new FakePlatform("matrix");
    const teams = new FakePlatform("teams");
    h = startHarness({ adapters: [matrix, teams] });
    h.clock.set(new Date("2027-02-01T08:00:00Z"));
    h.db.transaction((tx) => loadDemo(tx, REFERENCE_DIR, h.clock.now(), { platform: "matrix", userId: ORGANISER.user, roomId: ORGANISER.room }));
    h.sqlite.prepare("UPDATE contacts SET matrix_id = '@contact' || id || ':partner.example', teams_id = printf('00000000-0000-4000-8000-%012d', id)").run();
    h.sqlite.prepare("UPDATE contacts SET channel = 'teams' WHERE name = 'Dr. Anna Becker'").run();
    await h.say("planen 2027-03-15 10:00", ORGANISER);
    await h.say("einladen 1", ORGANISER);
    await h.worker.flush();
    const names = (chat: FakePlatform) => chat.posted.filter((p) => p.message.kind === "invitation").length;
    expect(names(matrix) + names(teams)).toBe(12);
    expect(names(teams)).toBe(1); // Anna, on her chosen channel
    expect(teams.posted[0]!.message.view!.facts!.find((f) => f.label === "Eingeladen für")!.value).toEqual([{ user: "Staatsanwaltschaft Köln" }]);
  });

  it("einladen says how many messages are queued and names every invited contact without an address on the configured platforms", async () => {
    const chat = new FakePlatform("matrix");
    h = startHarness({ adapters: [chat] });
    h.clock.set(new Date("2027-02-01T08:00:00Z"));
    h.db.transaction((tx) => loadDemo(tx, REFERENCE_DIR, h.clock.now(), { platform: "matrix", userId: ORGANISER.user, roomId: ORGANISER.room }));
    h.sqlite.prepare("UPDATE contacts SET matrix_id = '@contact' || id || ':partner.example' WHERE name NOT IN ('Sabine Klein', 'Karin Schulz')").run();
    await h.say("planen 2027-03-15 10:00", ORGANISER);
    const answer = await h.say("einladen 1", ORGANISER);
    expect(answer).toContain("10 Nachrichten sind zur Zustellung vorgemerkt.");
    expect(answer).toContain("Ohne Adresse für Matrix – diese 2 Personen erhalten nichts: Karin Schulz, Sabine Klein.");
    expect(h.count("outbox")).toBe(10);
    expect(await h.say("status 1", ORGANISER)).toContain("Sabine Klein: keine Adresse für Matrix");
    // absagen asks with the number that will be told, and says the same number afterwards.
    expect(await h.say("absagen 1", ORGANISER)).toContain("10 Kontakte von 10 Behörden werden sofort benachrichtigt");
    expect(await h.say("absagen 1 --ja", ORGANISER)).toContain("10 Kontakte wurden benachrichtigt");
  });
});

describe("redelivered events", () => {
  it("a command delivered twice gets the first answer again and changes nothing the second time", async () => {
    const chat = new FakePlatform("matrix");
    await invitedOnMatrix(chat);
    const event: InboundEvent = { kind: "command", eventId: "$cmd-1", sender: { platform: "matrix", id: ORGANISER.user }, room: { platform: "matrix", id: ORGANISER.room, direct: false }, text: "ort 1 Rathaus" };
    const first = await chat.deliver(event);
    expect(first.outcome).toBe("done");
    const before = h.dump();
    const again = await chat.deliver(event);
    expect(again).toEqual({ outcome: "duplicate", firstOutcome: "done", replies: first.replies });
    expect(h.dump()).toEqual(before);
  });

  it("a button press delivered twice is one answer, and a refused one is answered the same way again", async () => {
    const chat = new FakePlatform("matrix");
    await invitedOnMatrix(chat);
    const first = await rsvp(chat, ANNA, "declined", "$reaction-9");
    const before = h.dump();
    expect(await rsvp(chat, ANNA, "declined", "$reaction-9")).toEqual({ outcome: "duplicate", firstOutcome: "done", replies: first.replies });
    expect(h.dump()).toEqual(before);
    const stranger = await rsvp(chat, "@fremd:example.org", "accepted", "$reaction-10");
    expect(stranger.outcome).toBe("refused");
    const again = await rsvp(chat, "@fremd:example.org", "accepted", "$reaction-10");
    expect(again).toEqual({ outcome: "duplicate", firstOutcome: "refused", replies: stranger.replies });
  });
});

describe("adapter state", () => {
  it("what an adapter keeps (a sync token, its direct rooms) survives a restart, and is its own", () => {
    const dir = mkdtempSync(join(tmpdir(), "siko-state-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "siko.db");
    const clock = new ManualClock(new Date("2027-01-01T00:00:00Z"));
    const first = openDatabase(file);
    adapterState(first.db, clock, "matrix").set("sync.next_batch", "s72594_4483_1934");
    adapterState(first.db, clock, "matrix").set("dm:@anna:example.org", "!room1:example.org");
    adapterState(first.db, clock, "teams").set("dm:@anna:example.org", "other");
    first.close();
    const second = openDatabase(file);
    cleanups.push(() => second.close());
    const state = adapterState(second.db, clock, "matrix");
    expect(state.get("sync.next_batch")).toBe("s72594_4483_1934");
    expect(state.entries("dm:")).toEqual([["dm:@anna:example.org", "!room1:example.org"]]);
    state.delete("dm:@anna:example.org");
    expect(state.get("dm:@anna:example.org")).toBeUndefined();
    expect(adapterState(second.db, clock, "teams").get("dm:@anna:example.org")).toBe("other");
    // A prefix is a prefix, not a pattern.
    state.set("a_b", "1");
    state.set("axb", "2");
    expect(state.entries("a_")).toEqual([["a_b", "1"]]);
  });
});

describe("two workers on one file", () => {
  it("each row is claimed by one worker only", async () => {
    const chat = new FakePlatform("matrix", { dedupesByKey: false });
    await invitedOnMatrix(chat, { flush: false });
    const second = new OutboxWorker({ db: h.db, clock: h.clock, adapters: new Map([["matrix", chat]]), logger: pino({ level: "silent" }), intervalMs: 60_000 });
    chat.answerNext(...Array.from({ length: 12 }, () => ({ slowMs: 2 })));
    await Promise.all([h.worker.flush(), second.flush()]);
    expect(chat.posted.filter((p) => p.message.kind === "invitation")).toHaveLength(12);
    expect(new Set(chat.posted.map((p) => p.key)).size).toBe(chat.posted.length);
  });
});

describe("secrets in the outbox", () => {
  it("the calendar feed's secret link is in the outbox only until its reader has it", async () => {
    const chat = new FakePlatform("matrix");
    await invitedOnMatrix(chat);
    expect(await h.say("kalender link", ORGANISER)).not.toMatch(/token=/);
    const row = () => h.db.select().from(s.outbox).all().find((r) => r.key.startsWith("calendar-link:"))!;
    expect((row().message as { text: string }).text).toMatch(/token=[A-Za-z0-9_-]{43}/);
    await h.worker.flush();
    const delivered = chat.posted.find((p) => p.message.kind === "link")!;
    expect(delivered.to).toEqual({ platform: "matrix", kind: "user", id: ORGANISER.user });
    expect(delivered.message.text).toMatch(/token=[A-Za-z0-9_-]{43}/);
    expect(row().status).toBe("delivered");
    expect((row().message as { text: string }).text).not.toMatch(/token=/);
  });

  for (const [what, answer, status] of [
    ["refused (400)", { status: 400 as const }, "failed"],
    ["unreachable (403): it does not wait for its reader", { status: 403 as const }, "failed"],
    ["broken off where a repeat cannot be told (500, no key)", { status: 500 as const }, "uncertain"],
  ] as const)
    it(`is not kept either when its delivery is ${what}`, async () => {
      const chat = new FakePlatform("matrix", { dedupesByKey: false });
      await invitedOnMatrix(chat);
      expect(await h.say("kalender link", ORGANISER)).not.toMatch(/token=/);
      chat.answerNext(answer);
      await h.worker.flush();
      const row = h.db.select().from(s.outbox).all().find((r) => r.key.startsWith("calendar-link:"))!;
      expect(row.status).toBe(status);
      expect(JSON.stringify(h.dump())).not.toMatch(/calendar\/koeln\.ics\?token=/);
    });
});
