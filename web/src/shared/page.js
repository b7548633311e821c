// The static texts of a page (console.html, seller.html) carry their string key in data-i18n,
// data-i18n-placeholder and data-i18n-aria-label: one pass repaints them all in the current language.

export function applyPageStrings(lang, t) {
  document.documentElement.lang = lang;
  document.title = t("pageTitle");
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-placeholder]")) {
    el.setAttribute("placeholder", t(el.dataset.i18nPlaceholder));
  }
  for (const el of document.querySelectorAll("[data-i18n-aria-label]")) {
    el.setAttribute("aria-label", t(el.dataset.i18nAriaLabel));
  }
}
