// Fetching the inbox, thread and metrics; answering and sending status updates.

import { api, enc } from "./api.js";
import { clearError, notify, showError } from "./banners.js";
import { t } from "./i18n.js";
import { renderInbox } from "./inbox.js";
import { renderMetrics } from "./metrics.js";
import { busy, state, ui } from "./state.js";
import { refusalOf, renderComposer, renderRefusal, renderThread } from "./thread.js";

export async function refreshInbox() {
  if (!state.token) return;
  const params = new URLSearchParams();
  params.set("state", state.filter.state);
  if (state.filter.order) params.set("order_number", state.filter.order);
  try {
    const body = await api("GET", `/threads?${params.toString()}`);
    state.threads = Array.isArray(body.threads) ? body.threads : [];
    state.counts = body.counts || null;
    state.fetchedAt = performance.now();
    renderInbox();
  } catch (err) {
    if (err.status !== 401) showError(err);
  }
}

export async function refreshThread() {
  if (!state.selected || !state.token) return;
  try {
    const body = await api("GET", `/threads/${enc(state.selected)}`);
    state.detail = body;
    state.detailAt = performance.now();
    renderThread();
  } catch (err) {
    if (err.status === 404) {
      state.selected = null;
      state.detail = null;
      renderThread();
    }
    if (err.status !== 401) showError(err);
  }
}

export async function refreshMetrics() {
  if (!state.token) return;
  try {
    state.metrics = await api("GET", "/metrics");
    renderMetrics();
  } catch (err) {
    if (err.status !== 401) showError(err);
  }
}

export async function selectThread(order) {
  if (state.selected !== order) {
    state.target = null;
    state.answerRefusal = null;
    state.statusRefusal = null;
    ui.answerInput.value = "";
  }
  state.selected = order;
  renderInbox();
  await refreshThread();
}

export async function sendAnswer() {
  if (busy.answer || !state.target) return;
  const text = ui.answerInput.value.trim();
  if (!text) {
    state.answerRefusal = { code: "empty_answer", codes: [], reasons: [], message: t("err_empty_answer") };
    renderComposer();
    return;
  }
  busy.answer = true;
  ui.answerSend.disabled = true;
  try {
    await api("POST", `/questions/${enc(String(state.target))}/answer`, { text });
    ui.answerInput.value = "";
    state.answerRefusal = null;
    clearError();
    notify("notice_answered");
    await Promise.all([refreshThread(), refreshInbox(), refreshMetrics()]);
  } catch (err) {
    if (err.status === 401) return;
    state.answerRefusal = refusalOf(err);
    if (err.status === 409) await refreshThread();
  } finally {
    busy.answer = false;
    renderComposer();
  }
}

export async function sendStatus() {
  if (busy.status || !state.selected) return;
  const body = { status: ui.statusSelect.value };
  if (body.status === "shipped") {
    body.carrier = ui.statusCarrier.value;
    body.tracking_number = ui.statusTracking.value.trim();
    body.expected_date = ui.statusDate.value || null;
  }
  const note = ui.statusNote.value.trim();
  if (note) body.note = note;
  busy.status = true;
  ui.statusSubmit.disabled = true;
  try {
    await api("POST", `/orders/${enc(state.selected)}/status-updates`, body);
    state.statusRefusal = null;
    ui.statusNote.value = "";
    ui.statusTracking.value = "";
    ui.statusDate.value = "";
    notify("notice_statusSent");
    await Promise.all([refreshThread(), refreshInbox()]);
  } catch (err) {
    if (err.status === 401) return;
    state.statusRefusal = refusalOf(err);
  } finally {
    busy.status = false;
    ui.statusSubmit.disabled = false;
    renderRefusal(ui.statusRefusal, state.statusRefusal, "statusRefusedTitle");
  }
}
