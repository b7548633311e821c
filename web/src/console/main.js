/*!
 * marketdesk agent console. Vanilla JS, no dependencies; served at /console (the bundle of web/src/console).
 *
 * Talks to /api/v1/console (see api/routers/console.py): bearer token from POST /login kept
 * in sessionStorage; a WebSocket for live news (queue_changed, and the messages of the
 * conversations this console asked to watch).
 *
 * Everything shown comes from buyers, agents or the bot: it is rendered with textContent /
 * createElement only, never as markup.
 *
 * Modules (web/src/console): config, strings + i18n, state, api, banners, page, queue, mine,
 * conversation, threads, tickets, loading, actions, session, live (socket), timers, main (boot).
 */
import { elementById as $, isSendKey, onReady } from "../shared/dom.js";
import { LANGS, safeLang } from "../shared/i18n.js";
import { saveLang } from "../shared/storage.js";
import { conversationAction, onReplyInput, saveNote, sendReply, stopTyping } from "./actions.js";
import { notify } from "./banners.js";
import { LANG_KEY } from "./config.js";
import { label } from "./i18n.js";
import { connect } from "./live.js";
import { applyStaticStrings, renderAll } from "./page.js";
import { login, logout, resume, setPresence } from "./session.js";
import { conn, state, ui } from "./state.js";
import { mountThreads } from "./threads.js";
export function bindUi() {
  Object.assign(ui, {
    langSelect: $("ui-language"),
    agentName: $("agent-name"),
    presenceField: $("presence-field"),
    presence: $("presence-select"),
    connection: $("connection"),
    logout: $("logout"),
    errorRegion: $("error-region"),
    noticeRegion: $("notice-region"),
    loginView: $("login-view"),
    loginForm: $("login-form"),
    username: $("login-username"),
    password: $("login-password"),
    loginSubmit: $("login-submit"),
    appView: $("app-view"),
    queueList: $("queue-list"),
    queueEmpty: $("queue-empty"),
    queueCount: $("queue-count"),
    mineList: $("mine-list"),
    mineEmpty: $("mine-empty"),
    convTitle: $("conv-title"),
    convEmpty: $("conv-empty"),
    convBody: $("conv-body"),
    handoffDetails: $("handoff-details"),
    transcript: $("transcript"),
    readonly: $("readonly"),
    replyForm: $("reply-form"),
    canned: $("canned-select"),
    reply: $("reply-input"),
    replySend: $("reply-send"),
    actionsPanel: $("actions-panel"),
    transferForm: $("transfer-form"),
    transferLanguage: $("transfer-language"),
    transferButton: $("transfer-button"),
    resolveButton: $("resolve-button"),
    handbackButton: $("handback-button"),
    notesPanel: $("notes-panel"),
    noteForm: $("note-form"),
    noteInput: $("note-input"),
    noteSave: $("note-save"),
    notesList: $("notes-list"),
    notesEmpty: $("notes-empty"),
    ticketsList: $("tickets-list"),
    ticketsEmpty: $("tickets-empty"),
  });
  mountThreads();

  ui.langSelect.addEventListener("change", () => {
    state.lang = LANGS.includes(ui.langSelect.value) ? ui.langSelect.value : "tr";
    saveLang(LANG_KEY, state.lang);
    renderAll();
  });
  ui.loginForm.addEventListener("submit", login);
  ui.logout.addEventListener("click", logout);
  ui.presence.addEventListener("change", setPresence);
  ui.replyForm.addEventListener("submit", (event) => {
    event.preventDefault();
    sendReply();
  });
  ui.reply.addEventListener("keydown", (event) => {
    if (isSendKey(event)) {
      event.preventDefault();
      sendReply();
    }
  });
  ui.reply.addEventListener("input", onReplyInput);
  ui.reply.addEventListener("blur", () => {
    if (!ui.reply.value.trim()) stopTyping();
  });
  ui.canned.addEventListener("change", () => {
    const lang = state.detail ? safeLang(state.detail.conversation.language) || "tr" : "tr";
    const chosen = (state.canned[lang] || []).find((r) => String(r.id) === ui.canned.value);
    if (chosen) {
      const current = ui.reply.value.trim();
      ui.reply.value = current ? `${current}\n${chosen.text}` : chosen.text;
      ui.reply.focus();
      ui.reply.setSelectionRange(ui.reply.value.length, ui.reply.value.length);
      onReplyInput();
    }
    ui.canned.value = "";
  });
  ui.transferForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const language = ui.transferLanguage.value;
    conversationAction("/transfer", { language }, () =>
      notify("notice_transferred", { lang: label("langName_", language) }),
    );
  });
  ui.resolveButton.addEventListener("click", () =>
    conversationAction("/resolve", undefined, () => notify("notice_resolved")),
  );
  ui.handbackButton.addEventListener("click", () =>
    conversationAction("/handback", undefined, () => notify("notice_handedBack")),
  );
  ui.noteForm.addEventListener("submit", (event) => {
    event.preventDefault();
    saveNote();
  });
  window.addEventListener("online", () => {
    if (state.token && !conn.ws) {
      conn.backoff.reset();
      connect();
    }
  });
}

onReady(() => {
  bindUi();
  applyStaticStrings();
  resume();
});
