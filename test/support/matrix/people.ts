// The people of the Matrix tests: each is a matrix-js-sdk client (the SDK behind Element, independent of the
// bot's matrix-bot-sdk) syncing against the test homeserver. They join the rooms they are invited to, type,
// react, take reactions back, and read what they received as their client shows it (edits applied).
import { ClientEvent, createClient, EventType, RelationType, RoomMemberEvent, SyncState, type MatrixClient, type MatrixEvent } from "matrix-js-sdk";
import loglevel from "loglevel";
import type { HsUser } from "./homeserver.ts";

/** matrix-js-sdk logs through loglevel (its own dependency), one logger per module, each at debug: quiet them. */
function quietSdkLogs(): void {
  for (const l of Object.values(loglevel.getLoggers())) l.setLevel("silent", false);
}
quietSdkLogs();

/** Waits until `check` holds, re-checking whenever the condition may have changed (a short poll of local state). */
export async function until<T>(check: () => T | undefined | null | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

export class Person {
  readonly client: MatrixClient;
  /** Rooms this person was invited to; joined automatically unless `autoJoin` is off. */
  autoJoin = true;
  readonly invitedTo: string[] = [];

  constructor(
    readonly user: HsUser,
    baseUrl: string,
  ) {
    this.client = createClient({ baseUrl, accessToken: user.accessToken, userId: user.userId, deviceId: user.deviceId, timelineSupport: true });
    this.client.on(RoomMemberEvent.Membership, (_event, member) => {
      if (member.userId !== user.userId || member.membership !== "invite") return;
      if (!this.invitedTo.includes(member.roomId)) this.invitedTo.push(member.roomId);
      if (this.autoJoin) void this.client.joinRoom(member.roomId).catch(() => undefined);
    });
  }

  get id(): string {
    return this.user.userId;
  }

  async start(): Promise<void> {
    const ready = new Promise<void>((resolve) => {
      const on = (state: SyncState) => {
        if (state !== SyncState.Prepared && state !== SyncState.Syncing) return;
        this.client.off(ClientEvent.Sync, on);
        resolve();
      };
      this.client.on(ClientEvent.Sync, on);
    });
    await this.client.startClient({ initialSyncLimit: 50, lazyLoadMembers: false });
    quietSdkLogs();
    await ready;
  }

  stop(): void {
    this.client.stopClient();
  }

  /** Every event of a room this client knows, oldest first. */
  events(roomId: string): MatrixEvent[] {
    return this.client.getRoom(roomId)?.getLiveTimeline().getEvents() ?? [];
  }

  /** The bot's messages in a room as this client shows them: edits applied, edit events themselves left out. */
  messagesFrom(roomId: string, sender: string): MatrixEvent[] {
    return this.events(roomId).filter((e) => e.getSender() === sender && e.getType() === EventType.RoomMessage && !e.isRelation(RelationType.Replace));
  }

  /** What a message says now: its latest edit's new content, or its own. */
  bodyOf(event: MatrixEvent): string {
    return String(event.getContent().body ?? "");
  }

  /** The direct room the bot opened with this person. */
  directRoomWith(botId: string): string | undefined {
    return this.client.getRooms().find((r) => r.getMember(botId) && r.getMyMembership() === "join" && r.getJoinedMemberCount() <= 2 && r.currentState.getStateEvents("org.siko.direct", "") !== null)?.roomId;
  }

  async say(roomId: string, body: string): Promise<string> {
    const res = await this.client.sendEvent(roomId, EventType.RoomMessage, { msgtype: "m.text", body, "m.mentions": {} } as never);
    return res.event_id;
  }

  async react(roomId: string, eventId: string, key: string): Promise<string> {
    const res = await this.client.sendEvent(roomId, EventType.Reaction, { "m.relates_to": { rel_type: RelationType.Annotation, event_id: eventId, key } } as never);
    return res.event_id;
  }

  async redact(roomId: string, eventId: string): Promise<void> {
    await this.client.redactEvent(roomId, eventId);
  }
}

export async function startPeople(baseUrl: string, ...users: HsUser[]): Promise<Person[]> {
  const people = users.map((u) => new Person(u, baseUrl));
  await Promise.all(people.map((p) => p.start()));
  return people;
}
