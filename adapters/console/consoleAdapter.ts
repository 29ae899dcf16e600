// The console chat: one terminal plays every person. It renders buttons as numbered choices, shows what the
// bot delivered to a person (`/als <person>`, read back from the core, so nothing is lost on a restart and
// nothing piles up in memory), and writes attachments to files.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { translate } from "../../src/messages/i18n/catalogue.ts";
import { plain } from "../../src/messages/rich.ts";
import { tokenize } from "../../src/app/parser.ts";
import { formatDateTime, parseDateTime } from "../../src/domain/dates.ts";
import { dateErrorMessage } from "../../src/messages/dates.ts";
import { visible } from "../../src/domain/text.ts";
import type { Locale } from "../../src/domain/types.ts";
import type { Address, AdapterHost, Button, ChatAdapter, DeliveryReceipt, EventHandler, OutboundMessage, Room } from "../../src/port.ts";

export interface ConsoleAdapterOptions {
  input: Readable;
  output: Writable;
  /** The person typing at start, and the group room they are in. */
  user: string;
  room: string;
  locale: Locale;
  /** Where attachments (.ics) are written. */
  filesDir: string;
  interactive: boolean;
  /** Only with a simulated clock: `/zeit` shows it and moves it forward (for trying out reminders and past conferences). */
  clock?: { now(): Date; moveTo(to: Date): Promise<void> };
}

const CONSOLE_DIRECT_PREFIX = "direkt:";
const SEEN_KEYS = 1_000;

export class ConsoleAdapter implements ChatAdapter {
  readonly platform = "console" as const;
  readonly capabilities = { buttons: true, files: true, edits: false, dedupesByKey: true, answerGesture: "choice" } as const;
  private user: string;
  private room: Room;
  private host!: AdapterHost;
  /** The keys this process showed last: a resend of the same outbox row shows nothing new. */
  private readonly seenKeys = new Set<string>();
  private counter = 0;
  /** Set while the prompt waits for input: a message arriving then (a delayed notice) redraws the prompt. */
  private typing: ReturnType<typeof createInterface> | null = null;
  private closedResolve!: () => void;
  private input: ReturnType<typeof createInterface> | null = null;
  private reading: Promise<void> | null = null;
  private stopping = false;
  /** Resolves when standard input ends (or `/ende`). */
  readonly closed = new Promise<void>((r) => (this.closedResolve = r));

  constructor(private readonly opts: ConsoleAdapterOptions) {
    this.user = opts.user;
    this.room = { platform: "console", id: opts.room, direct: false };
  }

  async start(host: AdapterHost, onEvent: EventHandler): Promise<void> {
    this.host = host;
    // With a terminal, readline needs the output stream to echo what is typed and to show the prompt.
    const rl = this.opts.interactive
      ? createInterface({ input: this.opts.input, output: this.opts.output, terminal: true })
      : createInterface({ input: this.opts.input, terminal: false });
    if (this.opts.interactive) {
      this.print(translate(this.opts.locale, "console.welcome", { user: this.user, room: this.room.id }));
      rl.setPrompt(this.prompt());
      rl.prompt();
    }
    // Lines are handled one after another, so piped input gives the same transcript every time.
    this.reading = (async () => {
      for await (const line of rl) {
        // Buffered lines would otherwise run as one chain of promises and keep a SIGTERM waiting until the end.
        await new Promise((r) => setImmediate(r));
        if (this.stopping) break;
        this.typing = null;
        let keepGoing = true;
        // Nothing typed may end the process: a failure is reported and the next line is read.
        try {
          keepGoing = await this.handleLine(line, onEvent);
        } catch (e) {
          this.print(translate(this.opts.locale, "console.failed", { error: visible(String((e as Error).message ?? e)).slice(0, 200) }));
        }
        if (!keepGoing) break;
        if (this.opts.interactive) {
          rl.setPrompt(this.prompt());
          rl.prompt();
          this.typing = rl;
        }
      }
      rl.close();
      this.closedResolve();
    })();
    this.input = rl;
  }

