// web/socket.js against scripted transports and a virtual clock: the resume rules of
// docs/protocol.md ("The stream", "Liveness", "Close codes") and the client's own promises
// (outbox, backoff with jitter, offline after 5 s).
import { test } from "node:test";
import assert from "node:assert/strict";
import { ResumableStream, Status, backoffDelay } from "../../web/socket.js";
import { FakeClock, transports, ev } from "./fakes.mjs";

function setup(options = {}) {
  const clock = new FakeClock();
  const net = transports();
  const seen = { events: [], statuses: [], acks: [], rejected: [], resets: [], gaps: [] };
  const stream = new ResumableStream({
    connect: net.connect,
    timers: clock,
    random: () => 0.5,
    handlers: {
      onEvents: (events) => seen.events.push(...events.map((e) => e.seq)),
      onStatus: (s) => seen.statuses.push(s),
      onAck: (f) => seen.acks.push(f.id),
      onRejected: (f) => seen.rejected.push(f.id),
      onReset: (r) => seen.resets.push(r),
      onGap: (g) => seen.gaps.push(g),
      onConnectFailed: () => { seen.refused = (seen.refused ?? 0) + 1; },
    },
    ...options,
  });
  return { clock, net, seen, stream };
}

// Opens the newest transport and welcomes it.
function welcome(t, cursor) {
  t.open();
  t.frame({ type: "welcome", user_id: 1, cursor, head: cursor });
}

test("hello carries the bootstrap seq, then the last processed seq after a reconnect", () => {
  const { net, stream, clock } = setup();
  stream.start(7);
  net.last.open();
  assert.deepEqual(net.last.sent[0], { type: "hello", cursor: 7 });
  net.last.frame({ type: "welcome", cursor: 7, head: 9 });
  net.last.frame({ type: "events", prev: 7, seq: 9, events: [ev(8), ev(9)] });
  net.last.drop(1001);
  clock.advance(60_000);
  net.last.open();
  assert.deepEqual(net.last.sent[0], { type: "hello", cursor: 9 });
});

test("frames whose prev matches are applied in order and move the cursor, checkpoints included", () => {
  const { net, stream, seen } = setup();
  stream.start(0);
  welcome(net.last, 0);
  net.last.frame({ type: "events", prev: 0, seq: 2, events: [ev(1), ev(2)] });
  net.last.frame({ type: "checkpoint", prev: 2, seq: 10 });
  net.last.frame({ type: "events", prev: 10, seq: 12, events: [ev(12)] });
  assert.deepEqual(seen.events, [1, 2, 12]);
  assert.equal(stream.cursor, 12);
  assert.equal(stream.gaps, 0);
});

test("a prev that is not the last seq reports a gap, applies nothing and resumes from last", () => {
  const { net, stream, seen, clock } = setup();
  stream.start(5);
  welcome(net.last, 5);
  const first = net.last;
  first.frame({ type: "events", prev: 6, seq: 8, events: [ev(7), ev(8)] });
  assert.deepEqual(seen.events, []);
  assert.deepEqual(first.sentOf("gap"), [{ type: "gap", last: 5, prev: 6 }]);
  assert.notEqual(first.closed, null, "the connection is dropped");
  assert.equal(stream.gaps, 1);
  clock.advance(1_000);
  assert.equal(net.made.length, 2);
  net.last.open();
  assert.deepEqual(net.last.sent[0], { type: "hello", cursor: 5 });
  // Late frames from the dropped connection change nothing.
  first.frame({ type: "events", prev: 5, seq: 6, events: [ev(6)] });
  assert.deepEqual(seen.events, []);
});

test("events already applied are never applied twice, within a frame or across reconnects", () => {
  const { net, stream, seen, clock } = setup();
  stream.start(0);
  welcome(net.last, 0);
  net.last.frame({ type: "events", prev: 0, seq: 3, events: [ev(1), ev(2), ev(2), ev(3), ev(1)] });
  net.last.drop();
  clock.advance(1_000);
  welcome(net.last, 3);
  net.last.frame({ type: "events", prev: 3, seq: 4, events: [ev(3), ev(4)] });
  assert.deepEqual(seen.events, [1, 2, 3, 4]);
});

test("a seq below prev is a broken stream: gap and reconnect", () => {
  const { net, stream, seen } = setup();
  stream.start(4);
  welcome(net.last, 4);
  net.last.frame({ type: "events", prev: 4, seq: 3, events: [ev(3)] });
  assert.deepEqual(seen.events, []);
  assert.equal(seen.gaps.length, 1);
});

