// The FAQ view: searches the same content the bot uses, without starting a conversation.

import { h } from "../shared/dom.js";
import { bind, bound, focusSoon } from "./a11y.js";
import { config, FAQ_DEBOUNCE_MS, FAQ_MIN_CHARS } from "./config.js";
import { destroyed, state, ui } from "./state.js";

// Searches the same FAQ content the bot uses without starting a conversation.
export const faq = { timer: null, ctrl: null, seq: 0 };

export function setFaqOpen(open) {
  state.faqOpen = open;
  ui.faqView.hidden = !open;
  ui.chatView.hidden = open;
  ui.faqBtn.setAttribute("aria-expanded", String(open));
  if (open) {
    if (!ui.faqInput.value) setFaqStatus("faqHint");
    focusSoon(ui.faqInput);
  } else {
    focusSoon(ui.input);
  }
}

export function setFaqStatus(key, vars) {
  if (key) bind(ui.faqStatus, key, vars, null, true);
  else {
    bound.delete(ui.faqStatus);
    ui.faqStatus.textContent = "";
  }
}

export function scheduleFaq() {
  clearTimeout(faq.timer);
  const q = ui.faqInput.value.trim();
  if (q.length < FAQ_MIN_CHARS) {
    cancelFaq();
    ui.faqResults.replaceChildren();
    setFaqStatus("faqHint");
    return;
  }
  faq.timer = setTimeout(() => runFaq(q), FAQ_DEBOUNCE_MS);
}

export function cancelFaq() {
  faq.seq += 1; // any answer still on its way is now stale
  if (faq.ctrl) faq.ctrl.abort();
  faq.ctrl = null;
}

export async function runFaq(q) {
  cancelFaq();
  const seq = faq.seq;
  const ctrl = typeof AbortController === "function" ? new AbortController() : null;
  faq.ctrl = ctrl;
  setFaqStatus("faqSearching");
  const params = new URLSearchParams({ q, lang: state.lang });
  try {
    const res = await fetch(`${config.apiBase}/api/v1/faq?${params}`, {
      headers: { Accept: "application/json" },
      signal: ctrl ? ctrl.signal : undefined,
    });
    if (!res.ok) throw new Error(`faq ${res.status}`);
    const data = await res.json();
    if (seq !== faq.seq || destroyed) return;
    renderFaq(Array.isArray(data && data.results) ? data.results : []);
  } catch (_) {
    if (seq !== faq.seq || destroyed) return; // aborted or superseded
    ui.faqResults.replaceChildren();
    setFaqStatus("faqError");
  }
}

export function renderFaq(results) {
  const list = ui.faqResults;
  list.replaceChildren();
  for (const r of results) {
    if (!r || typeof r !== "object") continue;
    const li = h("li", { "data-testid": "faq-result" });
    if (typeof r.topic === "string") li.setAttribute("data-topic", r.topic);
    li.appendChild(h("h3", { class: "faq-title" }, typeof r.title === "string" ? r.title : ""));
    li.appendChild(h("p", { class: "faq-answer" }, typeof r.answer === "string" ? r.answer : ""));
    list.appendChild(li);
  }
  if (list.childElementCount) setFaqStatus("faqCount", { n: list.childElementCount });
  else setFaqStatus("faqNoResults");
}
