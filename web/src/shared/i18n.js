// One translation lookup for the widget, the console and the seller portal. Every string exists in
// Turkish and Polish; a key missing in one language falls back to Turkish, then to the key itself.

export const LANGS = ["tr", "pl"];

/** The string for `key` in `lang`, its {name} placeholders filled from `vars`. */
export function translate(strings, lang, key, vars) {
  const table = strings[lang] || strings.tr;
  let s = table[key] != null ? table[key] : strings.tr[key] != null ? strings.tr[key] : key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] != null ? String(vars[k]) : m));
  return s;
}

/**
 * t(), has() and label() over one app's string table, in the language getLang() says at the time of
 * the call (a language switch needs no rebinding).
 */
export function createI18n(strings, getLang) {
  const t = (key, vars) => translate(strings, getLang(), key, vars);
  const has = (key) => strings.tr[key] != null;
  // A code from the api (topic, reason, status...) shown by its label, or as itself if unknown.
  const label = (prefix, code) => {
    if (code == null || code === "") return "–";
    return has(prefix + code) ? t(prefix + code) : String(code);
  };
  return { t, has, label };
}

/** The browser's language if we speak it, else Turkish. */
export function browserLanguage() {
  const nav = ((typeof navigator !== "undefined" && navigator.language) || "").slice(0, 2).toLowerCase();
  return LANGS.includes(nav) ? nav : "tr";
}

/** `code` if it is one of our languages (for lang attributes), else null. */
export function safeLang(code) {
  return LANGS.includes(code) ? code : null;
}