test("reconnect delays grow exponentially with jitter, up to the cap, and reset after a welcome", () => {
  const options = { baseDelayMs: 500, maxDelayMs: 15_000 };
  assert.equal(backoffDelay(0, options, () => 0), 250);
  assert.equal(backoffDelay(0, options, () => 1), 500);
  assert.equal(backoffDelay(3, options, () => 0), 2_000);
  assert.equal(backoffDelay(20, options, () => 1), 15_000);
  assert.equal(backoffDelay(1e9, options, () => 0.5), 11_250);

  const { net, stream, clock } = setup(options);
  stream.start(0);
  const times = [];
  for (let i = 0; i < 6; i++) {
    net.last.drop(); // refused
    const before = net.made.length;
    const start = clock.now;
    while (net.made.length === before) clock.advance(10);
    times.push(clock.now - start);
  }
  // random() = 0.5: three quarters of the capped delay, rounded up to the 10 ms step.
  assert.deepEqual(times, [380, 750, 1500, 3000, 6000, 11250]);
  welcome(net.last, 0);
  net.last.drop();
  const before = net.made.length;
  clock.advance(380);
  assert.equal(net.made.length, before + 1, "backoff starts over after a welcome");
});

test("offline is reported only after 5 s without a connection, and online again on welcome", () => {
  const { net, stream, seen, clock } = setup();
  stream.start(0);
  welcome(net.last, 0);
  net.last.drop();
  assert.equal(stream.status, Status.connecting);
  clock.advance(4_900);
  assert.equal(stream.status, Status.connecting);
  clock.advance(200);
  assert.equal(stream.status, Status.offline);
  while (!net.last.onopen || net.last.sent.length) clock.advance(100);
  welcome(net.last, 0);
  assert.equal(stream.status, Status.online);
  assert.deepEqual(seen.statuses, [Status.connecting, Status.online, Status.connecting, Status.offline, Status.online]);
});

test("a short outage never shows offline", () => {
  const { net, stream, seen, clock } = setup();
  stream.start(0);
  welcome(net.last, 0);
  net.last.drop();
  clock.advance(400);
  welcome(net.last, 0);
  clock.advance(10_000);
  assert.ok(!seen.statuses.includes(Status.offline));
});

test("commands wait in the outbox, are re-sent after a reconnect, and leave it on ack or rejection", () => {
  const { net, stream, seen, clock } = setup();
  stream.start(0);
  const post = { type: "post", id: "c-1", room_id: 1, body_html: "hi", plain_text: "hi" };
  stream.send(post); // before the welcome: queued
  net.last.open();
  assert.deepEqual(net.last.sentOf("post"), []);
  net.last.frame({ type: "welcome", cursor: 0, head: 0 });
  assert.deepEqual(net.last.sentOf("post"), [post]);
  net.last.drop(); // no ack yet
  clock.advance(1_000);
  welcome(net.last, 0);
  assert.deepEqual(net.last.sentOf("post"), [post], "sent again with the same id");
  stream.send({ ...post, id: "c-2" });
  net.last.frame({ type: "ack", id: "c-1", seq: 1, result_id: 1, replayed: true });
  net.last.frame({ type: "rejected", id: "c-2", code: "invalid", message: "blank" });
  assert.deepEqual(seen.acks, ["c-1"]);
  assert.deepEqual(seen.rejected, ["c-2"]);
  net.last.drop();
  clock.advance(1_000);
  welcome(net.last, 0);
  assert.deepEqual(net.last.sentOf("post"), [], "nothing left to send");
});

test("a connection that stops answering pings is dropped and replaced", () => {
  const { net, stream, clock } = setup({ pingEveryMs: 20_000, pongTimeoutMs: 10_000 });
  stream.start(0);
  welcome(net.last, 0);
  const first = net.last;
  clock.advance(20_000);
  assert.deepEqual(first.sentOf("ping"), [{ type: "ping" }]);
  first.frame({ type: "pong" });
  clock.advance(20_000);
  assert.equal(first.sentOf("ping").length, 2);
  clock.advance(10_000); // no pong this time
  assert.notEqual(first.closed, null);
  clock.advance(1_000);
  assert.equal(net.made.length, 2);
});

test("no welcome within the hello timeout counts as a failed connection", () => {
  const { net, stream, clock } = setup({ helloTimeoutMs: 3_000 });
  stream.start(0);
  net.last.open();
  clock.advance(3_000);
  assert.notEqual(net.made[0].closed, null);
  clock.advance(1_000);
  assert.equal(net.made.length, 2);
});

