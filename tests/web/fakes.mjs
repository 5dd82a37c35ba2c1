// A virtual clock and a scripted transport for testing web/socket.js under Node: every timer and
// every frame is under the test's control, so each case is deterministic.

export class FakeClock {
  constructor() {
    this.now = 0;
    this.timers = new Map();
    this.next = 1;
  }
  setTimeout = (fn, ms) => {
    const id = this.next++;
    this.timers.set(id, { at: this.now + Math.max(0, ms), fn });
    return id;
  };
  clearTimeout = (id) => { this.timers.delete(id); };
  // Runs every timer due within `ms`, in time order (timers set meanwhile included).
  advance(ms) {
    const end = this.now + ms;
    for (;;) {
      let due = null;
      for (const [id, t] of this.timers) {
        if (t.at <= end && (!due || t.at < due[1].at || (t.at === due[1].at && id < due[0]))) due = [id, t];
      }
      if (!due) break;
      this.timers.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
    }
    this.now = end;
  }
}

export class FakeTransport {
  constructor() {
    this.sent = [];
    this.closed = null;
    this.onopen = this.onmessage = this.onclose = this.onerror = null;
  }
  send(text) { this.sent.push(JSON.parse(text)); }
  close(code) { this.closed = code ?? 1000; }
  // The server side of the script:
  open() { this.onopen?.(); }
  frame(obj) { this.onmessage?.({ data: JSON.stringify(obj) }); }
  drop(code = 1006) { this.onclose?.({ code }); }
  sentOf(type) { return this.sent.filter((f) => f.type === type); }
}

// Connections made by the stream under test, newest last.
export function transports() {
  const made = [];
  const connect = () => {
    const t = new FakeTransport();
    made.push(t);
    return t;
  };
  return { made, connect, get last() { return made[made.length - 1]; } };
}

export const ev = (seq, extra = {}) => ({ seq, time: seq * 1000, type: "MessagePosted", actor: 1, data: { message_id: seq, room_id: 1, creator_id: 1, ...extra } });
