// web/store.js, what users do to messages: boosts and edits follow their events and a stale page
// can't undo them; a window around a permalink holds live posts back until the pages after it
// reach them; who may change a message; mentions of me.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Store } from "../../web/store.js";

const boot = {
  seq: 10, me: { id: 1, name: "Ada", role: "member" }, csrf_token: "t",
  users: [{ id: 1, name: "Ada", role: "member" }, { id: 2, name: "Bo", role: "member" }],
  rooms: [{ id: 5, kind: "open", name: "All Talk", involvement: "everything", unread: false }],
};
const row = (seq, id, extra = {}) => ({
  id, seq, creator_id: 2, client_message_id: `c-${id}`, body_html: `m${id}`, plain_text: `m${id}`,
  created_at_us: seq, updated_at_us: seq, boosts: [], mentioned_user_ids: [], ...extra,
});
const posted = (seq, id) => ({
  seq, time: seq, type: "MessagePosted", actor: 2,
  data: { message_id: id, room_id: 5, creator_id: 2, client_message_id: `c-${id}`, body_html: "x", plain_text: "x" },
});
const boosted = (seq, boost, message, content = "🔥", booster = 2) =>
  ({ seq, type: "BoostAdded", data: { boost_id: boost, message_id: message, room_id: 5, booster_id: booster, content } });
const unboosted = (seq, boost, message) => ({ seq, type: "BoostRemoved", data: { boost_id: boost, message_id: message, room_id: 5 } });
const fresh = () => { const s = new Store(); s.reset(boot); return s; };
const ids = (s) => s.roomMessages(5).list().map((m) => m.id);

test("boosts come with pages and follow their events; a stale page can't undo them", () => {
  const s = fresh();
  s.addPage(5, { seq: 12, messages: [row(11, 101, { boosts: [{ id: 1, booster_id: 1, content: "👍" }] })] }, "newest");
  s.applyEvents([boosted(13, 2, 101, "nice"), unboosted(14, 1, 101), boosted(15, 3, 999)]);
  assert.deepEqual(s.message(5, 101).boosts, [{ id: 2, booster_id: 2, content: "nice" }]);
  s.addPage(5, { seq: 12, messages: [row(11, 101, { boosts: [{ id: 1, booster_id: 1, content: "👍" }] })] }, "newest");
  assert.deepEqual(s.message(5, 101).boosts.map((b) => b.id), [2], "the re-read older than the events loses");
  assert.equal(s.message(5, 999), null, "a boost of a message not loaded is left to its page");
});

test("an edit replaces the text and the mentions; the viewer's mentions are highlighted", () => {
  const s = fresh();
  s.addPage(5, { seq: 12, messages: [row(11, 101)] }, "newest");
  assert.equal(s.mentionsMe(s.message(5, 101)), false);
  s.applyEvents([{ seq: 13, time: 13, type: "MessageEdited",
    data: { message_id: 101, room_id: 5, body_html: "hi @Ada", plain_text: "hi @Ada", mentioned_user_ids: [1] } }]);
  assert.equal(s.message(5, 101).plain_text, "hi @Ada");
  assert.equal(s.mentionsMe(s.message(5, 101)), true);
});

test("a window around a permalink knows its edges and holds live posts back until pages reach them", () => {
  const s = fresh();
  const rows = Array.from({ length: 81 }, (_, i) => row(100 + i, 1000 + i));
  s.addPage(5, { seq: 300, messages: rows }, { around: 1040 });
  const room = s.roomMessages(5);
  assert.equal(room.hasOlder, true);
  assert.equal(room.hasNewer, true);
  s.applyEvents([posted(301, 5000)]);
  assert.equal(ids(s).length, 81, "the live post waits: messages between are not paged in yet");
  assert.equal(room.newestPagedId(), 1080);
  const after = Array.from({ length: 12 }, (_, i) => row(181 + i, 1081 + i));
  s.addPage(5, { seq: 300, messages: after }, "newer");
  assert.equal(room.hasNewer, false);
  assert.deepEqual(ids(s).slice(-3), [1091, 1092, 5000]);

  const t = fresh();
  t.addPage(5, { seq: 300, messages: rows.slice(0, 45) }, { around: 1003 });
  assert.equal(t.roomMessages(5).hasOlder, false, "3 before it: the start of the room");
  assert.equal(t.roomMessages(5).hasNewer, true);
});

test("restarting a room for a permalink keeps its tombstones", () => {
  const s = fresh();
  s.addPage(5, { seq: 12, messages: [row(11, 101)] }, "newest");
  s.applyEvents([{ seq: 13, type: "MessageRemoved", data: { message_id: 101, room_id: 5 } }]);
  s.restartRoom(5);
  s.addPage(5, { seq: 12, messages: [row(11, 101)] }, { around: 101 });
  assert.deepEqual(ids(s), []);
});

test("the author or an administrator may change a message; ↑ finds my last one", () => {
  const s = fresh();
  s.addPage(5, { seq: 20, messages: [row(11, 101, { creator_id: 1 }), row(12, 102), row(13, 103, { creator_id: 1 }), row(14, 104)] }, "newest");
  assert.equal(s.mayChange(s.message(5, 101)), true);
  assert.equal(s.mayChange(s.message(5, 102)), false);
  assert.equal(s.roomMessages(5).lastBy(1).id, 103);
  s.applyEvents([{ seq: 30, type: "RoleChanged", data: { user_id: 1, role: "administrator" } }]);
  assert.equal(s.mayChange(s.message(5, 102)), true, "an administrator, live");
});
