// Read-only seller threads: the buyer-seller correspondence of each order the conversation is about.
import { elementById as $, h } from "../shared/dom.js";
import { safeLang } from "../shared/i18n.js";
import { parseTime, ZONES } from "../shared/time.js";
import { fullTime, label, locale, t } from "./i18n.js";
import { state, ui } from "./state.js";

// Read-only: the buyer-seller thread of each order the conversation is about (handoff details,
// tickets, questions sent from it), oldest first, with who wrote what and when.
export function flag(key, kind) {
  return h("span", { class: `tflag tflag--${kind}`, "data-testid": `thread-flag-${kind}` }, t(key));
}

export function renderThreads() {
  const d = state.detail;
  const threads = d && Array.isArray(d.threads) ? d.threads : [];
  const box = ui.threadsInner;
  box.replaceChildren();
  ui.threads.hidden = !threads.length;
  if (!threads.length) return;
  const market = d.conversation.market;
  const zone = ZONES[market] ? ` ${t("threadsZone", { zone: t(`zone_${market}`) })}` : "";
  box.append(h("p", { class: "muted hint" }, t("threadsHint") + zone));
  for (const th of threads) {
    if (!th || typeof th.order_number !== "string") continue;
    const seller = th.seller && th.seller.name ? String(th.seller.name) : "–";
    const title = t("threadOrder", { order: th.order_number, seller });
    const section = h("section", {
      class: `thread${th.overdue ? " is-overdue" : ""}`,
      "data-testid": "seller-thread",
      "data-order-number": th.order_number,
      "aria-label": title,
    });
    const head = h("div", { class: "thread-head" });
    head.append(h("h3", { class: "thread-title" }, title));
    if (th.urgent) head.append(flag("flagUrgent", "urgent"));
    if (th.overdue) head.append(flag("flagOverdue", "overdue"));
    if (th.escalated) head.append(flag("flagEscalated", "escalated"));
    section.append(head);
    if (th.open_questions)
      section.append(h("div", { class: "muted" }, t("threadOpenQuestions", { n: th.open_questions })));
    const entries = Array.isArray(th.entries) ? th.entries : [];
    if (!entries.length) section.append(h("p", { class: "muted" }, t("threadEmpty")));
    const list = h("ol", { class: "thread-entries" });
    for (const e of entries) if (e && typeof e === "object") list.append(threadEntry(e, market));
    if (entries.length) section.append(list);
    box.append(section);
  }
}

export function threadEntry(e, market) {
  const kind = ["question", "answer", "status", "escalation"].includes(e.kind) ? e.kind : "question";
  const li = h("li", {
    class: `tentry tentry--${kind}`,
    "data-testid": "thread-entry",
    "data-kind": kind,
    "data-entry-id": e.id != null ? String(e.id) : null,
  });
  const head = h("div", { class: "tentry-head" });
  let who = t("entryPlatform");
  if (kind === "question") who = t("entryBuyer");
  else if (kind === "answer" || kind === "status")
    who = t("entrySeller", { name: e.author_name || t("sender_seller") });
  const what = kind === "question" && e.reply_to_id != null ? "entry_followup" : `entry_${kind}`;
  head.append(h("span", { class: "msg-who" }, who));
  head.append(h("span", null, kind === "escalation" ? "" : t(what)));
  const when = parseTime(e.at);
  if (when) head.append(h("time", { datetime: when.toISOString() }, fullTime(e.at, market)));
  li.append(head);
  if (kind === "question") {
    li.append(h("div", { class: "tentry-text", lang: safeLang(state.detail.conversation.language) }, e.text || ""));
    const meta = h("div", { class: "tentry-meta" });
    meta.append(h("span", null, t("entryQuestionRef", { id: e.id })));
    if (e.answer_due) meta.append(h("span", null, t("entryAnswerDue", { due: fullTime(e.answer_due, market) })));
    if (e.from_this_conversation) meta.append(h("span", null, t("entryFromHere")));
    if (e.urgent) meta.append(flag("flagUrgent", "urgent"));
    if (e.answered) meta.append(flag("flagAnswered", "answered"));
    if (e.overdue) meta.append(flag("flagOverdue", "overdue"));
    if (e.escalated_at) meta.append(flag("flagEscalated", "escalated"));
    if (e.closed_at) meta.append(flag("flagClosed", "closed"));
    li.append(meta);
  } else if (kind === "answer") {
    li.append(h("div", { class: "tentry-text" }, e.text || ""));
    if (e.question_id != null)
      li.append(h("div", { class: "tentry-meta" }, t("entryQuestionRef", { id: e.question_id })));
  } else if (kind === "status") {
    li.append(h("div", { class: "tentry-text" }, label("caseStatus_", e.status)));
    if (e.status === "shipped") {
      const date = e.expected_date ? new Date(`${e.expected_date}T12:00:00Z`).toLocaleDateString(locale()) : "–";
      li.append(
        h(
          "div",
          { class: "tentry-meta" },
          t("shipmentLine", { carrier: e.carrier || "–", tracking: e.tracking_number || "–", date }),
        ),
      );
    }
    if (e.text) li.append(h("div", { class: "tentry-text" }, t("sellerNote", { text: e.text })));
  } else {
    li.append(h("div", { class: "tentry-text" }, t("entry_escalation", { ticket: e.ticket_reference || "–" })));
    if (e.question_id != null)
      li.append(h("div", { class: "tentry-meta" }, t("entryQuestionRef", { id: e.question_id })));
  }
  return li;
}

