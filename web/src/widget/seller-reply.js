// The buyer's reply to a seller: the small composer under a seller message (urgent checkbox), kept
// across history re-renders with its client id, posted to .../seller-questions; refusals keep the text.

import { h, isSendKey } from "../shared/dom.js";
import { formatDateTime, ZONES } from "../shared/time.js";
import { bind, bound, focusSoon } from "./a11y.js";
import { config } from "./config.js";
import { locale, t } from "./i18n.js";
import { addError, addMessage, addNotice, byId, disableQuickReplies, scrollToEnd } from "./render.js";
import { loadSellerContext, sellerCtx } from "./seller.js";
import { destroyed, newId, state, ui } from "./state.js";

let sellerComposer = null; // {item, form, input, urgent, error, send, cid, busy}

export function toggleSellerComposer(item) {
  if (sellerComposer && sellerComposer.item === item) {
    closeSellerComposer(true);
    return;
  }
  closeSellerComposer(false);
  openSellerComposer(item);
}

// A history re-render (reconnect, language switch) keeps an open reply draft, with its client id.
export function takeSellerDraft() {
  const c = sellerComposer;
  if (!c) return null;
  const active = ui.shadow.activeElement;
  const draft = {
    id: c.item._messageId,
    text: c.input.value,
    urgent: c.urgent.checked,
    cid: c.cid,
    error: c.error.hidden ? null : c.error.textContent,
    focused: !!(active && c.form.contains(active)),
  };
  closeSellerComposer(false);
  return draft;
}

export function restoreSellerDraft(draft) {
  const item = draft && draft.id ? byId.get(draft.id) : null;
  if (item && item._replyBtn) openSellerComposer(item, draft);
}

export function openSellerComposer(item, draft) {
  const ctx = sellerCtx.get(item._messageId) || {};
  const id = `md-seller-${newId().slice(0, 8)}`;
  const form = h("form", { class: "seller-composer", id, "data-testid": "seller-reply-form", novalidate: "" });
  const label = h("label", { class: "seller-label", for: `${id}-text` });
  bind(label, "sellerReplyLabel", { order: ctx.order_number || "" });
  const input = h("textarea", {
    class: "seller-input",
    id: `${id}-text`,
    rows: "3",
    autocomplete: "off",
    "data-testid": "seller-reply-input",
  });
  bind(input, "sellerReplyPlaceholder", null, "placeholder");
  const hint = h("p", { class: "seller-hint", id: `${id}-hint` });
  bind(hint, "sellerUrgentHint");
  const error = h("p", { class: "seller-error", role: "alert", "data-testid": "seller-reply-error", hidden: "" });
  const row = h("div", { class: "seller-row" });
  const urgentLabel = h("label", { class: "seller-urgent" });
  const urgent = h("input", {
    type: "checkbox",
    "data-testid": "seller-reply-urgent",
    "aria-describedby": `${id}-hint`,
  });
  urgentLabel.append(urgent, bind(h("span"), "sellerUrgent"));
  const cancel = h("button", { type: "button", class: "seller-cancel", "data-testid": "seller-reply-cancel" });
  bind(cancel, "sellerCancel");
  const send = h("button", { type: "submit", class: "seller-send", "data-testid": "seller-reply-send" });
  bind(send, "sellerSend");
  row.append(urgentLabel, cancel, send);
  form.append(label, input, error, row, hint);

  const composer = { item, form, input, urgent, error, send, cid: draft ? draft.cid : newId(), busy: false };
  if (draft) {
    input.value = draft.text;
    urgent.checked = draft.urgent;
    if (draft.error) showSellerError(composer, draft.error);
  }
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    submitSellerReply(composer);
  });
  input.addEventListener("keydown", (e) => {
    // Enter sends, Shift+Enter is a newline (as in the main composer); never while an IME composes.
    if (isSendKey(e)) {
      e.preventDefault();
      submitSellerReply(composer);
    }
  });
  form.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      e.preventDefault(); // closes the composer, not the panel
      closeSellerComposer(true);
    }
  });
  cancel.addEventListener("click", () => closeSellerComposer(true));

  item.appendChild(form);
  item.classList.add("is-replying");
  item._replyBtn.setAttribute("aria-expanded", "true");
  item._replyBtn.setAttribute("aria-controls", id);
  sellerComposer = composer;
  if (draft && !draft.focused) return;
  focusSoon(input);
  requestAnimationFrame(() => {
    if (form.isConnected && typeof form.scrollIntoView === "function") form.scrollIntoView({ block: "nearest" });
  });
}

