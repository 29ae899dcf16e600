// A small IMAP4rev1 server (RFC 3501) for the calendar-reply test, because no IMAP server package runs here:
// one mailbox, LOGIN or AUTHENTICATE PLAIN, LIST/LSUB, SELECT/EXAMINE with UIDVALIDITY and UIDNEXT, NOOP and
// LOGOUT, and UID FETCH (6.4.8) of a sequence set of UIDs (`7`, `3:*`, `1,4:5`) asking for any of UID,
// RFC822.SIZE (the byte length of the raw message) and BODY.PEEK[] (the whole message), alone or as a
// parenthesised list, as imapflow phrases them (`UID FETCH 3:* (UID RFC822.SIZE)`, `UID FETCH 7 (BODY.PEEK[] UID)`);
// the answer always carries the UID (6.4.8) and names the data as 7.4.2 does (RFC822.SIZE n, BODY[] {n}).
// Every other command, and a FETCH of anything else (macros, sections, partials, BODY[] that sets \Seen), is
// answered BAD: not what RFC 3501 would answer (7.1.3 keeps BAD for unknown commands and invalid arguments), but
// a tripwire, so that a test notices when the reader starts to ask for something this server does not model. It
// records the commands.
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface TestImap {
  port: number;
  messages: Array<{ uid: number; raw: Buffer }>;
  commands: string[];
  /** The commands answered with BAD: a client that talks IMAP as this server expects sends none. */
  refused: string[];
  add(raw: Buffer): void;
  close(): Promise<void>;
}

