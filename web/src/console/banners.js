// The console's error banner and notices; an api error is shown by its code's text.

import { createBanners } from "../shared/banners.js";
import { has, t } from "./i18n.js";
import { ui } from "./state.js";

export const { clearError, renderError, notify, renderNotice, setError } = createBanners(ui, t);

/** An ApiError (by its code) or a string key; unknown codes read "something went wrong". */
export function showError(errOrKey) {
  let key = "err_generic";
  if (typeof errOrKey === "string") key = errOrKey;
  else if (errOrKey && errOrKey.code) key = `err_${errOrKey.code}`;
  if (!has(key)) key = "err_generic";
  const vars = errOrKey && errOrKey.retryAfter != null ? { seconds: errOrKey.retryAfter } : undefined;
  setError({ key, vars });
}
