// The widget's outbox (web/src/widget/outbox.js): messages until acknowledged, resent per session.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Outbox } from "../../web/src/widget/outbox.js";

function sendAll(box) {
  const sent = [];
  for (const item of box.unsent()) {
    sent.push(item.cid);
    box.markSent(item);
  }
  return sent;
}

test("nothing is sent before a session; then each message once, oldest first", () => {
  const box = new Outbox();
  box.add("a", "merhaba");
  box.add("b", "siparişim nerede", "/track_order");
  // Generation 0 is "no session yet": new items carry sentGen -1, so they are all unsent.
  box.newSession();
  assert.deepEqual(sendAll(box), ["a", "b"]);
  assert.deepEqual(sendAll(box), [], "a second flush in the same session sends nothing again");
  assert.deepEqual(box.inflight, ["a", "b"]);
});

test("a new session resends what was not acknowledged, with the same client ids", () => {
  const box = new Outbox();
  box.newSession();
  box.add("a", "one");
  box.add("b", "two");
  sendAll(box);
  box.remove(box.find("a")); // acknowledged
  box.dropSocket(); // the socket closed before "b" was acknowledged
  assert.deepEqual(box.inflight, []);
  box.newSession();
  assert.deepEqual(sendAll(box), ["b"]);
  assert.equal(box.items.length, 1);
});

test("an acknowledgement takes the message out of the outbox and out of flight", () => {
  const box = new Outbox();
  box.newSession();
  const a = box.add("a", "one");
  box.add("b", "two");
  sendAll(box);
  box.remove(a);
  assert.deepEqual(
    box.items.map((i) => i.cid),
    ["b"],
  );
  assert.deepEqual(box.inflight, ["b"]);
  assert.equal(box.find("a"), undefined);
});

test("a refusal belongs to the oldest message in flight", () => {
  const box = new Outbox();
  box.newSession();
  box.add("a", "one");
  box.add("b", "two");
  sendAll(box);
  assert.equal(box.oldestInflight(), "a");
  box.remove(box.find(box.oldestInflight()));
  assert.equal(box.oldestInflight(), "b");
  box.land("b");
  assert.equal(box.oldestInflight(), null);
});

test("a rate-limited message stays and is sent again by the next flush of the same session", () => {
  const box = new Outbox();
  box.newSession();
  box.add("a", "one");
  box.add("b", "two");
  sendAll(box);
  const item = box.deferred("b");
  assert.equal(item.cid, "b");
  assert.deepEqual(box.inflight, ["a"]);
  assert.deepEqual(sendAll(box), ["b"]);
  assert.equal(box.deferred("unknown"), null);
});

test("payloads are kept and an empty one is null", () => {
  const box = new Outbox();
  assert.equal(box.add("a", "Evet", "/affirm").payload, "/affirm");
  assert.equal(box.add("b", "text", "").payload, null);
});
