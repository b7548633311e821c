// The inbox: buyer-seller threads with their flags and answer clocks (ticking from the fetch time).

import { h } from "../shared/dom.js";
import { selectThread } from "./actions.js";
import { duration, number, t, when } from "./i18n.js";
import { state, ui } from "./state.js";

export function elapsedMs(since) {
  return since ? performance.now() - since : 0;
}

export function clockText(secondsLeft, since) {
  const ms = secondsLeft * 1000 - elapsedMs(since);
  return ms >= 0 ? t("leftWall", { time: duration(ms) }) : t("lateWall", { time: duration(ms) });
}

export function renderInbox() {
  const list = ui.inboxList;
  const focused =
    document.activeElement && list.contains(document.activeElement) ? document.activeElement.dataset.order : null;
  list.replaceChildren();
  ui.inboxEmpty.hidden = state.threads.length > 0;
  const waiting = state.counts ? state.counts.unanswered : state.threads.filter((r) => r.open_questions).length;
  ui.inboxCount.textContent = String(waiting);
  ui.inboxCount.title = t("inboxCount", { n: waiting });
  for (const row of state.threads) {
    const li = h("li");
    const btn = h("button", {
      type: "button",
      class: `thread-btn${row.overdue ? " is-overdue" : ""}`,
      "data-testid": `seller-thread-${row.order_number}`,
      "data-order": row.order_number,
      "data-state": row.state,
      "aria-current": row.order_number === state.selected ? "true" : null,
    });
    const top = h("span", { class: "row-top" });
    top.append(h("span", { class: "order-no" }, row.order_number));
    if (row.urgent) top.append(h("span", { class: "flag flag--urgent", "data-testid": "thread-urgent" }, t("urgent")));
    if (row.overdue)
      top.append(h("span", { class: "flag flag--overdue", "data-testid": "thread-overdue" }, t("overdue")));
    if (row.escalated)
      top.append(h("span", { class: "flag flag--notice", "data-testid": "thread-escalated" }, t("escalated")));
    if (!row.open_questions)
      top.append(h("span", { class: "flag flag--done", "data-testid": "thread-answered" }, t("answeredFlag")));
    btn.append(top);
    if (row.preview) btn.append(h("span", { class: "preview" }, row.preview));
    const sub = h("span", { class: "sub" });
    if (row.buyer_name) sub.append(h("span", null, row.buyer_name));
    if (row.open_questions) sub.append(h("span", null, t("openCount", { n: row.open_questions })));
    btn.append(sub);
    if (row.next_due) {
      const clocks = h("span", { class: "sub" });
      clocks.append(
        h(
          "span",
          { "data-testid": "thread-due" },
          t("due", { due: `${when(row.next_due)} (${t(`zone_${row.market}`)})` }),
        ),
      );
      clocks.append(
        h(
          "span",
          {
            class: row.overdue ? "late" : null,
            "data-testid": "thread-left",
            "data-seconds-left": String(row.seconds_left),
          },
          clockText(row.seconds_left, state.fetchedAt),
        ),
      );
      if (!row.overdue && row.business_hours_left != null) {
        clocks.append(
          h(
            "span",
            { "data-testid": "thread-business-hours" },
            t("businessLeft", { n: number(row.business_hours_left) }),
          ),
        );
      }
      btn.append(clocks);
    }
    btn.addEventListener("click", () => selectThread(row.order_number));
    li.append(btn);
    list.append(li);
  }
  if (focused) {
    const again = list.querySelector(`[data-order="${CSS.escape(focused)}"]`);
    if (again) again.focus();
  }
}

export function tickClocks() {
  for (const el of document.querySelectorAll("[data-seconds-left]")) {
    const since = ui.inboxList.contains(el) ? state.fetchedAt : state.detailAt;
    el.textContent = clockText(Number(el.dataset.secondsLeft), since);
  }
}
