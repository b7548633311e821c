// Sending: the buyer's messages through the outbox (resent after a reconnect with the same client
// ids), control frames (csat) once a session exists, and the composer's keys.

import { isSendKey } from "../shared/dom.js";
import { connect, rawSend, sendStart } from "./connection.js";
import { messageFrame } from "./protocol.js";
import { disableQuickReplies, renderPending, scrollToEnd } from "./render.js";
import { conn, controlQueue, newId, outbox, ui } from "./state.js";

export function sendMessage(text, payload) {
  const item = outbox.add(newId(), text, payload);
  item.el = renderPending(item);
  disableQuickReplies();
  scrollToEnd(true);
  if (!conn.ws && !conn.timer) connect();
  else if (conn.ws && conn.startFailed) sendStart();
  flushOutbox();
}

// Send what this session has not seen yet; after a reconnect that is everything in the
// outbox, with the same client ids, so the server stores each message once.
export function flushOutbox() {
  if (!conn.ready) return;
  for (const item of outbox.unsent()) {
    if (!rawSend(messageFrame(item))) return;
    outbox.markSent(item);
  }
}

export function sendControl(frame) {
  if (conn.ready && rawSend(frame)) return;
  controlQueue.push(frame);
  if (!conn.ws && !conn.timer) connect();
}

export function flushControl() {
  while (controlQueue.length && conn.ready) {
    if (!rawSend(controlQueue[0])) return;
    controlQueue.shift();
  }
}

export function onSubmit(event) {
  event.preventDefault();
  const text = ui.input.value.trim();
  if (!text) {
    ui.input.focus(); // nothing to send; stay in the field
    return;
  }
  ui.input.value = "";
  autoGrow();
  sendMessage(text, null);
  ui.input.focus();
}

export function onInputKey(event) {
  // Enter sends, Shift+Enter is a newline; never send while an IME is composing.
  if (isSendKey(event)) {
    event.preventDefault();
    if (typeof ui.form.requestSubmit === "function") ui.form.requestSubmit();
    else onSubmit(event);
  }
}

export function autoGrow() {
  const el = ui.input;
  el.style.height = "auto";
  el.style.height = `${Math.min(el.scrollHeight + 2, 120)}px`;
}
