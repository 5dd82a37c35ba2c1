#include "projections/viewer_state.h"

#include <algorithm>
#include <cassert>
#include <string>
#include <utility>

#include "core/events/event_view.h"

namespace hearth {
namespace {

void insert_sorted(std::vector<RoomId>& v, RoomId r) {
  auto it = std::lower_bound(v.begin(), v.end(), r);
  if (it == v.end() || *it != r) v.insert(it, r);
}

void erase_sorted(std::vector<RoomId>& v, RoomId r) {
  auto it = std::lower_bound(v.begin(), v.end(), r);
  if (it != v.end() && *it == r) v.erase(it);
}

bool contains_sorted(const std::vector<RoomId>& v, RoomId r) { return std::binary_search(v.begin(), v.end(), r); }

}  // namespace

bool ViewerState::member(RoomId room) const { return contains_sorted(rooms, room); }
bool ViewerState::open(RoomId room) const { return contains_sorted(open_rooms, room); }

// Most events (messages, boosts, reads) change none of these facts: the switch falls through to
// the default after reading one union code.
void ViewerState::apply(const StoredEvent& e) {
  assert(e.seq.value == at.value + 1);
  at = e.seq;
  auto* ev = schema::GetEvent(e.payload.data());
  using P = schema::Payload;
  auto is_viewer = [&](int64_t user_id) { return UserId(user_id) == viewer; };
  switch (ev->payload_type()) {
    case P::UserJoined:
      if (is_viewer(ev->payload_as_UserJoined()->user_id())) status = UserStatus::kActive;
      break;
    case P::BotCreated:
      if (is_viewer(ev->payload_as_BotCreated()->user_id())) status = UserStatus::kActive;
      break;
    // A status change of an id that is not a user changes nothing, as in WriteModel::apply.
    case P::UserDeactivated:
      if (status && is_viewer(ev->payload_as_UserDeactivated()->user_id())) status = UserStatus::kDeactivated;
      break;
    case P::UserBanned:
      if (status && is_viewer(ev->payload_as_UserBanned()->user_id())) status = UserStatus::kBanned;
      break;
    case P::UserUnbanned:
      if (status && is_viewer(ev->payload_as_UserUnbanned()->user_id())) status = UserStatus::kActive;
      break;
    case P::RoomCreated: {
      auto* p = ev->payload_as_RoomCreated();
      if (p->kind() == schema::RoomKind::Open) insert_sorted(open_rooms, RoomId(p->room_id()));
      break;
    }
    case P::RoomConverted: {
      auto* p = ev->payload_as_RoomConverted();
      if (p->kind() == schema::RoomKind::Open) {
        insert_sorted(open_rooms, RoomId(p->room_id()));
      } else {
        erase_sorted(open_rooms, RoomId(p->room_id()));
      }
      break;
    }
    case P::RoomDeleted: {
      RoomId room(ev->payload_as_RoomDeleted()->room_id());
      erase_sorted(open_rooms, room);
      erase_sorted(rooms, room);
      break;
    }
    case P::MembershipGranted: {
      auto* p = ev->payload_as_MembershipGranted();
      if (is_viewer(p->user_id())) insert_sorted(rooms, RoomId(p->room_id()));
      break;
    }
    case P::MembershipRevoked: {
      auto* p = ev->payload_as_MembershipRevoked();
      if (is_viewer(p->user_id())) erase_sorted(rooms, RoomId(p->room_id()));
      break;
    }
    default: break;
  }
}

Result<ViewerStateReader> ViewerStateReader::open(const sqlite::Db& state) {
  ViewerStateReader r;
  std::pair<sqlite::Stmt*, const char*> statements[] = {
      {&r.applied_, "SELECT applied_seq FROM meta WHERE id = 1"},
      {&r.status_,
       "SELECT status FROM user_status_history WHERE user_id = ?1 AND seq <= ?2 ORDER BY seq DESC LIMIT 1"},
      // SQLite takes the bare columns of a max() aggregate from the row holding the maximum: here
      // the latest row per room at or before the seq. Both walk their primary key.
      {&r.rooms_,
       "SELECT room_id, member, max(seq) FROM membership_history WHERE user_id = ?1 AND seq <= ?2 "
       "GROUP BY room_id"},
      {&r.open_rooms_, "SELECT room_id, kind, max(seq) FROM room_history WHERE seq <= ?1 GROUP BY room_id"},
  };
  for (auto [stmt, sql] : statements) {
    auto s = state.prepare(sql);
    if (!s) return s.take_error();
    *stmt = std::move(*s);
  }
  return r;
}

namespace {

// Steps `s` to the end, calling row() for each row; always leaves it reset, so no read
// transaction stays open between loads.
template <class Row>
Status each_row(sqlite::Stmt& s, Row&& row) {
  for (;;) {
    auto r = s.step();
    if (!r) {
      s.reset();
      return r.take_error();
    }
    if (!*r) break;
    row();
  }
  s.reset();
  return ok_status();
}

}  // namespace

Result<ViewerState> ViewerStateReader::load(UserId viewer, Seq at) {
  int64_t applied = 0;
  HEARTH_TRY(each_row(applied_, [&] { applied = applied_.col_int(0); }));
  if (applied < at.value) {
    return invalid("seq " + std::to_string(at.value) + " is beyond the projection (applied seq " +
                   std::to_string(applied) + ")");
  }
  ViewerState s;
  s.viewer = viewer;
  s.at = at;
  status_.bind(1, viewer.value).bind(2, at.value);
  HEARTH_TRY(each_row(status_, [&] { s.status = static_cast<UserStatus>(status_.col_int(0)); }));
  rooms_.bind(1, viewer.value).bind(2, at.value);
  HEARTH_TRY(each_row(rooms_, [&] {
    if (rooms_.col_int(1) != 0) s.rooms.emplace_back(rooms_.col_int(0));
  }));
  open_rooms_.bind(1, at.value);
  HEARTH_TRY(each_row(open_rooms_, [&] {
    if (!open_rooms_.col_null(1) && open_rooms_.col_int(1) == static_cast<int64_t>(RoomKind::kOpen)) {
      s.open_rooms.emplace_back(open_rooms_.col_int(0));
    }
  }));
  // GROUP BY walks the primary keys in room order today; sorting keeps that out of the contract.
  std::sort(s.rooms.begin(), s.rooms.end());
  std::sort(s.open_rooms.begin(), s.open_rooms.end());
  return s;
}

Result<ViewerState> load_viewer_state(const sqlite::Db& state, UserId viewer, Seq at) {
  auto reader = ViewerStateReader::open(state);
  if (!reader) return reader.take_error();
  return reader->load(viewer, at);
}

}  // namespace hearth
