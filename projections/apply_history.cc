// The *_history tables: the facts visibility reads, kept per seq (state_schema.cc has the layout,
// projections/viewer_state.h reads them back). Every other table holds the present; these hold
// every past, append-only, so a resuming connection can judge events after an old cursor.
#include "projections/event_applier.h"

namespace hearth::projection {
namespace {

Status status_row(Applier& a, Q q, int64_t user, int64_t seq, UserStatus status) {
  sqlite::Stmt& s = a.stmt(q);
  s.bind(1, user).bind(2, seq).bind(3, static_cast<int64_t>(status));
  return s.run();
}

Status room_row(Applier& a, Q q, int64_t room, int64_t seq, schema::RoomKind kind) {
  sqlite::Stmt& s = a.stmt(q);
  s.bind(1, room).bind(2, seq).bind(3, static_cast<int64_t>(kind));
  return s.run();
}

Status member_row(Applier& a, Q q, int64_t user, int64_t room, int64_t seq) {
  sqlite::Stmt& s = a.stmt(q);
  s.bind(1, user).bind(2, room).bind(3, seq);
  return s.run();
}

}  // namespace

Status record_history(Applier& a, int64_t seq, const schema::Event& ev) {
  using P = schema::Payload;
  switch (ev.payload_type()) {
    // Joining sets the status even for a known id, as WriteModel::apply does.
    case P::UserJoined:
      return status_row(a, Q::kStatusHistorySet, ev.payload_as_UserJoined()->user_id(), seq, UserStatus::kActive);
    case P::BotCreated:
      return status_row(a, Q::kStatusHistorySet, ev.payload_as_BotCreated()->user_id(), seq, UserStatus::kActive);
    case P::UserDeactivated:
      return status_row(a, Q::kStatusHistoryChange, ev.payload_as_UserDeactivated()->user_id(), seq,
                        UserStatus::kDeactivated);
    case P::UserBanned:
      return status_row(a, Q::kStatusHistoryChange, ev.payload_as_UserBanned()->user_id(), seq, UserStatus::kBanned);
    case P::UserUnbanned:
      return status_row(a, Q::kStatusHistoryChange, ev.payload_as_UserUnbanned()->user_id(), seq, UserStatus::kActive);

    case P::RoomCreated: {
      auto* e = ev.payload_as_RoomCreated();
      return room_row(a, Q::kRoomHistorySet, e->room_id(), seq, e->kind());
    }
    case P::RoomConverted: {
      auto* e = ev.payload_as_RoomConverted();
      return room_row(a, Q::kRoomHistoryChange, e->room_id(), seq, e->kind());
    }
    // A deleted room takes its memberships with it (WriteModel erases the room): each member's
    // history says so at this seq, read from memberships before apply_room_deleted empties it.
    case P::RoomDeleted: {
      int64_t room = ev.payload_as_RoomDeleted()->room_id();
      sqlite::Stmt& end = a.stmt(Q::kMemberHistoryEndAll);
      end.bind(1, room).bind(2, seq);
      HEARTH_TRY(end.run());
      sqlite::Stmt& s = a.stmt(Q::kRoomHistoryDelete);
      s.bind(1, room).bind(2, seq);
      return s.run();
    }

    case P::MembershipGranted: {
      auto* e = ev.payload_as_MembershipGranted();
      return member_row(a, Q::kMemberHistoryGrant, e->user_id(), e->room_id(), seq);
    }
    case P::MembershipRevoked: {
      auto* e = ev.payload_as_MembershipRevoked();
      return member_row(a, Q::kMemberHistoryRevoke, e->user_id(), e->room_id(), seq);
    }
    default: return ok_status();
  }
}

}  // namespace hearth::projection