export function closeSellerComposer(returnFocus) {
  const c = sellerComposer;
  if (!c) return;
  sellerComposer = null;
  for (const el of c.form.querySelectorAll("*")) bound.delete(el);
  c.form.remove();
  c.item.classList.remove("is-replying");
  if (c.item._replyBtn) {
    c.item._replyBtn.setAttribute("aria-expanded", "false");
    c.item._replyBtn.removeAttribute("aria-controls");
    if (returnFocus && c.item._replyBtn.isConnected) c.item._replyBtn.focus();
  }
}

export function showSellerError(c, text) {
  c.error.textContent = text;
  c.error.hidden = false;
}

export function formatDue(value) {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return "";
  return formatDateTime(d, locale(), { dateStyle: "medium", timeStyle: "short" }, ZONES[state.market]);
}

export async function submitSellerReply(c) {
  if (c.busy || sellerComposer !== c) return; // a double click sends once (and the client id makes sure)
  const session = state.saved;
  if (!session) {
    showSellerError(c, t("attachNoSession"));
    return;
  }
  c.busy = true;
  c.send.disabled = true;
  bind(c.send, "sellerSending");
  c.form.setAttribute("aria-busy", "true");
  c.error.hidden = true;
  let ctx = sellerCtx.get(c.item._messageId) || {};
  if (ctx.reply_id == null) {
    await loadSellerContext(); // a live frame names the order only
    ctx = sellerCtx.get(c.item._messageId) || ctx;
  }
  const payload = {
    order_number: ctx.order_number,
    text: c.input.value,
    urgent: c.urgent.checked,
    client_message_id: c.cid,
  };
  if (ctx.reply_id != null) payload.reply_to_id = ctx.reply_id;
  const url = `${config.apiBase}/api/v1/conversations/${encodeURIComponent(session.conversation_id)}/seller-questions`;
  let res = null;
  let body = null;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-Conversation-Token": session.token,
      },
      body: JSON.stringify(payload),
    });
    try {
      body = await res.json();
    } catch (_) {
      body = null;
    }
  } catch (_) {
    res = null; // network failure: the same client id makes a retry safe
  }
  if (destroyed) return;
  c.busy = false;
  c.send.disabled = false;
  bind(c.send, "sellerSend");
  c.form.removeAttribute("aria-busy");
  // The composer may have been rebuilt meanwhile (history re-render): the same draft has the same id.
  const current = sellerComposer && sellerComposer.cid === c.cid ? sellerComposer : null;
  if (res && res.ok && body && body.message) {
    const item = current ? current.item : c.item;
    if (current) closeSellerComposer(false);
    disableQuickReplies();
    addMessage(body.message, false);
    const q = body.question && typeof body.question === "object" ? body.question : null;
    if (q && q.answer_due) addNotice(q.urgent ? "sellerSentUrgent" : "sellerSent", { due: formatDue(q.answer_due) });
    scrollToEnd(true);
    if (item._replyBtn && item._replyBtn.isConnected) item._replyBtn.focus();
    return;
  }
  // The api's refusal (moderation reasons, too long, empty...) in the buyer's language; the text stays.
  const detail = body && body.detail;
  const text = detail && typeof detail === "object" && typeof detail.message === "string" ? detail.message : null;
  if (!current) {
    addError(text || t("sellerReplyFailed"));
    return;
  }
  showSellerError(current, text || t("sellerReplyFailed"));
  current.input.focus();
}
