// Seller messages in the buyer's log: a seller's answer or case update, what order it is about, the
// "reply to seller" button (the composer is seller-reply.js), and the launcher's count of unseen ones.

import { h } from "../shared/dom.js";
import { bind } from "./a11y.js";
import { config } from "./config.js";
import { addMessage, byId, renderLauncher } from "./render.js";
import { toggleSellerComposer } from "./seller-reply.js";
import { destroyed, newId, state, ui } from "./state.js";
import { sellerSeen } from "./storage.js";

// A seller's answer or case update arrives as a message of sender "seller" (history, or a live
// "seller_message" frame). What it is about (order, the seller reply's id) comes with the live
// frame or from GET .../seller-questions; with it, the bubble gets "Reply to seller", a small
// composer (urgent checkbox) that posts to .../seller-questions. Refusals keep the text.
export const sellerCtx = new Map(); // message id -> {order_number, kind, status, question_id, reply_id}
export const sellerFetch = { seq: 0, timer: null };

export function buildSellerMessage(m, sellerName) {
  const item = h("div", { class: "item item--seller" });
  const who = h("span", { class: "sr-only" });
  if (sellerName) bind(who, "sellerFrom", { name: sellerName });
  else bind(who, "sellerFromAnon");
  item.appendChild(who);
  item.appendChild(h("span", { class: "sr-only" }, ": "));
  const name = h("div", { class: "name name--seller", "aria-hidden": "true" });
  if (sellerName) name.appendChild(h("span", { class: "seller-name" }, sellerName));
  name.appendChild(bind(h("span", { class: "seller-tag" }), "seller"));
  item.appendChild(name);
  const bubble = h("div", { class: "bubble", "data-testid": "seller-message", "data-sender": "seller" });
  if (m.id != null) bubble.setAttribute("data-message-id", String(m.id));
  if (sellerName) bubble.setAttribute("data-seller-name", sellerName);
  if (typeof m.text === "string" && m.text) bubble.appendChild(h("span", { class: "text" }, m.text));
  item.appendChild(bubble);
  item._bubble = bubble;
  item._messageId = m.id != null ? String(m.id) : null;
  if (item._messageId && sellerCtx.has(item._messageId)) decorateSeller(item);
  else scheduleSellerContext();
  return item;
}

// The order, kind and reply button, once known; safe to call again when more is known.
export function decorateSeller(item) {
  const ctx = item._messageId ? sellerCtx.get(item._messageId) : null;
  if (!ctx || typeof ctx.order_number !== "string" || !ctx.order_number) return;
  const bubble = item._bubble;
  const kind = ctx.kind === "status" ? "status" : "answer";
  bubble.setAttribute("data-kind", kind);
  bubble.setAttribute("data-order-number", ctx.order_number);
  if (ctx.reply_id != null) bubble.setAttribute("data-reply-id", String(ctx.reply_id));
  if (item._replyBtn) return;
  const aboutId = `md-seller-about-${newId().slice(0, 8)}`;
  const about = h("span", { class: "seller-about", id: aboutId, "data-testid": "seller-message-about" });
  bind(about, kind === "status" ? "sellerStatusAbout" : "sellerAbout", { order: ctx.order_number });
  bubble.insertBefore(about, bubble.firstChild);
  const actions = h("div", { class: "seller-actions" });
  const btn = h("button", {
    type: "button",
    class: "seller-reply-btn",
    "data-testid": "seller-reply-button",
    "aria-expanded": "false",
    "aria-describedby": aboutId, // which order: several seller bubbles each have this button
  });
  bind(btn, "sellerReply");
  btn.addEventListener("click", () => toggleSellerComposer(item));
  actions.appendChild(btn);
  item.appendChild(actions);
  item._replyBtn = btn;
}
export function onSellerFrame(frame) {
  const m = frame.message && typeof frame.message === "object" ? frame.message : null;
  if (!m) return;
  if (m.id != null && typeof frame.order_number === "string") {
    const known = sellerCtx.get(String(m.id)) || {};
    sellerCtx.set(String(m.id), {
      ...known,
      order_number: frame.order_number,
      kind: typeof frame.kind === "string" ? frame.kind : known.kind,
      status: typeof frame.status === "string" ? frame.status : known.status || null,
      question_id: frame.question_id != null ? frame.question_id : known.question_id,
      reply_id: frame.reply_id != null ? frame.reply_id : known.reply_id != null ? known.reply_id : null,
    });
  }
  const m2 = { ...m, sender: "seller" };
  const shown = addMessage(m2, false);
  const item = shown || (m.id != null ? byId.get(String(m.id)) : null);
  if (item && item._bubble && item._bubble.dataset.sender === "seller") decorateSeller(item);
  // The frame names the order but not the seller reply's id: ask for it (to answer that reply).
  if (m.id != null && (sellerCtx.get(String(m.id)) || {}).reply_id == null) scheduleSellerContext();
}

export function noteSellerMessage(m) {
  const id = Number(m.id);
  if (!Number.isFinite(id)) return;
  if (id > state.sellerNewest) state.sellerNewest = id;
  if (state.open) sellerSeen.set(state.saved, id);
  else if (id > sellerSeen.get(state.saved)) state.sellerUnseen.add(id);
  renderLauncher();
}

export function markSellerSeen() {
  if (state.sellerNewest) sellerSeen.set(state.saved, state.sellerNewest);
  state.sellerUnseen.clear();
}

// One request for all seller messages shown without their context (a history render adds many).
export function scheduleSellerContext() {
  if (sellerFetch.timer || destroyed) return;
  sellerFetch.timer = setTimeout(() => {
    sellerFetch.timer = null;
    loadSellerContext();
  }, 30);
}

export async function loadSellerContext() {
  const session = state.saved;
  if (!session || destroyed || !ui) return;
  const seq = ++sellerFetch.seq;
  const url = `${config.apiBase}/api/v1/conversations/${encodeURIComponent(session.conversation_id)}/seller-questions`;
  let body = null;
  try {
    const res = await fetch(url, { headers: { Accept: "application/json", "X-Conversation-Token": session.token } });
    if (!res.ok) return;
    body = await res.json();
  } catch (_) {
    return; // offline: the next session (reconnect) asks again
  }
  if (destroyed || seq !== sellerFetch.seq || !body || !Array.isArray(body.seller_messages)) return;
  for (const c of body.seller_messages) {
    if (!c || c.message_id == null || typeof c.order_number !== "string") continue;
    const key = String(c.message_id);
    sellerCtx.set(key, { ...(sellerCtx.get(key) || {}), ...c });
    const item = byId.get(key);
    if (item && item.isConnected && item._bubble && item._bubble.dataset.sender === "seller") decorateSeller(item);
  }
}
