// A real SMTP server (the smtp-server library) on 127.0.0.1 for the e-mail tests: it takes what the bot sends
// as a mail server does (RFC 5321), keeps every accepted message raw, and can be told to answer like a real one:
// refuse a recipient with a 4xx or 5xx reply, or drop the connection after DATA without a reply.
import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from "smtp-server";

export interface Received {
  from: string;
  to: string[];
  raw: Buffer;
  user?: string;
}

export interface TestSmtp {
  port: number;
  received: Received[];
  /** Connections opened by clients so far. */
  connections: number;
  /** Recipients (lower case) and the reply code their RCPT TO gets (e.g. 550, 450). */
  refuse: Map<string, number>;
  /** The next n transactions: the connection is dropped after the message data, with no reply. */
  dropAfterData: number;
  /** Ends every client connection now, as a server does with an idle session after its timeout. */
  hangUp(): void;
  /** Resolves when `n` messages were accepted in all. */
  waitFor(n: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startSmtp(opts: { user?: string; pass?: string } = {}): Promise<TestSmtp> {
  const waiters: Array<{ n: number; resolve: (r: Received[]) => void }> = [];
  const state: TestSmtp = {
    port: 0,
    received: [],
    connections: 0,
    refuse: new Map(),
    dropAfterData: 0,
    hangUp() {
      // What smtp-server's own idle timeout does (RFC 5321 3.8: 421, then the server closes).
      for (const c of server.connections) (c as unknown as { send(code: number, text: string): void }).send(421, "Timeout - closing connection");
    },
    waitFor(n) {
      if (state.received.length >= n) return Promise.resolve(state.received);
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    authOptional: !opts.user,
    logger: false,
    // The bot keeps its connection open for the next message; a test's server shuts it at once, not after 30 s.
    closeTimeout: 50,
    onConnect(_session, cb) {
      state.connections++;
      cb();
    },
    onAuth(auth, _session, cb) {
      if (auth.username === opts.user && auth.password === opts.pass) cb(null, { user: auth.username });
      else cb(Object.assign(new Error("Authentication failed"), { responseCode: 535 }));
    },
    onRcptTo(address: SMTPServerAddress, _session, cb) {
      const code = state.refuse.get(address.address.toLowerCase());
      if (code) cb(Object.assign(new Error(code >= 500 ? "No such user here" : "Greylisted, try again later"), { responseCode: code }));
      else cb();
    },
    onData(stream, session: SMTPServerSession, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        if (state.dropAfterData > 0) {
          state.dropAfterData--;
          // The message arrived, but the client never hears so: the connection is lost without a reply.
          for (const c of server.connections) (c as unknown as { _socket: { destroy(): void } })._socket.destroy();
          return;
        }
        state.received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
          ...(session.user ? { user: String(session.user) } : {}),
        });
        for (const w of [...waiters]) if (state.received.length >= w.n) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(state.received);
        }
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  state.port = ((server as unknown as { server: { address(): AddressInfo } }).server.address()).port;
  return state;
}
