// The console chat: one terminal plays every person. It renders buttons as numbered choices, keeps what the
// bot sent to each person so `/als <person>` can show it, and writes attachments to files.
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { translate } from "../../src/messages/i18n/catalogue.ts";
import { tokenize } from "../../src/app/parser.ts";
import { formatDateTime, parseDateTime } from "../../src/domain/dates.ts";
import { dateErrorMessage } from "../../src/messages/dates.ts";
import { visible } from "../../src/domain/text.ts";
import type { Locale } from "../../src/domain/types.ts";
import type { Address, Button, ChatAdapter, DeliveryReceipt, InboundEvent, OutboundMessage, Room } from "../../src/port.ts";

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

interface Received {
  message: OutboundMessage;
}

export const CONSOLE_DIRECT_PREFIX = "direkt:";

export class ConsoleAdapter implements ChatAdapter {
  readonly platform = "console" as const;
  readonly capabilities = { buttons: true, files: true, editMessages: false, dedupesByKey: true };
  private user: string;
  private room: Room;
  private readonly inbox = new Map<string, Received[]>();
  /** Messages to a group room that arrived while the typing person was elsewhere, shown on `/als` back into it. */
  private readonly roomInbox = new Map<string, OutboundMessage[]>();
  /** The keys already shown: a resend of the same outbox row after a crash shows nothing new. */
  private readonly seenKeys = new Set<string>();
  private counter = 0;
  /** Set while the prompt waits for input: a message arriving then (a delayed notice) redraws the prompt. */
  private typing: ReturnType<typeof createInterface> | null = null;
  private closedResolve!: () => void;
  /** Resolves when standard input ends (or `/ende`). */
  readonly closed = new Promise<void>((r) => (this.closedResolve = r));

  constructor(private readonly opts: ConsoleAdapterOptions) {
    this.user = opts.user;
    this.room = { platform: "console", id: opts.room, direct: false };
  }

  async start(onEvent: (e: InboundEvent) => Promise<void>): Promise<void> {
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
    void (async () => {
      for await (const line of rl) {
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
  }

  async stop(): Promise<void> {
    this.closedResolve();
  }

  async send(to: Address, msg: OutboundMessage, key: string): Promise<DeliveryReceipt> {
    if (this.seenKeys.has(key)) return { messageId: key };
    this.seenKeys.add(key);
    if (to.kind === "user") {
      const list = this.inbox.get(to.id) ?? [];
      list.push({ message: msg });
      this.inbox.set(to.id, list);
      const header = translate(msg.locale, "console.to", { to: to.id });
      // The current person sees the whole message; for others one line, until `/als` switches to them.
      if (to.id === this.user) this.print(`${header}\n${this.render(msg, this.choiceOffset(to.id, list.length - 1))}`);
      else this.print(`${header}: ${msg.text.split("\n")[0]} ${translate(msg.locale, "console.more", { user: quoteName(to.id) })}`);
    } else if (to.id === this.room.id) {
      this.print(this.render(msg, null));
    } else {
      this.roomInbox.set(to.id, [...(this.roomInbox.get(to.id) ?? []), msg]);
      this.print(`${translate(msg.locale, "console.inRoom", { room: to.id })}\n${this.render(msg, null)}`);
    }
    return { messageId: key };
  }

  private async handleLine(raw: string, onEvent: (e: InboundEvent) => Promise<void>): Promise<boolean> {
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
      await onEvent({
        kind: "action",
        eventId: this.nextId(),
        sender: { platform: "console", id: this.user },
        room: this.room,
        action: { verb: button.action.verb, data: text ? { ...button.action.data, text } : button.action.data },
      });
      return true;
    }
    await onEvent({ kind: "command", eventId: this.nextId(), sender: { platform: "console", id: this.user }, room: this.room, text: line });
    return true;
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
    this.room = user === this.opts.user ? { platform: "console", id: this.opts.room, direct: false } : { platform: "console", id: CONSOLE_DIRECT_PREFIX + user, direct: true };
    const locale = this.opts.locale;
    this.print(translate(locale, "console.switched", { user, room: this.roomLabel() }));
    const received = this.inbox.get(user) ?? [];
    if (received.length === 0) this.print(translate(locale, "console.inboxEmpty", { user }));
    else {
      this.print(translate(locale, "console.inboxTitle", { user, count: received.length }));
      received.forEach((r, i) => this.print(`(${i + 1}) ${this.render(r.message, this.choiceOffset(user, i))}`));
    }
    const inRoom = this.room.direct ? [] : (this.roomInbox.get(this.room.id) ?? []);
    if (inRoom.length === 0) return;
    this.print(translate(locale, "console.roomInboxTitle", { room: this.room.id, count: inRoom.length }));
    inRoom.forEach((m, i) => this.print(`(${i + 1}) ${this.render(m, null)}`));
  }

  /** Buttons of all messages a person received, numbered in order. */
  private choices(user: string): Button[] {
    return (this.inbox.get(user) ?? []).flatMap((r) => r.message.buttons ?? []);
  }

  private choiceOffset(user: string, index: number): number {
    return (this.inbox.get(user) ?? []).slice(0, index).reduce((n, r) => n + (r.message.buttons?.length ?? 0), 0);
  }

  /** Buttons of a person's own messages are numbered from `offset`; elsewhere the console shows none. */
  private render(msg: OutboundMessage, offset: number | null): string {
    const lines = [msg.text];
    const buttons = msg.buttons ?? [];
    if (offset !== null && buttons.length) {
      lines.push(buttons.map((b, i) => `[${offset + i + 1}] ${b.label}`).join("  "));
      const withText = buttons.findIndex((b) => b.needsText);
      const hint = withText >= 0 ? translate(msg.locale, "console.chooseText", { n: offset + withText + 1 }) : "";
      lines.push(translate(msg.locale, "console.choose", { text: hint }));
    }
    if (msg.attachment) lines.push(translate(msg.locale, "console.attachment", { path: this.writeAttachment(msg.attachment.filename, msg.attachment.content) }));
    return lines.join("\n");
  }

  private writeAttachment(filename: string, content: string): string {
    const dir = resolve(this.opts.filesDir);
    mkdirSync(dir, { recursive: true });
    const safe = filename.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 120) || "datei";
    const path = join(dir, safe);
    writeFileSync(path, content, "utf8");
    return path;
  }

  private roomLabel(): string {
    const locale = this.opts.locale;
    return this.room.direct ? translate(locale, "console.directRoom") : translate(locale, "console.groupRoom", { room: this.room.id });
  }

  private prompt(): string {
    return `${this.user}@${this.room.direct ? "direkt" : this.room.id}> `;
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
