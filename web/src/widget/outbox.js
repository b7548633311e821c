// The buyer's messages until the server acknowledges them. Pure (no DOM, no socket), so the rules are
// unit-tested in node (tests/web/outbox.test.js):
// - every message keeps its client id across reconnects, so the server stores it once;
// - a session (each "session" frame) is a generation: what was sent in an older one is sent again;
// - frames are answered in order, so a refusal belongs to the oldest message in flight on this socket.

export class Outbox {
  constructor() {
    this.items = []; // {cid, text, payload, el, sentGen}, oldest first
    this.inflight = []; // client ids sent on this socket, oldest first, to match a refusal
    this.gen = 0; // bumps per session
  }

  add(cid, text, payload) {
    const item = { cid, text, payload: payload || null, el: null, sentGen: -1 };
    this.items.push(item);
    return item;
  }

  find(cid) {
    return this.items.find((i) => i.cid === cid);
  }

  /** Acknowledged or refused: out of the outbox and out of flight. */
  remove(item) {
    const i = this.items.indexOf(item);
    if (i >= 0) this.items.splice(i, 1);
    this.land(item.cid);
  }

  /** A new session: everything not sent in it is due again. */
  newSession() {
    this.gen += 1;
    this.inflight = [];
  }

  /** The socket is gone: nothing is in flight on it any more. */
  dropSocket() {
    this.inflight = [];
  }

  /** What this session has not seen yet, oldest first. */
  unsent() {
    return this.items.filter((i) => i.sentGen !== this.gen);
  }

  markSent(item) {
    item.sentGen = this.gen;
    this.inflight.push(item.cid);
  }

  /** The client id no longer waits for an answer on this socket. */
  land(cid) {
    const j = this.inflight.indexOf(cid);
    if (j >= 0) this.inflight.splice(j, 1);
  }

  /** The message a refusal without a client id is about: the oldest one in flight. */
  oldestInflight() {
    return this.inflight.length ? this.inflight[0] : null;
  }

  /** Rate-limited: not stored, so it stays in the outbox to be sent again (by the next flush). */
  deferred(cid) {
    this.land(cid);
    const item = this.find(cid);
    if (item) item.sentGen = -1;
    return item || null;
  }
}
