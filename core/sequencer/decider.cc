// Dispatch, idempotency, the in-flight overlay and the checks every decision shares.
#include "core/sequencer/decider.h"

#include <algorithm>

#include "core/base/secret_hash.h"
#include "core/base/text.h"
#include "core/commands/limits.h"
#include "core/events/event_view.h"

namespace hearth {
namespace {

std::string key_of(UserId actor, std::string_view command_id) {
  return std::to_string(actor.value) + "\x1f" + std::string(command_id);
}

}  // namespace

int64_t Decider::primary_id(const schema::Event& ev) {
  using P = schema::Payload;
  switch (ev.payload_type()) {
    case P::UserJoined: return ev.payload_as_UserJoined()->user_id();
    case P::BotCreated: return ev.payload_as_BotCreated()->user_id();
    case P::UserProfileChanged: return ev.payload_as_UserProfileChanged()->user_id();
    case P::UserAvatarChanged: return ev.payload_as_UserAvatarChanged()->user_id();
    case P::PasswordChanged: return ev.payload_as_PasswordChanged()->user_id();
    case P::RoleChanged: return ev.payload_as_RoleChanged()->user_id();
    case P::UserDeactivated: return ev.payload_as_UserDeactivated()->user_id();
    case P::UserBanned: return ev.payload_as_UserBanned()->user_id();
    case P::UserUnbanned: return ev.payload_as_UserUnbanned()->user_id();
    case P::BotKeyReset: return ev.payload_as_BotKeyReset()->user_id();
    case P::WebhookSet: return ev.payload_as_WebhookSet()->user_id();
    case P::SessionStarted: return ev.payload_as_SessionStarted()->session_id();
    case P::SessionEnded: return ev.payload_as_SessionEnded()->session_id();
    case P::RoomCreated: return ev.payload_as_RoomCreated()->room_id();
    case P::RoomRenamed: return ev.payload_as_RoomRenamed()->room_id();
    case P::RoomConverted: return ev.payload_as_RoomConverted()->room_id();
    case P::RoomDeleted: return ev.payload_as_RoomDeleted()->room_id();
    case P::MembershipGranted: return ev.payload_as_MembershipGranted()->room_id();
    case P::MembershipRevoked: return ev.payload_as_MembershipRevoked()->room_id();
    case P::InvolvementChanged: return ev.payload_as_InvolvementChanged()->room_id();
    case P::RoomRead: return ev.payload_as_RoomRead()->room_id();
    case P::MessagePosted: return ev.payload_as_MessagePosted()->message_id();
    case P::MessageEdited: return ev.payload_as_MessageEdited()->message_id();
    case P::MessageRemoved: return ev.payload_as_MessageRemoved()->message_id();
    case P::BoostAdded: return ev.payload_as_BoostAdded()->boost_id();
    case P::BoostRemoved: return ev.payload_as_BoostRemoved()->boost_id();
    case P::PushSubscriptionAdded: return ev.payload_as_PushSubscriptionAdded()->subscription_id();
    case P::PushSubscriptionRemoved: return ev.payload_as_PushSubscriptionRemoved()->subscription_id();
    default: return 0;  // account-wide facts, searches: no entity id
  }
}

void Decider::begin_batch(Seq applied) {
  std::erase_if(message_overlay_, [&](const auto& kv) { return kv.second.seq <= applied; });
  std::erase_if(boost_overlay_, [&](const auto& kv) { return kv.second.seq <= applied; });
}

void Decider::end_batch() { batch_keys_.clear(); }

Outcome Decider::decide(const CommandEnvelope& c, std::vector<StoredEvent>& out, Seq base) {
  if (c.command_id.size() > limits::kCommandIdBytes || !valid_utf8(c.command_id)) {
    return invalid("command id must be valid UTF-8 of at most " + std::to_string(limits::kCommandIdBytes) + " bytes");
  }
  // I6: a command id seen before returns its first outcome and appends nothing.
  if (!c.command_id.empty()) {
    auto key = key_of(c.actor, c.command_id);
    if (auto it = batch_keys_.find(key); it != batch_keys_.end()) {
      Ack again = it->second;
      again.secret.clear();
      again.replayed = true;
      return again;
    }
    auto found = log_.find_command(c.actor, c.command_id);
    if (!found) return found.take_error();
    if (*found) {
      Ack again;
      again.seq = (*found)->second;
      again.replayed = true;
      auto scanned = log_.scan(Seq((*found)->first.value - 1), (*found)->second, [&](const StoredEvent& e) -> Status {
        auto ev = view_event(e);
        if (!ev) return ev.take_error();
        if (again.id == 0) again.id = primary_id(**ev);
        return ok_status();
      });
      if (!scanned.ok()) return scanned.take_error();
      return again;
    }
  }
  cmd_ = &c;
  out_ = &out;
  first_event_ = out.size();
  base_ = base;
  now_us_ = clock_.now_us();
  Outcome outcome = dispatch(c);
  if (outcome.ok() && !c.command_id.empty() && out.size() > first_event_) {
    batch_keys_[key_of(c.actor, c.command_id)] = *outcome;
  }
  cmd_ = nullptr;
  out_ = nullptr;
  return outcome;
}

Outcome Decider::dispatch(const CommandEnvelope& c) {
  return std::visit(
      [this](const auto& x) -> Outcome {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, cmd::SetupFirstRun>) return setup_first_run(x);
        else if constexpr (std::is_same_v<T, cmd::RenameAccount>) return rename_account(x);
        else if constexpr (std::is_same_v<T, cmd::ChangeAccountLogo>) return change_account_logo(x);
        else if constexpr (std::is_same_v<T, cmd::ChangeCustomStyles>) return change_custom_styles(x);
        else if constexpr (std::is_same_v<T, cmd::ChangeAccountSettings>) return change_account_settings(x);
        else if constexpr (std::is_same_v<T, cmd::ResetJoinCode>) return reset_join_code(x);
        else if constexpr (std::is_same_v<T, cmd::JoinAccount>) return join_account(x);
        else if constexpr (std::is_same_v<T, cmd::CreateBot>) return create_bot(x);
        else if constexpr (std::is_same_v<T, cmd::UpdateBot>) return update_bot(x);
        else if constexpr (std::is_same_v<T, cmd::ResetBotKey>) return reset_bot_key(x);
        else if constexpr (std::is_same_v<T, cmd::UpdateProfile>) return update_profile(x);
        else if constexpr (std::is_same_v<T, cmd::ChangeAvatar>) return change_avatar(x);
        else if constexpr (std::is_same_v<T, cmd::ChangePassword>) return change_password(x);
        else if constexpr (std::is_same_v<T, cmd::ChangeRole>) return change_role(x);
        else if constexpr (std::is_same_v<T, cmd::DeactivateUser>) return deactivate_user(x);
        else if constexpr (std::is_same_v<T, cmd::BanUser>) return ban_user(x);
        else if constexpr (std::is_same_v<T, cmd::UnbanUser>) return unban_user(x);
        else if constexpr (std::is_same_v<T, cmd::StartSession>) return start_session(x);
        else if constexpr (std::is_same_v<T, cmd::EndSession>) return end_session(x);
        else if constexpr (std::is_same_v<T, cmd::EndOtherSessions>) return end_other_sessions(x);
        else if constexpr (std::is_same_v<T, cmd::CreateOpenRoom>) return create_open_room(x);
        else if constexpr (std::is_same_v<T, cmd::CreateClosedRoom>) return create_closed_room(x);
        else if constexpr (std::is_same_v<T, cmd::FindOrCreateDirectRoom>) return find_or_create_direct_room(x);
        else if constexpr (std::is_same_v<T, cmd::RenameRoom>) return rename_room(x);
        else if constexpr (std::is_same_v<T, cmd::ConvertRoom>) return convert_room(x);
        else if constexpr (std::is_same_v<T, cmd::ReviseRoomMembers>) return revise_room_members(x);
        else if constexpr (std::is_same_v<T, cmd::DeleteRoom>) return delete_room(x);
        else if constexpr (std::is_same_v<T, cmd::ChangeInvolvement>) return change_involvement(x);
        else if constexpr (std::is_same_v<T, cmd::MarkRoomRead>) return mark_room_read(x);
        else if constexpr (std::is_same_v<T, cmd::PostMessage>) return post_message(x);
        else if constexpr (std::is_same_v<T, cmd::EditMessage>) return edit_message(x);
        else if constexpr (std::is_same_v<T, cmd::RemoveMessage>) return remove_message(x);
        else if constexpr (std::is_same_v<T, cmd::AddBoost>) return add_boost(x);
        else if constexpr (std::is_same_v<T, cmd::RemoveBoost>) return remove_boost(x);
        else if constexpr (std::is_same_v<T, cmd::RecordSearch>) return record_search(x);
        else if constexpr (std::is_same_v<T, cmd::ClearSearches>) return clear_searches(x);
        else if constexpr (std::is_same_v<T, cmd::AddPushSubscription>) return add_push_subscription(x);
        else if constexpr (std::is_same_v<T, cmd::RemovePushSubscription>) return remove_push_subscription(x);
        else static_assert(sizeof(T) == 0, "every command needs a decision");
      },
      c.command);
}

