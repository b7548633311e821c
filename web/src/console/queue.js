// The queue: waiting conversations with their wait clocks and claim buttons.

import { h } from "../shared/dom.js";
import { safeLang } from "../shared/i18n.js";
import { mmss } from "../shared/time.js";
import { claimConversation } from "./actions.js";
import { buyerName } from "./helpers.js";
import { label, number, t } from "./i18n.js";
import { state, ui } from "./state.js";

export function renderQueue() {
  const list = ui.queueList;
  const focusedId = focusedConversation(list, "claim-button");
  list.replaceChildren();
  ui.queueEmpty.hidden = state.queue.length > 0;
  ui.queueCount.textContent = String(state.queue.length);
  ui.queueCount.title = t("queueCount", { n: state.queue.length });
  for (const row of state.queue) {
    const item = h("li", { class: "qitem", "data-testid": "queue-item", "data-conversation-id": row.conversation_id });
    const top = h("div", { class: "qitem-top" });
    top.append(
      h(
        "span",
        { class: "chip", "data-testid": "queue-language", lang: safeLang(row.language) },
        String(row.language || "").toUpperCase(),
      ),
    );
    top.append(h("strong", { "data-testid": "queue-topic" }, label("topic_", row.topic || "general")));
    if (row.accessibility) {
      top.append(
        h(
          "span",
          { class: "badge-a11y", "data-testid": "accessibility-badge", title: t("accessibilityHint") },
          t("accessibility"),
        ),
      );
    }
    item.append(top);
    item.append(h("div", { class: "mine-sub" }, buyerName(row)));
    const meta = h("div", { class: "qitem-meta" });
    meta.append(
      h("span", { "data-testid": "queue-reason" }, t("reasonShort", { reason: label("reason_", row.reason) })),
    );
    const wait = h("span", {
      class: "wait",
      "data-testid": "queue-wait",
      "data-wait-base": String(row.wait_seconds || 0),
    });
    wait.textContent = t("wait", { time: mmss(row.wait_seconds || 0) });
    meta.append(wait);
    meta.append(
      h(
        "span",
        { "data-testid": "queue-priority" },
        t("priority", { p: number(row.priority), e: number(row.effective_priority) }),
      ),
    );
    item.append(meta);
    const claim = h(
      "button",
      {
        type: "button",
        class: "btn",
        "data-testid": "claim-button",
        "aria-label": t("claimLabel", { who: `${buyerName(row)} · ${label("topic_", row.topic || "general")}` }),
      },
      t("claim"),
    );
    claim.addEventListener("click", () => claimConversation(row.conversation_id, claim));
    item.append(claim);
    list.append(item);
  }
  restoreFocus(list, "claim-button", focusedId);
  tickWaits();
}

// Rebuilding a list must not throw the keyboard user's focus to <body>.
export function focusedConversation(list, testid) {
  const el = document.activeElement;
  if (!el || !list.contains(el) || el.dataset.testid !== testid) return null;
  const item = el.closest("[data-conversation-id]");
  return item ? item.dataset.conversationId : null;
}

export function restoreFocus(list, testid, id) {
  if (!id) return;
  for (const item of list.querySelectorAll("[data-conversation-id]")) {
    if (item.dataset.conversationId === id) {
      const target = item.dataset.testid === testid ? item : item.querySelector(`[data-testid="${testid}"]`);
      if (target) target.focus();
      return;
    }
  }
}

export function tickWaits() {
  const elapsed = state.queueAt ? (performance.now() - state.queueAt) / 1000 : 0;
  for (const el of ui.queueList.querySelectorAll("[data-wait-base]")) {
    el.textContent = t("wait", { time: mmss(Number(el.dataset.waitBase) + elapsed) });
  }
}
