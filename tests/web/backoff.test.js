// The shared reconnect schedule (web/src/shared/backoff.js): fast first retry, doubling, one fixed ceiling.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Backoff, RECONNECT_BASE_MS, RECONNECT_MAX_MS } from "../../web/src/shared/backoff.js";

test("the first retry is fast and the waits double up to the ceiling", () => {
  const backoff = new Backoff({ random: () => 1 }); // the longest wait of each step
  const waits = Array.from({ length: 8 }, () => backoff.next());
  assert.deepEqual(waits, [500, 1000, 2000, 4000, 8000, 10000, 10000, 10000]);
  assert.equal(RECONNECT_BASE_MS, 500);
  assert.equal(RECONNECT_MAX_MS, 10000);
});

test("jitter keeps each wait between half the ceiling and the ceiling", () => {
  const low = new Backoff({ random: () => 0 });
  const high = new Backoff({ random: () => 0.999999 });
  for (let i = 0; i < 20; i++) {
    const ceiling = low.ceiling();
    const a = low.next();
    const b = high.next();
    assert.equal(a, ceiling / 2);
    assert.ok(b < ceiling && b >= ceiling / 2);
  }
});

test("a long outage never goes past the ceiling (the ceiling does not drift)", () => {
  const backoff = new Backoff({ random: () => 1 });
  for (let i = 0; i < 1000; i++) assert.ok(backoff.next() <= RECONNECT_MAX_MS);
  assert.equal(backoff.ceiling(), RECONNECT_MAX_MS);
  assert.ok(Number.isFinite(backoff.baseMs * 2 ** backoff.attempt), "the attempt count stays bounded");
});

test("a held connection starts the schedule again", () => {
  const backoff = new Backoff({ random: () => 1 });
  backoff.next();
  backoff.next();
  backoff.reset();
  assert.equal(backoff.next(), 500);
});

test("the ceiling and base can be set (one place for both sockets)", () => {
  const backoff = new Backoff({ baseMs: 100, maxMs: 250, random: () => 1 });
  assert.deepEqual([backoff.next(), backoff.next(), backoff.next()], [100, 200, 250]);
});
