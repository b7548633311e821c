// Where the seller portal talks to and how often it asks (no socket: the inbox and thread are polled).
export const API = "/api/v1/seller";
export const TOKEN_KEY = "marketdesk-seller:token";
export const LANG_KEY = "marketdesk-seller:lang";
export const POLL_MS = 20000;
export const METRICS_POLL_MS = 60000;
export const TICK_MS = 30000;