// The panel lives between the handoff summary and the transcript; its styles with it.
export const THREADS_CSS = `
.msg--seller { align-self: flex-start; }
.msg--seller .msg-text { background: #fff6e5; border: 1px solid #d9a441; border-bottom-left-radius: 4px; }
.threads { flex: none; border-color: #d9a441; background: #fffbf2; }
.threads .handoff-inner { max-height: 32vh; display: flex; flex-direction: column; gap: 8px; }
.thread { border: 1px solid #e6d3a8; border-radius: 8px; background: #fff; padding: 6px 8px; }
.thread.is-overdue { border-color: #b3261e; }
.thread-head { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }
.thread-title { font-size: 14px; margin: 0; }
.thread-entries { list-style: none; margin: 6px 0 0; padding: 0; display: flex; flex-direction: column; gap: 6px; }
.tentry { border-left: 3px solid #9aa3b2; padding: 2px 0 2px 8px; }
.tentry--answer, .tentry--status { border-left-color: #d9a441; }
.tentry--escalation { border-left-color: #b3261e; }
.tentry-head { display: flex; flex-wrap: wrap; gap: 8px; font-size: 12px; color: #4b5563; }
.tentry-text { white-space: pre-wrap; overflow-wrap: anywhere; }
.tentry-meta { display: flex; flex-wrap: wrap; gap: 4px 8px; font-size: 12px; color: #4b5563; }
.tflag { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 12px; font-weight: 700;
         background: #eef1f6; color: #1d2433; }
.tflag--urgent, .tflag--overdue { background: #b3261e; color: #fff; }
.tflag--escalated { background: #fff4d6; color: #5c3d00; border: 1px solid #e0c36a; }
.tflag--answered { background: #e3f4e9; color: #17603a; }
.ticket-open { margin-top: 4px; }
`;

export function mountThreads() {
  const style = document.createElement("style");
  style.textContent = THREADS_CSS;
  document.head.append(style);
  const box = h("details", {
    id: "seller-threads",
    class: "handoff threads",
    "data-testid": "seller-threads",
    open: "",
  });
  box.hidden = true;
  box.append(h("summary", { "data-i18n": "threadsTitle" }));
  const inner = h("div", {
    id: "seller-threads-inner",
    class: "handoff-inner",
    role: "region",
    tabindex: "0",
    "data-i18n-aria-label": "threadsTitle",
  });
  box.append(inner);
  const handoff = $("handoff");
  handoff.parentNode.insertBefore(box, handoff.nextSibling);
  ui.threads = box;
  ui.threadsInner = inner;
}
