// Proactive notices about the buyer's orders and the switch that turns them off for a conversation.

import { config } from "./config.js";
import { addMessage } from "./render.js";
import { destroyed, state, ui } from "./state.js";

// Proactive notices about the buyer's orders (sender "notice"): live as a "notice" frame, else
// in the history, counted on the launcher like seller messages. The switch in the panel turns
// them off for this conversation (GET/POST .../notices).
export function onNoticeFrame(frame) {
  const m = frame.message && typeof frame.message === "object" ? frame.message : null;
  if (m) addMessage({ ...m, sender: "notice" }, false);
}

export async function loadNotices() {
  const session = state.saved;
  if (!session || destroyed || !ui) return;
  try {
    const res = await fetch(noticesUrl(session), {
      headers: { Accept: "application/json", "X-Conversation-Token": session.token },
    });
    if (!res.ok) return;
    const body = await res.json();
    if (destroyed || !ui || state.saved !== session || !body || typeof body.enabled !== "boolean") return;
    ui.noticesInput.checked = body.enabled;
    ui.notices.hidden = false;
  } catch (_) {
    /* offline: the next session asks again */
  }
}

export async function saveNotices(enabled) {
  const session = state.saved;
  if (!session || destroyed) return;
  ui.noticesInput.disabled = true;
  try {
    const res = await fetch(noticesUrl(session), {
      method: "POST",
      headers: {
        Accept: "application/json",
        "Content-Type": "application/json",
        "X-Conversation-Token": session.token,
      },
      body: JSON.stringify({ enabled }),
    });
    const body = res.ok ? await res.json() : null;
    if (body && typeof body.enabled === "boolean") ui.noticesInput.checked = body.enabled;
    else ui.noticesInput.checked = !enabled;
  } catch (_) {
    ui.noticesInput.checked = !enabled; // not saved: show what the server still has
  } finally {
    if (ui) ui.noticesInput.disabled = false;
  }
}

export function noticesUrl(session) {
  return `${config.apiBase}/api/v1/conversations/${encodeURIComponent(session.conversation_id)}/notices`;
}
