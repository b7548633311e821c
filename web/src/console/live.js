// The live socket: queue changes, reminders and the messages of watched conversations; reconnects
// with the shared backoff and asks the api whether the session still holds before each retry.

import { parseFrame } from "../shared/frames.js";
import { api, enc } from "./api.js";
import { notify } from "./banners.js";
import { API } from "./config.js";
import { refreshDetail, scheduleRefresh } from "./loading.js";
import { renderMine } from "./mine.js";
import { renderConnection } from "./page.js";
import { sessionExpired } from "./session.js";
import { conn, state, timers, ui } from "./state.js";

export function socketUrl() {
  return `${location.origin.replace(/^http/i, "ws") + API}/ws?token=${enc(state.token || "")}`;
}

export function connect() {
  if (!state.token) return;
  clearTimeout(conn.timer);
  let ws;
  try {
    ws = new WebSocket(socketUrl());
  } catch (_) {
    scheduleReconnect();
    return;
  }
  conn.ws = ws;
  ws.addEventListener("message", (event) => {
    if (conn.ws !== ws) return;
    const frame = parseFrame(event.data);
    if (frame) onFrame(frame);
  });
  ws.addEventListener("close", () => {
    if (conn.ws !== ws) return;
    conn.ws = null;
    setLive(false);
    scheduleReconnect();
  });
}

export function disconnect() {
  clearTimeout(conn.timer);
  const ws = conn.ws;
  conn.ws = null;
  conn.backoff.reset();
  setLive(false);
  if (ws) {
    try {
      ws.close();
    } catch (_) {
      /* already closed */
    }
  }
}

export function scheduleReconnect() {
  if (!state.token) return;
  const delay = conn.backoff.next();
  clearTimeout(conn.timer);
  conn.timer = setTimeout(async () => {
    // A refused handshake looks like any drop: ask the api whether the session still holds.
    try {
      await api("GET", "/me");
    } catch (err) {
      if (err.status === 401) return; // sessionExpired() ran
    }
    if (state.token && !conn.ws) connect();
  }, delay);
}

export function setLive(live) {
  conn.live = live;
  if (ui.connection) renderConnection();
}

export function sendWatch(id) {
  const ws = conn.ws;
  if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "watch", conversation_id: id }));
}

export function watch(id) {
  if (!id) return;
  const isNew = !state.watched.has(id);
  state.watched.add(id);
  if (isNew) sendWatch(id);
}

export function onFrame(frame) {
  if (frame.type === "hello") {
    conn.backoff.reset();
    setLive(true);
    for (const id of state.watched) sendWatch(id); // a new socket watches nothing yet
    scheduleRefresh(); // catch up on what happened while away
    if (state.selectedId) refreshDetail();
  } else if (frame.type === "session_ended") {
    sessionExpired(); // logged out elsewhere, expired or removed: back to the login form
  } else if (frame.type === "queue_changed") {
    scheduleRefresh();
  } else if (frame.type === "idle_reminder") {
    const minutes = Number(frame.idle_minutes) || 0;
    if (frame.level === "supervisor") {
      notify("idleReminderSupervisor", { minutes, agent: String(frame.agent_name || "") });
    } else {
      notify("idleReminderAgent", { minutes });
    }
    if (typeof frame.conversation_id === "string") state.unread.add(frame.conversation_id);
    scheduleRefresh();
  } else if (frame.type === "ticket_message") {
    notify("ticketMessage", { reference: String(frame.reference || "") });
    scheduleRefresh();
  } else if (frame.type === "message" && frame.message && typeof frame.message === "object") {
    onLiveMessage(frame.message);
  }
}

// The frame does not say which conversation it belongs to: fetch the open one (and, if the
// message is not there, my other conversations) and merge by message id.
// Live messages waiting to be placed (resolveLive), gathered for 60 ms.
export const liveBuffer = [];

export function onLiveMessage(message) {
  if (state.detail && state.detail.ids.has(message.id)) return;
  liveBuffer.push(message);
  clearTimeout(timers.live);
  timers.live = setTimeout(resolveLive, 60);
}

export async function resolveLive() {
  const batch = liveBuffer.splice(0);
  if (!batch.length) return;
  await refreshDetail();
  const unknown = new Set(batch.filter((m) => !(state.detail && state.detail.ids.has(m.id))).map((m) => m.id));
  if (!unknown.size) return;
  for (const row of state.mine) {
    if (row.conversation_id === state.selectedId) continue;
    try {
      const body = await api("GET", `/conversations/${enc(row.conversation_id)}`);
      if ((body.messages || []).some((m) => unknown.has(m.id))) state.unread.add(row.conversation_id);
    } catch (_) {
      /* the next poll tells */
    }
  }
  renderMine();
}