  /** Takes no further line; the line in hand is finished first. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.input?.close();
    await this.reading;
    this.closedResolve();
  }

  async send(to: Address, msg: OutboundMessage, key: string): Promise<DeliveryReceipt> {
    if (this.seenKeys.has(key)) return { messageId: key };
    this.seenKeys.add(key);
    // A resend comes right after its first try; the oldest keys need not be kept for ever.
    if (this.seenKeys.size > SEEN_KEYS) this.seenKeys.delete(this.seenKeys.values().next().value!);
    if (msg.attachment) this.writeAttachment(msg.attachment.filename, msg.attachment.content);
    if (to.kind === "user") {
      const header = translate(msg.locale, "console.to", { to: to.id });
      // The current person sees the whole message, numbered after what they already have; for others one
      // line, until `/als` switches to them.
      if (to.id === this.user) this.print(`${header}\n${this.render(msg, this.choices(to.id).length)}`);
      else this.print(`${header}: ${msg.text.split("\n")[0]} ${translate(msg.locale, "console.more", { user: quoteName(to.id) })}`);
    } else if (to.id === this.room.id) {
      this.print(this.render(msg, null));
    } else {
      this.print(`${translate(msg.locale, "console.inRoom", { room: to.id })}\n${this.render(msg, null)}`);
    }
    return { messageId: key };
  }

  private async handleLine(raw: string, onEvent: EventHandler): Promise<boolean> {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return true;
    const locale = this.opts.locale;
    if (line.startsWith("/")) {
      const parsed = tokenize(line);
      const words = parsed.ok ? parsed.tokens.map((t) => (t.kind === "word" ? t.value : `--${t.name}`)) : [];
      const [cmd, ...rest] = words;
      switch (cmd?.toLowerCase()) {
        case "/als":
        case "/as": {
          if (rest.length === 1) this.switchUser(rest[0]!);
          else this.print(translate(locale, "console.usageAs"));
          return true;
        }
        case "/raum":
        case "/room":
          if (rest.length === 1) this.room = { platform: "console", id: rest[0]!, direct: false };
          this.print(translate(locale, "console.switched", { user: this.user, room: this.roomLabel() }));
          return true;
        case "/zeit":
        case "/time":
          await this.moveClock(rest);
          return true;
        case "/ende":
        case "/quit":
        case "/exit":
          return false;
        default:
          // `/siko …` is a command with a prefix, not a console instruction.
          if (!/^\/siko\b/i.test(line)) {
            this.print(translate(locale, "console.unknownMeta"));
            return true;
          }
      }
    }
    const choice = /^(\d{1,3})(?:\s+(.+))?$/.exec(line);
    if (choice) {
      const n = Number(choice[1]);
      const button = this.choices(this.user)[n - 1];
      const text = choice[2]?.trim();
      if (!button || (button.needsText && !text)) {
        const refusal = button ? translate(locale, "console.needsText", { n, prompt: button.needsText!.prompt }) : translate(locale, "console.noSuchChoice", { n, user: quoteName(this.user) });
        this.print(refusal);
        return true;
      }
      await this.answer(
        await onEvent({
          kind: "action",
          eventId: this.nextId(),
          sender: { platform: "console", id: this.user },
          room: this.room,
          action: { verb: button.action.verb, data: text ? { ...button.action.data, text } : button.action.data },
        }),
      );
      return true;
    }
    await this.answer(await onEvent({ kind: "command", eventId: this.nextId(), sender: { platform: "console", id: this.user }, room: this.room, text: line }));
    return true;
  }

  /** Prints the replies where they were asked for, then waits for what the command queued, so the transcript reads in order. */
  private async answer(result: Awaited<ReturnType<EventHandler>>): Promise<void> {
    for (const reply of result.replies) this.print(this.render(reply, null));
    await this.host.outboxIdle();
  }

  /** `/zeit` alone shows the simulated time; with a date and time it moves the clock forward, never back. */
  private async moveClock(args: string[]): Promise<void> {
    const locale = this.opts.locale;
    const clock = this.opts.clock;
    if (!clock) return this.print(translate(locale, "console.clockReal"));
    const now = clock.now();
    if (args.length === 0) return this.print(translate(locale, "console.clockSet", { when: formatDateTime(now, locale) }));
    if (args.length !== 2) return this.print(translate(locale, "console.clockUsage"));
    const parsed = parseDateTime(args[0]!, args[1]!);
    if (!parsed.ok) {
      const m = dateErrorMessage(parsed.error);
      return this.print(`${translate(locale, m.key, m.params)}\n${translate(locale, "console.clockUsage")}`);
    }
    const to = parsed.value.instant;
    if (to.getTime() < now.getTime())
      return this.print(translate(locale, "console.clockBack", { when: formatDateTime(to, locale), now: formatDateTime(now, locale) }));
    // The time first, then what it brings: reminders due by then are printed below this line.
    this.print(translate(locale, "console.clockSet", { when: formatDateTime(to, locale) }));
    await clock.moveTo(to);
  }

