// Opening and closing the panel, switching the language, and tearing the widget down.

import { LANGS } from "../shared/i18n.js";
import { applyStrings, focusIsInside, focusSoon } from "./a11y.js";
import { FAQ_MIN_CHARS } from "./config.js";
import { connect, reconnectNow, sendStart } from "./connection.js";
import { faq, runFaq } from "./faq.js";
import { renderLauncher, scrollToEnd } from "./render.js";
import { markSellerSeen } from "./seller.js";
import { conn, destroyed, markDestroyed, state, ui } from "./state.js";

export function openPanel() {
  if (destroyed) return;
  state.open = true;
  state.unread = 0;
  markSellerSeen();
  ui.root.classList.add("is-open");
  ui.panel.hidden = false;
  renderLauncher();
  // Lazy: a conversation starts with the first message (or resumes a saved one), so
  // visitors who only open the panel or search the FAQ create nothing.
  if (state.saved && !conn.ws && !conn.timer) connect();
  focusSoon(state.faqOpen ? ui.faqInput : ui.input);
  scrollToEnd(true);
}

export function closePanel(returnFocus) {
  if (destroyed || !state.open) return;
  const hadFocus = focusIsInside();
  state.open = false;
  ui.root.classList.remove("is-open");
  ui.panel.hidden = true;
  renderLauncher();
  if (returnFocus || hadFocus) ui.launcher.focus();
}

export function setLanguage(lang) {
  if (!LANGS.includes(lang)) return;
  if (ui) ui.langSelect.value = lang;
  if (lang === state.lang) return;
  state.lang = lang;
  if (!ui) return;
  ui.host.setAttribute("lang", lang);
  ui.root.setAttribute("lang", lang);
  applyStrings();
  if (state.faqOpen && ui.faqInput.value.trim().length >= FAQ_MIN_CHARS) runFaq(ui.faqInput.value.trim());
  // The next "start" carries the language; with a live session that start is sent now
  // (a resume on the same socket, answered by a fresh session frame).
  if (conn.ready) sendStart();
}

export function destroy() {
  if (destroyed) return;
  markDestroyed();
  clearTimeout(conn.timer);
  clearTimeout(conn.sessionTimer);
  clearTimeout(faq.timer);
  if (faq.ctrl) faq.ctrl.abort();
  const ws = conn.ws;
  conn.ws = null;
  if (ws) {
    try {
      ws.close(1000);
    } catch (_) {
      /* already closing */
    }
  }
  window.removeEventListener("online", reconnectNow);
  if (ui && ui.host.isConnected) ui.host.remove();
  if (window.marketdesk === publicApi) window.marketdesk = undefined;
}

// window.marketdesk: calls made before the widget is mounted (the page's script ran first) wait here.
export const pending = [];
const whenMounted = (fn) => (ui ? fn() : pending.push(fn));
export const publicApi = {
  open: () => whenMounted(openPanel),
  close: () => whenMounted(() => closePanel(false)),
  setLanguage: (lang) => {
    if (ui) return setLanguage(lang);
    if (!LANGS.includes(lang)) return false;
    state.lang = lang; // the widget mounts in it
    return lang;
  },
  destroy,
  get language() {
    return state.lang;
  },
};
