// The open conversation: handoff summary, transcript, canned answers, notes and which controls apply.

import { h } from "../shared/dom.js";
import { safeLang } from "../shared/i18n.js";
import { parseTime } from "../shared/time.js";
import { api, enc } from "./api.js";
import { showError } from "./banners.js";
import { API } from "./config.js";
import { buyerName, clockTime, isMine } from "./helpers.js";
import { label, locale, number, t } from "./i18n.js";
import { busy, state, ui } from "./state.js";
import { renderThreads } from "./threads.js";

export function renderConversation(repaintTranscript) {
  const d = state.detail;
  ui.convEmpty.hidden = !!d;
  ui.convBody.hidden = !d;
  ui.actionsPanel.hidden = !d;
  ui.notesPanel.hidden = !d;
  if (!d) {
    ui.convTitle.textContent = t("conversationTitle");
    return;
  }
  const c = d.conversation;
  ui.convTitle.textContent = [buyerName(c), String(c.language || "").toUpperCase(), label("state_", c.state)].join(
    " · ",
  );
  renderHandoff();
  renderThreads();
  if (repaintTranscript) repaintMessages();
  renderCanned();
  renderNotes();
  updateControls();
}

export function renderHandoff() {
  const c = state.detail.conversation;
  const box = ui.handoffDetails;
  box.replaceChildren();
  const dl = h("dl");
  const add = (term, value, testid) => {
    dl.append(h("dt", null, term));
    dl.append(h("dd", testid ? { "data-testid": testid } : null, value));
  };
  add(t("buyerLabel"), c.buyer ? `${c.buyer.name} (${c.buyer.id})` : t("anonymous"));
  add(t("marketLabel"), `${label("market_", c.market)} / ${label("langName_", c.language)}`);
  add(t("stateLabel"), label("state_", c.state));
  add(t("reasonLabel"), label("reason_", c.reason), "handoff-reason");
  add(t("topicLabel"), label("topic_", c.topic || "general"), "handoff-topic");
  add(t("priorityLabel"), t("priority", { p: number(c.priority), e: number(c.effective_priority) }));
  if (c.accessibility) add(t("accessibility"), t("accessibilityHint"));
  if (c.summary) add(t("summaryLabel"), c.summary, "handoff-summary");
  if (c.reopen_count) add(t("reopenedLabel"), t("reopenedHint", { n: number(c.reopen_count) }), "reopened");
  if (c.previous_conversation_id) add(t("previousLabel"), c.previous_conversation_id, "previous-conversation");
  if (c.abandoned_form && c.abandoned_form.form) {
    add(t("abandonedFormLabel"), `${c.abandoned_form.form} / ${c.abandoned_form.slot || "–"}`, "abandoned-form");
  }
  const details = c.details && typeof c.details === "object" ? Object.entries(c.details) : [];
  for (const [key, value] of details) add(label("detail_", key), detailValue(key, value));
  box.append(dl);
  if (!details.length) box.append(h("p", { class: "muted" }, t("noDetails")));
}

export function detailValue(key, value) {
  if (value == null || value === "") return "–";
  if (key === "language") return label("langName_", value);
  if (key === "market") return label("market_", value);
  return String(value);
}

export function repaintMessages() {
  const log = ui.transcript;
  log.setAttribute("aria-busy", "true"); // a repaint (language switch) is not news
  log.replaceChildren();
  for (const m of state.detail.messages) log.append(messageElement(m));
  log.removeAttribute("aria-busy");
  log.scrollTop = log.scrollHeight;
}

