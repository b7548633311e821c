// Signing in and out, and the switch between the login form and the app.

import { LANGS } from "../shared/i18n.js";
import { resumeSession, showView, signIn } from "../shared/session.js";
import { refreshInbox, refreshMetrics } from "./actions.js";
import { api } from "./api.js";
import { clearError, notify, showError } from "./banners.js";
import { renderAll } from "./page.js";
import { busy, state, tokens, ui } from "./state.js";
import { startTimers, stopTimers } from "./timers.js";

export async function login(event) {
  event.preventDefault();
  if (busy.login) return;
  const username = ui.username.value.trim();
  const password = ui.password.value;
  if (!username || !password) {
    showError("err_fill_login");
    return;
  }
  await signIn(loginApp(), { username, password, language: state.lang }, () => ui.password.focus());
}

// What the shared sign-in needs of this page (built when used: api.js imports this module too).
const loginApp = () => ({ state, tokens, ui, busy, api, account: "user", startApp, showLogin, showError, clearError });

/** The page's start: resume this tab's session or show the login form. */
export function resume() {
  return resumeSession(loginApp());
}

export async function logout() {
  try {
    await api("POST", "/logout");
  } catch (_) {
    /* the session ends here either way */
  }
  endSession();
  notify("notice_loggedOut");
}

export function sessionExpired() {
  endSession();
  showError("err_unauthorized");
}

export function endSession() {
  stopTimers();
  state.token = null;
  tokens.save(null);
  state.user = null;
  state.threads = [];
  state.detail = null;
  state.selected = null;
  state.metrics = null;
  state.target = null;
  showLogin();
}

export function showLogin() {
  showView(ui, false);
  renderAll();
  ui.username.focus();
}

export function startApp() {
  if (state.user && LANGS.includes(state.user.language)) state.lang = state.user.language; // the seller's language
  showView(ui, true);
  renderAll();
  refreshInbox();
  refreshMetrics();
  startTimers();
}
