// Pacing of proactive sends per conversation: Teams allows about 7 messages a second and 1,800 an hour to one
// conversation and answers 429 beyond. Short waits are waited out here; a full hour tells the outbox when to
// come back (RetryAfter), so one busy conversation does not hold up the others for long.
import { RetryAfter } from "../../src/port.ts";

const HOUR_MS = 3_600_000;

export class Pacer {
  private readonly sent = new Map<string, number[]>();

  constructor(
    private readonly perSecond: number,
    private readonly perHour: number,
    private readonly now: () => number = () => Date.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Waits until a message to `conversation` may go, and counts it; throws RetryAfter when the hour is full. */
  async take(conversation: string): Promise<void> {
    let times = this.sent.get(conversation);
    if (!times) this.sent.set(conversation, (times = []));
    const now = this.now();
    while (times.length && times[0]! <= now - HOUR_MS) times.shift();
    if (times.length >= this.perHour) throw new RetryAfter(times[0]! + HOUR_MS - now, `paced: ${this.perHour} messages to this conversation within an hour`);
    const gap = Math.ceil(1000 / this.perSecond);
    const last = times[times.length - 1];
    const wait = last === undefined ? 0 : last + gap - now;
    times.push(now + Math.max(0, wait));
    if (wait > 0) await this.sleep(wait);
    if (this.sent.size > 10_000) for (const [k, v] of this.sent) if (!v.length || v[v.length - 1]! <= now - HOUR_MS) this.sent.delete(k);
  }
}
