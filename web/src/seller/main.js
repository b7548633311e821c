/*!
 * marketdesk seller portal. Vanilla JS, no dependencies; served at /seller (the bundle of web/src/seller).
 *
 * Talks to /api/v1/seller (see api/routers/seller.py): bearer token from POST /login kept in
 * sessionStorage. No socket: the inbox and the open thread are polled.
 *
 * Everything shown comes from buyers or sellers: it is rendered with textContent /
 * createElement only, never as markup.
 *
 * Modules (web/src/seller): config, strings + i18n, state, api, banners, page, inbox, thread,
 * status-form, metrics, actions, session, timers, main (boot).
 */
import { elementById as $, onReady } from "../shared/dom.js";
import { LANGS } from "../shared/i18n.js";
import { saveLang } from "../shared/storage.js";
import { refreshInbox, sendAnswer, sendStatus } from "./actions.js";
import { clearError } from "./banners.js";
import { LANG_KEY } from "./config.js";
import { applyStaticStrings, renderAll } from "./page.js";
import { login, logout, resume } from "./session.js";
import { state, ui } from "./state.js";
import { toggleShipping } from "./status-form.js";
export function bindUi() {
  Object.assign(ui, {
    errorRegion: $("error-region"),
    noticeRegion: $("notice-region"),
    who: $("who"),
    logout: $("logout"),
    loginView: $("login-view"),
    loginForm: $("login-form"),
    loginLanguage: $("login-language"),
    username: $("login-username"),
    password: $("login-password"),
    loginSubmit: $("login-submit"),
    appView: $("app-view"),
    inboxCount: $("inbox-count"),
    filterForm: $("filter-form"),
    filterState: $("filter-state"),
    filterOrder: $("filter-order"),
    inboxEmpty: $("inbox-empty"),
    inboxList: $("inbox-list"),
    threadTitle: $("thread-title"),
    threadEmpty: $("thread-empty"),
    threadBody: $("thread-body"),
    orderInfo: $("order-info"),
    timeline: $("timeline"),
    answerForm: $("answer-form"),
    answerLabel: $("answer-label"),
    answerInput: $("answer-input"),
    answerRefusal: $("answer-refusal"),
    answerSend: $("answer-send"),
    noOpen: $("no-open"),
    statusPanel: $("status-panel"),
    statusForm: $("status-form"),
    statusSelect: $("status-select"),
    shippingFields: $("shipping-fields"),
    statusCarrier: $("status-carrier"),
    statusTracking: $("status-tracking"),
    statusDate: $("status-date"),
    statusNote: $("status-note"),
    statusRefusal: $("status-refusal"),
    statusSubmit: $("status-submit"),
    metricShare: $("metric-share"),
    metricMedian: $("metric-median"),
    metricOverdue: $("metric-overdue"),
    metricQuestions: $("metric-questions"),
  });
  ui.loginLanguage.addEventListener("change", () => {
    state.lang = LANGS.includes(ui.loginLanguage.value) ? ui.loginLanguage.value : "tr";
    saveLang(LANG_KEY, state.lang);
    clearError();
    renderAll();
  });
  ui.loginForm.addEventListener("submit", login);
  ui.logout.addEventListener("click", logout);
  ui.filterForm.addEventListener("submit", (event) => {
    event.preventDefault();
    state.filter = { state: ui.filterState.value, order: ui.filterOrder.value.trim() };
    refreshInbox();
  });
  ui.filterState.addEventListener("change", () => {
    state.filter = { state: ui.filterState.value, order: ui.filterOrder.value.trim() };
    refreshInbox();
  });
  ui.answerForm.addEventListener("submit", (event) => {
    event.preventDefault();
    sendAnswer();
  });
  ui.answerInput.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      sendAnswer();
    }
  });
  ui.statusSelect.addEventListener("change", toggleShipping);
  ui.statusForm.addEventListener("submit", (event) => {
    event.preventDefault();
    sendStatus();
  });
}

onReady(() => {
  bindUi();
  applyStaticStrings();
  resume();
});
