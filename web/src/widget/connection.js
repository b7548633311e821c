// The chat socket: connect, start or resume the conversation, reconnect with backoff, and dispatch
// the server's frames. What the frames mean for the outbox is in outbox.js and protocol.js (pure).

import { parseFrame } from "../shared/frames.js";
import { config, SESSION_TIMEOUT_MS } from "./config.js";
import { onAgentTyping, onState, showCsat } from "./handoff.js";
import { t } from "./i18n.js";
import { flushControl, flushOutbox } from "./messages.js";
import { loadNotices, onNoticeFrame } from "./notices.js";
import { errorAction, retryAfterSeconds, startFrame } from "./protocol.js";
import {
  addError,
  addMessage,
  confirmPending,
  failPending,
  renderHistory,
  renderStatus,
  renderTyping,
  setOffline,
} from "./render.js";
import { onSellerFrame } from "./seller.js";
import { conn, destroyed, outbox, state } from "./state.js";
import { storage } from "./storage.js";

export function rawSend(frame) {
  if (!conn.ws || conn.ws.readyState !== WebSocket.OPEN) return false;
  try {
    conn.ws.send(JSON.stringify(frame));
    return true;
  } catch (_) {
    return false;
  }
}

export function connect() {
  if (destroyed || conn.ws) return;
  clearTimeout(conn.timer);
  conn.timer = null;
  let ws;
  try {
    ws = new WebSocket(config.wsUrl);
  } catch (_) {
    scheduleReconnect();
    return;
  }
  conn.ws = ws;
  conn.ready = false;
  conn.startFailed = false;
  outbox.dropSocket();
  armSessionTimer(ws);
  ws.onopen = () => {
    if (conn.ws === ws) sendStart();
  };
  ws.onmessage = (event) => {
    if (conn.ws !== ws) return;
    const frame = parseFrame(event.data); // anything else is not ours to show
    if (frame) handleFrame(frame);
  };
  ws.onclose = () => {
    if (conn.ws !== ws) return;
    clearTimeout(conn.sessionTimer);
    conn.ws = null;
    conn.ready = false;
    conn.awaitingSession = false;
    outbox.dropSocket();
    state.botTyping = false;
    state.agentTyping = false;
    renderTyping();
    if (destroyed) return;
    setOffline(true);
    scheduleReconnect();
  };
  // onerror is always followed by onclose, which does the work.
}

export function scheduleReconnect() {
  if (destroyed || conn.timer || conn.ws) return;
  const delay = conn.backoff.next();
  conn.timer = setTimeout(() => {
    conn.timer = null;
    connect();
  }, delay);
}

export function reconnectNow() {
  if (destroyed || conn.ws) return;
  clearTimeout(conn.timer);
  conn.timer = null;
  connect();
}

// A socket that never produces a session (half-open proxy, stuck server) is retried.
export function armSessionTimer(ws) {
  clearTimeout(conn.sessionTimer);
  conn.sessionTimer = setTimeout(() => {
    if (conn.ws === ws && !conn.ready && !conn.startFailed) ws.close();
  }, SESSION_TIMEOUT_MS);
}

export function sendStart() {
  const { frame, resuming } = startFrame(state.lang, state.saved, config.buyerToken);
  conn.resuming = resuming;
  conn.startLang = state.lang;
  conn.awaitingSession = true;
  conn.startFailed = false;
  // Until the answering session frame, new messages wait in the outbox (they belong to it).
  // No session timer here: a re-start on a live socket may queue behind a slow bot answer.
  conn.ready = false;
  rawSend(frame);
}

export function handleFrame(frame) {
  switch (frame.type) {
    case "session":
      return onSession(frame);
    case "ack":
      return onAck(frame);
    case "message":
      return onServerMessage(frame.message);
    case "seller_message":
      return onSellerFrame(frame);
    case "notice":
      return onNoticeFrame(frame);
    case "typing":
      state.botTyping = !!frame.on;
      return renderTyping();
    case "agent_typing":
      return onAgentTyping(frame);
    case "state":
      return onState(frame);
    case "csat_request":
      return showCsat();
    case "error":
      return onError(frame);
    default:
      return undefined; // unknown frames from a newer server are ignored
  }
}

export function onSession(frame) {
  const c = frame.conversation && typeof frame.conversation === "object" ? frame.conversation : {};
  if (typeof c.conversation_id === "string" && typeof c.token === "string") {
    state.saved = { conversation_id: c.conversation_id, token: c.token };
    storage.save(state.saved);
  }
  clearTimeout(conn.sessionTimer);
  conn.ready = true;
  conn.awaitingSession = false;
  conn.startFailed = false;
  conn.backoff.reset();
  outbox.newSession();
  setOffline(false);
  state.botTyping = false;
  state.agentTyping = false;
  applyConversationState(c);
  if (typeof c.market === "string") state.market = c.market;
  renderHistory(frame.history);
  renderTyping();
  loadNotices();
  // The buyer switched language while this start was in flight: tell the server now.
  if (conn.startLang !== state.lang) {
    sendStart();
    return;
  }
  flushOutbox();
  flushControl();
}

// The state a (resumed) conversation is in, without notices: those are for live changes.
export function applyConversationState(c) {
  const s = typeof c.state === "string" ? c.state : "bot";
  state.convState = s;
  const agent = c.agent && typeof c.agent === "object" ? c.agent : null;
  state.agentName = s === "with_agent" && agent && typeof agent.name === "string" ? agent.name : null;
  state.queue = s === "queued" ? { position: num(c.position), wait: num(c.wait_seconds) } : null;
  renderStatus();
}

export function num(v) {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
}

export function onAck(frame) {
  const m = frame.message && typeof frame.message === "object" ? frame.message : null;
  if (!m) return;
  const item = m.client_message_id ? outbox.find(m.client_message_id) : null;
  if (item) confirmPending(item, m);
  else addMessage(m, false); // e.g. a resend whose pending bubble was replaced by history
}

export function onServerMessage(m) {
  addMessage(m, false);
}

export function onError(frame) {
  const code = typeof frame.code === "string" ? frame.code : "";
  const action = errorAction(code, {
    awaitingSession: conn.awaitingSession,
    resuming: conn.resuming,
    inflight: outbox.inflight.length,
  });
  if (action === "restart") {
    // The saved conversation is gone (or its token is wrong): forget it and start fresh.
    state.saved = null;
    storage.clear();
    sendStart();
    return;
  }
  if (action === "deferred") {
    // Rate-limited: the server did not store it. Keep it in the outbox and resend it when allowed.
    outbox.deferred(typeof frame.client_message_id === "string" ? frame.client_message_id : outbox.oldestInflight());
    setTimeout(() => {
      if (!destroyed) flushOutbox();
    }, retryAfterSeconds(frame.retry_after) * 1000);
  } else if (action === "refused") {
    // Frames are handled in order, so a refusal belongs to the oldest unacknowledged message.
    const cid = outbox.oldestInflight();
    const item = outbox.find(cid);
    if (item) failPending(item);
    else outbox.land(cid);
  } else if (action === "start_refused") {
    // Start refused (e.g. unknown buyer): keep the socket, let the next send try again.
    clearTimeout(conn.sessionTimer);
    conn.awaitingSession = false;
    conn.startFailed = true;
  }
  addError(typeof frame.message === "string" && frame.message ? frame.message : t("genericError"));
}
