// A mail cannot be edited: what keeps an older mail's answer link truthful is the page behind it. After a
// reschedule every link of the invitee shows the new date; after the cancellation it shows the cancellation
// and takes no answer.
import { afterAll, beforeAll, expect, it } from "vitest";
import { answerForm, answerLinkIn, invitedByEmail, startEmailBot, type EmailBot } from "../support/emailHost.ts";

let bot: EmailBot;

beforeAll(async () => {
  bot = await startEmailBot({ http: true });
});
afterAll(() => bot?.close());

it("an earlier mail's link shows the moved date, and after the cancellation takes no answer", async () => {
  const { h, smtp } = bot;
  await invitedByEmail(h, [["Staatsanwaltschaft Köln", "staatsanwaltschaft", "Anna Becker", "anna@sta.example"]]);
  const first = await answerLinkIn((await smtp.waitFor(1))[0]!.raw);
  expect(await (await fetch(first)).text()).toMatch(/Wann<\/th><td>[^<]*15\.03\.2027/);

  // A new place comes in a mail without a link; the link already out shows it.
  await h.say('ort 1 "Polizeipräsidium Köln, Saal 3"');
  await h.worker.flush();
  await smtp.waitFor(2);
  expect(await (await fetch(first)).text()).toMatch(/Wo<\/th><td>Polizeipräsidium Köln, Saal 3/);

  // A page loaded before the move, answered after it: the answer was chosen for the old date.
  const loadedBefore = await answerForm(first);
  await h.say("verschieben 1 2027-03-22 10:00");
  await h.worker.flush();
  await smtp.waitFor(3);
  const page = await (await fetch(first)).text();
  expect(page).toMatch(/Wann<\/th><td>[^<]*22\.03\.2027/);
  const unchanged = h.dump(["processed_events"]);
  const stale = await fetch(first, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ ...loadedBefore, answer: "declined" }) });
  expect(stale.status).toBe(422);
  expect(await stale.text()).toContain("Diese Einladung gilt nicht mehr: SiKo #1 ist verschoben auf Mo, 22.03.2027, 10:00 Uhr.");
  expect(h.dump(["processed_events"])).toEqual(unchanged);

  const fields = await answerForm(first);
  await h.say('absagen 1 --ja "Terminkollision"');
  await h.worker.flush();
  await smtp.waitFor(4);
  const before = h.dump();
  const cancelled = await fetch(first);
  expect(cancelled.status).toBe(200);
  const html = await cancelled.text();
  expect(html).not.toContain("<form");
  const res = await fetch(first, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ ...fields, answer: "accepted" }) });
  expect(res.status).toBe(410);
  expect(h.dump()).toEqual(before);
});
