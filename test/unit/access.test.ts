import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hasRole, mayShowConference, type Grant } from "../../src/domain/access.ts";
import { ADMIN, startHarness, type Harness, type Speaker } from "../support/harness.ts";

describe("hasRole", () => {
  const KOELN = 1;
  const BONN = 2;

  it("lets a global admin do everything, for every KPB and for none", () => {
    const admin: Grant[] = [{ role: "admin", kpbId: null }];
    expect(hasRole(admin, ["organiser"], KOELN)).toBe(true);
    expect(hasRole(admin, ["reporter"], null)).toBe(true);
    expect(hasRole(admin, [], null)).toBe(true);
  });

  it("limits a KPB-bound grant to its own KPB", () => {
    const organiser: Grant[] = [{ role: "organiser", kpbId: KOELN }];
    expect(hasRole(organiser, ["organiser"], KOELN)).toBe(true);
    expect(hasRole(organiser, ["organiser"], BONN)).toBe(false);
    // A KPB-bound grant does not satisfy a state-wide requirement.
    expect(hasRole(organiser, ["organiser"], null)).toBe(false);
  });

  it("requires one of the listed roles", () => {
    const leader: Grant[] = [{ role: "leader", kpbId: KOELN }];
    expect(hasRole(leader, ["organiser"], KOELN)).toBe(false);
    expect(hasRole(leader, ["organiser", "leader"], KOELN)).toBe(true);
    expect(hasRole([], ["organiser", "leader"], KOELN)).toBe(false);
  });

  it("lets a global reporter (LZPD) count for every KPB, but not as admin", () => {
    const lzpd: Grant[] = [{ role: "reporter", kpbId: null }];
    expect(hasRole(lzpd, ["reporter"], KOELN)).toBe(true);
    expect(hasRole(lzpd, ["reporter"], null)).toBe(true);
    expect(hasRole(lzpd, ["organiser"], KOELN)).toBe(false);
    expect(hasRole(lzpd, ["admin"], null)).toBe(false);
  });

  it("does not treat a KPB-bound admin grant as global admin", () => {
    // Not something the commands create, but the rule must not widen it if a row like this exists.
    const oddAdmin: Grant[] = [{ role: "admin", kpbId: KOELN }];
    expect(hasRole(oddAdmin, ["organiser"], KOELN)).toBe(false);
    expect(hasRole(oddAdmin, ["admin"], KOELN)).toBe(true);
    expect(hasRole(oddAdmin, ["admin"], BONN)).toBe(false);
  });
});

describe("mayShowConference (R9)", () => {
  const base = { conferenceKpbId: 1, roomKpbId: null, roomIsDirect: false, callerIsInvited: false, callerIsKpbStaff: false };

  it("shows a conference in a room bound to the organising KPB", () => {
    expect(mayShowConference({ ...base, roomKpbId: 1 })).toBe(true);
  });

  it("never shows it in a room bound to another KPB, whoever asks", () => {
    expect(mayShowConference({ ...base, roomKpbId: 2, callerIsInvited: true, callerIsKpbStaff: true })).toBe(false);
  });

  it("shows it in a direct chat only to invitees and the KPB's staff", () => {
    expect(mayShowConference({ ...base, roomIsDirect: true })).toBe(false);
    expect(mayShowConference({ ...base, roomIsDirect: true, callerIsInvited: true })).toBe(true);
    expect(mayShowConference({ ...base, roomIsDirect: true, callerIsKpbStaff: true })).toBe(true);
  });

  it("never shows it in an unbound group room, even to staff or invitees", () => {
    expect(mayShowConference({ ...base, callerIsInvited: true, callerIsKpbStaff: true })).toBe(false);
  });
});

