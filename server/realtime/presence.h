#pragma once
// Who is viewing which room now (CAMPFIRE.md 2.9, 2.10): ephemeral, never in the log, lost with
// the process (as Campfire resets presence at boot). It decides one thing: the `present` list of
// a PostMessage, whose members are not marked unread (core/sequencer/decide_messages.cc).
//
// Presence is counted per connection: a user is present in a room while at least one of their
// connections is present there and was entered or refreshed within the TTL (60 s; the browser
// refreshes every 50 s while its tab is visible). An expired entry is not removed — it belongs to
// a live connection, which may refresh it back — but it no longer counts. Every entry goes when
// its connection leaves the room or closes (leave_all), so the registry holds at most one entry
// per (open connection, room it entered).
//
// Membership is the caller's check (the connection's ViewerState): the registry trusts that only
// members enter, and the connection leaves a room as soon as it sees the membership end.
//
// Thread safety: every method may be called from any thread (one mutex; the work under it is a
// few map operations).
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "core/base/clock.h"
#include "core/base/ids.h"

namespace hearth::server::realtime {

class Presence {
 public:
  static constexpr std::chrono::microseconds kDefaultTtl = std::chrono::seconds(60);

  explicit Presence(std::shared_ptr<Clock> clock, std::chrono::microseconds ttl = kDefaultTtl);

  // `connection` (a hub id) of `user` is present in `room` from now for a TTL. Entering again
  // only renews. Returns true when the user was not present there before (no live entry).
  bool enter(uint64_t connection, UserId user, RoomId room);
  // Renews every entry of `connection`; returns the rooms whose entry had expired (the user may
  // have been marked unread there meanwhile).
  std::vector<RoomId> refresh(uint64_t connection);
  void leave(uint64_t connection, RoomId room);
  void leave_all(uint64_t connection);

  // The users present in `room` now, ascending, each once.
  std::vector<UserId> present_in(RoomId room) const;
  // Live connections of `user` present in `room` (tests, metrics).
  size_t connections(UserId user, RoomId room) const;
  // Rooms `connection` holds an entry for, expired or not.
  size_t rooms_of(uint64_t connection) const;

 private:
  struct Entry {
    uint64_t connection;
    UserId user;
    int64_t expires_us;
  };

  const std::shared_ptr<Clock> clock_;
  const int64_t ttl_us_;
  mutable std::mutex mu_;
  std::unordered_map<RoomId, std::vector<Entry>> by_room_;          // guarded by mu_
  std::unordered_map<uint64_t, std::vector<RoomId>> by_connection_;  // guarded by mu_
};

}  // namespace hearth::server::realtime
