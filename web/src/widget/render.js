// The message log and the status lines: server messages, the buyer's pending bubbles, client notices,
// quick replies, typing, queue position, offline and the launcher's unread badge.

import { h } from "../shared/dom.js";
import { bind, bound } from "./a11y.js";
import { buildAttachment } from "./attachments.js";
import { t } from "./i18n.js";
import { sendMessage } from "./messages.js";
import { buildSellerMessage, noteSellerMessage } from "./seller.js";
import { restoreSellerDraft, takeSellerDraft } from "./seller-reply.js";
import { outbox, state, ui } from "./state.js";

export const SENDERS = new Set(["buyer", "bot", "agent", "seller", "system", "notice"]);
export const byId = new Map(); // message id -> bubble, for dedupe across history, acks and resends

export function senderLabel(sender, agentName) {
  if (sender === "buyer") return t("you");
  if (sender === "bot") return t("bot");
  if (sender === "agent") return agentName || t("agent");
  if (sender === "notice") return t("notice");
  if (sender === "seller") return agentName ? t("sellerFrom", { name: agentName }) : t("sellerFromAnon");
  return t("system");
}

export function nearBottom() {
  const log = ui.log;
  return log.scrollHeight - log.scrollTop - log.clientHeight < 80;
}

export function scrollToEnd(force) {
  if (force || nearBottom()) ui.log.scrollTop = ui.log.scrollHeight;
}

export function appendToLog(item) {
  const stick = nearBottom();
  // The CSAT box stays last while unanswered, so new lines go above it.
  if (ui.csat && ui.csat.parentNode === ui.log && !ui.csat.classList.contains("is-done")) {
    ui.log.insertBefore(item, ui.csat);
  } else {
    ui.log.appendChild(item);
  }
  ui.emptyHint.hidden = true;
  scrollToEnd(stick);
}

export function buildMessage(m) {
  const sender = SENDERS.has(m.sender) ? m.sender : "system";
  const agentName = typeof m.agent_name === "string" && m.agent_name.trim() ? m.agent_name.trim() : null;
  if (sender === "seller") return buildSellerMessage(m, agentName);
  const item = h("div", { class: `item item--${sender}` });
  // Screen readers hear who spoke; sighted users see side and colour.
  item.appendChild(h("span", { class: "sr-only" }, `${senderLabel(sender, agentName)}: `));
  if (sender === "agent") {
    const name = h("div", { class: "name", "aria-hidden": "true" });
    if (agentName) name.textContent = agentName;
    else bind(name, "agent");
    item.appendChild(name);
  }
  const testid = sender === "notice" ? "notice" : "message";
  const bubble = h("div", { class: "bubble", "data-testid": testid, "data-sender": sender });
  if (m.id != null) bubble.setAttribute("data-message-id", String(m.id));
  if (sender === "notice")
    bubble.appendChild(bind(h("span", { class: "notice-tag", "aria-hidden": "true" }), "notice"));
  if (typeof m.text === "string" && m.text) bubble.appendChild(h("span", { class: "text" }, m.text));
  if (m.attachment && typeof m.attachment === "object") {
    const media = buildAttachment(m.attachment);
    if (media) bubble.appendChild(media);
  }
  item.appendChild(bubble);
  if (Array.isArray(m.buttons) && m.buttons.length) {
    const quick = buildQuickReplies(m.buttons);
    if (quick) item.appendChild(quick);
  }
  item._bubble = bubble;
  return item;
}

// Add a server message (history, message frame, upload answer). Returns the item or null.
export function addMessage(m, fromHistory) {
  if (!m || typeof m !== "object") return null;
  if (m.id != null && byId.has(String(m.id))) return null; // already shown
  // A buyer message that belongs to a pending bubble (echo, other delivery path) confirms it.
  if (m.sender === "buyer" && m.client_message_id) {
    const pending = outbox.find(m.client_message_id);
    if (pending && pending.el && pending.el.isConnected) {
      confirmPending(pending, m);
      return pending.el;
    }
  }
  const item = buildMessage(m);
  if (m.id != null) byId.set(String(m.id), item);
  appendToLog(item);
  if (m.sender === "seller" || m.sender === "notice") {
    noteSellerMessage(m); // counted on the launcher until seen, across page loads
  } else if (!fromHistory && m.sender !== "buyer" && !state.open) {
    state.unread += 1;
    renderLauncher();
  }
  return item;
}

// A client-side line (notice or error). key: STRINGS key, or raw server text via opts.text.
export function addNotice(key, vars, opts) {
  const o = opts || {};
  const item = h("div", { class: `item item--system${o.error ? " item--error" : ""}` });
  const bubble = h("div", { class: "bubble", "data-testid": "message", "data-sender": "system" });
  if (o.error) bubble.setAttribute("data-kind", "error");
  if (key) bind(bubble, key, vars);
  else bubble.textContent = o.text || t("genericError"); // server text is already localised
  item.appendChild(bubble);
  appendToLog(item);
  return item;
}

export function addError(text) {
  return addNotice(null, null, { error: true, text });
}

export function renderPending(item) {
  const el = h("div", { class: "item item--buyer", "data-state": "pending" });
  el.appendChild(h("span", { class: "sr-only" }, `${t("you")}: `));
  const bubble = h("div", { class: "bubble", "data-testid": "message", "data-sender": "buyer" });
  bubble.appendChild(h("span", { class: "text" }, item.text));
  el.appendChild(bubble);
  const meta = h("div", { class: "meta" });
  bind(meta, "pending");
  el.appendChild(meta);
  el._bubble = bubble;
  el._meta = meta;
  appendToLog(el);
  return el;
}

