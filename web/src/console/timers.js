// The polls (lists, tickets) and the one-second tick of the queue's wait clocks.

import { POLL_MS, TICKETS_POLL_MS } from "./config.js";
import { liveBuffer } from "./live.js";
import { refreshLists, refreshTickets } from "./loading.js";
import { tickWaits } from "./queue.js";
import { timers } from "./state.js";

export function startTimers() {
  stopTimers();
  timers.poll = setInterval(refreshLists, POLL_MS);
  timers.tickets = setInterval(refreshTickets, TICKETS_POLL_MS);
  timers.tick = setInterval(tickWaits, 1000);
}

export function stopTimers() {
  clearInterval(timers.poll);
  clearInterval(timers.tickets);
  clearInterval(timers.tick);
  clearTimeout(timers.refresh);
  clearTimeout(timers.live);
  liveBuffer.length = 0;
}
