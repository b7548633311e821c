// The polls (inbox + thread, metrics) and the tick of the answer clocks.

import { refreshInbox, refreshMetrics, refreshThread } from "./actions.js";
import { METRICS_POLL_MS, POLL_MS, TICK_MS } from "./config.js";
import { tickClocks } from "./inbox.js";
import { timers } from "./state.js";

export function startTimers() {
  stopTimers();
  timers.poll = setInterval(() => {
    refreshInbox();
    refreshThread();
  }, POLL_MS);
  timers.metrics = setInterval(refreshMetrics, METRICS_POLL_MS);
  timers.tick = setInterval(tickClocks, TICK_MS);
}

export function stopTimers() {
  clearInterval(timers.poll);
  clearInterval(timers.metrics);
  clearInterval(timers.tick);
}
