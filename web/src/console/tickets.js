// Tickets and their SLA clocks, in the market's time.

import { h } from "../shared/dom.js";
import { parseTime, ZONES } from "../shared/time.js";
import { selectConversation } from "./actions.js";
import { duration, fullTime, label, number, t } from "./i18n.js";
import { state, ui } from "./state.js";

export function marketOf(ticket) {
  const prefix = String(ticket.reference || "")
    .slice(0, 2)
    .toUpperCase();
  return ZONES[prefix] ? prefix : null;
}

export function dueText(ticket, field, labelKey, breached, done) {
  const due = parseTime(ticket[field]);
  if (!due) return null;
  const market = marketOf(ticket);
  const when = fullTime(ticket[field], market);
  const zone = market ? t(`zone_${market}`) : Intl.DateTimeFormat().resolvedOptions().timeZone;
  let line = t("dueLine", { label: t(labelKey), due: when, zone });
  const left = due.getTime() - Date.now();
  if (done) line += ` · ${t("answered")}`;
  else line += ` · ${left >= 0 ? t("dueIn", { time: duration(left) }) : t("overdue", { time: duration(left) })}`;
  const el = h(
    "div",
    { class: `sla-line${breached ? " is-late" : ""}`, "data-testid": `sla-${field.replace(/_/g, "-")}` },
    line,
  );
  return el;
}

export function renderTickets() {
  const list = ui.ticketsList;
  list.replaceChildren();
  const currentId = state.detail ? state.detail.conversation.conversation_id : null;
  const own = state.detail ? state.detail.tickets || [] : [];
  const seen = new Set();
  const rows = [];
  for (const tk of [...own, ...state.tickets]) {
    if (!tk || seen.has(tk.reference)) continue;
    seen.add(tk.reference);
    rows.push(tk);
  }
  ui.ticketsEmpty.hidden = rows.length > 0;
  for (const tk of rows) {
    const breached = tk.breached || {};
    const isBreached = !!(breached.first_response || breached.resolution);
    const current = currentId && tk.conversation_id === currentId;
    const li = h("li", {
      class: `ticket${isBreached ? " is-breached" : ""}${current ? " is-current" : ""}`,
      "data-testid": "ticket-item",
      "data-reference": tk.reference,
      "data-breached": isBreached ? "true" : "false",
    });
    const head = h("div", { class: "ticket-head" });
    head.append(h("span", { class: "ticket-ref" }, tk.reference));
    if (current) head.append(h("span", { class: "here" }, t("thisConversation")));
    if (isBreached) head.append(h("span", { class: "breached", "data-testid": "sla-breached" }, t("breached")));
    li.append(head);
    li.append(
      h("div", null, [label("topic_", tk.topic), label("prio_", tk.priority), label("status_", tk.status)].join(" · ")),
    );
    const first = dueText(tk, "first_response_due", "firstResponse", breached.first_response, false);
    if (first) li.append(first);
    const resolution = dueText(tk, "resolution_due", "resolution", breached.resolution, tk.status === "resolved");
    if (resolution) li.append(resolution);
    if (tk.business_hours_left != null && tk.status !== "resolved") {
      li.append(h("div", { class: "muted" }, t("hoursLeft", { n: number(tk.business_hours_left) })));
    }
    if (isBreached) {
      const which = [breached.first_response ? t("firstResponse") : null, breached.resolution ? t("resolution") : null]
        .filter(Boolean)
        .join(", ");
      li.append(h("div", { class: "sla-line is-late" }, t("breachedWhich", { which })));
    }
    if (tk.conversation_id && !current) {
      const open = h(
        "button",
        {
          type: "button",
          class: "btn ticket-open",
          "data-testid": "ticket-open",
          "aria-label": t("ticketOpenLabel", { ref: tk.reference }),
        },
        t("ticketOpen"),
      );
      open.addEventListener("click", () => selectConversation(tk.conversation_id));
      li.append(open);
    }
    list.append(li);
  }
}
