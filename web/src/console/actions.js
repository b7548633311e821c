// What the agent does to a conversation: open, claim, reply (with typing signals), transfer, resolve,
// hand back, note.

import { api, enc } from "./api.js";
import { clearError, notify, showError } from "./banners.js";
import { TYPING_IDLE_MS, TYPING_REFRESH_MS } from "./config.js";
import { addMessages, canAct, renderNotes, updateControls } from "./conversation.js";
import { isMine } from "./helpers.js";
import { watch } from "./live.js";
import { applyDetail, refreshDetail, refreshLists, refreshTickets, scheduleRefresh } from "./loading.js";
import { renderMine } from "./mine.js";
import { renderQueue } from "./queue.js";
import { busy, state, typing, ui } from "./state.js";

export async function selectConversation(id) {
  if (id !== state.selectedId) stopTyping();
  clearError();
  try {
    const body = await api("GET", `/conversations/${enc(id)}`);
    state.selectedId = id;
    state.unread.delete(id);
    applyDetail(body, true);
    watch(id);
    renderMine();
    resetTransfer();
  } catch (err) {
    if (err.status !== 401) showError(err);
  }
}

export async function claimConversation(id, button) {
  clearError();
  if (button) button.disabled = true;
  try {
    const body = await api("POST", `/conversations/${enc(id)}/claim`);
    stopTyping();
    state.selectedId = id;
    state.unread.delete(id);
    if (!isMine(id)) state.mine.push(body.conversation);
    state.queue = state.queue.filter((r) => r.conversation_id !== id);
    applyDetail(body, true);
    watch(id);
    renderQueue();
    renderMine();
    resetTransfer();
    notify("notice_claimed");
    ui.reply.focus();
  } catch (err) {
    if (err.status !== 401) showError(err);
    if (button && button.isConnected) button.disabled = false;
  }
  scheduleRefresh();
}

export function resetTransfer() {
  const lang = state.detail ? state.detail.conversation.language : "tr";
  ui.transferLanguage.value = lang === "tr" ? "pl" : "tr"; // usually: the other language
}

export async function sendReply() {
  const id = state.selectedId;
  const text = ui.reply.value.trim();
  if (!id || !canAct() || busy.send) return;
  if (!text) {
    showError("err_empty_message");
    return;
  }
  busy.send = true;
  updateControls();
  try {
    const message = await api("POST", `/conversations/${enc(id)}/messages`, { text });
    if (ui.reply.value.trim() === text) ui.reply.value = "";
    clearError();
    stopTyping();
    if (state.selectedId === id) addMessages([message]);
  } catch (err) {
    if (err.status !== 401) showError(err);
    if (err.code === "not_yours") refreshLists();
  } finally {
    busy.send = false;
    updateControls();
    if (state.selectedId === id && !ui.reply.disabled) ui.reply.focus();
  }
}

export function postTyping(id, on) {
  if (!id || !state.token) return;
  api("POST", `/conversations/${enc(id)}/typing`, { on }).catch(() => {
    /* best effort: a lost typing signal is harmless */
  });
}

export function onReplyInput() {
  const id = state.selectedId;
  if (!canAct()) return;
  if (!ui.reply.value.trim()) {
    stopTyping();
    return;
  }
  const now = Date.now();
  if (!typing.on || typing.conversationId !== id || now - typing.lastSent > TYPING_REFRESH_MS) {
    if (typing.on && typing.conversationId !== id) stopTyping();
    typing.on = true;
    typing.conversationId = id;
    typing.lastSent = now;
    postTyping(id, true);
  }
  clearTimeout(typing.idle);
  typing.idle = setTimeout(stopTyping, TYPING_IDLE_MS);
}

export function stopTyping() {
  clearTimeout(typing.idle);
  if (!typing.on) return;
  typing.on = false;
  postTyping(typing.conversationId, false);
}

export async function conversationAction(path, body, onDone) {
  const id = state.selectedId;
  if (!id || busy.action) return;
  clearError();
  stopTyping();
  busy.action = true;
  updateControls();
  try {
    const result = await api("POST", `/conversations/${enc(id)}${path}`, body);
    state.mine = state.mine.filter((r) => r.conversation_id !== id);
    onDone(result);
    await refreshDetail();
  } catch (err) {
    if (err.status !== 401) showError(err);
  } finally {
    busy.action = false;
    updateControls();
    scheduleRefresh();
  }
}

export async function saveNote() {
  const id = state.selectedId;
  const text = ui.noteInput.value.trim();
  if (!id || busy.note) return;
  if (!text) {
    showError("err_empty_message");
    return;
  }
  busy.note = true;
  updateControls();
  try {
    const note = await api("POST", `/conversations/${enc(id)}/notes`, { text });
    ui.noteInput.value = "";
    clearError();
    if (state.selectedId === id && state.detail) {
      state.detail.notes.push(note);
      renderNotes();
    }
    notify("notice_noteSaved", { ticket: note.ticket });
    refreshDetail();
    refreshTickets();
  } catch (err) {
    if (err.status !== 401) showError(err);
  } finally {
    busy.note = false;
    updateControls();
  }
}
