// The widget's state: what the buyer sees (state), the messages not yet acknowledged (outbox), the
// socket (conn), and the element references once mounted (ui). One instance per page.

import { Backoff } from "../shared/backoff.js";
import { config } from "./config.js";
import { Outbox } from "./outbox.js";
import { storage } from "./storage.js";

export const state = {
  lang: config.language,
  saved: storage.load(), // {conversation_id, token} of the conversation to resume
  open: false,
  faqOpen: false,
  offline: false,
  unread: 0, // live bot/agent/system messages while the panel was closed
  sellerUnseen: new Set(), // ids of seller messages not seen yet (live, or newer than sellerSeen)
  sellerNewest: 0, // the newest seller message id in the log
  market: null, // TR | PL, from the session
  convState: null, // bot | queued | with_agent | resolved
  queue: null, // {position, wait}
  agentName: null,
  botTyping: false,
  agentTyping: false,
};
// Messages not yet acknowledged by the server.
export const outbox = new Outbox();
// Control frames (csat) waiting for a session.
export const controlQueue = [];
export const conn = {
  ws: null,
  ready: false, // a "session" frame arrived on this socket
  awaitingSession: false,
  resuming: false,
  startFailed: false,
  startLang: null,
  backoff: new Backoff(),
  timer: null,
  sessionTimer: null,
};
export let destroyed = false;
export let ui = null; // element references once mounted

export function setUi(value) {
  ui = value;
}

export function markDestroyed() {
  destroyed = true;
}

export function newId() {
  if (window.crypto && typeof crypto.randomUUID === "function") {
    try {
      return crypto.randomUUID();
    } catch (_) {
      /* insecure context: fall through */
    }
  }
  const bytes = new Uint8Array(16);
  if (window.crypto && crypto.getRandomValues) crypto.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
