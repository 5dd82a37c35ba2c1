// Presence and unread in the browser client, under Node: web/socket.js says which room the tab
// views (again after each reconnect, refreshed every 50 s), and web/store.js keeps each room's
// unread flag from bootstrap and the stream, never for the room being viewed (CAMPFIRE.md 2.9).
import { test } from "node:test";
import assert from "node:assert/strict";
import { ResumableStream } from "../../web/socket.js";
import { Store } from "../../web/store.js";
import { FakeClock, transports } from "./fakes.mjs";

function setup() {
  const clock = new FakeClock();
  const net = transports();
  // No pings: the fake server would not answer them.
  const stream = new ResumableStream({ connect: net.connect, timers: clock, random: () => 0.5, pingEveryMs: 1e12 });
  return { clock, net, stream };
}

function welcome(t, cursor = 0) {
  t.open();
  t.frame({ type: "welcome", user_id: 1, cursor, head: cursor });
}

const presenceFrames = (t) => t.sent.filter((f) => ["present", "absent", "refresh"].includes(f.type));

test("presence is said when online, moved with the room, and dropped with null", () => {
  const { net, stream } = setup();
  stream.start(0);
  welcome(net.last);
  stream.setPresence(5);
  stream.setPresence(5); // unchanged: nothing sent
  stream.setPresence(6);
  stream.setPresence(null);
  assert.deepEqual(presenceFrames(net.last), [
    { type: "present", room_id: 5 },
    { type: "absent", room_id: 5 },
    { type: "present", room_id: 6 },
    { type: "absent", room_id: 6 },
  ]);
});

test("a room set while connecting is said on the welcome, and again after every reconnect", () => {
  const { net, stream, clock } = setup();
  stream.start(0);
  stream.setPresence(5);
  assert.deepEqual(presenceFrames(net.last), []);
  welcome(net.last);
  assert.deepEqual(presenceFrames(net.last), [{ type: "present", room_id: 5 }]);
  net.last.drop(1006);
  clock.advance(60_000);
  welcome(net.last);
  assert.deepEqual(presenceFrames(net.last), [{ type: "present", room_id: 5 }]);
});

test("presence is refreshed every 50 s while a room is viewed, and not after it is dropped", () => {
  const { net, stream, clock } = setup();
  stream.start(0);
  welcome(net.last);
  stream.setPresence(5);
  clock.advance(49_999);
  assert.equal(net.last.sentOf("refresh").length, 0);
  clock.advance(1);
  assert.equal(net.last.sentOf("refresh").length, 1);
  clock.advance(100_000);
  assert.equal(net.last.sentOf("refresh").length, 3);
  stream.setPresence(null);
  clock.advance(200_000);
  assert.equal(net.last.sentOf("refresh").length, 3);
  stream.stop();
  assert.equal(stream.presence, null);
});

const boot = {
  seq: 10, me: { id: 1, name: "Ada" },
  users: [{ id: 1, name: "Ada" }, { id: 2, name: "Bo" }],
  rooms: [{ id: 5, kind: "open", name: "All Talk", involvement: "everything", unread: false },
    { id: 6, kind: "open", name: "Other", involvement: "everything", unread: true }],
};
const posted = (seq, room, unread) => ({
  seq, time: seq, type: "MessagePosted", actor: 2,
  data: { message_id: seq, room_id: room, creator_id: 2, plain_text: "x", unread_user_ids: unread },
});

test("unread comes from bootstrap, is set by a post that lists me and cleared by RoomRead", () => {
  const s = new Store();
  s.reset(boot);
  assert.equal(s.room(6).unread, true);
  s.openRoom(6); // viewing it shows it read at once
  assert.equal(s.room(6).unread, false);
  s.applyEvents([posted(11, 5, [1])]);
  assert.equal(s.room(5).unread, true);
  s.applyEvents([posted(12, 5, [3])]); // someone else's unread
  s.applyEvents([{ seq: 13, type: "RoomRead", data: { room_id: 5, user_id: 2 } }]); // someone else read it
  assert.equal(s.room(5).unread, true);
  s.applyEvents([{ seq: 14, type: "RoomRead", data: { room_id: 5, user_id: 1 } }]); // my other tab read it
  assert.equal(s.room(5).unread, false);
});

test("the room being viewed is never shown unread; once the tab is absent it is", () => {
  const s = new Store();
  s.reset(boot);
  s.openRoom(5);
  s.applyEvents([posted(11, 5, [1])]); // a post that raced with my present
  assert.equal(s.room(5).unread, false);
  s.setViewing(false);
  s.applyEvents([posted(12, 5, [1])]);
  assert.equal(s.room(5).unread, true);
  s.setViewing(true);
  assert.equal(s.room(5).unread, false);
});
