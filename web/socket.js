// The resumable event stream of docs/protocol.md, without any DOM: the transport (a WebSocket in
// the browser, a fake in tests/web/) and the timers are injected, so Node can test every rule.
//
// The rules it keeps (protocol.md, "The stream"):
//   - `last` is the seq of the last sequenced frame processed; a (re)connect says hello with it.
//   - a sequenced frame whose `prev` is not `last` means something was missed: report the gap,
//     drop the connection, reconnect from `last`. Nothing of that frame is applied.
//   - events are applied once: an event whose seq is not above the last applied one is skipped.
//   - commands wait in an outbox until acked or rejected, and are sent again after a reconnect
//     (the server answers a repeated id with the original outcome, so this never posts twice).
//   - presence (the room this tab views) is said again on every new connection, which starts
//     present nowhere, and refreshed every 50 s (protocol.md "Presence": a 60 s TTL);
//   - reconnects back off exponentially with jitter; a connection that stops answering our
//     `ping` is dropped; "offline" is reported only after `offlineAfterMs` without a connection.
//
// States: connecting → online → (connection lost) connecting → ... ; connecting for longer
// than offlineAfterMs → offline (still trying); reset/ended/stopped wait for the owner.

export const Status = Object.freeze({
  connecting: "connecting",
  online: "online",
  offline: "offline",
  resetting: "resetting", // the server said `reset`: the owner reloads bootstrap, then start()
  ended: "ended",         // the session ended (close 4001): sign in again
  stopped: "stopped",
});

const kMaxFrameBytes = 64 * 1024; // protocol.md: a larger client message closes the connection

const kDefaults = {
  baseDelayMs: 500,
  maxDelayMs: 15_000,
  offlineAfterMs: 5_000,
  pingEveryMs: 20_000,
  pongTimeoutMs: 10_000,
  helloTimeoutMs: 10_000,
  busyRetryMs: 1_000,
  presenceRefreshMs: 50_000,
};

// Exponential backoff with "equal jitter": half the capped delay is fixed, half is random, so
// clients that lost the same server do not come back in lockstep, yet none retries at once.
export function backoffDelay(attempt, { baseDelayMs, maxDelayMs }, random = Math.random) {
  const capped = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(attempt, 30));
  return capped / 2 + random() * (capped / 2);
}

export class ResumableStream {
  // connect(): a WebSocket-like object (send, close, and the onopen/onmessage/onclose/onerror
  // properties). handlers: onEvents(events), onAck(frame), onRejected(frame), onTyping(frame),
  // onStatus(status), onReset(reason), onGap({last, prev}), onConnectFailed().
  constructor({ connect, handlers = {}, timers = globalThis, random = Math.random, log = () => {}, ...options }) {
    this.connect_ = connect;
    this.handlers_ = handlers;
    this.timers_ = timers;
    this.random_ = random;
    this.log_ = log;
    this.options_ = { ...kDefaults, ...options };
    this.status_ = Status.stopped;
    this.last_ = 0;       // seq of the last sequenced frame processed
    this.applied_ = 0;    // seq of the last event applied (never above last_ after a frame)
    this.attempt_ = 0;    // failed connections since the last welcome
    this.outbox_ = new Map(); // command id → frame, in sending order
    this.transport_ = null;
    this.timer_ = { reconnect: null, offline: null, ping: null, pong: null, hello: null, refresh: null };
    this.presence_ = null; // the room this tab views now, or null
    this.gaps = 0;        // gap reports sent (tests assert this stays 0 in normal runs)
    this.liveAfter_ = Infinity; // the log's head when this connection was welcomed
  }

  get status() { return this.status_; }
  get cursor() { return this.last_; }
  // Events up to this seq are catch-up (missed while away, or logged before the connection was
  // welcomed); later ones are live. /play sounds only play live ones (CAMPFIRE.md 2.25).
  get liveAfter() { return this.liveAfter_; }

  // Starts (or, after a reset, restarts) the stream from `cursor`.
  start(cursor) {
    this.drop_();
    this.last_ = cursor;
    this.applied_ = cursor;
    this.attempt_ = 0;
    this.setStatus_(Status.connecting);
    this.open_();
  }

  stop() {
    this.drop_();
    this.outbox_.clear();
    this.presence_ = null;
    this.clear_("refresh");
    this.setStatus_(Status.stopped);
  }

