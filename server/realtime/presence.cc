#include "server/realtime/presence.h"

#include <algorithm>

namespace hearth::server::realtime {

Presence::Presence(std::shared_ptr<Clock> clock, std::chrono::microseconds ttl)
    : clock_(std::move(clock)), ttl_us_(ttl.count()) {}

bool Presence::enter(uint64_t connection, UserId user, RoomId room) {
  const int64_t now = clock_->now_us();
  std::lock_guard lock(mu_);
  auto& entries = by_room_[room];
  bool was_present = false;
  Entry* mine = nullptr;
  for (Entry& e : entries) {
    if (e.user != user) continue;
    if (e.expires_us > now) was_present = true;
    if (e.connection == connection) mine = &e;
  }
  if (mine) {
    mine->expires_us = now + ttl_us_;
  } else {
    entries.push_back(Entry{connection, user, now + ttl_us_});
    by_connection_[connection].push_back(room);
  }
  return !was_present;
}

std::vector<RoomId> Presence::refresh(uint64_t connection) {
  const int64_t now = clock_->now_us();
  std::vector<RoomId> revived;
  std::lock_guard lock(mu_);
  auto rooms = by_connection_.find(connection);
  if (rooms == by_connection_.end()) return revived;
  for (RoomId room : rooms->second) {
    for (Entry& e : by_room_[room]) {
      if (e.connection != connection) continue;
      if (e.expires_us <= now) revived.push_back(room);
      e.expires_us = now + ttl_us_;
    }
  }
  return revived;
}

void Presence::leave(uint64_t connection, RoomId room) {
  std::lock_guard lock(mu_);
  auto rooms = by_connection_.find(connection);
  if (rooms == by_connection_.end()) return;
  std::erase(rooms->second, room);
  if (rooms->second.empty()) by_connection_.erase(rooms);
  auto entries = by_room_.find(room);
  if (entries == by_room_.end()) return;
  std::erase_if(entries->second, [&](const Entry& e) { return e.connection == connection; });
  if (entries->second.empty()) by_room_.erase(entries);
}

void Presence::leave_all(uint64_t connection) {
  std::lock_guard lock(mu_);
  auto rooms = by_connection_.find(connection);
  if (rooms == by_connection_.end()) return;
  for (RoomId room : rooms->second) {
    auto entries = by_room_.find(room);
    if (entries == by_room_.end()) continue;
    std::erase_if(entries->second, [&](const Entry& e) { return e.connection == connection; });
    if (entries->second.empty()) by_room_.erase(entries);
  }
  by_connection_.erase(rooms);
}

std::vector<UserId> Presence::present_in(RoomId room) const {
  const int64_t now = clock_->now_us();
  std::vector<UserId> users;
  {
    std::lock_guard lock(mu_);
    auto entries = by_room_.find(room);
    if (entries == by_room_.end()) return users;
    for (const Entry& e : entries->second) {
      if (e.expires_us > now) users.push_back(e.user);
    }
  }
  std::sort(users.begin(), users.end());
  users.erase(std::unique(users.begin(), users.end()), users.end());
  return users;
}

size_t Presence::connections(UserId user, RoomId room) const {
  const int64_t now = clock_->now_us();
  std::lock_guard lock(mu_);
  auto entries = by_room_.find(room);
  if (entries == by_room_.end()) return 0;
  return static_cast<size_t>(std::count_if(entries->second.begin(), entries->second.end(),
                                           [&](const Entry& e) { return e.user == user && e.expires_us > now; }));
}

size_t Presence::rooms_of(uint64_t connection) const {
  std::lock_guard lock(mu_);
  auto rooms = by_connection_.find(connection);
  return rooms == by_connection_.end() ? 0 : rooms->second.size();
}

}  // namespace hearth::server::realtime
