// One reconnect schedule for every socket (the widget's chat, the console's live news): the first retry
// is fast, the ceiling is fixed so a long outage does not hammer the server, and jitter spreads the
// reconnect wave after a server restart. Pure: the random source is injectable for tests.

export const RECONNECT_BASE_MS = 500;
export const RECONNECT_MAX_MS = 10000;
// 2 ** 15 * 500 ms is far above the ceiling: counting further would change nothing.
const MAX_ATTEMPT = 15;

export class Backoff {
  constructor({ baseMs = RECONNECT_BASE_MS, maxMs = RECONNECT_MAX_MS, random = Math.random } = {}) {
    this.baseMs = baseMs;
    this.maxMs = maxMs;
    this.random = random;
    this.attempt = 0;
  }

  /** The longest the next wait can be. */
  ceiling() {
    return Math.min(this.maxMs, this.baseMs * 2 ** this.attempt);
  }

  /** The wait before the next attempt (between half the ceiling and the ceiling); counts the attempt. */
  next() {
    const ceiling = this.ceiling();
    this.attempt = Math.min(this.attempt + 1, MAX_ATTEMPT);
    return ceiling / 2 + this.random() * (ceiling / 2);
  }

  /** A connection held: the next drop starts from the fast first retry again. */
  reset() {
    this.attempt = 0;
  }
}
