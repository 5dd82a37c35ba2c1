// The fold of room, membership, message and boost events.
#include "projections/event_applier.h"

namespace hearth::projection {
namespace {

using sqlite::Stmt;

// Campfire touches the room on every message change so the sidebar can order by activity.
Status touch_room(Applier& a, int64_t room_id, int64_t t) {
  a.touch(room_id, t);
  return ok_status();
}

Status insert_mentions(Applier& a, int64_t message_id, const flatbuffers::Vector<int64_t>* users) {
  if (!users) return ok_status();
  Stmt& s = a.stmt(Q::kMentionInsert);
  for (int64_t user : *users) {
    s.bind(1, message_id).bind(2, user);
    HEARTH_TRY(s.run());
  }
  return ok_status();
}

Status room_and_member(Applier& a, Q q, int64_t room_id, int64_t user_id) {
  Stmt& s = a.stmt(q);
  s.bind(1, room_id).bind(2, user_id);
  return s.run();
}

}  // namespace

// ---- rooms ----

Status apply_room_created(Applier& a, int64_t t, const schema::RoomCreated& e) {
  a.bump(&IdCounters::room, e.room_id());
  Stmt& s = a.stmt(Q::kRoomCreate);
  s.bind(1, e.room_id()).bind(2, static_cast<int64_t>(e.kind())).bind(3, str(e.name()));
  s.bind(4, e.creator_id()).bind(5, t);
  return s.run();
}

Status apply_room_renamed(Applier& a, int64_t t, const schema::RoomRenamed& e) {
  Stmt& s = a.stmt(Q::kRoomRename);
  s.bind(1, e.room_id()).bind(2, str(e.name()));
  HEARTH_TRY(s.run());
  return touch_room(a, e.room_id(), t);
}

Status apply_room_converted(Applier& a, int64_t t, const schema::RoomConverted& e) {
  Stmt& s = a.stmt(Q::kRoomConvert);
  s.bind(1, e.room_id()).bind(2, static_cast<int64_t>(e.kind()));
  HEARTH_TRY(s.run());
  return touch_room(a, e.room_id(), t);
}

// Deleting the messages fires their trigger, which takes the FTS rows, mentions and boosts.
Status apply_room_deleted(Applier& a, const schema::RoomDeleted& e) {
  for (Q q : {Q::kRoomDeleteMessages, Q::kRoomDeleteMemberships, Q::kRoomDelete}) {
    Stmt& s = a.stmt(q);
    s.bind(1, e.room_id());
    HEARTH_TRY(s.run());
  }
  return ok_status();
}

// ---- memberships ----

Status apply_membership_granted(Applier& a, int64_t t, const schema::MembershipGranted& e) {
  Stmt& s = a.stmt(Q::kMemberGrant);
  s.bind(1, e.room_id()).bind(2, e.user_id()).bind(3, static_cast<int64_t>(e.involvement())).bind(4, t);
  return s.run();
}

Status apply_membership_revoked(Applier& a, const schema::MembershipRevoked& e) {
  return room_and_member(a, Q::kMemberRevoke, e.room_id(), e.user_id());
}

Status apply_involvement_changed(Applier& a, const schema::InvolvementChanged& e) {
  Stmt& s = a.stmt(Q::kMemberInvolvement);
  s.bind(1, e.room_id()).bind(2, e.user_id()).bind(3, static_cast<int64_t>(e.involvement()));
  return s.run();
}

Status apply_room_read(Applier& a, const schema::RoomRead& e) {
  return room_and_member(a, Q::kMemberRead, e.room_id(), e.user_id());
}

// ---- messages and boosts ----

// The hot path: one message row (its trigger adds the FTS row), its mentions, the memberships it
// turned unread (the sequencer lists only those that changed, so usually few), and the room.
Status apply_message_posted(Applier& a, int64_t seq, int64_t t, const schema::MessagePosted& e) {
  a.bump(&IdCounters::message, e.message_id());
  Stmt& s = a.stmt(Q::kMessageInsert);
  s.bind(1, e.message_id()).bind(2, e.room_id()).bind(3, e.creator_id());
  s.bind_text_or_null(4, sv(e.client_message_id())).bind(5, str(e.body_html())).bind(6, str(e.plain_text()));
  bind_blob_ref(s, 7, e.attachment());
  s.bind(11, t).bind(12, seq);
  if (const auto* f = e.attachment()) {
    s.bind(13, static_cast<int64_t>(f->width())).bind(14, static_cast<int64_t>(f->height()));
  } else {
    s.bind_null(13).bind_null(14);
  }
  HEARTH_TRY(s.run());
  Stmt& fts = a.stmt(Q::kSearchInsert);  // not a trigger: see state_schema.cc
  fts.bind(1, e.message_id()).bind(2, str(e.plain_text()));
  HEARTH_TRY(fts.run());
  HEARTH_TRY(insert_mentions(a, e.message_id(), e.mentioned_user_ids()));
  if (e.unread_user_ids()) {
    for (int64_t user : *e.unread_user_ids()) HEARTH_TRY(room_and_member(a, Q::kMemberUnread, e.room_id(), user));
  }
  return touch_room(a, e.room_id(), t);
}

Status apply_message_edited(Applier& a, int64_t t, const schema::MessageEdited& e) {
  Stmt& s = a.stmt(Q::kMessageEdit);
  s.bind(1, e.message_id()).bind(2, str(e.body_html())).bind(3, str(e.plain_text())).bind(4, t);
  HEARTH_TRY(s.run());
  if (a.db().changes() == 0) return ok_status();  // no such message: nothing to re-mention
  Stmt& clear = a.stmt(Q::kMentionDeleteMessage);
  clear.bind(1, e.message_id());
  HEARTH_TRY(clear.run());
  HEARTH_TRY(insert_mentions(a, e.message_id(), e.mentioned_user_ids()));
  return touch_room(a, e.room_id(), t);
}

// The trigger on messages takes the FTS row, mentions and boosts with it.
Status apply_message_removed(Applier& a, int64_t t, const schema::MessageRemoved& e) {
  Stmt& s = a.stmt(Q::kMessageDelete);
  s.bind(1, e.message_id());
  HEARTH_TRY(s.run());
  return touch_room(a, e.room_id(), t);
}

Status apply_boost_added(Applier& a, int64_t t, const schema::BoostAdded& e) {
  a.bump(&IdCounters::boost, e.boost_id());
  Stmt& s = a.stmt(Q::kBoostInsert);
  s.bind(1, e.boost_id()).bind(2, e.message_id()).bind(3, e.room_id()).bind(4, e.booster_id());
  s.bind(5, str(e.content())).bind(6, t);
  HEARTH_TRY(s.run());
  return touch_room(a, e.room_id(), t);
}

Status apply_boost_removed(Applier& a, int64_t t, const schema::BoostRemoved& e) {
  Stmt& s = a.stmt(Q::kBoostDelete);
  s.bind(1, e.boost_id());
  HEARTH_TRY(s.run());
  return touch_room(a, e.room_id(), t);
}

}  // namespace hearth::projection