// ---- shared checks ----------------------------------------------------------------------

Result<const UserFacts*> Decider::person() {
  auto* u = model_.user(cmd_->actor);
  if (!u || !u->active()) return forbidden("sign in first");
  if (u->role == Role::kBot) return forbidden("bots may only use the bot API");
  return u;
}

Result<const UserFacts*> Decider::person_or_bot() {
  auto* u = model_.user(cmd_->actor);
  if (!u || !u->active()) return forbidden("sign in first");
  return u;
}

Status Decider::administrator() {
  auto p = person();
  if (!p) return p.take_error();
  if ((*p)->role != Role::kAdministrator) return forbidden("only administrators may do this");
  return ok_status();
}

Result<const RoomFacts*> Decider::room_of_member(RoomId room) {
  auto* r = model_.room(room);
  // A non-member must not learn whether a closed room exists: both are "not found".
  if (!r || !r->members.contains(cmd_->actor)) return not_found("no such room");
  return r;
}

Status Decider::room_admin(const RoomFacts& room) {
  if (room.creator == cmd_->actor || model_.is_admin(cmd_->actor)) return ok_status();
  return forbidden("only the room's creator or an administrator may do this");
}

Result<MessageFacts> Decider::live_message(MessageId id) {
  std::optional<MessageFacts> facts;
  if (auto it = message_overlay_.find(id); it != message_overlay_.end()) {
    facts = it->second.facts;
  } else {
    auto found = messages_.message(id);
    if (!found) return found.take_error();
    facts = *found;
  }
  if (!facts || !model_.room(facts->room)) return not_found("no such message");
  return *facts;
}

