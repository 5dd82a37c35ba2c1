#pragma once
// The write model: what the sequencer needs in memory to validate commands. It is a fold of the
// log (apply()), and at start-up it is loaded from the projection tables instead of replaying the
// log (projections/write_model_loader.h). Both must give equal models; a property test checks it.
//
// Bounded memory (DESIGN I7): it holds the account, users, rooms, memberships, direct-room keys,
// sessions and push subscriptions — things that grow with people, not with messages. Messages and
// boosts are looked up through MessageIndex (the projection plus the batches in flight).
//
// Thread safety: owned by the sequencer thread; nothing else touches it.
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/commands/commands.h"
#include "core/log/event_log.h"

namespace hearth {

struct AccountFacts {
  bool exists = false;
  std::string name;
  std::string join_code;
  bool restrict_room_creation = false;
  bool operator==(const AccountFacts&) const = default;
};

struct UserFacts {
  std::string name;
  std::string email;  // empty for bots
  Role role = Role::kMember;
  UserStatus status = UserStatus::kActive;
  std::string bot_token_hash;
  bool active() const { return status == UserStatus::kActive; }
  bool operator==(const UserFacts&) const = default;
};

struct MemberFacts {
  Involvement involvement = Involvement::kMentions;
  bool unread = false;
  bool operator==(const MemberFacts&) const = default;
};

struct RoomFacts {
  RoomKind kind = RoomKind::kOpen;
  std::string name;
  UserId creator;
  std::map<UserId, MemberFacts> members;
  bool operator==(const RoomFacts&) const = default;
};

struct SessionFacts {
  UserId user;
  std::string token_hash;
  std::string ip_address;
  bool operator==(const SessionFacts&) const = default;
};

struct PushFacts {
  UserId user;
  std::string endpoint, p256dh_key, auth_key;
  bool operator==(const PushFacts&) const = default;
};

// The highest id ever used per entity: ids are never reused, even after deletion.
struct IdCounters {
  int64_t user = 0, room = 0, message = 0, boost = 0, session = 0, push_subscription = 0;
  bool operator==(const IdCounters&) const = default;
};

// A sorted member set: the key of a direct room.
using DirectKey = std::vector<int64_t>;
DirectKey direct_key(std::vector<UserId> members);

class WriteModel {
 public:
  AccountFacts account;
  std::map<UserId, UserFacts> users;
  std::map<RoomId, RoomFacts> rooms;  // live rooms only; deleted rooms are erased
  std::map<SessionId, SessionFacts> sessions;
  std::map<PushSubscriptionId, PushFacts> push_subscriptions;
  IdCounters last_ids;

  // Indexes derived from the maps above (rebuilt by reindex(), kept by apply()).
  std::unordered_map<std::string, UserId> user_by_email;
  std::unordered_map<std::string, SessionId> session_by_token;
  std::map<DirectKey, RoomId> direct_rooms;

  // Folds one event in. REQUIRES: the event passed the verifier (view_event).
  void apply(const StoredEvent& e);
  // Rebuilds the derived indexes from the maps (after a loader filled them).
  void reindex();

  const UserFacts* user(UserId id) const;
  const RoomFacts* room(RoomId id) const;
  const MemberFacts* membership(RoomId room, UserId user) const;
  bool is_admin(UserId id) const;

  // Equality of the authoritative maps (indexes follow from them).
  bool operator==(const WriteModel& o) const {
    return account == o.account && users == o.users && rooms == o.rooms && sessions == o.sessions &&
           push_subscriptions == o.push_subscriptions && last_ids == o.last_ids;
  }
};

}  // namespace hearth