  private switchUser(user: string): void {
    this.user = user;
    // The starting person returns to the group room; everyone else talks to the bot in a direct chat.
    const back = user === this.opts.user;
    this.room = back ? { platform: "console", id: this.opts.room, direct: false } : { platform: "console", id: CONSOLE_DIRECT_PREFIX + user, direct: true };
    const locale = this.opts.locale;
    this.print(translate(locale, "console.switched", { user, room: this.roomLabel() }));
    const received = this.received(user);
    // Back in the group room, what arrived there while someone else was typing is shown too.
    const inRoom = back ? this.host.delivered({ platform: "console", kind: "room", id: this.opts.room }) : [];
    if (received.length === 0 && inRoom.length === 0) return void this.print(translate(locale, "console.inboxEmpty", { user }));
    if (inRoom.length > 0) {
      this.print(translate(locale, "console.roomTitle", { room: this.opts.room, count: inRoom.length }));
      inRoom.forEach((d, i) => this.print(`(${i + 1}) ${this.render(d.message, null)}`));
    }
    if (received.length === 0) return;
    this.print(translate(locale, "console.inboxTitle", { user, count: received.length }));
    let offset = 0;
    received.forEach((message, i) => {
      this.print(`(${i + 1}) ${this.render(message, offset)}`);
      offset += message.buttons?.length ?? 0;
    });
  }

  /** What the bot delivered to a person, oldest first. */
  private received(user: string): OutboundMessage[] {
    return this.host.delivered({ platform: "console", kind: "user", id: user }).map((d) => d.message);
  }

  /** Buttons of all messages a person received, numbered in order. */
  private choices(user: string): Button[] {
    return this.received(user).flatMap((m) => m.buttons ?? []);
  }

  /** Buttons of a person's own messages are numbered from `offset`; elsewhere the console shows none. */
  private render(msg: OutboundMessage, offset: number | null): string {
    const lines = [msg.text];
    // The agency's current answer, and why the answer choices are gone (moved, cancelled, begun).
    if (msg.rsvp) lines.push(...[msg.rsvp.answer, msg.rsvp.note ?? []].map(plain).filter(Boolean));
    const buttons = msg.buttons ?? [];
    if (offset !== null && buttons.length) {
      lines.push(buttons.map((b, i) => `[${offset + i + 1}] ${b.label}`).join("  "));
      const withText = buttons.findIndex((b) => b.needsText);
      const hint = withText >= 0 ? translate(msg.locale, "console.chooseText", { n: offset + withText + 1 }) : "";
      lines.push(translate(msg.locale, "console.choose", { text: hint }));
    }
    if (msg.attachment) lines.push(translate(msg.locale, "console.attachment", { path: this.attachmentPath(msg.attachment.filename, msg.attachment.content) }));
    return lines.join("\n");
  }

  /** Where an attachment is; it is written when it arrives, and again only if the file went missing. */
  private attachmentPath(filename: string, content: string): string {
    const path = this.fileOf(filename);
    if (!existsSync(path)) this.writeAttachment(filename, content);
    return path;
  }

  private writeAttachment(filename: string, content: string): void {
    mkdirSync(resolve(this.opts.filesDir), { recursive: true });
    writeFileSync(this.fileOf(filename), content, "utf8");
  }

  private fileOf(filename: string): string {
    return join(resolve(this.opts.filesDir), filename.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 120) || "datei");
  }

  private roomLabel(): string {
    const locale = this.opts.locale;
    return this.room.direct ? translate(locale, "console.directRoom") : translate(locale, "console.groupRoom", { room: this.room.id });
  }

  private prompt(): string {
    return `${this.user}@${this.room.direct ? translate(this.opts.locale, "console.directPrompt") : this.room.id}> `;
  }

  private nextId(): string {
    return `console-${process.pid}-${Date.now()}-${++this.counter}`;
  }

  private print(text: string): void {
    if (this.typing) this.opts.output.write("\n");
    // Nothing reaches the terminal that could steer it: a name typed after `/als` is echoed too.
    this.opts.output.write(text.split("\n").map(visible).join("\n") + "\n");
    this.typing?.prompt(true);
  }
}

function quoteName(name: string): string {
  return /\s/.test(name) ? `"${name}"` : name;
}
