// Signing in and out, presence, and the switch between the login form and the app.

import { resumeSession, showView, signIn } from "../shared/session.js";

import { stopTyping } from "./actions.js";
import { api } from "./api.js";
import { clearError, notify, showError } from "./banners.js";
import { connect, disconnect } from "./live.js";
import { refreshLists, refreshTickets } from "./loading.js";
import { renderAll, renderHeader } from "./page.js";
import { busy, state, tokens, ui } from "./state.js";
import { startTimers, stopTimers } from "./timers.js";

export async function login(event) {
  event.preventDefault();
  const username = ui.username.value.trim();
  const password = ui.password.value;
  if (!username || !password) {
    showError("err_fill_login");
    (username ? ui.password : ui.username).focus();
    return;
  }
  if (busy.login) return;
  await signIn(loginApp(), { username, password }, () => ui.password.select());
}

// What the shared sign-in needs of this page (built when used: api.js imports this module too).
const loginApp = () => ({ state, tokens, ui, busy, api, account: "agent", startApp, showLogin, showError, clearError });

/** The page's start: resume this tab's session or show the login form. */
export function resume() {
  return resumeSession(loginApp());
}

export async function logout() {
  const token = state.token;
  stopTyping();
  if (token) {
    // Leaving the console: stop receiving buyers first, then end the session.
    await api("PUT", "/presence", { presence: "offline" }).catch(() => {});
    await api("POST", "/logout").catch(() => {});
  }
  endSession();
  notify("notice_loggedOut");
}

export function sessionExpired() {
  if (!state.token) return;
  endSession();
  showError("err_unauthorized");
}

export function endSession() {
  state.token = null;
  tokens.save(null);
  state.agent = null;
  state.queue = [];
  state.mine = [];
  state.tickets = [];
  state.selectedId = null;
  state.detail = null;
  state.unread.clear();
  state.watched.clear();
  stopTimers();
  disconnect();
  showLogin();
}

export async function setPresence() {
  const wanted = ui.presence.value;
  const before = state.agent ? state.agent.presence : "offline";
  try {
    state.agent = await api("PUT", "/presence", { presence: wanted });
    clearError();
  } catch (err) {
    if (err.status !== 401) showError(err);
    ui.presence.value = before;
  }
  renderHeader();
}

export function showLogin() {
  showView(ui, false);
  renderAll();
  ui.username.focus();
}

export function startApp() {
  showView(ui, true);
  renderAll();
  connect();
  startTimers();
  refreshLists();
  refreshTickets();
}
