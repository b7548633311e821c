// Browser storage that may be disabled (private mode, policies): every read and write may throw, and
// the page must then behave like a first visit and keep working from memory.

import { LANGS } from "./i18n.js";

/** The saved interface language, else fallback(). */
export function loadLang(key, fallback) {
  try {
    const saved = localStorage.getItem(key);
    if (LANGS.includes(saved)) return saved;
  } catch (_) {
    /* storage disabled */
  }
  return fallback();
}

export function saveLang(key, lang) {
  try {
    localStorage.setItem(key, lang);
  } catch (_) {
    /* only this page remembers */
  }
}

/** A sign-in token kept for this tab only (sessionStorage). */
export function tokenStore(key) {
  return {
    load() {
      try {
        return sessionStorage.getItem(key) || null;
      } catch (_) {
        return null;
      }
    },
    save(token) {
      try {
        if (token) sessionStorage.setItem(key, token);
        else sessionStorage.removeItem(key);
      } catch (_) {
        /* the in-memory token still works for this page */
      }
    },
  };
}
