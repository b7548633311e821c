// Where the widget runs and how: read once from its own script tag's data-* attributes.
import { browserLanguage, LANGS } from "../shared/i18n.js";

export const TAG = "marketdesk-widget";

// document.currentScript is only set while this file's top level runs: capture it now.
const script = document.currentScript || findOwnScript();
const dataset = (script && script.dataset) || {};

function findOwnScript() {
  const all = document.getElementsByTagName("script");
  for (let i = all.length - 1; i >= 0; i--) {
    const src = (all[i].getAttribute("src") || "").split(/[?#]/)[0];
    if (/widget\.js$/.test(src)) return all[i];
  }
  return null;
}

function resolveApiBase() {
  try {
    if (dataset.apiBase) return new URL(dataset.apiBase, location.href).href.replace(/\/+$/, "");
    if (script && script.src) return new URL(script.src, location.href).origin;
  } catch (_) {
    /* malformed attribute: fall back to the page origin */
  }
  return location.origin;
}

function positiveInt(raw, fallback) {
  const n = Number(raw);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback;
}

export const config = {
  apiBase: resolveApiBase(),
  buyerToken: (dataset.buyerToken || "").trim() || null,
  language: LANGS.includes(dataset.language) ? dataset.language : browserLanguage(),
  maxUploadBytes: positiveInt(dataset.maxUploadBytes, 5 * 1024 * 1024),
  maxChars: positiveInt(dataset.maxChars, 2000),
};
config.wsUrl = `${config.apiBase.replace(/^http/i, "ws")}/api/v1/chat/ws`;

export const SESSION_TIMEOUT_MS = 15000; // no "session" frame this long after connecting: retry
export const FAQ_DEBOUNCE_MS = 300;
export const FAQ_MIN_CHARS = 2;
