// Accessible, translatable UI: every string bound to an element is repainted in place on a language
// switch (notices already in the log included), and focus moves only where a keyboard user expects it.

import { t } from "./i18n.js";
import { renderLauncher, renderOffline, renderStatus, renderTyping } from "./render.js";
import { destroyed, ui } from "./state.js";

// Elements whose text or attributes come from STRINGS, so a language switch repaints
// them in place (including notices already in the log) instead of rebuilding the UI.
export const bound = new Map(); // el -> {keep, text: [key, vars] | null, attrs: {name: [key, vars]}}

export function bind(el, key, vars, attr, keep) {
  let entry = bound.get(el);
  if (!entry) {
    entry = { keep: !!keep, text: null, attrs: {} };
    bound.set(el, entry);
  }
  if (attr) entry.attrs[attr] = [key, vars];
  else entry.text = [key, vars];
  paintBinding(el, entry);
  return el;
}

function paintBinding(el, entry) {
  if (entry.text) el.textContent = t(entry.text[0], entry.text[1]);
  for (const name of Object.keys(entry.attrs)) el.setAttribute(name, t(entry.attrs[name][0], entry.attrs[name][1]));
}

export function applyStrings() {
  for (const [el, entry] of bound) {
    if (!entry.keep && !el.isConnected) {
      bound.delete(el); // gone from the log: forget it
      continue;
    }
    paintBinding(el, entry);
  }
  renderStatus();
  renderOffline();
  renderTyping();
  renderLauncher();
}

export function focusSoon(el) {
  // After un-hiding, the element is focusable only once styles apply.
  requestAnimationFrame(() => {
    if (el && !destroyed) el.focus({ preventScroll: true });
  });
}

export function focusIsInside() {
  return !!(ui && ui.shadow.activeElement);
}
