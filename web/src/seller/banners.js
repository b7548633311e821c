// The seller portal's error banner and notices. A server message (already in the seller's language)
// wins over our own text for the code.

import { createBanners } from "../shared/banners.js";
import { has, t } from "./i18n.js";
import { ui } from "./state.js";

export const { clearError, renderError, notify, renderNotice, setError } = createBanners(ui, t);

export function errorText(err) {
  if (typeof err === "string") return t(err);
  const key = `err_${err && err.code}`;
  const vars = err && err.retryAfter != null ? { seconds: err.retryAfter } : undefined;
  if (err && err.detail && typeof err.detail.message === "string" && err.detail.message) return err.detail.message;
  return has(key) ? t(key, vars) : t("err_generic");
}

export function showError(err) {
  setError({ text: errorText(err) });
}
