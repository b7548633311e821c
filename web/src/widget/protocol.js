// What the widget says to the chat socket and how it reads the server's refusals. Pure, for the unit
// tests (tests/web/protocol.test.js); connection.js does the sending.

// Server error codes that mean "this message frame was refused" (no ack will come for it).
export const MESSAGE_REJECTIONS = new Set([
  "empty_message",
  "message_too_long",
  "invalid_frame",
  "invalid_json",
  "no_session",
]);

/**
 * The "start" frame: a saved conversation is resumed with its token, else a signed-in buyer starts
 * with the marketplace's buyer token. `resuming` says which (an unknown conversation then starts afresh).
 */
export function startFrame(lang, saved, buyerToken) {
  const frame = { type: "start", language: lang };
  if (saved) {
    frame.conversation_id = saved.conversation_id;
    frame.token = saved.token;
    return { frame, resuming: true };
  }
  if (buyerToken) frame.buyer_token = buyerToken;
  return { frame, resuming: false };
}

/** The frame that sends one outbox item. */
export function messageFrame(item) {
  const frame = { type: "message", text: item.text, client_message_id: item.cid };
  if (item.payload) frame.payload = item.payload;
  return frame;
}

/** Seconds to wait after "too_many_messages": the server's retry_after, 5 s if missing, within 1..300. */
export function retryAfterSeconds(raw) {
  return Math.min(Math.max(Number(raw) || 5, 1), 300);
}

/**
 * What an "error" frame means, given the connection's state:
 * "restart" (the saved conversation is gone: forget it, start fresh), "deferred" (rate-limited: send the
 * message again later), "refused" (the oldest message in flight is refused), "start_refused" (the start
 * was refused: keep the socket, the next send tries again) or "none" (just show the text).
 */
export function errorAction(code, { awaitingSession, resuming, inflight }) {
  if (awaitingSession && resuming && code === "unknown_conversation") return "restart";
  if (code === "too_many_messages" && inflight > 0) return "deferred";
  if (MESSAGE_REJECTIONS.has(code) && inflight > 0) return "refused";
  if (awaitingSession) return "start_refused";
  return "none";
}
