#include "core/write_model/write_model.h"

#include <algorithm>

#include "core/events/event_view.h"

namespace hearth {

DirectKey direct_key(std::vector<UserId> members) {
  DirectKey key;
  key.reserve(members.size());
  for (auto u : members) key.push_back(u.value);
  std::sort(key.begin(), key.end());
  key.erase(std::unique(key.begin(), key.end()), key.end());
  return key;
}

const UserFacts* WriteModel::user(UserId id) const {
  auto it = users.find(id);
  return it == users.end() ? nullptr : &it->second;
}

const RoomFacts* WriteModel::room(RoomId id) const {
  auto it = rooms.find(id);
  return it == rooms.end() ? nullptr : &it->second;
}

const MemberFacts* WriteModel::membership(RoomId room_id, UserId user_id) const {
  auto* r = room(room_id);
  if (!r) return nullptr;
  auto it = r->members.find(user_id);
  return it == r->members.end() ? nullptr : &it->second;
}

bool WriteModel::is_admin(UserId id) const {
  auto* u = user(id);
  return u && u->active() && u->role == Role::kAdministrator;
}

namespace {

DirectKey key_of(const RoomFacts& r) {
  std::vector<UserId> members;
  members.reserve(r.members.size());
  for (auto& [uid, m] : r.members) members.push_back(uid);
  return direct_key(std::move(members));
}

// The direct-room index is a function of the rooms alone: each key names the oldest live ping
// whose member set is, now, exactly that key. Two live pings can share a set only in a log written
// before this rule (or an imported Campfire race); the oldest keeps the key, as reindex() decides.
void file_direct(WriteModel& m, RoomId id, const RoomFacts& r) {
  if (r.kind != RoomKind::kDirect) return;
  auto [it, added] = m.direct_rooms.try_emplace(key_of(r), id);
  if (!added && id < it->second) it->second = id;
}

// Takes a ping out from under its member set as it is now, if it holds that key. `hand_over`:
// give the key to the oldest other live ping with the same set — a scan of the rooms, so only for
// deletions, revocations and conversions, which are rare. A grant needs none: a ping's grants come
// in the command that creates it (or right after it in an import), while it is the newest room,
// so no younger ping can share a set it passes through on its way to its full set.
void unfile_direct(WriteModel& m, RoomId id, const RoomFacts& r, bool hand_over) {
  if (r.kind != RoomKind::kDirect) return;
  auto key = key_of(r);
  auto it = m.direct_rooms.find(key);
  if (it == m.direct_rooms.end() || it->second != id) return;
  m.direct_rooms.erase(it);
  if (!hand_over) return;
  for (auto& [other, o] : m.rooms) {
    if (other != id && o.kind == RoomKind::kDirect && o.members.size() == r.members.size() && key_of(o) == key) {
      m.direct_rooms.emplace(key, other);
      return;
    }
  }
}

}  // namespace

void WriteModel::reindex() {
  user_by_email.clear();
  for (auto& [id, u] : users) {
    if (!u.email.empty()) user_by_email[u.email] = id;
  }
  session_by_token.clear();
  for (auto& [id, s] : sessions) session_by_token[s.token_hash] = id;
  direct_rooms.clear();
  for (auto& [id, r] : rooms) file_direct(*this, id, r);  // in id order: the oldest keeps a shared key
}

namespace {

template <class T>
void bump(int64_t& counter, T id) {
  counter = std::max(counter, static_cast<int64_t>(id));
}

void set_email(WriteModel& m, UserId id, UserFacts& u, std::string email) {
  if (!u.email.empty()) {
    auto it = m.user_by_email.find(u.email);
    if (it != m.user_by_email.end() && it->second == id) m.user_by_email.erase(it);
  }
  u.email = std::move(email);
  if (!u.email.empty()) m.user_by_email[u.email] = id;
}

void end_session(WriteModel& m, SessionId id) {
  auto it = m.sessions.find(id);
  if (it == m.sessions.end()) return;
  m.session_by_token.erase(it->second.token_hash);
  m.sessions.erase(it);
}

}  // namespace

void WriteModel::apply(const StoredEvent& stored) {
  auto* ev = schema::GetEvent(stored.payload.data());
  using P = schema::Payload;
  switch (ev->payload_type()) {
    case P::AccountCreated: {
      auto* e = ev->payload_as_AccountCreated();
      account.exists = true;
      account.name = sv(e->name());
      account.join_code = sv(e->join_code());
      break;
    }
    case P::AccountRenamed: account.name = sv(ev->payload_as_AccountRenamed()->name()); break;
    case P::AccountSettingsChanged:
      account.restrict_room_creation =
          ev->payload_as_AccountSettingsChanged()->restrict_room_creation_to_administrators();
      break;
    case P::JoinCodeReset: account.join_code = sv(ev->payload_as_JoinCodeReset()->join_code()); break;
    case P::AccountLogoChanged:
    case P::AccountCustomStylesChanged:
    case P::UserAvatarChanged:
    case P::PasswordChanged:
    case P::WebhookSet:
    case P::SearchRecorded:
    case P::SearchesCleared:
      break;  // nothing validation needs
    case P::UserJoined: {
      auto* e = ev->payload_as_UserJoined();
      UserId id(e->user_id());
      auto& u = users[id];
      u.name = sv(e->name());
      u.role = from_schema(e->role());
      u.status = UserStatus::kActive;
      set_email(*this, id, u, std::string(sv(e->email())));
      bump(last_ids.user, e->user_id());
      break;
    }
    case P::BotCreated: {
      auto* e = ev->payload_as_BotCreated();
      UserId id(e->user_id());
      auto& u = users[id];
      u.name = sv(e->name());
      u.role = Role::kBot;
      u.status = UserStatus::kActive;
      u.bot_token_hash = sv(e->bot_token_hash());
      bump(last_ids.user, e->user_id());
      break;
    }
    case P::UserProfileChanged: {
      auto* e = ev->payload_as_UserProfileChanged();
      UserId id(e->user_id());
      auto it = users.find(id);
      if (it == users.end()) break;
      it->second.name = sv(e->name());
      set_email(*this, id, it->second, std::string(sv(e->email())));
      break;
    }
    case P::RoleChanged: {
      auto* e = ev->payload_as_RoleChanged();
      if (auto it = users.find(UserId(e->user_id())); it != users.end()) it->second.role = from_schema(e->role());
      break;
    }
    case P::UserDeactivated: {
      auto* e = ev->payload_as_UserDeactivated();
      UserId id(e->user_id());
      if (auto it = users.find(id); it != users.end()) {
        it->second.status = UserStatus::kDeactivated;
        set_email(*this, id, it->second, std::string(sv(e->email())));
      }
      break;
    }
    case P::UserBanned: {
      auto* e = ev->payload_as_UserBanned();
      if (auto it = users.find(UserId(e->user_id())); it != users.end()) it->second.status = UserStatus::kBanned;
      break;
    }
    case P::UserUnbanned: {
      auto* e = ev->payload_as_UserUnbanned();
      if (auto it = users.find(UserId(e->user_id())); it != users.end()) it->second.status = UserStatus::kActive;
      break;
    }
    case P::BotKeyReset: {
      auto* e = ev->payload_as_BotKeyReset();
      if (auto it = users.find(UserId(e->user_id())); it != users.end()) it->second.bot_token_hash = sv(e->bot_token_hash());
      break;
    }
    case P::SessionStarted: {
      auto* e = ev->payload_as_SessionStarted();
      SessionId id(e->session_id());
      sessions[id] = SessionFacts{UserId(e->user_id()), std::string(sv(e->token_hash())),
                                  std::string(sv(e->ip_address()))};
      session_by_token[std::string(sv(e->token_hash()))] = id;
      bump(last_ids.session, e->session_id());
      break;
    }
    case P::SessionEnded: end_session(*this, SessionId(ev->payload_as_SessionEnded()->session_id())); break;
    case P::RoomCreated: {
      auto* e = ev->payload_as_RoomCreated();
      RoomId id(e->room_id());
      auto& r = rooms[id];
      r.kind = from_schema(e->kind());
      r.name = sv(e->name());
      r.creator = UserId(e->creator_id());
      file_direct(*this, id, r);
      bump(last_ids.room, e->room_id());
      break;
    }
    case P::RoomRenamed: {
      auto* e = ev->payload_as_RoomRenamed();
      if (auto it = rooms.find(RoomId(e->room_id())); it != rooms.end()) it->second.name = sv(e->name());
      break;
    }
    case P::RoomConverted: {
      auto* e = ev->payload_as_RoomConverted();
      if (auto it = rooms.find(RoomId(e->room_id())); it != rooms.end()) {
        unfile_direct(*this, it->first, it->second, /*hand_over=*/true);  // the decider never converts a ping
        it->second.kind = from_schema(e->kind());
        file_direct(*this, it->first, it->second);
      }
      break;
    }
    case P::RoomDeleted: {
      auto it = rooms.find(RoomId(ev->payload_as_RoomDeleted()->room_id()));
      if (it == rooms.end()) break;
      unfile_direct(*this, it->first, it->second, /*hand_over=*/true);
      rooms.erase(it);
      break;
    }
    case P::MembershipGranted: {
      // A ping is refiled under its set after each grant; its full set once its command is folded.
      auto* e = ev->payload_as_MembershipGranted();
      auto it = rooms.find(RoomId(e->room_id()));
      if (it == rooms.end()) break;
      unfile_direct(*this, it->first, it->second, /*hand_over=*/false);
      it->second.members[UserId(e->user_id())] = MemberFacts{from_schema(e->involvement()), false};
      file_direct(*this, it->first, it->second);
      break;
    }
    case P::MembershipRevoked: {
      auto* e = ev->payload_as_MembershipRevoked();
      if (auto it = rooms.find(RoomId(e->room_id())); it != rooms.end()) {
        unfile_direct(*this, it->first, it->second, /*hand_over=*/true);  // the decider never revokes from a ping
        it->second.members.erase(UserId(e->user_id()));
        file_direct(*this, it->first, it->second);
      }
      break;
    }
    case P::InvolvementChanged: {
      auto* e = ev->payload_as_InvolvementChanged();
      if (auto it = rooms.find(RoomId(e->room_id())); it != rooms.end()) {
        if (auto m = it->second.members.find(UserId(e->user_id())); m != it->second.members.end()) {
          m->second.involvement = from_schema(e->involvement());
        }
      }
      break;
    }
    case P::RoomRead: {
      auto* e = ev->payload_as_RoomRead();
      if (auto it = rooms.find(RoomId(e->room_id())); it != rooms.end()) {
        if (auto m = it->second.members.find(UserId(e->user_id())); m != it->second.members.end()) m->second.unread = false;
      }
      break;
    }
    case P::MessagePosted: {
      auto* e = ev->payload_as_MessagePosted();
      bump(last_ids.message, e->message_id());
      if (auto it = rooms.find(RoomId(e->room_id())); it != rooms.end() && e->unread_user_ids()) {
        for (auto uid : *e->unread_user_ids()) {
          if (auto m = it->second.members.find(UserId(uid)); m != it->second.members.end()) m->second.unread = true;
        }
      }
      break;
    }
    case P::MessageEdited:
    case P::MessageRemoved:
    case P::BoostRemoved:
      break;
    case P::BoostAdded: bump(last_ids.boost, ev->payload_as_BoostAdded()->boost_id()); break;
    case P::PushSubscriptionAdded: {
      auto* e = ev->payload_as_PushSubscriptionAdded();
      push_subscriptions[PushSubscriptionId(e->subscription_id())] =
          PushFacts{UserId(e->user_id()), std::string(sv(e->endpoint())), std::string(sv(e->p256dh_key())),
                    std::string(sv(e->auth_key()))};
      bump(last_ids.push_subscription, e->subscription_id());
      break;
    }
    case P::PushSubscriptionRemoved:
      push_subscriptions.erase(PushSubscriptionId(ev->payload_as_PushSubscriptionRemoved()->subscription_id()));
      break;
    case P::NONE:
      break;
  }
}

}  // namespace hearth
