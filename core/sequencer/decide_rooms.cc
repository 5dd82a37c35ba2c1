// Decisions about rooms and memberships (CAMPFIRE.md 2.5–2.9).
#include <algorithm>
#include <set>

#include "core/commands/limits.h"
#include "core/sequencer/checks.h"
#include "core/sequencer/decider.h"

namespace hearth {
namespace {

Status may_create_shared_room(const WriteModel& model, UserId actor) {
  if (model.account.restrict_room_creation && !model.is_admin(actor)) {
    return forbidden("only administrators may create rooms here");
  }
  return ok_status();
}

}  // namespace

Outcome Decider::create_open_room(const cmd::CreateOpenRoom& c) {
  auto me = person();
  if (!me) return me.take_error();
  HEARTH_TRY(may_create_shared_room(model_, cmd_->actor));
  HEARTH_TRY(checks::text("name", c.name, limits::kNameBytes, true));
  RoomId id(model_.last_ids.room + 1);
  auto everyone = active_users();  // bots included (2.5)
  emit(schema::CreateRoomCreated(fbb_, id.value, schema::RoomKind::Open, fbb_.CreateString(c.name), cmd_->actor.value));
  emit_grant(id, cmd_->actor, Involvement::kMentions);
  for (auto u : everyone) {
    if (u != cmd_->actor) emit_grant(id, u, Involvement::kMentions);
  }
  return ack();
}

Outcome Decider::create_closed_room(const cmd::CreateClosedRoom& c) {
  auto me = person();
  if (!me) return me.take_error();
  HEARTH_TRY(may_create_shared_room(model_, cmd_->actor));
  HEARTH_TRY(checks::text("name", c.name, limits::kNameBytes, true));
  std::set<UserId> members{cmd_->actor};
  for (auto u : c.members) {
    auto* f = model_.user(u);
    if (!f) return not_found("no such user " + std::to_string(u.value));
    if (!f->active()) return invalid("user " + std::to_string(u.value) + " is not active");
    members.insert(u);
  }
  RoomId id(model_.last_ids.room + 1);
  emit(schema::CreateRoomCreated(fbb_, id.value, schema::RoomKind::Closed, fbb_.CreateString(c.name), cmd_->actor.value));
  for (auto u : members) emit_grant(id, u, Involvement::kMentions);
  return ack();
}

Outcome Decider::find_or_create_direct_room(const cmd::FindOrCreateDirectRoom& c) {
  auto me = person();
  if (!me) return me.take_error();
  std::vector<UserId> members{cmd_->actor};
  for (auto u : c.members) {
    auto* f = model_.user(u);
    if (!f) return not_found("no such user " + std::to_string(u.value));
    if (!f->active()) return invalid("user " + std::to_string(u.value) + " is not active");
    members.push_back(u);
  }
  auto key = direct_key(members);
  // Keyed by the member set: no scan, and no duplicate however the requests interleave.
  if (auto it = model_.direct_rooms.find(key); it != model_.direct_rooms.end()) return ack(it->second.value);
  RoomId id(model_.last_ids.room + 1);
  emit(schema::CreateRoomCreated(fbb_, id.value, schema::RoomKind::Direct, fbb_.CreateString(""), cmd_->actor.value));
  for (auto u : key) emit_grant(id, UserId(u), Involvement::kEverything);
  return ack();
}

Outcome Decider::rename_room(const cmd::RenameRoom& c) {
  auto me = person();
  if (!me) return me.take_error();
  auto* room = model_.room(c.room);
  if (!room || (!room->members.contains(cmd_->actor) && !model_.is_admin(cmd_->actor))) return not_found("no such room");
  if (room->kind == RoomKind::kDirect) return invalid("a ping has no name to change");
  HEARTH_TRY(room_admin(*room));
  HEARTH_TRY(checks::text("name", c.name, limits::kNameBytes, true));
  if (room->name == c.name) return ack(c.room.value);
  emit(schema::CreateRoomRenamed(fbb_, c.room.value, fbb_.CreateString(c.name)));
  return ack();
}

Outcome Decider::convert_room(const cmd::ConvertRoom& c) {
  auto me = person();
  if (!me) return me.take_error();
  auto* room = model_.room(c.room);
  if (!room || (!room->members.contains(cmd_->actor) && !model_.is_admin(cmd_->actor))) return not_found("no such room");
  if (room->kind == RoomKind::kDirect) return invalid("a ping can't change type");
  if (c.kind == RoomKind::kDirect) return invalid("a room can't become a ping");
  HEARTH_TRY(room_admin(*room));
  if (room->kind == c.kind) return ack(c.room.value);
  std::vector<UserId> newcomers;
  if (c.kind == RoomKind::kOpen) {
    for (auto u : active_users()) {
      if (!room->members.contains(u)) newcomers.push_back(u);
    }
  }
  emit(schema::CreateRoomConverted(fbb_, c.room.value, to_schema(c.kind)));
  for (auto u : newcomers) emit_grant(c.room, u, Involvement::kMentions);
  return ack();
}

Outcome Decider::revise_room_members(const cmd::ReviseRoomMembers& c) {
  auto me = person();
  if (!me) return me.take_error();
  auto* room = model_.room(c.room);
  if (!room || (!room->members.contains(cmd_->actor) && !model_.is_admin(cmd_->actor))) return not_found("no such room");
  if (room->kind == RoomKind::kDirect) return invalid("a ping's participants can't be revised");
  HEARTH_TRY(room_admin(*room));
  std::set<UserId> wanted;
  for (auto u : c.members) {
    auto* f = model_.user(u);
    if (!f) return not_found("no such user " + std::to_string(u.value));
    if (!f->active()) return invalid("user " + std::to_string(u.value) + " is not active");
    wanted.insert(u);
  }
  std::vector<UserId> revoke;
  for (auto& [u, m] : room->members) {
    if (!wanted.contains(u)) revoke.push_back(u);
  }
  std::vector<UserId> grant;
  for (auto u : wanted) {
    if (!room->members.contains(u)) grant.push_back(u);
  }
  // Campfire's closed-room form converts an open room to closed (2.6).
  bool convert = room->kind == RoomKind::kOpen;
  if (convert) emit(schema::CreateRoomConverted(fbb_, c.room.value, schema::RoomKind::Closed));
  for (auto u : grant) emit_grant(c.room, u, Involvement::kMentions);
  for (auto u : revoke) emit(schema::CreateMembershipRevoked(fbb_, c.room.value, u.value));
  return ack(c.room.value);
}

Outcome Decider::delete_room(const cmd::DeleteRoom& c) {
  auto me = person();
  if (!me) return me.take_error();
  auto* room = model_.room(c.room);
  if (!room || (!room->members.contains(cmd_->actor) && !model_.is_admin(cmd_->actor))) return not_found("no such room");
  if (room->kind == RoomKind::kDirect) {
    if (!room->members.contains(cmd_->actor)) return not_found("no such room");  // any participant (2.7)
  } else {
    HEARTH_TRY(room_admin(*room));
  }
  emit(schema::CreateRoomDeleted(fbb_, c.room.value));
  return ack();
}

Outcome Decider::change_involvement(const cmd::ChangeInvolvement& c) {
  auto me = person();
  if (!me) return me.take_error();
  auto room = room_of_member(c.room);
  if (!room) return room.take_error();
  if ((*room)->kind == RoomKind::kDirect && c.involvement != Involvement::kEverything &&
      c.involvement != Involvement::kNothing) {
    return invalid("a ping notifies about everything or nothing");
  }
  if (static_cast<int>(c.involvement) < 0 || static_cast<int>(c.involvement) > 3) return invalid("unknown involvement");
  if ((*room)->members.at(cmd_->actor).involvement == c.involvement) return ack(c.room.value);
  emit(schema::CreateInvolvementChanged(fbb_, c.room.value, cmd_->actor.value, to_schema(c.involvement)));
  return ack();
}

Outcome Decider::mark_room_read(const cmd::MarkRoomRead& c) {
  auto me = person_or_bot();
  if (!me) return me.take_error();
  auto room = room_of_member(c.room);
  if (!room) return room.take_error();
  // Only a change is a fact: presence pings a read room often, and that must not grow the log.
  if (!(*room)->members.at(cmd_->actor).unread) return ack(c.room.value);
  emit(schema::CreateRoomRead(fbb_, c.room.value, cmd_->actor.value));
  return ack();
}

}  // namespace hearth