export function messageElement(m) {
  const sender = ["buyer", "bot", "agent", "seller", "system"].includes(m.sender) ? m.sender : "system";
  const el = h("div", {
    class: `msg msg--${sender}`,
    "data-testid": "transcript-message",
    "data-sender": sender,
    "data-message-id": String(m.id),
  });
  const head = h("div", { class: "msg-head" });
  let who = t(`sender_${sender}`);
  if (sender === "buyer" && state.detail && state.detail.conversation.buyer) who = state.detail.conversation.buyer.name;
  if (sender === "agent" && m.agent_name) who = m.agent_name;
  if (sender === "seller" && m.agent_name) who = t("entrySeller", { name: m.agent_name });
  head.append(h("span", { class: "msg-who" }, who));
  const when = parseTime(m.created_at);
  if (when) head.append(h("time", { datetime: when.toISOString() }, clockTime(m.created_at)));
  el.append(head);
  if (m.text) {
    const lang = sender === "buyer" && state.detail ? safeLang(state.detail.conversation.language) : null;
    el.append(h("div", { class: "msg-text", lang }, m.text));
  }
  if (Array.isArray(m.buttons) && m.buttons.length) {
    const offered = h("ul", { class: "offered", "aria-label": t("offered") });
    for (const b of m.buttons) offered.append(h("li", null, b && b.title != null ? String(b.title) : ""));
    el.append(offered);
  }
  if (m.attachment && m.attachment.id != null) {
    const src = `${API}/attachments/${enc(String(m.attachment.id))}?token=${enc(state.token || "")}`;
    const name = String(m.attachment.filename || "");
    const link = h("a", {
      class: "thumb-link",
      href: src,
      target: "_blank",
      rel: "noopener noreferrer",
      "aria-label": t("attachmentOpen", { name }),
    });
    link.append(
      h("img", {
        class: "thumb",
        src,
        alt: t("attachmentAlt", { name }),
        loading: "lazy",
        referrerpolicy: "no-referrer",
        "data-testid": "attachment-thumb",
      }),
    );
    el.append(link);
  }
  return el;
}

// New messages (reply, live frame, refresh) in id order, each once.
export function addMessages(messages) {
  const d = state.detail;
  if (!d) return;
  const log = ui.transcript;
  const nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  let added = false;
  for (const m of messages) {
    if (!m || m.id == null || d.ids.has(m.id)) continue;
    d.ids.add(m.id);
    const el = messageElement(m);
    const after = d.messages.findIndex((x) => Number(x.id) > Number(m.id));
    if (after === -1) {
      d.messages.push(m);
      log.append(el);
    } else {
      const before = log.querySelector(`[data-message-id="${CSS.escape(String(d.messages[after].id))}"]`);
      d.messages.splice(after, 0, m);
      log.insertBefore(el, before);
    }
    added = true;
  }
  if (added && nearBottom) log.scrollTop = log.scrollHeight;
}

export function canAct() {
  const d = state.detail;
  return !!d && d.conversation.state === "with_agent" && isMine(d.conversation.conversation_id);
}

export function updateControls() {
  const active = canAct();
  ui.readonly.hidden = active;
  ui.readonly.textContent = t("readOnly");
  ui.reply.disabled = !active;
  ui.replySend.disabled = !active || busy.send;
  ui.canned.disabled = !active;
  for (const b of [ui.transferButton, ui.resolveButton, ui.handbackButton]) b.disabled = !active || busy.action;
  ui.transferLanguage.disabled = !active;
  ui.noteSave.disabled = busy.note;
}

export async function renderCannedAsync(lang) {
  if (state.canned[lang]) return;
  try {
    const body = await api("GET", `/canned?lang=${enc(lang)}`);
    state.canned[lang] = Array.isArray(body && body.responses) ? body.responses : [];
  } catch (err) {
    if (err.status !== 401) showError(err);
    return;
  }
  renderCanned();
}

export function renderCanned() {
  const d = state.detail;
  const select = ui.canned;
  const lang = d ? safeLang(d.conversation.language) || "tr" : "tr";
  const list = state.canned[lang];
  // Rebuilt only when something shown changes, so a refresh does not close an open select.
  const key = [state.lang, lang, list ? "loaded" : "loading"].join(":");
  if (select.dataset.built === key) return;
  select.dataset.built = key;
  select.replaceChildren(h("option", { value: "" }, t("cannedPlaceholder")));
  if (!list) {
    if (d) renderCannedAsync(lang);
    return;
  }
  for (const r of list) {
    const opt = h("option", { value: String(r.id) }, String(r.title || r.id));
    opt.lang = lang;
    select.append(opt);
  }
}

export function renderNotes() {
  const notes = (state.detail && state.detail.notes) || [];
  ui.notesList.replaceChildren();
  ui.notesEmpty.hidden = notes.length > 0;
  for (const n of notes) {
    const li = h("li", { class: "note", "data-testid": "note" });
    const when = parseTime(n.created_at);
    const meta = [
      n.author,
      n.ticket,
      when ? when.toLocaleString(locale(), { dateStyle: "short", timeStyle: "short" }) : "",
    ]
      .filter(Boolean)
      .join(" · ");
    li.append(h("div", { class: "note-meta" }, meta));
    li.append(h("div", { class: "note-text" }, n.text));
    ui.notesList.append(li);
  }
}
