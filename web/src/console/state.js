// The console's state: the signed-in agent, the lists, the open conversation, the live socket, timers.

import { Backoff } from "../shared/backoff.js";
import { loadLang, tokenStore } from "../shared/storage.js";
import { LANG_KEY, TOKEN_KEY } from "./config.js";

export const tokens = tokenStore(TOKEN_KEY);

export const state = {
  lang: loadLang(LANG_KEY, () => "tr"),
  token: tokens.load(),
  agent: null,
  queue: [],
  queueAt: 0, // performance.now() when the queue was fetched (the wait clocks tick from there)
  mine: [],
  tickets: [],
  selectedId: null,
  detail: null, // {conversation, messages: [], ids: Set, tickets, notes, threads}
  unread: new Set(),
  watched: new Set(),
  canned: {}, // lang -> responses
};
export const conn = { ws: null, backoff: new Backoff(), timer: null, live: false };
export const timers = { poll: null, tickets: null, tick: null, refresh: null, live: null };
export const typing = { on: false, lastSent: 0, idle: null, conversationId: null };
export const busy = { send: false, action: false, note: false, login: false };
// Element references, filled at boot (main.js).
export const ui = {};
