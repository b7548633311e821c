// The seller portal's state: the signed-in seller user, the inbox, the open thread, refusals, timers.

import { browserLanguage } from "../shared/i18n.js";
import { loadLang, tokenStore } from "../shared/storage.js";
import { LANG_KEY, TOKEN_KEY } from "./config.js";

export const tokens = tokenStore(TOKEN_KEY);

export const state = {
  lang: loadLang(LANG_KEY, browserLanguage),
  token: tokens.load(),
  user: null,
  threads: [],
  counts: null,
  fetchedAt: 0, // performance.now() when the inbox was fetched (the clocks tick from there)
  filter: { state: "all", order: "" },
  selected: null, // order number
  detail: null,
  detailAt: 0,
  target: null, // question id the answer box answers
  metrics: null,
  answerRefusal: null, // {messages: []}
  statusRefusal: null,
};
export const timers = { poll: null, metrics: null, tick: null };
export const busy = { login: false, answer: false, status: false };
// Element references, filled at boot (main.js).
export const ui = {};
