// Mounting: the custom element, its shadow root (styles + static skeleton), element references and
// the event wiring.

import { applyStrings, bind } from "./a11y.js";
import { onFilePicked } from "./attachments.js";
import { config, FAQ_MIN_CHARS, TAG } from "./config.js";
import { connect, reconnectNow } from "./connection.js";
import { faq, runFaq, scheduleFaq, setFaqOpen } from "./faq.js";
import { autoGrow, onInputKey, onSubmit } from "./messages.js";
import { saveNotices } from "./notices.js";
import { closePanel, destroy, openPanel, pending, setLanguage } from "./panel.js";
import { SKELETON } from "./skeleton.js";
import { destroyed, setUi, state, ui } from "./state.js";
import { WIDGET_CSS } from "./styles.js";

export function mount() {
  if (destroyed || ui) return;
  const host = document.createElement(TAG);
  host.setAttribute("lang", state.lang);
  host.__marketdeskDestroy = destroy;
  const shadow = host.attachShadow({ mode: "open" });
  const style = document.createElement("style");
  style.textContent = WIDGET_CSS;
  shadow.appendChild(style);
  const tpl = document.createElement("template");
  tpl.innerHTML = SKELETON; // static markup, see SKELETON
  shadow.appendChild(tpl.content);
  const $ = (sel) => shadow.querySelector(sel);
  setUi({
    host,
    shadow,
    root: $(".root"),
    launcher: $(".launcher"),
    badge: $(".badge"),
    panel: $(".panel"),
    title: $(".title"),
    langSelect: $(".lang"),
    faqBtn: $(".faq-btn"),
    closeBtn: $(".close"),
    status: $(".status"),
    offline: $(".offline"),
    notices: $(".notices"),
    noticesInput: $(".notices-input"),
    noticesLabel: $(".notices-label"),
    chatView: $(".chat-view"),
    emptyHint: $(".empty-hint"),
    log: $(".log"),
    typing: $(".typing"),
    typingText: $(".typing-text"),
    form: $(".composer"),
    attach: $(".attach"),
    fileInput: $(".file"),
    inputLabel: $('label[for="md-input"]'),
    input: $(".input"),
    send: $(".send"),
    faqView: $(".faq-view"),
    faqBack: $(".back"),
    faqLabel: $(".faq-label"),
    faqInput: $(".faq-input"),
    faqStatus: $(".faq-status"),
    faqResults: $(".faq-results"),
    csat: null,
  });
  ui.root.setAttribute("lang", state.lang);
  ui.langSelect.value = state.lang;
  ui.input.maxLength = config.maxChars;

  // Static strings, repainted on every language switch.
  bind(ui.title, "title", null, null, true);
  bind(ui.langSelect, "language", null, "aria-label", true);
  bind(ui.faqBtn, "faqButton", null, null, true);
  bind(ui.faqBtn, "faqOpen", null, "aria-label", true);
  bind(ui.closeBtn, "close", null, "aria-label", true);
  bind(ui.log, "logLabel", null, "aria-label", true);
  bind(ui.emptyHint, "emptyHint", null, null, true);
  bind(ui.attach, "attach", null, "aria-label", true);
  bind(ui.fileInput, "fileInput", null, "aria-label", true);
  bind(ui.inputLabel, "inputLabel", null, null, true);
  bind(ui.input, "placeholder", null, "placeholder", true);
  bind(ui.send, "send", null, null, true);
  bind(ui.faqBack, "faqBack", null, null, true);
  bind(ui.faqLabel, "faqLabel", null, null, true);
  bind(ui.faqInput, "faqPlaceholder", null, "placeholder", true);
  bind(ui.noticesLabel, "noticesToggle", null, null, true);

  ui.launcher.addEventListener("click", () => (state.open ? closePanel(true) : openPanel()));
  ui.closeBtn.addEventListener("click", () => closePanel(true));
  ui.langSelect.addEventListener("change", () => setLanguage(ui.langSelect.value));
  ui.faqBtn.addEventListener("click", () => setFaqOpen(!state.faqOpen));
  ui.noticesInput.addEventListener("change", () => saveNotices(ui.noticesInput.checked));
  ui.faqBack.addEventListener("click", () => setFaqOpen(false));
  ui.faqInput.addEventListener("input", scheduleFaq);
  ui.faqInput.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault(); // search now instead of waiting for the debounce
      clearTimeout(faq.timer);
      const q = ui.faqInput.value.trim();
      if (q.length >= FAQ_MIN_CHARS) runFaq(q);
    }
  });
  ui.form.addEventListener("submit", onSubmit);
  ui.input.addEventListener("keydown", onInputKey);
  ui.input.addEventListener("input", autoGrow);
  ui.attach.addEventListener("click", () => ui.fileInput.click());
  ui.fileInput.addEventListener("change", onFilePicked);
  // Escape anywhere in the widget (panel or launcher) closes it and focuses the launcher.
  ui.root.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && state.open && !e.defaultPrevented) {
      e.preventDefault();
      closePanel(true);
    }
  });
  window.addEventListener("online", reconnectNow);

  document.body.appendChild(host);
  applyStrings();
  // A returning buyer may have agent messages waiting: resume at once.
  if (state.saved) connect();
  for (const fn of pending.splice(0)) fn();
}
