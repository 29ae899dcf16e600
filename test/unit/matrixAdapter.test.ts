// The pure parts of the Matrix adapter: rendering (what a user typed is never markup), which messages are
// commands, who may invite the bot, the txnIds, and what a failed request means for the outbox.
import { describe, expect, it } from "vitest";
import { describe as describeError, toPortError } from "../../adapters/matrix/errors.ts";
import { commandTextOf, isInviterAllowed, txnIdFor } from "../../adapters/matrix/matrixAdapter.ts";
import { escapeHtml } from "../../src/messages/html.ts";
import { normaliseKey, pollContent, renderMessage, replacement } from "../../adapters/matrix/render.ts";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { translator } from "../../src/messages/i18n/catalogue.ts";
import { rsvpButtons } from "../../src/messages/conference.ts";
import { NotPosted, PermanentFailure, RetryAfter, Unreachable, type OutboundMessage } from "../../src/port.ts";

const BOT = { userId: "@siko:example.org", displayName: "siko-bot" };

function invitation(over: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    text: "Einladung: SiKo #3 von PP Köln\nAntwort mit `zusage 3`.",
    locale: "de",
    kind: "invitation",
    view: {
      title: [{ text: "Einladung: SiKo #3 – " }, { user: "PP <Köln>" }],
      facts: [{ label: "Wo", value: [{ user: '<img src=x onerror="alert(1)">' }] }],
      sections: [{ heading: "Tagesordnung", items: [[{ user: "Lage & <script>" }]] }],
      note: [{ text: "Vertraulich – `status 3` zeigt mehr." }],
    },
    buttons: rsvpButtons({ id: 3, number: 3, startsAt: new Date("2027-03-15T09:00:00.000Z") }, { slug: "koeln" }, translator("de")),
    rsvp: { conferenceId: 3, partnerAgencyId: 1, startsAt: "2027-03-15T09:00:00.000Z", state: "open", answer: [{ text: "Antwort von " }, { user: "Amt <b>X</b>" }, { text: ": Zusage" }] },
    ...over,
  };
}

describe("rendering", () => {
  it("escapes what users typed and shows the bot's `…` spans as code", () => {
    const c = renderMessage(invitation());
    expect(c.formatted_body).toContain("PP &lt;Köln&gt;");
    expect(c.formatted_body).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(c.formatted_body).toContain("Lage &amp; &lt;script&gt;");
    expect(c.formatted_body).toContain("Amt &lt;b&gt;X&lt;/b&gt;");
    expect(c.formatted_body).toContain("<code>status 3</code>");
    expect(c.formatted_body).not.toMatch(/<(img|script|b>X)/);
    expect(c["m.mentions"]).toEqual({});
    expect(c.format).toBe("org.matrix.custom.html");
  });

  it("adds the agency's answer and the reaction hint with the typed deputy command", () => {
    const c = renderMessage(invitation());
    expect(c.body).toContain("Antwort von Amt <b>X</b>: Zusage");
    expect(c.body).toContain('Bitte antworten Sie mit einer Reaktion auf diese Nachricht: ✅ Zusage, ❌ Absage, ❔ Vorbehalt. Vertretung: `vertretung koeln#3 "<Name>"`.');
    // Once the conference moved, the copy says so and offers no reactions.
    const moved = renderMessage(invitation({ rsvp: { ...invitation().rsvp!, state: "moved", note: [{ text: "Verschoben." }] } }));
    expect(moved.body).toContain("Verschoben.");
    expect(moved.body).not.toContain("Reaktion");
  });

  it("without a view, the text is escaped with its line breaks", () => {
    expect(renderMessage({ text: "a < b\n`x`", locale: "en" }).formatted_body).toBe("<p>a &lt; b<br><code>x</code></p>");
    expect(escapeHtml(`<>&"'`)).toBe("&lt;&gt;&amp;&quot;&#39;");
  });

  it("an edit is an m.replace with the new content and pings nobody", () => {
    const r = replacement("$orig", renderMessage(invitation(), { mentions: ["@x:y"] }));
    expect(r["m.relates_to"]).toEqual({ rel_type: "m.replace", event_id: "$orig" });
    expect(r["m.mentions"]).toEqual({});
    expect((r["m.new_content"] as { "m.mentions": unknown })["m.mentions"]).toEqual({});
    expect(String(r.body).startsWith("* ")).toBe(true);
  });

  it("a poll answers with the core's answers, and has a text fallback", () => {
    const p = pollContent(invitation(), "Ihre Antwort: SiKo #3") as Record<string, any>;
    expect(p["org.matrix.msc3381.poll.start"].answers.map((a: { id: string }) => a.id)).toEqual(["accepted", "declined", "tentative"]);
    expect(p["org.matrix.msc1767.text"]).toBe("Ihre Antwort: SiKo #3\n1. Zusage\n2. Absage\n3. Vorbehalt");
  });

  it("reaction keys compare without U+FE0F", () => {
    expect(normaliseKey("✅\uFE0F")).toBe("✅");
    expect(normaliseKey("❔")).toBe("❔");
  });
});

