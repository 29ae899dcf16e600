// Configuring the e-mail channel: SIKO_SMTP_URL and SIKO_MAIL_FROM validated and named when wrong (the password
// never in the message), and the composition root loading the adapter lazily and starting the HTTP server for
// the answer page.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseSmtpUrl, describeTarget } from "../../adapters/email/smtp.ts";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { startBot, type Bot } from "../../src/main.ts";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0)) await f();
});

describe("e-mail configuration", () => {
  it("email in SIKO_ADAPTERS needs SIKO_SMTP_URL and SIKO_MAIL_FROM, and says so by name", () => {
    expect(() => loadConfig({ SIKO_ADAPTERS: "email" })).toThrow(ConfigError);
    try {
      loadConfig({ SIKO_ADAPTERS: "email" });
    } catch (e) {
      expect((e as Error).message).toContain("SIKO_SMTP_URL: required when SIKO_ADAPTERS contains email");
      expect((e as Error).message).toContain("SIKO_MAIL_FROM: required when SIKO_ADAPTERS contains email");
    }
  });

  it("a wrong URL or From is named, and the password is not repeated", () => {
    let message = "";
    try {
      loadConfig({ SIKO_ADAPTERS: "email", SIKO_SMTP_URL: "https://siko:Streng-Geheim@mail.example", SIKO_MAIL_FROM: "kein absender" });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("SIKO_SMTP_URL: an smtp:// or smtps:// URL");
    expect(message).toContain("SIKO_MAIL_FROM");
    expect(message).not.toContain("Streng-Geheim");
  });

  it("reads smtp:// and smtps:// URLs; what is logged names only scheme, host and port", () => {
    const c = loadConfig({ SIKO_ADAPTERS: "email", SIKO_SMTP_URL: "smtp://siko%40polizei:P%C3%A4ss%3Aw@mail.example?requireTLS=true", SIKO_MAIL_FROM: '"PP Köln" <siko@polizei.example>' });
    const t = parseSmtpUrl(c.SIKO_SMTP_URL!);
    expect(t).toEqual({ host: "mail.example", port: 587, secure: false, requireTLS: true, user: "siko@polizei", pass: "Päss:w" });
    expect(describeTarget(t)).toBe("smtp://mail.example:587");
    expect(parseSmtpUrl("smtps://mail.example")).toMatchObject({ port: 465, secure: true });
  });

  it("the bot with SIKO_ADAPTERS=email serves the answer page on its HTTP server", async () => {
    const dir = mkdtempSync(join(tmpdir(), "siko-email-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const config = loadConfig({
      SIKO_ADAPTERS: "email",
      SIKO_SMTP_URL: "smtp://127.0.0.1:9",
      SIKO_MAIL_FROM: "siko@polizei.example",
      SIKO_DB_PATH: join(dir, "siko.db"),
      SIKO_HTTP_PORT: "0",
      SIKO_LOG_LEVEL: "silent",
    });
    const { bot } = await startBot(config);
    cleanups.unshift(() => (bot as Bot).stop());
    expect(bot.adapters.get("email")?.capabilities.answerGesture).toBe("link");
    expect(bot.httpPort).not.toBeNull();
    const res = await fetch(`http://127.0.0.1:${bot.httpPort}/antwort/${"a".repeat(43)}`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(await res.text()).toContain("ungültig oder abgelaufen");
  });
});

describe("IMAP configuration", () => {
  it("SIKO_IMAP_URL takes imap:// and imaps:// with a folder; anything else is named", async () => {
    const { parseImapUrl, describeImap } = await import("../../adapters/email/imap.ts");
    const c = loadConfig({ SIKO_ADAPTERS: "email", SIKO_SMTP_URL: "smtp://mail.example", SIKO_MAIL_FROM: "siko@polizei.example", SIKO_IMAP_URL: "imaps://siko:Ge%2Fheim@mail.example/Antworten" });
    const t = parseImapUrl(c.SIKO_IMAP_URL!);
    expect(t).toEqual({ host: "mail.example", port: 993, secure: true, user: "siko", pass: "Ge/heim", mailbox: "Antworten" });
    expect(describeImap(t)).toBe("imaps://mail.example:993/Antworten");
    expect(parseImapUrl("imap://u:p@h").mailbox).toBe("INBOX");
    expect(() => loadConfig({ SIKO_IMAP_URL: "pop3://u:Sehr-Geheim@h" })).toThrow(/SIKO_IMAP_URL: an imap:\/\/ or imaps:\/\/ URL/);
  });
});