test("reset waits for the owner, who restarts from a new cursor; 4001 ends the session", () => {
  const { net, stream, seen, clock } = setup();
  stream.start(3);
  welcome(net.last, 3);
  net.last.frame({ type: "reset", reason: "cursor too old" });
  net.last.drop(4000);
  clock.advance(60_000);
  assert.equal(net.made.length, 1, "no reconnect until the owner reloads");
  assert.deepEqual(seen.resets, ["cursor too old"]);
  assert.equal(stream.status, Status.resetting);
  stream.start(40);
  net.last.open();
  assert.deepEqual(net.last.sent[0], { type: "hello", cursor: 40 });
  net.last.frame({ type: "welcome", cursor: 40, head: 40 });
  net.last.drop(4001);
  clock.advance(60_000);
  assert.equal(stream.status, Status.ended);
  assert.equal(net.made.length, 2);
});

test("nudge reconnects at once instead of waiting out the backoff", () => {
  const { net, stream, clock } = setup({ baseDelayMs: 8_000 });
  stream.start(0);
  net.last.drop();
  assert.equal(net.made.length, 1);
  stream.nudge();
  assert.equal(net.made.length, 2);
  clock.advance(9_000); // past the cancelled backoff (6 s), before the hello timeout (10 s)
  assert.equal(net.made.length, 2, "the cancelled backoff timer does not fire a second attempt");
});

test("typing is sent only while online and never queued", () => {
  const { net, stream } = setup();
  stream.start(0);
  stream.sendEphemeral({ type: "typing", room_id: 1, active: true });
  welcome(net.last, 0);
  assert.deepEqual(net.last.sentOf("typing"), []);
  stream.sendEphemeral({ type: "typing", room_id: 1, active: true });
  assert.equal(net.last.sentOf("typing").length, 1);
});

test("interrupt drops a live connection at once and resumes from the last seq", () => {
  const { net, stream, clock, seen } = setup();
  stream.start(0);
  welcome(net.last, 0);
  net.last.frame({ type: "events", prev: 0, seq: 4, events: [ev(4)] });
  const first = net.last;
  stream.interrupt();
  assert.notEqual(first.closed, null);
  assert.equal(stream.status, Status.connecting);
  first.frame({ type: "events", prev: 4, seq: 5, events: [ev(5)] }); // too late: ignored
  clock.advance(1_000);
  net.last.open();
  assert.deepEqual(net.last.sent[0], { type: "hello", cursor: 4 });
  assert.deepEqual(seen.events, [4]);
});

test("a command too big for one frame is rejected locally and never sent", () => {
  const { net, stream, seen } = setup();
  stream.start(0);
  welcome(net.last, 0);
  stream.send({ type: "post", id: "c-big", room_id: 1, body_html: "x".repeat(70_000), plain_text: "x" });
  assert.deepEqual(seen.rejected, ["c-big"]);
  assert.deepEqual(net.last.sentOf("post"), []);
  assert.equal(stream.status, Status.online);
});

test("a command refused as busy stays queued and is sent again, not failed", () => {
  const { net, stream, seen, clock } = setup({ busyRetryMs: 1_000 });
  stream.start(0);
  welcome(net.last, 0);
  const post = { type: "post", id: "c-1", room_id: 1, body_html: "hi", plain_text: "hi" };
  stream.send(post);
  net.last.frame({ type: "rejected", id: "c-1", code: "busy", message: "too many commands in flight" });
  assert.deepEqual(seen.rejected, []);
  clock.advance(1_000);
  assert.deepEqual(net.last.sentOf("post"), [post, post]);
  net.last.frame({ type: "ack", id: "c-1", seq: 1, result_id: 1, replayed: false });
  assert.deepEqual(seen.acks, ["c-1"]);
});

test("a connection refused before its welcome is reported, one that was welcomed is not", () => {
  const { net, stream, seen, clock } = setup();
  stream.start(0);
  net.last.drop(); // the upgrade was refused
  assert.equal(seen.refused, 1);
  clock.advance(1_000);
  welcome(net.last, 0);
  net.last.drop();
  assert.equal(seen.refused, 1);
});

test("events up to the welcome's head are catch-up, later ones live, per connection", () => {
  const { net, stream, clock } = setup();
  stream.start(7);
  assert.equal(stream.liveAfter, Infinity, "nothing is live before a welcome");
  net.last.open();
  net.last.frame({ type: "welcome", cursor: 7, head: 9 });
  assert.equal(stream.liveAfter, 9);
  net.last.frame({ type: "events", prev: 7, seq: 12, events: [ev(8), ev(9), ev(12)] });
  net.last.drop(1001);
  clock.advance(60_000);
  net.last.open();
  net.last.frame({ type: "welcome", cursor: 12, head: 20 });
  assert.equal(stream.liveAfter, 20, "what was missed while away is catch-up again");
});
