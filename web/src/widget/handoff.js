// Handoff to an agent (queue position, agent joined, back to the bot, resolved) and the CSAT stars.

import { h } from "../shared/dom.js";
import { bind } from "./a11y.js";
import { num } from "./connection.js";
import { sendControl } from "./messages.js";
import { addNotice, appendToLog, renderStatus, renderTyping, scrollToEnd } from "./render.js";
import { newId, state, ui } from "./state.js";

export function onState(frame) {
  const s = frame.state;
  const prev = state.convState;
  if (s === "queued") {
    state.convState = s;
    state.queue = { position: num(frame.position), wait: num(frame.wait_seconds) };
  } else if (s === "with_agent") {
    const agent = frame.agent && typeof frame.agent === "object" ? frame.agent : {};
    const name = typeof agent.name === "string" && agent.name.trim() ? agent.name.trim() : null;
    const changed = prev !== "with_agent" || name !== state.agentName;
    state.convState = s;
    state.queue = null;
    state.agentName = name;
    if (changed) addNotice(name ? "agentJoined" : "agentJoinedAnon", { name });
  } else if (s === "bot") {
    state.convState = s;
    state.queue = null;
    state.agentName = null;
    state.agentTyping = false;
    if (prev && prev !== "bot") addNotice("backToBot");
  } else if (s === "resolved") {
    state.convState = s;
    state.queue = null;
    state.agentTyping = false;
    if (prev !== "resolved") addNotice("resolved");
  } else {
    return; // a state this widget does not know: ignore
  }
  renderStatus();
  renderTyping();
}

export function onAgentTyping(frame) {
  state.agentTyping = !!frame.on;
  const agent = frame.agent && typeof frame.agent === "object" ? frame.agent : null;
  const name = (agent && agent.name) || frame.agent_name || frame.name;
  if (typeof name === "string" && name.trim()) state.agentName = name.trim();
  renderTyping();
}

// Five stars as a radio group: arrows move the choice (roving tabindex), Enter/Space or a
// click submits it.
export function showCsat() {
  if (ui.csat && ui.csat.isConnected && !ui.csat.classList.contains("is-done")) return;
  const box = h("div", { class: "item item--system csat" });
  const question = h("p", { id: `md-csat-q-${newId().slice(0, 8)}` });
  bind(question, "csatQuestion");
  box.appendChild(question);
  const group = h("div", { class: "stars", role: "radiogroup", "aria-labelledby": question.id });
  const stars = [];
  let current = 0;
  const light = (n) => {
    stars.forEach((s, i) => {
      s.classList.toggle("is-lit", i < n);
    });
  };
  const select = (n, focus) => {
    current = n;
    stars.forEach((s, i) => {
      s.setAttribute("aria-checked", String(i + 1 === n));
      s.tabIndex = i + 1 === n || (n === 0 && i === 0) ? 0 : -1;
    });
    light(n);
    if (focus) stars[n - 1].focus();
  };
  for (let n = 1; n <= 5; n++) {
    const star = h(
      "button",
      {
        type: "button",
        class: "star",
        role: "radio",
        "aria-checked": "false",
        "data-testid": "csat-star",
        "data-score": String(n),
        tabindex: n === 1 ? "0" : "-1",
      },
      "★",
    );
    bind(star, "csatStar", { n }, "aria-label");
    star.addEventListener("click", () => submitCsat(n));
    star.addEventListener("mouseenter", () => light(n));
    star.addEventListener("mouseleave", () => light(current));
    star.addEventListener("keydown", (e) => {
      const i = current || n;
      let next = null;
      if (e.key === "ArrowRight" || e.key === "ArrowUp") next = i >= 5 ? 1 : i + 1;
      else if (e.key === "ArrowLeft" || e.key === "ArrowDown") next = i <= 1 ? 5 : i - 1;
      else if (e.key === "Home") next = 1;
      else if (e.key === "End") next = 5;
      if (next != null) {
        e.preventDefault();
        select(next, true);
      }
    });
    stars.push(star);
    group.appendChild(star);
  }
  box.appendChild(group);
  ui.csat = null; // appendToLog must not insert above a stale box
  appendToLog(box);
  ui.csat = box;
  scrollToEnd(true);

  function submitCsat(score) {
    if (box.classList.contains("is-done")) return;
    const hadFocus = ui.shadow.activeElement && box.contains(ui.shadow.activeElement);
    box.classList.add("is-done");
    sendControl({ type: "csat", score });
    const thanks = h("div", { class: "bubble", "data-testid": "message", "data-sender": "system" });
    bind(thanks, "csatThanks");
    box.replaceChildren(thanks);
    if (hadFocus) ui.input.focus();
  }
}
