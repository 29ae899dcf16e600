// The answer page behind an invitee's personal link, over real HTTP, in front of the real core: a GET shows
// the invitation and records nothing; only a POST with the page's form token answers, once; an altered,
// unknown or expired token shows nothing and changes nothing; a cross-site POST is refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerForm as formOf, answerLinkIn, invitedByEmail, startEmailBot, type EmailBot } from "../support/emailHost.ts";
import type { Harness } from "../support/harness.ts";
import type { TestSmtp } from "../support/smtpServer.ts";

let bot: EmailBot;
let smtp: TestSmtp;
let h: Harness;
let base: string;
let annaLink: string;
let bertLink: string;

/** The personal link in the latest mail to `address`. */
async function linkIn(address: string): Promise<string> {
  const link = await answerLinkIn([...smtp.received].reverse().find((m) => m.to.includes(address))!.raw);
  expect(link.startsWith(`${base}/antwort/`)).toBe(true);
  return link;
}

function post(link: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(link, { method: "POST", body: new URLSearchParams(fields), headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, redirect: "manual" });
}

function answers(): Array<{ partner: string; answer: string | null; deputy: string | null }> {
  return h.sqlite
    .prepare("SELECT p.name AS partner, i.answer AS answer, i.deputy_name AS deputy FROM invitations i JOIN partner_agencies p ON p.id = i.partner_agency_id ORDER BY p.name")
    .all() as Array<{ partner: string; answer: string | null; deputy: string | null }>;
}

beforeAll(async () => {
  bot = await startEmailBot({ http: true });
  ({ smtp, h } = bot);
  base = bot.base!;
  await invitedByEmail(
    h,
    [
      ["Staatsanwaltschaft Köln", "staatsanwaltschaft", "Anna Becker", "anna@sta.example"],
      ["Amtsgericht Köln", "gericht", "Bert Jansen", "bert@ag.example"],
    ],
    '2027-03-15 10:00 --dauer 2h --ort "Saal <script>alert(1)</script>"',
  );
  await smtp.waitFor(2);
  annaLink = await linkIn("anna@sta.example");
  bertLink = await linkIn("bert@ag.example");
});
afterAll(() => bot?.close());