  // A command frame with an `id` (post, edit, delete). Sent now when online, else when the
  // next connection is welcomed; kept until acked or rejected.
  // A frame the server would close the connection for (over 64 KiB) is rejected here instead:
  // queued, it would be sent again after every reconnect, and close every connection.
  send(command) {
    if (new TextEncoder().encode(JSON.stringify(command)).length > kMaxFrameBytes) {
      this.handlers_.onRejected?.({ type: "rejected", id: command.id, code: "invalid", message: "The message is too long." });
      return;
    }
    this.outbox_.set(command.id, command);
    if (this.status_ === Status.online) this.write_(command);
  }

  // Gives up on a command (the owner marked it failed); a late ack is still delivered.
  forget(id) { this.outbox_.delete(id); }

  // Ephemeral frames (typing): sent only when online, never queued.
  sendEphemeral(frame) {
    if (this.status_ === Status.online) this.write_(frame);
  }

  // The room this tab views now (shown, in a visible tab), or null. The server is told at once
  // when online, and again on each welcome; while a room is set it is refreshed every 50 s.
  setPresence(roomId) {
    if (roomId === this.presence_) return;
    const was = this.presence_;
    this.presence_ = roomId;
    if (this.status_ === Status.online) {
      if (was !== null) this.write_({ type: "absent", room_id: was });
      if (roomId !== null) this.write_({ type: "present", room_id: roomId });
    }
    this.scheduleRefresh_();
  }

  get presence() { return this.presence_; }

  // The browser says the network is back: try now rather than at the end of the backoff.
  nudge() {
    if (this.status_ !== Status.connecting && this.status_ !== Status.offline) return;
    if (this.transport_) return;  // a connection attempt is already under way
    this.clear_("reconnect");
    this.attempt_ = 0;
    this.open_();
  }

  // The browser says the network is gone: the connection is as good as dead, even if its TCP
  // socket has not noticed yet. Reconnecting starts (and fails, backing off) until nudge().
  interrupt() {
    if (this.transport_) this.lost_(1006);
  }

  // ---- internals ----

  setStatus_(status) {
    if (status === this.status_) return;
    const wasOnline = this.status_ === Status.online;
    this.status_ = status;
    if (status === Status.connecting && (wasOnline || !this.timer_.offline)) {
      this.clear_("offline");
      this.timer_.offline = this.timers_.setTimeout(() => {
        this.timer_.offline = null;
        if (this.status_ === Status.connecting) this.setStatus_(Status.offline);
      }, this.options_.offlineAfterMs);
    }
    if (status !== Status.connecting && status !== Status.offline) this.clear_("offline");
    this.handlers_.onStatus?.(status);
  }

  clear_(name) {
    if (this.timer_[name] !== null) {
      this.timers_.clearTimeout(this.timer_[name]);
      this.timer_[name] = null;
    }
  }

  open_() {
    let t;
    try {
      t = this.connect_();
    } catch (e) {
      this.log_(`connect failed: ${e}`);
      this.scheduleReconnect_();
      return;
    }
    this.transport_ = t;
    this.welcomed_ = false;
    const mine = (fn) => (...args) => { if (this.transport_ === t) fn(...args); };
    t.onopen = mine(() => t.send(JSON.stringify({ type: "hello", cursor: this.last_ })));
    t.onmessage = mine((e) => this.receive_(e.data));
    t.onclose = mine((e) => this.lost_(e?.code ?? 1006));
    t.onerror = mine(() => {}); // onclose follows
    this.timer_.hello = this.timers_.setTimeout(() => {
      this.timer_.hello = null;
      this.log_("no welcome in time");
      this.lost_(1006);
    }, this.options_.helloTimeoutMs);
  }

  // Forgets the current transport (its late callbacks are ignored) and every timer but offline.
  drop_(code = 1000) {
    for (const name of ["reconnect", "ping", "pong", "hello"]) this.clear_(name);
    const t = this.transport_;
    this.transport_ = null;
    if (t) {
      t.onopen = t.onmessage = t.onclose = t.onerror = null;
      try { t.close(code); } catch { /* already closed */ }
    }
  }

  lost_(code) {
    const refused = !this.welcomed_;
    this.drop_();
    if (code === 4001) {
      this.outbox_.clear();
      this.setStatus_(Status.ended);
      return;
    }
    if (this.status_ === Status.resetting || this.status_ === Status.stopped || this.status_ === Status.ended) return;
    if (code === 4000) { // closed after a reset we did not read: treat it as one
      this.setStatus_(Status.resetting);
      this.handlers_.onReset?.("closed with 4000");
      return;
    }
    // A browser cannot see why an upgrade was refused (a 401 for an ended session looks like a
    // network error), so the owner is told and may ask over HTTP.
    if (refused) this.handlers_.onConnectFailed?.();
    this.scheduleReconnect_();
  }

