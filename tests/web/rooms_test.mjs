// web/rooms.js and the store's room events: pings named and ordered as Campfire does, the bell's
// cycle, placeholders, and rooms arriving, changing and leaving live.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Store } from "../../web/store.js";
import { nextInvolvement, pingName, sentence, sortedPings, pingPlaceholders, kInvolvementLabels } from "../../web/rooms.js";

const names = { 1: "Ada", 2: "Bo", 3: "Cy", 4: "Di" };
const nameOf = (id) => names[id];

test("the bell cycles as Campfire's: shared rooms through four levels, pings through two", () => {
  const cycle = (kind, from, n) => {
    const seen = [from];
    for (let i = 0; i < n; ++i) seen.push(nextInvolvement(kind, seen[seen.length - 1]));
    return seen;
  };
  assert.deepEqual(cycle("open", "mentions", 4), ["mentions", "everything", "nothing", "invisible", "mentions"]);
  assert.deepEqual(cycle("closed", "invisible", 1), ["invisible", "mentions"]);
  assert.deepEqual(cycle("direct", "everything", 2), ["everything", "nothing", "everything"]);
  assert.equal(kInvolvementLabels.invisible, "Notifications are off and room invisible in sidebar");
  assert.equal(kInvolvementLabels.mentions, "Notifying about @ mentions");
});

test("a ping is named after the others as a sentence, or after me alone", () => {
  assert.equal(sentence(["A", "B", "C"]), "A, B, and C");
  assert.equal(sentence(["A", "B"]), "A and B");
  assert.equal(pingName({ member_ids: [1, 2, 3, 4] }, 1, nameOf), "Bo, Cy, and Di");
  assert.equal(pingName({ member_ids: [1, 2] }, 2, nameOf), "Ada");
  assert.equal(pingName({ member_ids: [1] }, 1, nameOf), "Ada");
});

test("pings by latest activity; placeholders for people without one, oldest first, at most 20 minus the shared", () => {
  const rooms = [{ id: 5, kind: "direct", member_ids: [1, 2], updated_at_us: 10 },
    { id: 6, kind: "direct", member_ids: [1, 3], updated_at_us: 30 }, { id: 7, kind: "open", updated_at_us: 99 }];
  assert.deepEqual(sortedPings(rooms).map((r) => r.id), [6, 5]);
  const users = Array.from({ length: 30 }, (_, i) => ({ id: i + 1, name: `U${i + 1}` }));
  users[3].deactivated = true;
  const ph = pingPlaceholders(rooms, users, 1);
  assert.equal(ph.length, 17, "20 minus me, Bo and Cy");
  assert.deepEqual(ph.slice(0, 3).map((u) => u.id), [5, 6, 7], "deactivated and pinged people left out");
});

const boot = {
  seq: 10, me: { id: 1, name: "Ada", role: "member" }, account: { restrict_room_creation: false },
  users: [{ id: 1, name: "Ada", role: "member" }, { id: 2, name: "Bo", role: "member" }, { id: 3, name: "Cy", role: "member" }],
  rooms: [{ id: 5, kind: "open", name: "All Talk", involvement: "mentions", unread: false, creator_id: 2, updated_at_us: 1 },
    { id: 6, kind: "direct", name: "", involvement: "everything", unread: false, creator_id: 2, updated_at_us: 2, member_ids: [1, 2] }],
};

test("an open room created by someone else arrives named; a closed one I was added to is read from the server", () => {
  const s = new Store();
  s.reset(boot);
  const wanted = [];
  s.onRoomGranted = (id) => wanted.push(id);
  s.applyEvents([
    { seq: 11, time: 5, type: "RoomCreated", data: { room_id: 8, kind: "open", name: "Lobby", creator_id: 2 } },
    { seq: 12, time: 5, type: "MembershipGranted", data: { room_id: 8, user_id: 1, involvement: "mentions" } },
    { seq: 13, time: 6, type: "MembershipGranted", data: { room_id: 9, user_id: 1, involvement: "mentions" } },
  ]);
  assert.equal(s.room(8).name, "Lobby");
  assert.equal(s.room(8).kind, "open");
  assert.deepEqual(wanted, [9], "only the room the stream said nothing about");
  s.applyRoomDetails({ seq: 12, id: 9, kind: "closed", name: "stale", creator_id: 2, updated_at_us: 6, members: [] });
  assert.equal(s.room(9).name, "", "details older than the grant are ignored");
  s.applyRoomDetails({ seq: 13, id: 9, kind: "closed", name: "Secret", creator_id: 2, updated_at_us: 6,
    members: [{ id: 1, involvement: "nothing" }, { id: 2, involvement: "mentions" }] });
  assert.equal(s.room(9).name, "Secret");
  assert.equal(s.room(9).involvement, "nothing");
  s.applyEvents([{ seq: 14, time: 7, type: "MembershipRevoked", data: { room_id: 9, user_id: 1 } }]);
  assert.equal(s.room(9), null);
  s.applyEvents([{ seq: 15, time: 8, type: "RoomDeleted", data: { room_id: 8 } }]);
  assert.equal(s.room(8), null);
});

test("a message moves a ping's activity; involvement, conversion, renames and the setting apply live", () => {
  const s = new Store();
  s.reset(boot);
  s.applyEvents([{ seq: 11, time: 50, type: "MessagePosted", data: { message_id: 1, room_id: 6, creator_id: 2, unread_user_ids: [] } }]);
  assert.equal(s.room(6).updated_at_us, 50);
  assert.equal(s.roomName(6), "Bo");
  s.applyEvents([
    { seq: 12, time: 51, type: "InvolvementChanged", data: { room_id: 5, user_id: 1, involvement: "invisible" } },
    { seq: 13, time: 51, type: "InvolvementChanged", data: { room_id: 6, user_id: 2, involvement: "nothing" } },
    { seq: 14, time: 52, type: "RoomConverted", data: { room_id: 5, kind: "closed" } },
    { seq: 15, time: 52, type: "RoomRenamed", data: { room_id: 5, name: "Inner" } },
    { seq: 16, time: 53, type: "AccountSettingsChanged", data: { restrict_room_creation_to_administrators: true } },
  ]);
  assert.equal(s.room(5).involvement, "invisible");
  assert.equal(s.room(6).involvement, "everything", "someone else's bell is theirs");
  assert.equal(s.room(5).kind, "closed");
  assert.equal(s.room(5).name, "Inner");
  assert.equal(s.account.restrict_room_creation, true);
});
