// My conversations (the agent's own), with the unread mark.

import { h } from "../shared/dom.js";
import { selectConversation } from "./actions.js";
import { buyerName } from "./helpers.js";
import { label, t } from "./i18n.js";
import { focusedConversation, restoreFocus } from "./queue.js";
import { state, ui } from "./state.js";

export function renderMine() {
  const list = ui.mineList;
  const focusedId = focusedConversation(list, "mine-item");
  list.replaceChildren();
  ui.mineEmpty.hidden = state.mine.length > 0;
  for (const row of state.mine) {
    const li = h("li");
    const btn = h("button", {
      type: "button",
      class: "mine-btn",
      "data-testid": "mine-item",
      "data-conversation-id": row.conversation_id,
      "aria-current": row.conversation_id === state.selectedId ? "true" : null,
    });
    btn.append(h("strong", null, buyerName(row)));
    btn.append(
      h(
        "span",
        { class: "mine-sub" },
        `${String(row.language || "").toUpperCase()} · ${label("topic_", row.topic || "general")}`,
      ),
    );
    if (row.accessibility)
      btn.append(h("span", { class: "badge-a11y", title: t("accessibilityHint") }, t("accessibility")));
    if (state.unread.has(row.conversation_id))
      btn.append(h("span", { class: "unread", "data-testid": "unread" }, t("unread")));
    btn.addEventListener("click", () => selectConversation(row.conversation_id));
    li.append(btn);
    list.append(li);
  }
  restoreFocus(list, "mine-item", focusedId);
}
