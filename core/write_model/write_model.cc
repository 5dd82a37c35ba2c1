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

void WriteModel::reindex() {
  user_by_email.clear();
  for (auto& [id, u] : users) {
    if (!u.email.empty()) user_by_email[u.email] = id;
  }
  session_by_token.clear();
  for (auto& [id, s] : sessions) session_by_token[s.token_hash] = id;
  direct_rooms.clear();
  for (auto& [id, r] : rooms) {
    if (r.kind != RoomKind::kDirect) continue;
    std::vector<UserId> members;
    for (auto& [uid, m] : r.members) members.push_back(uid);
    direct_rooms[direct_key(members)] = id;
  }
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
      auto& r = rooms[RoomId(e->room_id())];
      r.kind = from_schema(e->kind());
      r.name = sv(e->name());
      r.creator = UserId(e->creator_id());
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
      if (auto it = rooms.find(RoomId(e->room_id())); it != rooms.end()) it->second.kind = from_schema(e->kind());
      break;
    }
    case P::RoomDeleted: {
      auto it = rooms.find(RoomId(ev->payload_as_RoomDeleted()->room_id()));
      if (it == rooms.end()) break;
      if (it->second.kind == RoomKind::kDirect) {
        std::vector<UserId> members;
        for (auto& [uid, m] : it->second.members) members.push_back(uid);
        direct_rooms.erase(direct_key(members));
      }
      rooms.erase(it);
      break;
    }
    case P::MembershipGranted: {
      auto* e = ev->payload_as_MembershipGranted();
      auto it = rooms.find(RoomId(e->room_id()));
      if (it == rooms.end()) break;
      it->second.members[UserId(e->user_id())] = MemberFacts{from_schema(e->involvement()), false};
      if (it->second.kind == RoomKind::kDirect) {
        // A direct room's grants all come in the command that creates it; the key is the full set.
        std::vector<UserId> members;
        for (auto& [uid, m] : it->second.members) members.push_back(uid);
        // Drop the key of the set before this grant, then record the new one.
        std::vector<UserId> previous;
        for (auto& [uid, m] : it->second.members) if (uid != UserId(e->user_id())) previous.push_back(uid);
        if (auto k = direct_rooms.find(direct_key(previous)); k != direct_rooms.end() && k->second == it->first) {
          direct_rooms.erase(k);
        }
        direct_rooms[direct_key(members)] = it->first;
      }
      break;
    }
    case P::MembershipRevoked: {
      auto* e = ev->payload_as_MembershipRevoked();
      if (auto it = rooms.find(RoomId(e->room_id())); it != rooms.end()) it->second.members.erase(UserId(e->user_id()));
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
