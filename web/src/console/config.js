// Where the console talks to and how often it asks.
export const API = "/api/v1/console";
export const TOKEN_KEY = "marketdesk-console:token";
export const LANG_KEY = "marketdesk-console:lang";
export const POLL_MS = 10000; // queue + my conversations, in case a queue_changed frame was missed
export const TICKETS_POLL_MS = 30000;
export const TYPING_IDLE_MS = 3000; // no keystroke this long: typing off
export const TYPING_REFRESH_MS = 4000; // at most one "typing on" per this while typing goes on
export const REFRESH_DEBOUNCE_MS = 150;