describe("the answer page", () => {
  it("a GET shows the invitation as sent to this invitee and the four answers, changes nothing, and is not cached", async () => {
    const before = h.dump();
    const res = await fetch(annaLink);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain("unsafe-inline");
    const html = await res.text();
    expect(html).toContain('<html lang="de">');
    expect(html).toContain("Einladung: SiKo #1");
    expect(html).toContain("Staatsanwaltschaft Köln");
    expect(html).not.toContain("Amtsgericht Köln");
    expect(html).toContain("Saal &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script>");
    for (const label of ["Zusage", "Absage", "Vorbehalt", "Vertretung"]) expect(html).toContain(`>${label}</button>`);
    expect(html).toContain("<strong>Von Staatsanwaltschaft Köln liegt noch keine Antwort vor.</strong>");
    expect(h.dump()).toEqual(before);
  });

  it("a POST records the answer once; the same form sent again is the same answer", async () => {
    const fields = { ...(await formOf(annaLink)), answer: "accepted" };
    const first = await post(annaLink, fields);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain("Danke, Ihre Antwort ist eingegangen.");
    expect(answers().find((a) => a.partner === "Staatsanwaltschaft Köln")!.answer).toBe("accepted");
    const logged = h.count("rsvp_log");
    expect(logged).toBe(1);
    const again = await post(annaLink, fields);
    expect(again.status).toBe(200);
    expect(h.count("rsvp_log")).toBe(logged);
    expect(await h.say("status 1")).toMatch(/Staatsanwaltschaft Köln.*Zusage/);
  });

  it("a later answer changes it, with the deputy's name", async () => {
    const res = await post(annaLink, { ...(await formOf(annaLink)), answer: "delegated", text: "Dr. Kühn <i>" });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Dr. Kühn &lt;i&gt;");
    expect(answers().find((a) => a.partner === "Staatsanwaltschaft Köln")).toMatchObject({ answer: "delegated", deputy: "Dr. Kühn <i>" });
  });

  it("the page shows the agency's answer as it stands, also one the organiser gave for it later", async () => {
    expect(await fetch(annaLink).then((r) => r.text())).toContain("Antwort von Staatsanwaltschaft Köln: Vertretung: Dr. Kühn &lt;i&gt;");
    expect(await h.say('absage 1 --fuer "Staatsanwaltschaft Köln"')).toContain("Absage");
    const html = await fetch(annaLink).then((r) => r.text());
    expect(html).toContain("<strong>Antwort von Staatsanwaltschaft Köln: Absage</strong>");
    expect(html).not.toContain("Dr. Kühn");
    // Another agency's page shows its own answer only.
    expect(await fetch(bertLink).then((r) => r.text())).toContain("Von Amtsgericht Köln liegt noch keine Antwort vor.");
  });

  it("an altered or unknown token shows nothing and changes nothing", async () => {
    const fields = { ...(await formOf(annaLink)), answer: "declined" };
    const before = h.dump();
    const last = annaLink.at(-1) === "A" ? "B" : "A";
    for (const link of [annaLink.slice(0, -1) + last, `${base}/antwort/${"x".repeat(43)}`, `${base}/antwort/`, `${base}/antwort/kurz`]) {
      const shown = await fetch(link);
      expect(shown.status).toBe(404);
      const html = await shown.text();
      expect(html).not.toContain("SiKo #1");
      expect(html).toContain("ungültig oder abgelaufen");
      expect((await post(link, fields)).status).toBe(404);
    }
    expect(h.dump()).toEqual(before);
  });

  it("one invitee's form token does not work on another's link", async () => {
    const annasForm = { ...(await formOf(annaLink)), answer: "declined" };
    const before = h.dump();
    expect((await post(bertLink, annasForm)).status).toBe(403);
    expect(h.dump()).toEqual(before);
  });

  it("a cross-site POST is refused, even with a valid form token", async () => {
    const before = h.dump();
    const fields: Record<string, string> = { ...(await formOf(bertLink)), answer: "declined" };
    expect((await post(bertLink, fields, { origin: "https://evil.example" })).status).toBe(403);
    expect((await post(bertLink, fields, { "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await post(bertLink, { answer: "declined" })).status).toBe(403);
    expect((await post(bertLink, { ...fields, form: fields.form!.slice(0, -2) + "xx" })).status).toBe(403);
    expect(h.dump()).toEqual(before);
  });

  it("once the conference has begun the page says so, shows no answer buttons, and takes no answer", async () => {
    const fields = { ...(await formOf(bertLink)), answer: "accepted" };
    h.clock.set(new Date("2027-03-15T09:30:00Z")); // 10:30 in Köln, half-way through
    const before = h.dump();
    const shown = await fetch(bertLink);
    expect(shown.status).toBe(200);
    const html = await shown.text();
    expect(html).toContain("Die Sicherheitskonferenz hat begonnen; Antworten sind nicht mehr möglich.");
    expect(html).toContain("Einladung: SiKo #1");
    expect(html).not.toContain("<button");
    const refused = await post(bertLink, fields);
    expect(refused.status).toBe(410);
    expect(await refused.text()).not.toContain("<button");
    expect(h.dump()).toEqual(before);
  });

  it("after the conference ends the link shows nothing and changes nothing", async () => {
    const fields = { ...(await formOf(bertLink)), answer: "accepted" };
    h.clock.set(new Date("2027-03-15T11:00:01Z"));
    const before = h.dump();
    expect((await fetch(bertLink)).status).toBe(404);
    expect((await post(bertLink, fields)).status).toBe(404);
    expect(h.dump()).toEqual(before);
  });

  it("once the KPB removes a person, their link shows nothing and takes no answer", async () => {
    h.clock.set(new Date("2027-03-01T09:00:00Z")); // back before the conference
    const fields = { ...(await formOf(annaLink)), answer: "tentative" };
    expect(await h.say('kontakt entfernen "Staatsanwaltschaft Köln" "Anna Becker"')).toContain("Anna Becker");
    const before = h.dump();
    const shown = await fetch(annaLink);
    expect(shown.status).toBe(404);
    expect(await shown.text()).not.toContain("SiKo #1");
    expect((await post(annaLink, fields)).status).toBe(404);
    expect(h.dump()).toEqual(before);
  });
});

describe("one mailbox for two agencies", () => {
  it("once the KPB removes the contact whose invitation the page shows, the page takes no answer for the other agency", async () => {
    const shared = await startEmailBot({ http: true });
    try {
      await invitedByEmail(shared.h, [
        ["Staatsanwaltschaft Köln", "staatsanwaltschaft", "Poststelle StA", "poststelle@justiz.example"],
        ["Amtsgericht Köln", "gericht", "Poststelle AG", "poststelle@justiz.example"],
      ]);
      await shared.smtp.waitFor(2);
      const link = await answerLinkIn(shared.smtp.received.at(-1)!.raw);
      const html = await fetch(link).then((r) => r.text());
      // The page shows the latest mail to the address: one agency's invitation.
      const [shownAgency, other] = html.includes("Amtsgericht Köln") ? ["Amtsgericht Köln", "Staatsanwaltschaft Köln"] : ["Staatsanwaltschaft Köln", "Amtsgericht Köln"];
      const fields = { ...(await formOf(link)), answer: "declined" };
      await shared.h.say(`kontakt entfernen "${shownAgency}" "${shownAgency === "Amtsgericht Köln" ? "Poststelle AG" : "Poststelle StA"}"`);
      const before = shared.h.dump();
      const now = await fetch(link).then((r) => r.text());
      expect(now).toContain("Diese Nachricht ist nicht mehr aktuell: Sie sind für diese Einladung nicht mehr eingetragen, oder sie ging an eine nicht mehr gültige Adresse. Antworten sind hier nicht möglich; bitte wenden Sie sich an die einladende KPB.");
      expect(now).not.toContain("<button");
      expect((await post(link, fields)).status).toBe(410);
      expect(shared.h.dump()).toEqual(before);
      expect(await shared.h.say("status 1")).not.toMatch(new RegExp(`${other}[^\\n]*Absage`));
    } finally {
      await shared.close();
    }
  });
});
