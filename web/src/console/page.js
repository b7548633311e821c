// The page around the lists: static strings, the header (agent, presence, live connection).

import { applyPageStrings } from "../shared/page.js";
import { renderError, renderNotice } from "./banners.js";
import { renderConversation } from "./conversation.js";
import { t } from "./i18n.js";
import { renderMine } from "./mine.js";
import { renderQueue } from "./queue.js";
import { conn, state, ui } from "./state.js";
import { renderTickets } from "./tickets.js";

export function applyStaticStrings() {
  applyPageStrings(state.lang, t);
  ui.langSelect.value = state.lang;
}

export function renderAll() {
  applyStaticStrings();
  renderError();
  renderNotice();
  renderHeader();
  renderQueue();
  renderMine();
  renderConversation(true);
  renderTickets();
}

export function renderHeader() {
  const signedIn = !!state.agent;
  ui.agentName.hidden = !signedIn;
  ui.presenceField.hidden = !signedIn;
  ui.logout.hidden = !signedIn;
  ui.connection.hidden = !signedIn;
  if (signedIn) {
    ui.agentName.textContent = t("signedInAs", { name: state.agent.display_name || state.agent.username });
    ui.presence.value = state.agent.presence || "offline";
  }
  renderConnection();
}

export function renderConnection() {
  ui.connection.textContent = conn.live ? t("connLive") : t("connDown");
  ui.connection.classList.toggle("is-down", !conn.live);
}
