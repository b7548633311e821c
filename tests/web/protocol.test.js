// What the widget says to the chat socket and how it reads refusals (web/src/widget/protocol.js), and
// how both sockets read frames (web/src/shared/frames.js).
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseFrame } from "../../web/src/shared/frames.js";
import { errorAction, messageFrame, retryAfterSeconds, startFrame } from "../../web/src/widget/protocol.js";

test("a saved conversation is resumed with its token; else a buyer token starts one", () => {
  const saved = { conversation_id: "c1", token: "tok" };
  assert.deepEqual(startFrame("pl", saved, "jwt"), {
    frame: { type: "start", language: "pl", conversation_id: "c1", token: "tok" },
    resuming: true,
  });
  assert.deepEqual(startFrame("tr", null, "jwt"), {
    frame: { type: "start", language: "tr", buyer_token: "jwt" },
    resuming: false,
  });
  assert.deepEqual(startFrame("tr", null, null).frame, { type: "start", language: "tr" });
});

test("a message frame carries the client id, and the payload only when there is one", () => {
  assert.deepEqual(messageFrame({ cid: "a", text: "hi", payload: null }), {
    type: "message",
    text: "hi",
    client_message_id: "a",
  });
  assert.equal(messageFrame({ cid: "a", text: "Evet", payload: "/affirm" }).payload, "/affirm");
});

test("error frames: restart, deferred, refused, start refused, or just shown", () => {
  const resumingStart = { awaitingSession: true, resuming: true, inflight: 0 };
  assert.equal(errorAction("unknown_conversation", resumingStart), "restart");
  assert.equal(errorAction("unknown_conversation", { ...resumingStart, resuming: false }), "start_refused");
  const live = { awaitingSession: false, resuming: false, inflight: 2 };
  assert.equal(errorAction("too_many_messages", live), "deferred");
  for (const code of ["empty_message", "message_too_long", "invalid_frame", "invalid_json", "no_session"]) {
    assert.equal(errorAction(code, live), "refused", code);
  }
  assert.equal(errorAction("message_too_long", { ...live, inflight: 0 }), "none");
  assert.equal(errorAction("too_many_messages", { ...live, inflight: 0 }), "none");
  assert.equal(
    errorAction("invalid_buyer_token", { awaitingSession: true, resuming: false, inflight: 0 }),
    "start_refused",
  );
  assert.equal(errorAction("bot_unavailable", live), "none");
});

test("retry_after is read in seconds, 5 when missing, within 1..300", () => {
  assert.equal(retryAfterSeconds(12), 12);
  assert.equal(retryAfterSeconds("7"), 7);
  assert.equal(retryAfterSeconds(undefined), 5);
  assert.equal(retryAfterSeconds(0), 5);
  assert.equal(retryAfterSeconds(0.2), 1);
  assert.equal(retryAfterSeconds(9999), 300);
});

test("frames are JSON objects; anything else is ignored", () => {
  assert.deepEqual(parseFrame('{"type":"hello"}'), { type: "hello" });
  assert.equal(parseFrame("not json"), null);
  assert.equal(parseFrame("null"), null);
  assert.equal(parseFrame("42"), null);
  assert.equal(parseFrame(new ArrayBuffer(2)), null);
});
