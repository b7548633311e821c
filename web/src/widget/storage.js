// The conversation a returning buyer resumes, kept in localStorage (which may be disabled).

import { config } from "./config.js";

// One saved session per api base and buyer, so a signed-in buyer never resumes an
// anonymous visitor's conversation (or another buyer's) on a shared device.
// Keyed by the token's subject (not the token itself): the marketplace re-issues tokens,
// and a fresh token for the same buyer must find the same conversation.
function buyerKey(token) {
  if (!token) return "anon";
  const parts = token.split(".");
  if (parts.length === 3) {
    try {
      const json = atob(parts[1].replace(/-/g, "+").replace(/_/g, "/"));
      const sub = JSON.parse(json).sub;
      if (typeof sub === "string" && sub) return `sub:${sub}`;
    } catch (_) {
      /* not a JWT we can read: fall back to the token */
    }
  }
  return token;
}
const storageKey = `marketdesk:v1:${config.apiBase}:${buyerKey(config.buyerToken)}`;
export const storage = {
  load() {
    try {
      const value = JSON.parse(localStorage.getItem(storageKey) || "null");
      if (value && typeof value.conversation_id === "string" && typeof value.token === "string") return value;
    } catch (_) {
      /* storage disabled (private mode) or corrupt: behave like a first visit */
    }
    return null;
  },
  save(session) {
    try {
      localStorage.setItem(storageKey, JSON.stringify(session));
    } catch (_) {
      /* the in-memory copy still lets this page resume after a reconnect */
    }
  },
  clear() {
    try {
      localStorage.removeItem(storageKey);
    } catch (_) {
      /* nothing to do */
    }
  },
};

// The newest seller message the buyer has seen, per conversation: on page load, newer ones
// count as unread on the launcher until the panel is opened. `saved` is the conversation (state.saved).
export const sellerSeen = {
  key(saved) {
    return saved ? `${storageKey}:seller-seen:${saved.conversation_id}` : null;
  },
  get(saved) {
    const key = this.key(saved);
    if (!key) return 0;
    try {
      const n = Number(localStorage.getItem(key));
      return Number.isFinite(n) ? n : 0;
    } catch (_) {
      return 0;
    }
  },
  set(saved, id) {
    const key = this.key(saved);
    if (!key || !(id > this.get(saved))) return;
    try {
      localStorage.setItem(key, String(id));
    } catch (_) {
      /* storage disabled: the badge comes back on the next page load */
    }
  },
};