  scheduleReconnect_() {
    if (this.status_ !== Status.offline) this.setStatus_(Status.connecting);
    const delay = backoffDelay(this.attempt_, this.options_, this.random_);
    this.attempt_ += 1;
    this.clear_("reconnect");
    this.timer_.reconnect = this.timers_.setTimeout(() => {
      this.timer_.reconnect = null;
      this.open_();
    }, delay);
  }

  write_(frame) {
    try {
      this.transport_?.send(JSON.stringify(frame));
    } catch (e) {
      this.log_(`send failed: ${e}`);
    }
  }

  receive_(text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      this.log_("unparsable frame; reconnecting");
      this.lost_(1006);
      return;
    }
    this.clear_("pong"); // anything heard proves the peer alive
    switch (frame.type) {
      case "welcome": return this.welcome_(frame);
      case "events":
      case "checkpoint": return this.sequenced_(frame);
      case "ack": this.outbox_.delete(frame.id); return this.handlers_.onAck?.(frame);
      case "rejected":
        if (frame.code === "busy") return this.resendLater_(frame.id);
        this.outbox_.delete(frame.id);
        return this.handlers_.onRejected?.(frame);
      case "typing": return this.handlers_.onTyping?.(frame);
      case "reset":
        this.drop_();
        this.setStatus_(Status.resetting);
        return this.handlers_.onReset?.(frame.reason);
      case "pong": return;
      case "error": return this.log_(`server error ${frame.code}: ${frame.message}`);
      default: return this.log_(`unknown frame type ${frame.type}`);
    }
  }

  welcome_(frame) {
    this.welcomed_ = true;
    this.liveAfter_ = Number.isFinite(frame.head) ? frame.head : Infinity;
    this.clear_("hello");
    this.attempt_ = 0;
    this.setStatus_(Status.online);
    for (const command of this.outbox_.values()) this.write_(command);
    if (this.presence_ !== null) this.write_({ type: "present", room_id: this.presence_ });
    this.scheduleRefresh_();
    this.schedulePing_();
    this.log_(`welcome: cursor ${frame.cursor}, head ${frame.head}`);
  }

  // `busy`: too many of this connection's commands are unanswered. Not a refusal of this one:
  // it stays in the outbox and goes again a little later (or after the next welcome).
  resendLater_(id) {
    this.timers_.setTimeout(() => {
      const command = this.outbox_.get(id);
      if (command && this.status_ === Status.online) this.write_(command);
    }, this.options_.busyRetryMs);
  }

  scheduleRefresh_() {
    this.clear_("refresh");
    if (this.presence_ === null) return;
    this.timer_.refresh = this.timers_.setTimeout(() => {
      this.timer_.refresh = null;
      if (this.status_ === Status.online) this.write_({ type: "refresh" });
      this.scheduleRefresh_();
    }, this.options_.presenceRefreshMs);
  }

  schedulePing_() {
    this.clear_("ping");
    this.timer_.ping = this.timers_.setTimeout(() => {
      this.timer_.ping = null;
      if (this.status_ !== Status.online) return;
      this.write_({ type: "ping" });
      this.timer_.pong = this.timers_.setTimeout(() => {
        this.timer_.pong = null;
        this.log_("no pong: the connection is dead");
        this.lost_(1006);
      }, this.options_.pongTimeoutMs);
      this.schedulePing_();
    }, this.options_.pingEveryMs);
  }

  sequenced_(frame) {
    if (this.status_ !== Status.online || frame.prev !== this.last_ || !(frame.seq >= frame.prev)) {
      const report = { type: "gap", last: this.last_, prev: frame.prev };
      this.gaps += 1;
      this.log_(`gap: last ${this.last_}, frame prev ${frame.prev} seq ${frame.seq}`);
      this.write_(report);
      this.handlers_.onGap?.(report);
      this.lost_(1006);
      return;
    }
    const fresh = [];
    for (const event of frame.events ?? []) {
      if (event.seq > this.applied_ && event.seq <= frame.seq) {
        fresh.push(event);
        this.applied_ = event.seq;
      }
    }
    this.last_ = frame.seq;
    this.applied_ = Math.max(this.applied_, frame.seq);
    if (fresh.length) {
      try {
        this.handlers_.onEvents?.(fresh);
      } catch (e) {
        this.log_(`applying events failed: ${e?.stack ?? e}`);
      }
    }
  }
}
