// The page around the inbox: static strings and the header (who is signed in).

import { applyPageStrings } from "../shared/page.js";
import { renderError, renderNotice } from "./banners.js";
import { market, t } from "./i18n.js";
import { renderInbox } from "./inbox.js";
import { renderMetrics } from "./metrics.js";
import { state, ui } from "./state.js";
import { renderStatusOptions } from "./status-form.js";
import { renderThread } from "./thread.js";

export function applyStaticStrings() {
  applyPageStrings(state.lang, t);
  ui.loginLanguage.value = state.lang;
  if (state.user) ui.filterOrder.setAttribute("placeholder", `${market()}12345678`);
}

export function renderAll() {
  applyStaticStrings();
  renderError();
  renderNotice();
  renderHeader();
  renderInbox();
  renderThread();
  renderStatusOptions();
  renderMetrics();
}

export function renderHeader() {
  const signedIn = !!state.user;
  ui.who.hidden = !signedIn;
  ui.logout.hidden = !signedIn;
  if (signedIn) {
    ui.who.textContent = t("signedInAs", { name: state.user.display_name, seller: state.user.seller.name });
  }
}
