// One invitee answers through the personal link in a real browser (headless Debian chromium driven by
// playwright-core): the page works without JavaScript, its form passes the browser's own Origin and
// Sec-Fetch-Site under the strict CSP and no-referrer policy, and the answer reaches the core.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { answerLinkIn, invitedByEmail, startEmailBot, type EmailBot } from "../support/emailHost.ts";
import type { Harness } from "../support/harness.ts";
import type { TestSmtp } from "../support/smtpServer.ts";

export const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

let bot: EmailBot;
let smtp: TestSmtp;
let h: Harness;
let browser: BrowserContext;
let profile: string;

beforeAll(async () => {
  bot = await startEmailBot({ http: true });
  ({ smtp, h } = bot);
  profile = mkdtempSync(join(tmpdir(), "siko-chromium-"));
  browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, javaScriptEnabled: false });
});
afterAll(async () => {
  await browser?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  await bot?.close();
});

it("an invitee opens the link from the mail in Chromium, names a deputy and answers „Vertretung“", async () => {
  await invitedByEmail(h, [["Schulamt Köln", "schulamt", "Clara Özdemir", "clara@schulamt.example"]]);
  const [mail] = await smtp.waitFor(1);
  const link = await answerLinkIn(mail!.raw);

  const page = await browser.newPage();
  const violations: string[] = [];
  page.on("console", (m) => void (m.type() === "error" && violations.push(m.text())));
  await page.goto(link);
  expect(await page.title()).toBe("Antwort auf die Einladung");
  expect(await page.locator("h1").textContent()).toContain("Einladung: SiKo #1");
  await page.fill("#text", "Herr Ünal");
  await page.click('button[value="delegated"]');
  await page.waitForSelector(".result");
  expect(await page.locator(".result").textContent()).toContain("Danke, Ihre Antwort ist eingegangen.");
  // The inline style is allowed by its hash: the browser reported no CSP violation.
  expect(violations).toEqual([]);
  const row = h.sqlite.prepare("SELECT answer, deputy_name AS deputy FROM invitations").get();
  expect(row).toEqual({ answer: "delegated", deputy: "Herr Ünal" });
});