describe("which messages are commands", () => {
  it("`!siko …`, a mention, the display name at the start; anything in a direct room", () => {
    expect(commandTextOf({ body: "!siko status 1" }, false, BOT)).toBe("!siko status 1");
    expect(commandTextOf({ body: "siko-bot: status 1" }, false, BOT)).toBe("status 1");
    expect(commandTextOf({ body: "@siko:example.org status 1" }, false, BOT)).toBe("status 1");
    expect(commandTextOf({ body: "siko-bot status 1", "m.mentions": { user_ids: ["@siko:example.org"] } }, false, BOT)).toBe("status 1");
    expect(commandTextOf({ body: "> <@a:b> earlier\n\n!siko ich" }, false, BOT)).toBe("!siko ich");
    expect(commandTextOf({ body: "Guten Morgen zusammen" }, false, BOT)).toBeNull();
    expect(commandTextOf({ body: "siko-botschaft ist angekommen" }, false, BOT)).toBeNull();
    expect(commandTextOf({ body: "zusage 3" }, true, BOT)).toBe("zusage 3");
    expect(commandTextOf({ msgtype: "m.image" }, true, BOT)).toBeNull();
  });
});

describe("invitations to rooms", () => {
  it("are accepted from listed user ids and servers only", () => {
    const allowed = ["@chef:polizei.nrw.de", "polizei.nrw.de", ":bund.de"];
    expect(isInviterAllowed("@chef:polizei.nrw.de", allowed)).toBe(true);
    expect(isInviterAllowed("@orga:polizei.nrw.de", allowed)).toBe(true);
    expect(isInviterAllowed("@x:bund.de", allowed)).toBe(true);
    expect(isInviterAllowed("@x:evil.example", allowed)).toBe(false);
    expect(isInviterAllowed("@x:notpolizei.nrw.de", allowed)).toBe(false);
    expect(isInviterAllowed("@chef:polizei.nrw.de", [])).toBe(false);
  });
});

describe("configuration", () => {
  const base = { SIKO_ADAPTERS: "matrix", SIKO_MATRIX_HOMESERVER_URL: "https://matrix.example.org", SIKO_MATRIX_ACCESS_TOKEN: "syt_x" };

  it("reads the allow-list and the poll switch", () => {
    const c = loadConfig({ ...base, SIKO_MATRIX_ALLOWED_INVITERS: "@chef:polizei.nrw.de, polizei.nrw.de, matrix.bund.de:8448", SIKO_MATRIX_POLLS: "true" });
    expect(c.SIKO_MATRIX_ALLOWED_INVITERS).toEqual(["@chef:polizei.nrw.de", "polizei.nrw.de", "matrix.bund.de:8448"]);
    expect(c.SIKO_MATRIX_POLLS).toBe(true);
    expect(loadConfig(base).SIKO_MATRIX_ALLOWED_INVITERS).toEqual([]);
  });

  it("names the variable of a wrong value", () => {
    expect(() => loadConfig({ ...base, SIKO_MATRIX_ALLOWED_INVITERS: "alle Leute" })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, SIKO_MATRIX_ALLOWED_INVITERS: "alle Leute" })).toThrow(/SIKO_MATRIX_ALLOWED_INVITERS: a Matrix user id/);
    expect(() => loadConfig({ ...base, SIKO_MATRIX_POLLS: "vielleicht" })).toThrow(/SIKO_MATRIX_POLLS/);
  });
});

describe("txnIds", () => {
  it("are the same for the same outbox key and part, and differ otherwise", () => {
    const a = txnIdFor("invite:conf=1:seq=0:matrix:@a:b", "text");
    expect(txnIdFor("invite:conf=1:seq=0:matrix:@a:b", "text")).toBe(a);
    expect(txnIdFor("invite:conf=1:seq=0:matrix:@a:b", "react.0")).not.toBe(a);
    expect(txnIdFor("invite:conf=1:seq=1:matrix:@a:b", "text")).not.toBe(a);
    expect(a).toMatch(/^siko\.[A-Za-z0-9_-]{32}\.text$/);
  });
});

describe("failed requests", () => {
  const matrixError = (statusCode: number, body: Record<string, unknown>) => ({ statusCode, body, errcode: body.errcode, error: body.error, retryAfterMs: body.retry_after_ms });

  it("429 waits as long as the homeserver asked, from the body or the Retry-After header", () => {
    const limited = toPortError(matrixError(429, { errcode: "M_LIMIT_EXCEEDED", error: "Too many", retry_after_ms: 1234 }));
    expect(limited).toBeInstanceOf(RetryAfter);
    expect((limited as RetryAfter).ms).toBe(1234);
    const header = toPortError({ statusCode: 429, headers: { "retry-after": "3" }, body: "<html>" });
    expect((header as RetryAfter).ms).toBe(3000);
  });

  it("5xx (a gateway's HTML too) waits; 403 is unreachable; 400 is permanent", () => {
    expect(toPortError({ statusCode: 502, headers: {}, body: "<html>Bad Gateway</html>" })).toBeInstanceOf(RetryAfter);
    expect(toPortError(matrixError(403, { errcode: "M_FORBIDDEN", error: "not in room" }))).toBeInstanceOf(Unreachable);
    expect(toPortError(matrixError(400, { errcode: "M_BAD_JSON", error: "bad" }))).toBeInstanceOf(PermanentFailure);
  });

  it("a refused connection proves nothing was posted; a timeout or reset leaves the outcome unknown", () => {
    expect(toPortError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))).toBeInstanceOf(NotPosted);
    const reset = toPortError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
    expect(reset.constructor).toBe(Error);
  });

  it("never carries the token", () => {
    const e = Object.assign(new Error("GET https://hs/?access_token=syt_secret failed"), { code: "ETIMEDOUT" });
    expect(describeError(e, "syt_secret")).not.toContain("syt_secret");
    expect(toPortError(e, "syt_secret").message).not.toContain("syt_secret");
  });
});
