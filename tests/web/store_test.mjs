// web/store.js: pages and live events merge into one timeline, each message once; my pending
// posts are confirmed by the ack or by their event, whichever comes first.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Store, Pending } from "../../web/store.js";

const boot = {
  seq: 10, me: { id: 1, name: "Ada" }, csrf_token: "t",
  users: [{ id: 1, name: "Ada", role: "administrator" }, { id: 2, name: "Bo", role: "member" }],
  rooms: [{ id: 5, kind: "open", name: "All Talk", involvement: "everything", unread: false },
    { id: 6, kind: "open", name: "Other", involvement: "everything", unread: false }],
};

const posted = (seq, id, room = 5, extra = {}) => ({
  seq, time: seq * 1_000_000, type: "MessagePosted", actor: extra.creator_id ?? 2,
  data: { message_id: id, room_id: room, creator_id: 2, client_message_id: `c-${id}`, body_html: `m${id}`, plain_text: `m${id}`, unread_user_ids: [1], ...extra },
});
const row = (seq, id) => ({ id, seq, creator_id: 2, client_message_id: `c-${id}`, body_html: `m${id}`, plain_text: `m${id}`, created_at_us: seq, updated_at_us: seq });
const ids = (store, room = 5) => store.roomMessages(room).list().map((m) => m.id);

test("a page and live events that overlap give each message once, in seq order", () => {
  const s = new Store();
  s.reset(boot);
  s.applyEvents([posted(11, 101), posted(12, 102)]);            // live before the page arrived
  s.addPage(5, { seq: 11, messages: [row(9, 99), row(11, 101)] }, false);
  assert.deepEqual(ids(s), [99, 101, 102]);
  assert.equal(s.roomMessages(5).hasOlder, false, "a short first page is the whole history");
});

test("an older page cannot undo a newer edit or bring back a removed message", () => {
  const s = new Store();
  s.reset(boot);
  s.addPage(5, { seq: 12, messages: [row(11, 101), row(12, 102)] }, false);
  s.applyEvents([{ seq: 13, type: "MessageEdited", data: { message_id: 101, room_id: 5, body_html: "edited", plain_text: "edited" } },
    { seq: 14, type: "MessageRemoved", data: { message_id: 102, room_id: 5 } }]);
  s.addPage(5, { seq: 12, messages: [row(11, 101), row(12, 102)] }, false); // a stale re-read
  assert.deepEqual(ids(s), [101]);
  assert.equal(s.roomMessages(5).byId.get(101).body_html, "edited");
});

test("a pending post is confirmed in place by its ack, and the event then only refreshes it", () => {
  const s = new Store();
  s.reset(boot);
  s.addPage(5, { seq: 10, messages: [] }, false);
  s.addPending(5, { id: "c-7", plain_text: "hello" });
  assert.equal(s.roomMessages(5).list()[0].pending, Pending.sending);
  s.confirm("c-7", 107, 11);
  let list = s.roomMessages(5).list();
  assert.equal(list.length, 1);
  assert.equal(list[0].id, 107);
  assert.equal(list[0].pending, undefined);
  s.applyEvents([posted(11, 107, 5, { client_message_id: "c-7", creator_id: 1, body_html: "hello" })]);
  list = s.roomMessages(5).list();
  assert.equal(list.length, 1);
  assert.equal(list[0].body_html, "hello");
});

test("a pending post is confirmed by its event when the event comes before the ack", () => {
  const s = new Store();
  s.reset(boot);
  s.addPending(5, { id: "c-8", plain_text: "first" });
  s.applyEvents([posted(11, 108, 5, { client_message_id: "c-8", creator_id: 1 })]);
  s.confirm("c-8", 108, 11); // the ack, late: nothing left to confirm
  assert.deepEqual(ids(s), [108]);
});

test("a failed post keeps its text and can be sent again", () => {
  const s = new Store();
  s.reset(boot);
  s.addPending(5, { id: "c-9", plain_text: "try me" });
  s.setPendingState("c-9", Pending.failed);
  const found = s.findPending("c-9");
  assert.equal(found.roomId, 5);
  assert.equal(found.pending.plain_text, "try me");
  assert.equal(found.pending.pending, Pending.failed);
  s.discardPending("c-9");
  assert.equal(s.findPending("c-9"), null);
  assert.deepEqual(s.roomMessages(5).list(), []);
});

test("a post in another room marks it unread; rooms and people follow their events", () => {
  const s = new Store();
  s.reset(boot);
  s.openRoom(5);
  s.applyEvents([posted(11, 111, 6)]);
  assert.equal(s.room(6).unread, true);
  s.applyEvents([posted(12, 112, 5)]);
  assert.equal(s.room(5).unread, false, "the open room is being read");
  s.applyEvents([{ seq: 13, type: "UserJoined", data: { user_id: 3, name: "Cy", role: "member" } },
    { seq: 14, type: "RoomCreated", data: { room_id: 7, kind: "open", name: "Lounge", creator_id: 2 } },
    { seq: 15, type: "MembershipGranted", data: { room_id: 7, user_id: 1, involvement: "mentions" } },
    { seq: 16, type: "UserProfileChanged", data: { user_id: 2, name: "Bob" } }]);
  assert.equal(s.userName(3), "Cy");
  assert.equal(s.userName(2), "Bob");
  assert.equal(s.room(7).name, "Lounge");
  assert.equal(s.seq, 16);
});