export function confirmPending(item, m) {
  const el = item.el;
  outbox.remove(item);
  if (!el || !el.isConnected) return;
  if (m.id != null && byId.has(String(m.id))) {
    el.remove(); // the stored copy is already on screen (history)
    return;
  }
  el.setAttribute("data-state", "sent");
  if (m.id != null) {
    el._bubble.setAttribute("data-message-id", String(m.id));
    byId.set(String(m.id), el);
  }
  // Show what was stored (the gateway may have masked personal data).
  if (typeof m.text === "string" && m.text) {
    const span = el._bubble.querySelector(".text");
    if (span) span.textContent = m.text;
  }
  if (el._meta) {
    bound.delete(el._meta);
    el._meta.remove();
    el._meta = null;
  }
}

export function failPending(item) {
  outbox.remove(item);
  const el = item.el;
  if (!el || !el.isConnected) return;
  el.setAttribute("data-state", "failed");
  if (el._meta) {
    el._meta.classList.add("is-failed");
    bind(el._meta, "failed");
  }
}

export function renderHistory(history) {
  const draft = takeSellerDraft();
  byId.clear();
  state.sellerUnseen.clear(); // recounted from the history, against the last one seen
  state.sellerNewest = 0;
  ui.log.replaceChildren();
  const list = Array.isArray(history) ? history : [];
  const storedIds = new Set();
  for (const m of list) {
    if (m && m.client_message_id) storedIds.add(m.client_message_id);
    addMessage(m, true);
  }
  // Unacknowledged messages stay visible (unless already stored) until their resend is acked.
  for (const item of outbox.items) item.el = storedIds.has(item.cid) ? null : renderPending(item);
  if (ui.csat && !ui.csat.classList.contains("is-done")) ui.log.appendChild(ui.csat);
  disableAnsweredQuickReplies();
  ui.emptyHint.hidden = ui.log.childElementCount > 0;
  scrollToEnd(true);
  restoreSellerDraft(draft);
  renderLauncher();
}

export function buildQuickReplies(buttons) {
  const group = h("div", { class: "quick", role: "group" });
  bind(group, "quickReplies", null, "aria-label");
  for (const b of buttons) {
    if (!b || typeof b.title !== "string" || !b.title.trim()) continue;
    const btn = h("button", { type: "button", class: "qr", "data-testid": "quick-reply" }, b.title);
    btn.addEventListener("click", () => {
      if (btn.disabled) return;
      disableQuickReplies();
      btn.setAttribute("aria-pressed", "true");
      sendMessage(b.title, typeof b.payload === "string" && b.payload ? b.payload : null);
      ui.input.focus(); // the clicked button is now disabled; keep keyboard users in the composer
    });
    group.appendChild(btn);
  }
  return group.childElementCount ? group : null;
}

// A choice answers every earlier question: older buttons cannot be pressed again.
export function disableQuickReplies() {
  for (const btn of ui.log.querySelectorAll('[data-testid="quick-reply"]')) btn.disabled = true;
}

// In history, buttons followed by any buyer message were already answered.
export function disableAnsweredQuickReplies() {
  let buyerSpokeLater = false;
  const items = Array.from(ui.log.children);
  for (let i = items.length - 1; i >= 0; i--) {
    if (items[i].classList.contains("item--buyer")) buyerSpokeLater = true;
    else if (buyerSpokeLater) for (const btn of items[i].querySelectorAll(".qr")) btn.disabled = true;
  }
}

export function renderTyping() {
  if (!ui) return;
  let text = "";
  if (state.agentTyping) text = state.agentName ? t("typingAgent", { name: state.agentName }) : t("typingAgentAnon");
  else if (state.botTyping) text = t("typingBot");
  ui.typingText.textContent = text;
  ui.typing.hidden = !text;
  if (text) scrollToEnd(false);
}

export function renderStatus() {
  if (!ui) return;
  let text = "";
  if (state.convState === "queued") {
    const q = state.queue || {};
    const pos = Number.isFinite(q.position) && q.position > 0 ? q.position : null;
    const minutes = Number.isFinite(q.wait) && q.wait >= 0 ? Math.max(1, Math.ceil(q.wait / 60)) : null;
    if (pos && minutes) text = t("queuedFull", { position: pos, minutes });
    else if (pos) text = t("queued", { position: pos });
    else text = t("queuedNoPosition");
  }
  if (ui.status.textContent !== text) ui.status.textContent = text;
}

export function renderOffline() {
  if (!ui) return;
  const text = state.offline ? t("offline") : "";
  if (ui.offline.textContent !== text) ui.offline.textContent = text;
}

export function setOffline(on) {
  state.offline = on;
  renderOffline();
}

export function renderLauncher() {
  if (!ui) return;
  const unread = state.open ? 0 : state.unread + state.sellerUnseen.size;
  let label = t(state.open ? "launcherClose" : "launcherOpen");
  if (unread) label += ` (${t("unread", { n: unread })})`;
  ui.launcher.setAttribute("aria-label", label);
  ui.launcher.setAttribute("aria-expanded", String(state.open));
  ui.badge.hidden = !unread;
  ui.badge.textContent = unread > 9 ? "9+" : String(unread);
  ui.badge.setAttribute("data-count", String(unread));
}
