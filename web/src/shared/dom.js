// Building the DOM from data without ever turning data into markup.

/**
 * An element with attributes (null and false ones left out) and text. Text goes in as textContent
 * only, so a buyer's, seller's or agent's words never become markup.
 */
export function h(tag, attrs, text) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const k of Object.keys(attrs)) if (attrs[k] != null && attrs[k] !== false) el.setAttribute(k, attrs[k]);
  }
  if (text != null) el.textContent = text;
  return el;
}

/** Enter sends, Shift+Enter is a newline; never while an IME is composing (keyCode 229). */
export function isSendKey(event) {
  return event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229;
}

export const elementById = (id) => document.getElementById(id);

/** Runs `fn` once the page's markup is parsed (at once if it already is). */
export function onReady(fn) {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn, { once: true });
  else fn();
}
