// The open thread: order facts, the timeline, the answer box and the api's refusals.

import { h } from "../shared/dom.js";
import { parseTime } from "../shared/time.js";
import { errorText } from "./banners.js";
import { dateOnly, label, market, number, t, when } from "./i18n.js";
import { clockText } from "./inbox.js";
import { busy, state, ui } from "./state.js";

export function openQuestions() {
  return state.detail ? state.detail.items.filter((i) => i.type === "question" && i.state === "open") : [];
}

export function renderThread() {
  const d = state.detail;
  ui.threadEmpty.hidden = !!d;
  ui.threadBody.hidden = !d;
  ui.statusPanel.hidden = !d;
  if (!d) {
    ui.threadTitle.textContent = "";
    return;
  }
  ui.threadTitle.textContent = t("threadTitle", { order: d.order.number });
  renderOrderInfo();
  renderTimeline();
  renderComposer();
}

export function renderOrderInfo() {
  const d = state.detail;
  const dl = h("dl");
  const add = (term, value, testid) => {
    dl.append(h("dt", null, term));
    dl.append(h("dd", testid ? { "data-testid": testid } : null, value));
  };
  add(t("orderStatus"), label("order_", d.order.status), "order-status");
  if (d.thread.buyer_name) add(t("buyer"), d.thread.buyer_name);
  add(t("placed"), when(d.order.placed_at));
  const products = (d.order.items || []).map((i) => (i.quantity > 1 ? `${i.quantity} × ` : "") + i.product_name);
  if (products.length) add(t("products"), products.join(", "));
  ui.orderInfo.replaceChildren(dl);
}

export function renderTimeline() {
  const log = ui.timeline;
  const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  log.setAttribute("aria-busy", "true");
  log.replaceChildren();
  for (const item of state.detail.items) log.append(itemElement(item));
  log.removeAttribute("aria-busy");
  if (atBottom || !log.dataset.order || log.dataset.order !== state.detail.order.number)
    log.scrollTop = log.scrollHeight;
  log.dataset.order = state.detail.order.number;
}

export function itemElement(item) {
  const type = ["question", "answer", "status", "notice"].includes(item.type) ? item.type : "notice";
  const el = h("div", {
    class: `item item--${type}${type === "question" && item.id === state.target ? " is-target" : ""}`,
    "data-testid": `thread-${type}`,
    "data-item-id": item.id != null ? String(item.id) : null,
  });
  const head = h("div", { class: "item-head" });
  if (type === "question") {
    head.append(h("span", { class: "item-who" }, t("who_buyer")));
    if (item.urgent)
      head.append(h("span", { class: "flag flag--urgent", "data-testid": "question-urgent" }, t("urgent")));
    const cls =
      item.state === "open"
        ? item.overdue
          ? "flag--overdue"
          : "flag--open"
        : item.state === "answered"
          ? "flag--done"
          : "flag--closed";
    head.append(
      h(
        "span",
        { class: `flag ${cls}`, "data-testid": "question-state" },
        item.overdue ? t("overdue") : t(`question_${item.state}`),
      ),
    );
  } else if (type === "notice") {
    head.append(h("span", { class: "item-who" }, t("who_platform")));
  } else {
    head.append(h("span", { class: "item-who" }, item.author || item.author_name || ""));
  }
  const at = parseTime(item.created_at);
  if (at) head.append(h("time", { datetime: at.toISOString() }, when(item.created_at)));
  el.append(head);
  if (type === "question") {
    el.append(h("div", { class: "item-text", lang: market() === "PL" ? "pl" : "tr" }, item.text || ""));
    if (item.state === "open") {
      const clocks = h("div", { class: "item-head" });
      clocks.append(h("span", null, t("due", { due: `${when(item.answer_due)} (${t(`zone_${market()}`)})` })));
      clocks.append(
        h(
          "span",
          {
            class: item.overdue ? "late" : null,
            "data-seconds-left": String(item.seconds_left),
          },
          clockText(item.seconds_left, state.detailAt),
        ),
      );
      if (!item.overdue && item.business_hours_left != null) {
        clocks.append(h("span", null, t("businessLeft", { n: number(item.business_hours_left) })));
      }
      el.append(clocks);
      if (openQuestions().length > 1 && item.id !== state.target) {
        const pick = h("button", { type: "button", class: "btn", "data-testid": "answer-this" }, t("answerThis"));
        pick.addEventListener("click", () => {
          state.target = item.id;
          renderTimeline();
          renderComposer();
          ui.answerInput.focus();
        });
        el.append(pick);
      }
    }
  } else if (type === "answer") {
    el.append(h("div", { class: "item-text" }, item.text || ""));
  } else if (type === "status") {
    const box = h("div", { class: "item-text" });
    box.append(h("strong", { "data-testid": "status-name" }, label("status_", item.status)));
    if (item.status === "shipped") {
      box.append(
        document.createTextNode(
          "\n" +
            t("shippingLine", {
              carrier: item.carrier || "",
              tracking: item.tracking_number || "",
              date: dateOnly(item.expected_date),
            }),
        ),
      );
    }
    if (item.note) box.append(document.createTextNode(`\n${item.note}`));
    el.append(box);
  } else {
    const key = item.code === "escalated" ? "notice_escalated" : "notice_closed";
    el.append(h("div", { class: "item-text" }, t(key, { ref: item.ticket_reference || "–" })));
  }
  return el;
}

export function renderComposer() {
  const open = openQuestions();
  if (!open.some((q) => q.id === state.target)) state.target = open.length ? open[0].id : null;
  ui.answerForm.hidden = !state.target;
  ui.noOpen.hidden = !!state.target;
  if (state.target) {
    const q = open.find((x) => x.id === state.target);
    const quoted = (q.text || "").length > 60 ? `${q.text.slice(0, 60)}…` : q.text || "";
    ui.answerLabel.textContent = t("answerTo", { text: quoted });
    ui.answerForm.dataset.questionId = String(state.target);
  }
  renderRefusal(ui.answerRefusal, state.answerRefusal, "refusedTitle");
  ui.answerSend.disabled = busy.answer;
}

export function renderRefusal(box, refusal, titleKey) {
  box.replaceChildren();
  box.hidden = !refusal;
  if (!refusal) return;
  if (refusal.reasons && refusal.reasons.length) {
    box.append(h("strong", null, t(titleKey)));
    const ul = h("ul");
    refusal.reasons.forEach((text, i) => {
      ul.append(h("li", { "data-testid": "refusal-reason", "data-code": refusal.codes[i] || null }, text));
    });
    box.append(ul);
  } else {
    box.append(h("span", { "data-testid": "refusal-reason", "data-code": refusal.code || null }, refusal.message));
  }
}

export function refusalOf(err) {
  const detail = err.detail || {};
  return {
    code: err.code,
    codes: Array.isArray(detail.reasons) ? detail.reasons : [],
    reasons: Array.isArray(detail.reason_messages) ? detail.reason_messages.map(String) : [],
    message: errorText(err),
  };
}
