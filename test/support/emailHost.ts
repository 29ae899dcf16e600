// Hosting the e-mail adapter in tests: the whole bot with it in front of a test SMTP server and, where a test
// needs it, the answer page over real HTTP.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { simpleParser } from "mailparser";
import { EmailAdapter, type EmailAdapterOptions } from "../../adapters/email/emailAdapter.ts";
import type { ChatAdapter } from "../../src/port.ts";
import { startHarness, type Harness, type HttpMount } from "./harness.ts";
import { startSmtp, type TestSmtp } from "./smtpServer.ts";

/** The e-mail adapter as the tests use it: the test SMTP server on 127.0.0.1, no TLS, a short timeout. */
export function testEmailAdapter(smtp: Pick<TestSmtp, "port">, opts: Partial<EmailAdapterOptions> = {}): EmailAdapter {
  return new EmailAdapter({ smtp: { host: "127.0.0.1", port: smtp.port, secure: false, requireTLS: false }, from: "siko@polizei.example", timeoutMs: 5_000, ...opts });
}

export interface EmailBot {
  smtp: TestSmtp;
  h: Harness;
  email: EmailAdapter;
  /** Where the answer page is served (SIKO_PUBLIC_URL); null without `http`. */
  base: string | null;
  close(): Promise<void>;
}

/**
 * The core with the e-mail adapter (after `others`, e.g. a FakePlatform for the organisers' chat) delivering to a
 * test SMTP server; with `http`, the answer page served over real HTTP as the bot's server would.
 */
export async function startEmailBot(opts: { others?: ChatAdapter[]; http?: boolean } = {}): Promise<EmailBot> {
  const smtp = await startSmtp();
  const email = testEmailAdapter(smtp);
  let server: Server | null = null;
  let base: string | null = null;
  let mount: HttpMount | undefined;
  if (opts.http) {
    const app = express();
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    mount = (path, handler) => void app.use(path, handler);
  }
  const h = startHarness({ adapters: [...(opts.others ?? []), email], ...(base ? { publicUrl: base } : {}), ...(mount ? { mount } : {}) });
  await h.ready;
  return {
    smtp,
    h,
    email,
    base,
    async close() {
      await email.stop();
      h.close();
      await smtp.close();
      if (server) await new Promise((r) => server.close(r));
    },
  };
}

/** The personal answer link in a mail's text part. */
export async function answerLinkIn(raw: Buffer): Promise<string> {
  return /(https?:\/\/[^\s/]+\/antwort\/[A-Za-z0-9_-]{43})/.exec(String((await simpleParser(raw)).text))![1]!;
}

/** The answer page's hidden form fields, as a browser submits them with the pressed button's `answer`. */
export async function answerForm(link: string): Promise<Record<string, string>> {
  const html = await (await fetch(link)).text();
  // Every hidden field, as a browser sends them with the chosen answer.
  return Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]));
}

/** A partner agency, its category, and the one contact it is reached at by e-mail. */
export type EmailPartner = readonly [partner: string, category: string, contact: string, address: string];

/**
 * PP Köln bound to the console room, each partner with its e-mail contact, SiKo #1 planned (`plan`: what follows
 * `planen`) and invited, and the outbox flushed. Returns the answer to `einladen`.
 */
export async function invitedByEmail(h: Harness, partners: readonly EmailPartner[], plan = "2027-03-15 10:00"): Promise<string> {
  await h.say("kpb import nrw");
  await h.say('raum binden "PP Köln"');
  for (const [partner, category] of partners) await h.say(`partner anlegen "${partner}" --kategorie ${category}`);
  for (const [partner, , contact, address] of partners) await h.say(`kontakt anlegen "${partner}" "${contact}" --email ${address}`);
  await h.say(`planen ${plan}`);
  const invited = await h.say("einladen 1 --trotzdem");
  await h.worker.flush();
  return invited;
}