Result<BoostFacts> Decider::live_boost(BoostId id) {
  std::optional<BoostFacts> facts;
  if (auto it = boost_overlay_.find(id); it != boost_overlay_.end()) {
    facts = it->second.facts;
  } else {
    auto found = messages_.boost(id);
    if (!found) return found.take_error();
    facts = *found;
  }
  if (!facts || !model_.room(facts->room)) return not_found("no such boost");
  auto msg = live_message(facts->message);
  if (!msg) return not_found("no such boost");
  return *facts;
}

Result<std::vector<MessageId>> Decider::live_messages_by(UserId creator) {
  auto stored = messages_.messages_by(creator);
  if (!stored) return stored.take_error();
  std::vector<MessageId> ids;
  for (auto id : *stored) {
    if (!message_overlay_.contains(id)) ids.push_back(id);
  }
  for (auto& [id, o] : message_overlay_) {
    if (o.facts && o.facts->creator == creator) ids.push_back(id);
  }
  std::erase_if(ids, [&](MessageId id) { return !live_message(id).ok(); });
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::vector<UserId> Decider::active_users() const {
  std::vector<UserId> ids;
  for (auto& [id, u] : model_.users) {
    if (u.active()) ids.push_back(id);
  }
  return ids;
}

// ---- emitting ---------------------------------------------------------------------------

void Decider::emit_raw(schema::Payload type, flatbuffers::Offset<void> payload) {
  auto root = schema::CreateEvent(fbb_, type, payload);
  fbb_.Finish(root);
  StoredEvent e;
  e.time_us = now_us_;
  e.actor = cmd_->actor;
  e.type = static_cast<uint32_t>(type);
  e.command_id = cmd_->command_id;
  e.payload.assign(fbb_.GetBufferPointer(), fbb_.GetBufferPointer() + fbb_.GetSize());
  e.seq = Seq(base_.value + static_cast<int64_t>(out_->size()) + 1);
  fbb_.Clear();
  model_.apply(e);
  // Keep the overlay in step for the messages and boosts the write model does not hold.
  auto* ev = schema::GetEvent(e.payload.data());
  switch (type) {
    case schema::Payload::MessagePosted: {
      auto* p = ev->payload_as_MessagePosted();
      message_overlay_[MessageId(p->message_id())] = {
          MessageFacts{RoomId(p->room_id()), UserId(p->creator_id()), p->attachment() != nullptr}, e.seq};
      break;
    }
    case schema::Payload::MessageRemoved:
      message_overlay_[MessageId(ev->payload_as_MessageRemoved()->message_id())] = {std::nullopt, e.seq};
      break;
    case schema::Payload::BoostAdded: {
      auto* p = ev->payload_as_BoostAdded();
      boost_overlay_[BoostId(p->boost_id())] = {
          BoostFacts{MessageId(p->message_id()), RoomId(p->room_id()), UserId(p->booster_id())}, e.seq};
      break;
    }
    case schema::Payload::BoostRemoved:
      boost_overlay_[BoostId(ev->payload_as_BoostRemoved()->boost_id())] = {std::nullopt, e.seq};
      break;
    default: break;
  }
  out_->push_back(std::move(e));
}

flatbuffers::Offset<schema::BlobRef> Decider::blob(const std::optional<Blob>& b) {
  if (!b) return 0;
  return schema::CreateBlobRef(fbb_, fbb_.CreateString(b->content_hash), b->byte_size,
                               fbb_.CreateString(b->content_type), fbb_.CreateString(b->filename), b->width,
                               b->height);
}

void Decider::emit_grant(RoomId room, UserId user, Involvement involvement) {
  emit(schema::CreateMembershipGranted(fbb_, room.value, user.value, to_schema(involvement)));
}

void Decider::emit_session(UserId user, std::string_view ip, std::string_view ua, std::string& token_out) {
  // 43 alphanumerics carry 256 bits; only the hash is logged (I8).
  token_out = random_alphanumeric(random_, 43);
  SessionId id(model_.last_ids.session + 1);
  emit(schema::CreateSessionStarted(fbb_, id.value, user.value, fbb_.CreateString(secret_hash(token_out)),
                                    fbb_.CreateString(ip), fbb_.CreateString(ua)));
}

std::string Decider::mint_join_code() {
  std::string raw = random_alphanumeric(random_, 12);
  return raw.substr(0, 4) + "-" + raw.substr(4, 4) + "-" + raw.substr(8, 4);
}

Ack Decider::ack(int64_t id) {
  Ack a;
  a.seq = Seq(base_.value + static_cast<int64_t>(out_->size()));
  // The same rule as for a replayed command — the first entity id among the command's events —
  // so a repeat returns exactly the original outcome.
  for (size_t i = first_event_; i < out_->size() && a.id == 0; ++i) {
    a.id = primary_id(*schema::GetEvent((*out_)[i].payload.data()));
  }
  if (out_->size() == first_event_) a.id = id;  // nothing appended: nothing to replay either
  return a;
}

}  // namespace hearth
