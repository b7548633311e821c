// Fetching the lists, the tickets and the open conversation (coalesced: one refresh at a time).

import { api, enc } from "./api.js";
import { showError } from "./banners.js";
import { REFRESH_DEBOUNCE_MS } from "./config.js";
import { addMessages, renderConversation, updateControls } from "./conversation.js";
import { isMine } from "./helpers.js";
import { watch } from "./live.js";
import { renderMine } from "./mine.js";
import { renderQueue } from "./queue.js";
import { state, timers, ui } from "./state.js";
import { renderTickets } from "./tickets.js";

let refreshing = null;
let refreshAgain = false;

export async function refreshLists() {
  if (!state.token) return;
  if (refreshing) {
    refreshAgain = true;
    return refreshing;
  }
  refreshing = (async () => {
    try {
      const [q, mine] = await Promise.all([api("GET", "/queue"), api("GET", "/mine")]);
      state.queue = Array.isArray(q && q.queue) ? q.queue : [];
      state.queueAt = performance.now();
      state.mine = Array.isArray(mine && mine.conversations) ? mine.conversations : [];
      for (const row of state.mine) watch(row.conversation_id);
      for (const id of [...state.unread]) if (!isMine(id)) state.unread.delete(id);
      renderQueue();
      renderMine();
      if (state.detail) updateControls();
    } catch (err) {
      if (err.status !== 401 && err.code !== "network") showError(err);
    }
  })();
  try {
    await refreshing;
  } finally {
    refreshing = null;
  }
  if (refreshAgain) {
    refreshAgain = false;
    return refreshLists();
  }
}

export async function refreshTickets() {
  if (!state.token) return;
  try {
    const body = await api("GET", "/tickets");
    state.tickets = Array.isArray(body && body.tickets) ? body.tickets : [];
    renderTickets();
  } catch (err) {
    if (err.status !== 401 && err.code !== "network") showError(err);
  }
}

export function scheduleRefresh() {
  clearTimeout(timers.refresh);
  timers.refresh = setTimeout(() => {
    refreshLists();
    refreshTickets();
  }, REFRESH_DEBOUNCE_MS);
}

export function applyDetail(body, fresh) {
  if (!body || !body.conversation) return;
  const id = body.conversation.conversation_id;
  if (fresh || !state.detail || state.detail.conversation.conversation_id !== id) {
    state.detail = {
      conversation: body.conversation,
      messages: [],
      ids: new Set(),
      tickets: [],
      notes: [],
      threads: [],
    };
    ui.transcript.replaceChildren();
  }
  const d = state.detail;
  d.conversation = body.conversation;
  d.tickets = Array.isArray(body.tickets) ? body.tickets : [];
  d.notes = Array.isArray(body.notes) ? body.notes : [];
  d.threads = Array.isArray(body.seller_threads) ? body.seller_threads : [];
  renderConversation(false);
  addMessages(Array.isArray(body.messages) ? body.messages : []);
  if (fresh) ui.transcript.scrollTop = ui.transcript.scrollHeight;
  renderTickets();
}

export async function refreshDetail() {
  const id = state.selectedId;
  if (!id) return;
  try {
    const body = await api("GET", `/conversations/${enc(id)}`);
    if (state.selectedId === id) applyDetail(body, false);
  } catch (err) {
    if (err.status !== 401 && err.code !== "network") showError(err);
  }
}
