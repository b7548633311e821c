// The error banner (until dismissed) and the short-lived notice of the console and the seller portal.
// Both are kept as keys where they can be, so a language switch repaints them in the new language.

import { h } from "./dom.js";

const NOTICE_MS = 6000;

/**
 * Banners in ui.errorRegion / ui.noticeRegion (read when drawn: the page binds them at boot).
 * An error is {key, vars} (translated when drawn) or {text} (a server message, already translated).
 */
export function createBanners(ui, t) {
  let error = null;
  let notice = null;
  let noticeTimer = null;

  function renderError() {
    const region = ui.errorRegion;
    region.replaceChildren();
    if (!error) return;
    const banner = h("div", { class: "banner banner--error", "data-testid": "error-banner" });
    const text = error.text != null ? error.text : t(error.key, error.vars);
    banner.append(h("span", { class: "banner-text", "data-testid": "error-text" }, text));
    const close = h("button", { type: "button", "data-testid": "error-dismiss" }, t("dismiss"));
    close.addEventListener("click", clearError);
    banner.append(close);
    region.append(banner);
  }

  function setError(value) {
    error = value;
    renderError();
  }

  function clearError() {
    setError(null);
  }

  function renderNotice() {
    ui.noticeRegion.replaceChildren();
    if (!notice) return;
    ui.noticeRegion.append(
      h("div", { class: "banner banner--notice", "data-testid": "notice" }, t(notice.key, notice.vars)),
    );
  }

  function notify(key, vars) {
    notice = { key, vars };
    renderNotice();
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => {
      notice = null;
      renderNotice();
    }, NOTICE_MS);
  }

  return { setError, clearError, renderError, notify, renderNotice };
}