export async function startImap(opts: { user: string; pass: string; uidValidity?: number }): Promise<TestImap> {
  const uidValidity = opts.uidValidity ?? 1714;
  let nextUid = 1;
  const sockets = new Set<Socket>();
  const state: TestImap = {
    port: 0,
    messages: [],
    commands: [],
    refused: [],
    add(raw) {
      state.messages.push({ uid: nextUid++, raw });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let authed = false;
    let selected = false;
    let buffer = "";
    const write = (s: string | Buffer) => socket.write(s);
    write("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] test server ready\r\n");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("latin1");
      let i: number;
      while ((i = buffer.indexOf("\r\n")) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        handle(line);
      }
    });
    const atoms = (s: string) => [...s.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : m[2]!));
    function uidsIn(set: string): number[] {
      const max = state.messages.at(-1)?.uid ?? 0;
      const out = new Set<number>();
      for (const range of set.split(",")) {
        const [a, b = a] = range.split(":");
        const lo = a === "*" ? max : Number(a);
        const hi = b === "*" ? max : Number(b);
        for (const m of state.messages) if (m.uid >= Math.min(lo, hi) && m.uid <= Math.max(lo, hi)) out.add(m.uid);
      }
      return [...out].sort((x, y) => x - y);
    }
    // sequence-set (RFC 3501 section 9): nz-number or "*", ranges with ":", joined by ",".
    const sequenceSet = /^(?:[1-9]\d*|\*)(?::(?:[1-9]\d*|\*))?(?:,(?:[1-9]\d*|\*)(?::(?:[1-9]\d*|\*))?)*$/;
    /** The fetch-att items this server knows, upper-cased, from one item or a parenthesised list; null for anything else. */
    function fetchItems(spec: string): string[] | null {
      const list = /^\((.+)\)$/.exec(spec);
      const items = (list ? list[1]!.split(" ") : [spec]).map((x) => x.toUpperCase());
      return items.every((x) => x === "UID" || x === "RFC822.SIZE" || x === "BODY.PEEK[]") ? items : null;
    }
    let pendingAuth: string | null = null;
    function checkPlain(tag: string, b64: string) {
      const [, user, pass] = Buffer.from(b64, "base64").toString("utf8").split("\u0000");
      if (user === opts.user && pass === opts.pass) {
        authed = true;
        return write(`${tag} OK [CAPABILITY IMAP4rev1] AUTHENTICATE completed\r\n`);
      }
      return write(`${tag} NO [AUTHENTICATIONFAILED] Invalid credentials\r\n`);
    }
    function handle(line: string) {
      if (pendingAuth !== null) {
        const tag = pendingAuth;
        pendingAuth = null;
        state.commands.push("(SASL response)");
        return checkPlain(tag, line.trim());
      }
      state.commands.push(line.replace(/^(\S+ (?:LOGIN|AUTHENTICATE PLAIN)) .*/i, "$1 ***"));
      const [tag = "*", command = "", ...args] = atoms(line);
      const cmd = command.toUpperCase();
      if (cmd === "CAPABILITY") return write(`* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n${tag} OK CAPABILITY completed\r\n`);
      if (cmd === "NOOP") return write(`${tag} OK NOOP completed\r\n`);
      if (cmd === "LOGOUT") {
        write(`* BYE logging out\r\n${tag} OK LOGOUT completed\r\n`);
        return socket.end();
      }
      if (cmd === "LOGIN") {
        if (args[0] === opts.user && args[1] === opts.pass) {
          authed = true;
          return write(`${tag} OK [CAPABILITY IMAP4rev1] LOGIN completed\r\n`);
        }
        return write(`${tag} NO [AUTHENTICATIONFAILED] Invalid credentials\r\n`);
      }
      if (cmd === "AUTHENTICATE" && (args[0] ?? "").toUpperCase() === "PLAIN") {
        if (args[1]) return checkPlain(tag, args[1]);
        pendingAuth = tag;
        return write("+ \r\n");
      }
      const bad = (why: string) => {
        state.refused.push(state.commands.at(-1)!);
        write(`${tag} BAD ${why}\r\n`);
      };
      if (!authed) return bad("not authenticated");
      // LSUB is IMAP4rev1 too (RFC 3501 6.3.9), and imapflow asks it before a SELECT; INBOX counts as subscribed.
      if (cmd === "LIST" || cmd === "LSUB") {
        const pattern = args[1] ?? "";
        if (pattern === "") return write(`${cmd === "LIST" ? '* LIST (\\Noselect) "/" ""\r\n' : ""}${tag} OK ${cmd} completed\r\n`);
        const match = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/%/g, "[^/]*")}$`, "i").test("INBOX");
        return write(`${match ? `* ${cmd} (\\HasNoChildren) "/" INBOX\r\n` : ""}${tag} OK ${cmd} completed\r\n`);
      }
      if (cmd === "SELECT" || cmd === "EXAMINE") {
        if ((args[0] ?? "").toUpperCase() !== "INBOX") return write(`${tag} NO no such mailbox\r\n`);
        selected = true;
        return write(
          `* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n* ${state.messages.length} EXISTS\r\n* 0 RECENT\r\n` +
            `* OK [UIDVALIDITY ${uidValidity}] UIDs valid\r\n* OK [UIDNEXT ${nextUid}] next\r\n* OK [PERMANENTFLAGS ()] none\r\n` +
            `${tag} OK [${cmd === "SELECT" ? "READ-WRITE" : "READ-ONLY"}] ${cmd} completed\r\n`,
        );
      }
      if (cmd === "UID" && (args[0] ?? "").toUpperCase() === "FETCH" && selected) {
        const m = /^\S+ UID FETCH (\S+) (.+)$/i.exec(line);
        const items = m ? fetchItems(m[2]!) : null;
        if (!m || !sequenceSet.test(m[1]!) || !items) return bad("unsupported UID FETCH");
        for (const uid of uidsIn(m[1]!)) {
          const seq = state.messages.findIndex((x) => x.uid === uid) + 1;
          const raw = state.messages[seq - 1]!.raw;
          // UID first, whether asked for or not (6.4.8), then the rest in the order asked.
          const parts: Array<string | Buffer> = [`* ${seq} FETCH (UID ${uid}`];
          for (const item of items) {
            if (item === "RFC822.SIZE") parts.push(` RFC822.SIZE ${raw.length}`);
            else if (item === "BODY.PEEK[]") parts.push(` BODY[] {${raw.length}}\r\n`, raw);
          }
          parts.push(")\r\n");
          write(Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : p))));
        }
        return write(`${tag} OK UID FETCH completed\r\n`);
      }
      if (cmd === "CLOSE" || cmd === "UNSELECT") {
        selected = false;
        return write(`${tag} OK ${cmd} completed\r\n`);
      }
      bad("unknown command");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  state.port = (server.address() as AddressInfo).port;
  return state;
}
