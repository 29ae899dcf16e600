// `einladen --frist`: the working day after the deadline, the organisers' room gets the agencies still silent.
import pino from "pino";
import { afterEach, expect, it } from "vitest";
import { loadDemo } from "../../src/app/demo.ts";
import type { OutboundMessage } from "../../src/port.ts";
import { ReminderScheduler } from "../../src/reminders/scheduler.ts";
import { REFERENCE_DIR, startHarness, type Harness } from "../support/harness.ts";

let h: Harness;
afterEach(() => h.close());

it("lists the agencies that did not answer by the deadline, once, in the KPB's room", async () => {
  h = startHarness();
  h.clock.set(new Date("2027-03-01T09:00:00Z"));
  const orga = { user: "orga", room: "lage-koeln" };
  h.db.transaction((tx) => loadDemo(tx, REFERENCE_DIR, h.clock.now(), { platform: "console", userId: orga.user, roomId: orga.room }));
  const scheduler = new ReminderScheduler({ db: h.db, clock: h.clock, settings: { platforms: ["console"], defaultLocale: "de" }, logger: pino({ level: "silent" }), intervalMs: 3_600_000 });
  scheduler.sweep(); // the watch starts
  await h.say("planen 2027-05-03 10:00", orga);
  expect(await h.say("einladen 1 --frist 09.04.2027", orga)).toContain("Antwortfrist: 09.04.2027.");
  for (const person of ["Dr. Anna Becker", "Dr. Thomas Wagner", "Petra Schmitz", "Markus Hoffmann", "Sabine Klein", "Dr. Claudia Richter", "Julia Neumann", "Stefan Braun", "Karin Schulz"])
    await h.say("zusage 1", { user: person, room: `direkt:${person}`, direct: true });

  h.clock.set(new Date("2027-04-09T20:00:00Z")); // the deadline day itself still counts
  scheduler.sweep();
  const notices = () => h.sqlite.prepare("SELECT key, address_id, message FROM outbox WHERE key LIKE 'rsvp.deadline:%'").all() as { key: string; address_id: string; message: string }[];
  expect(notices()).toEqual([]);

  h.clock.set(new Date("2027-04-12T07:00:00Z")); // Monday 09:00 Berlin
  scheduler.sweep();
  scheduler.sweep();
  expect(notices()).toHaveLength(1);
  expect(notices()[0]!.address_id).toBe("lage-koeln");
  const text = (JSON.parse(notices()[0]!.message) as OutboundMessage).text;
  expect(text).toContain("Antwortfrist abgelaufen: SiKo #1 von PP Köln am Mo, 03.05.2027, 10:00 Uhr – bis 09.04.2027 haben diese Behörden nicht geantwortet:");
  expect(text).toContain("- Deutsches Rotes Kreuz Köln\n- Kölner Verkehrs-Betriebe AG\n- Kölnmesse GmbH\n");
  expect(text).not.toContain("Staatsanwaltschaft");
});

it("marks an agency none of whose invited contacts has an address: nobody reminds it", async () => {
  h = startHarness({ platforms: ["matrix"] });
  h.clock.set(new Date("2027-03-01T09:00:00Z"));
  const orga = { platform: "matrix" as const, user: "@orga:polizei.nrw.example", room: "!lage:polizei.nrw.example" };
  h.db.transaction((tx) => loadDemo(tx, REFERENCE_DIR, h.clock.now(), { platform: "matrix", userId: orga.user, roomId: orga.room }));
  // Everyone but the Kölnmesse's contact can be reached on Matrix.
  h.sqlite.prepare("UPDATE contacts SET matrix_id = '@contact' || id || ':partner.example' WHERE name <> 'Jan Zimmermann'").run();
  const scheduler = new ReminderScheduler({ db: h.db, clock: h.clock, settings: { platforms: ["matrix"], defaultLocale: "de" }, logger: pino({ level: "silent" }), intervalMs: 3_600_000 });
  scheduler.sweep();
  await h.say("planen 2027-05-03 10:00", orga);
  expect(await h.say("einladen 1 --frist 09.04.2027 --trotzdem", orga)).toContain("Antwortfrist: 09.04.2027.");
  h.clock.set(new Date("2027-04-12T07:00:00Z"));
  scheduler.sweep();
  const row = h.sqlite.prepare("SELECT message FROM outbox WHERE key LIKE 'rsvp.deadline:%'").get() as { message: string };
  const text = (JSON.parse(row.message) as OutboundMessage).text;
  expect(text).toContain("- Kölnmesse GmbH (keine Adresse – wird nicht erinnert)\n");
  expect(text).toContain("- Kölner Verkehrs-Betriebe AG\n");
});

it("a move to a day on or before the answer deadline drops the deadline and says so", async () => {
  h = startHarness();
  h.clock.set(new Date("2027-03-01T09:00:00Z"));
  const orga = { user: "orga", room: "lage-koeln" };
  h.db.transaction((tx) => loadDemo(tx, REFERENCE_DIR, h.clock.now(), { platform: "console", userId: orga.user, roomId: orga.room }));
  await h.say("planen 2027-05-03 10:00", orga);
  await h.say("einladen 1 --frist 09.04.2027", orga);
  const kept = await h.say("verschieben 1 2027-04-20 10:00", orga);
  expect(kept).not.toContain("Antwortfrist");
  expect(await h.say("status 1", orga)).toContain("09.04.2027");
  const moved = await h.say("verschieben 1 2027-04-09 10:00", orga);
  expect(moved).toContain("Die Antwortfrist 09.04.2027 läge nicht mehr vor dem neuen Termin und ist aufgehoben. Eine neue setzen: `einladen 1 --frist <datum>`.");
  expect(await h.say("status 1", orga)).not.toContain("Antwortfrist");
  expect(h.sqlite.prepare("SELECT rsvp_deadline FROM conferences WHERE id = 1").get()).toEqual({ rsvp_deadline: null });
});