describe("permission checks through the dispatcher", () => {
  let h: Harness;
  /** A second console user: not admin, because the first console user already is. */
  const BOB: Speaker = { user: "bob", room: "lage" };
  const NOT_ALLOWED = "Das dürfen Sie nicht";

  beforeEach(async () => {
    h = startHarness();
    expect(await h.say("kpb import nrw")).toContain("47 KPB neu angelegt");
    expect(await h.say("raum binden koeln")).toContain("Dieser Raum gehört jetzt zu PP Köln.");
    expect(await h.say(`partner anlegen "Stadt Köln" --kategorie kommune`)).toContain("angelegt für PP Köln");
    // Bob has spoken once, so his user row exists; refusals below must not change anything at all.
    expect(await h.say("ich", BOB)).toContain("Rollen: keine");
  });
  afterEach(() => h.close());

  async function refused(text: string, as: Speaker, expected: string): Promise<string> {
    const before = h.dump();
    const reply = await h.say(text, as);
    expect(reply).toContain(expected);
    expect(h.dump()).toEqual(before);
    return reply;
  }

  it("makes the first console user admin and nobody after them", async () => {
    expect(await h.say("ich")).toContain("Rollen: admin");
    expect(await h.say("ich", BOB)).toContain("Rollen: keine");
  });

  it("refuses `kpb import nrw` to a non-admin and changes nothing", async () => {
    const reply = await refused("kpb import nrw", BOB, NOT_ALLOWED);
    expect(reply).toBe("Das dürfen Sie nicht: `kpb import` braucht die Rolle admin.");
  });

  it("refuses `rolle geben` to a non-admin, also when he tries to make himself admin", async () => {
    await refused(`rolle geben bob organisator --kpb koeln`, BOB, NOT_ALLOWED);
    await refused(`rolle geben bob admin`, BOB, NOT_ALLOWED);
    await refused(`rolle geben @mallory:example.org admin`, BOB, NOT_ALLOWED);
  });

  it("refuses `partner anlegen` in a room bound to a KPB where the user is not organiser", async () => {
    const reply = await refused(`partner anlegen "Hauptzollamt Köln" --kategorie zoll`, BOB, NOT_ALLOWED);
    expect(reply).toBe("Das dürfen Sie nicht: `partner anlegen` braucht die Rolle organisator für PP Köln.");
  });

  it("refuses the other directory changes to a non-organiser too", async () => {
    await refused(`kontakt anlegen "Stadt Köln" "Petra Schmitz"`, BOB, NOT_ALLOWED);
    await refused(`raum binden bonn`, BOB, NOT_ALLOWED);
    await refused(`partner liste`, BOB, NOT_ALLOWED);
  });

  it("answers the refusal in English to an English user", async () => {
    await h.say("sprache en", BOB);
    const reply = await refused(`partner add "Hauptzollamt Köln" --category zoll`, BOB, "You are not allowed to do that");
    expect(reply).toContain("needs the role organiser for PP Köln");
  });

  it("lets an organiser of PP Köln add partners for Köln but not with --kpb bonn", async () => {
    expect(await h.say(`rolle geben bob organisator --kpb koeln`)).toContain("console:bob hat jetzt die Rolle organisator für PP Köln.");
    expect(await h.say(`partner anlegen "Hauptzollamt Köln" --kategorie zoll`, BOB)).toContain("angelegt für PP Köln");

    const reply = await refused(`partner anlegen "Stadt Bonn" --kategorie kommune --kpb bonn`, BOB, NOT_ALLOWED);
    expect(reply).toContain("für PP Bonn");
    // Naming Köln and Bonn together is refused as a whole: not half-written for Köln.
    await refused(`partner anlegen "Landgericht Köln" --kategorie gericht --kpb koeln --kpb bonn`, BOB, "für PP Bonn");
    // Linking an existing Köln partner to Bonn is a change for Bonn, so it is refused too.
    await refused(`partner anlegen "Stadt Köln" --kategorie kommune --kpb bonn`, BOB, "für PP Bonn");
  });

  it("does not let an organiser of PP Köln rebind the Köln room to Bonn or grant roles", async () => {
    await h.say(`rolle geben bob organisator --kpb koeln`);
    await refused(`raum binden bonn`, BOB, "für PP Bonn");
    await refused(`rolle geben carol leitung --kpb koeln`, BOB, NOT_ALLOWED);
  });

  it("lets a leader read the partner list but not change it", async () => {
    await h.say(`rolle geben bob leitung --kpb koeln`);
    expect(await h.say("partner liste", BOB)).toContain("Partnerbehörden von PP Köln (1):");
    await refused(`partner anlegen "Hauptzollamt Köln" --kategorie zoll`, BOB, NOT_ALLOWED);
  });

  it("refuses a KPB-scoped command in an unbound room without --kpb, and changes nothing", async () => {
    await h.say(`rolle geben bob organisator --kpb koeln`);
    const elsewhere: Speaker = { user: "bob", room: "flur" };
    await h.say("ich", elsewhere); // creates the room
    await refused(`partner anlegen "Hauptzollamt Köln" --kategorie zoll`, elsewhere, "Dieser Raum ist keiner KPB zugeordnet.");
  });

  it("does not treat a Matrix user with the admin's console name as admin", async () => {
    const impostor: Speaker = { user: "chef", room: "!room:example.org", platform: "matrix" };
    await h.say("ich", impostor);
    await refused("kpb import nrw", impostor, NOT_ALLOWED);
  });

  it("grants take effect for the named user only", async () => {
    await h.say(`rolle geben bob organisator --kpb koeln`);
    const carol: Speaker = { user: "carol", room: "lage" };
    await h.say("ich", carol);
    await refused(`partner anlegen "Hauptzollamt Köln" --kategorie zoll`, carol, NOT_ALLOWED);
    expect(await h.say("ich", ADMIN)).toContain("admin");
  });
});

describe("inbound event deduplication", () => {
  it("handles a redelivered platform event once, and forgets ids after a month", async () => {
    const { pruneProcessedEvents } = await import("../../src/db/directory.ts");
    const h = startHarness();
    const event = { kind: "command" as const, eventId: "teams-activity-1", sender: { platform: "console" as const, id: "chef" }, room: { platform: "console" as const, id: "lage", direct: false }, text: "ich" };
    const first = await h.dispatcher.handle(event);
    expect(first.outcome).toBe("done");
    expect(first.replies).toHaveLength(1);
    // The redelivery gets the first answer again, marked as a duplicate.
    expect(await h.dispatcher.handle(event)).toEqual({ outcome: "duplicate", firstOutcome: "done", replies: first.replies });
    h.clock.advance(31 * 86_400_000);
    expect(pruneProcessedEvents(h.db, h.clock.now())).toBe(1);
    expect((await h.dispatcher.handle(event)).outcome).toBe("done");
    h.close();
  });
});
