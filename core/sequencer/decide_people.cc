// Decisions about the account, users, bots and sessions (CAMPFIRE.md 2.1–2.3, 2.15, 2.17–2.21).
#include <algorithm>
#include <set>

#include "core/base/secret_hash.h"
#include "core/commands/limits.h"
#include "core/sequencer/checks.h"
#include "core/sequencer/decider.h"

namespace hearth {
namespace {

bool is_private_or_local_ip(std::string_view ip) {
  // Campfire refuses to ban loopback, private and link-local addresses (they would ban a proxy or
  // the whole office). Textual prefixes cover the forms sessions record.
  static constexpr std::string_view kPrefixes[] = {"127.", "10.", "192.168.", "169.254.", "::1", "fe80:", "fc", "fd",
                                                   "0.", "::ffff:127.", "::ffff:10.", "::ffff:192.168."};
  for (auto p : kPrefixes) {
    if (ip.starts_with(p)) return true;
  }
  if (ip.starts_with("172.")) {
    int second = std::atoi(std::string(ip.substr(4, 3)).c_str());
    if (second >= 16 && second <= 31) return true;
  }
  return ip == "::" || ip.empty();
}

// A bot token's hash as secret_hash writes it (64 lower-case hex) and a bounded sealed copy: the
// token itself never reaches core, so this is all the sequencer can check.
Status bot_token(std::string_view hash, std::string_view sealed) {
  bool hex = hash.size() == 64 && std::all_of(hash.begin(), hash.end(), [](char ch) {
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
  });
  if (!hex) return invalid("bot token hash must be 64 lower-case hex digits");
  if (sealed.size() > 256) return invalid("sealed bot token is too long");
  return ok_status();
}

}  // namespace

flatbuffers::Offset<flatbuffers::Vector<uint8_t>> Decider::sealed_bytes(std::string_view sealed) {
  // Absent rather than empty when there is none, so such an event reads as one written before
  // the field existed.
  if (sealed.empty()) return 0;
  return fbb_.CreateVector(reinterpret_cast<const uint8_t*>(sealed.data()), sealed.size());
}

Outcome Decider::setup_first_run(const cmd::SetupFirstRun& c) {
  if (model_.account.exists) return conflict("this Campfire is already set up");
  HEARTH_TRY(checks::text("name", c.name, limits::kNameBytes, true));
  HEARTH_TRY(checks::email(c.email));
  HEARTH_TRY(checks::text("password", c.password_digest, 1024, true));
  HEARTH_TRY(checks::text("user agent", c.user_agent, limits::kUserAgentBytes, false));
  HEARTH_TRY(checks::text("ip address", c.ip_address, 64, false));
  // One command, one transaction: account, administrator, "All Talk", membership, session.
  emit(schema::CreateAccountCreated(fbb_, fbb_.CreateString("Campfire"), fbb_.CreateString(mint_join_code())));
  UserId admin(model_.last_ids.user + 1);
  emit(schema::CreateUserJoined(fbb_, admin.value, fbb_.CreateString(c.name), fbb_.CreateString(c.email),
                                fbb_.CreateString(c.password_digest), schema::Role::Administrator));
  RoomId room(model_.last_ids.room + 1);
  emit(schema::CreateRoomCreated(fbb_, room.value, schema::RoomKind::Open, fbb_.CreateString("All Talk"), admin.value));
  emit_grant(room, admin, Involvement::kMentions);
  std::string token;
  emit_session(admin, c.ip_address, c.user_agent, token);
  Ack a = ack();
  a.secret = std::move(token);
  return a;
}

Outcome Decider::rename_account(const cmd::RenameAccount& c) {
  HEARTH_TRY(administrator());
  HEARTH_TRY(checks::text("name", c.name, limits::kNameBytes, true));
  emit(schema::CreateAccountRenamed(fbb_, fbb_.CreateString(c.name)));
  return ack();
}

Outcome Decider::change_account_logo(const cmd::ChangeAccountLogo& c) {
  HEARTH_TRY(administrator());
  HEARTH_TRY(checks::blob(c.logo));
  emit(schema::CreateAccountLogoChanged(fbb_, blob(c.logo)));
  return ack();
}

Outcome Decider::change_custom_styles(const cmd::ChangeCustomStyles& c) {
  HEARTH_TRY(administrator());
  HEARTH_TRY(checks::text("custom styles", c.css, limits::kCssBytes, false));
  emit(schema::CreateAccountCustomStylesChanged(fbb_, fbb_.CreateString(c.css)));
  return ack();
}

Outcome Decider::change_account_settings(const cmd::ChangeAccountSettings& c) {
  HEARTH_TRY(administrator());
  emit(schema::CreateAccountSettingsChanged(fbb_, c.restrict_room_creation_to_administrators));
  return ack();
}

Outcome Decider::reset_join_code(const cmd::ResetJoinCode&) {
  HEARTH_TRY(administrator());
  emit(schema::CreateJoinCodeReset(fbb_, fbb_.CreateString(mint_join_code())));
  return ack();
}

Outcome Decider::join_account(const cmd::JoinAccount& c) {
  // A wrong code is "not found", as Campfire's 404: it must not tell a guesser anything.
  if (!model_.account.exists || !secrets_equal(c.join_code, model_.account.join_code)) return not_found("no such join link");
  HEARTH_TRY(checks::text("name", c.name, limits::kNameBytes, true));
  HEARTH_TRY(checks::email(c.email));
  HEARTH_TRY(checks::text("password", c.password_digest, 1024, true));
  HEARTH_TRY(checks::text("user agent", c.user_agent, limits::kUserAgentBytes, false));
  HEARTH_TRY(checks::text("ip address", c.ip_address, 64, false));
  if (model_.user_by_email.contains(c.email)) return conflict("that email address is taken: sign in instead");
  UserId id(model_.last_ids.user + 1);
  emit(schema::CreateUserJoined(fbb_, id.value, fbb_.CreateString(c.name), fbb_.CreateString(c.email),
                                fbb_.CreateString(c.password_digest), schema::Role::Member));
  for (auto& [room_id, room] : model_.rooms) {
    if (room.kind == RoomKind::kOpen) emit_grant(room_id, id, Involvement::kMentions);
  }
  std::string token;
  emit_session(id, c.ip_address, c.user_agent, token);
  Ack a = ack();
  a.secret = std::move(token);
  return a;
}

Outcome Decider::create_bot(const cmd::CreateBot& c) {
  HEARTH_TRY(administrator());
  HEARTH_TRY(checks::text("name", c.name, limits::kNameBytes, true));
  HEARTH_TRY(checks::text("webhook url", c.webhook_url, limits::kUrlBytes, false));
  HEARTH_TRY(bot_token(c.token_hash, c.token_sealed));
  UserId id(model_.last_ids.user + 1);
  emit(schema::CreateBotCreated(fbb_, id.value, fbb_.CreateString(c.name), fbb_.CreateString(c.token_hash),
                                fbb_.CreateString(c.webhook_url), sealed_bytes(c.token_sealed)));
  for (auto& [room_id, room] : model_.rooms) {
    if (room.kind == RoomKind::kOpen) emit_grant(room_id, id, Involvement::kMentions);
  }
  return ack();  // the server, which minted the token, composes the key `<id>-<token>`
}

Outcome Decider::update_bot(const cmd::UpdateBot& c) {
  HEARTH_TRY(administrator());
  auto* bot = model_.user(c.bot);
  if (!bot || bot->role != Role::kBot || !bot->active()) return not_found("no such bot");
  HEARTH_TRY(checks::text("name", c.name, limits::kNameBytes, true));
  HEARTH_TRY(checks::text("webhook url", c.webhook_url, limits::kUrlBytes, false));
  emit(schema::CreateUserProfileChanged(fbb_, c.bot.value, fbb_.CreateString(c.name), fbb_.CreateString(""),
                                        fbb_.CreateString("")));
  emit(schema::CreateWebhookSet(fbb_, c.bot.value, fbb_.CreateString(c.webhook_url)));
  return ack();
}

Outcome Decider::reset_bot_key(const cmd::ResetBotKey& c) {
  HEARTH_TRY(administrator());
  auto* bot = model_.user(c.bot);
  if (!bot || bot->role != Role::kBot || !bot->active()) return not_found("no such bot");
  HEARTH_TRY(bot_token(c.token_hash, c.token_sealed));
  emit(schema::CreateBotKeyReset(fbb_, c.bot.value, fbb_.CreateString(c.token_hash), sealed_bytes(c.token_sealed)));
  return ack();
}

Outcome Decider::update_profile(const cmd::UpdateProfile& c) {
  auto me = person();
  if (!me) return me.take_error();
  HEARTH_TRY(checks::text("name", c.name, limits::kNameBytes, true));
  HEARTH_TRY(checks::email(c.email));
  HEARTH_TRY(checks::text("bio", c.bio, limits::kBioChars * 4, false));
  if (utf8_length(c.bio) > limits::kBioChars) return invalid("bio is too long (at most 200 characters)");
  if (auto it = model_.user_by_email.find(c.email); it != model_.user_by_email.end() && it->second != cmd_->actor) {
    return conflict("that email address is taken");
  }
  emit(schema::CreateUserProfileChanged(fbb_, cmd_->actor.value, fbb_.CreateString(c.name),
                                        fbb_.CreateString(c.email), fbb_.CreateString(c.bio)));
  return ack();
}

Outcome Decider::change_avatar(const cmd::ChangeAvatar& c) {
  auto me = person();
  if (!me) return me.take_error();
  HEARTH_TRY(checks::blob(c.avatar));
  emit(schema::CreateUserAvatarChanged(fbb_, cmd_->actor.value, blob(c.avatar)));
  return ack();
}

Outcome Decider::change_password(const cmd::ChangePassword& c) {
  // Self, or the system (a bcrypt digest rehashed at sign-in; the admin reset script).
  if (cmd_->actor != kSystemActor) {
    auto me = person();
    if (!me) return me.take_error();
    if (c.user != cmd_->actor) return forbidden("you may only change your own password");
    if (c.rehash) return forbidden("only the system rehashes a password");
  }
  auto* u = model_.user(c.user);
  if (!u || u->role == Role::kBot) return not_found("no such user");
  HEARTH_TRY(checks::text("password", c.password_digest, 1024, true));
  emit(schema::CreatePasswordChanged(fbb_, c.user.value, fbb_.CreateString(c.password_digest)));
  // The other sessions end in the same transaction: no moment where the new password is in force
  // and a session opened with the old one still is.
  if (!c.rehash) emit_sessions_ended(c.user, c.keep_session);
  return ack();
}

Outcome Decider::change_role(const cmd::ChangeRole& c) {
  HEARTH_TRY(administrator());
  auto* u = model_.user(c.user);
  if (!u || !u->active()) return not_found("no such user");
  if (u->role == Role::kBot) return invalid("a bot's role can't be changed");
  if (c.role != Role::kMember && c.role != Role::kAdministrator) return invalid("role must be member or administrator");
  if (u->role == c.role) return ack(c.user.value);
  emit(schema::CreateRoleChanged(fbb_, c.user.value, to_schema(c.role)));
  return ack();
}

Outcome Decider::deactivate_user(const cmd::DeactivateUser& c) {
  HEARTH_TRY(administrator());
  auto* u = model_.user(c.user);
  if (!u) return not_found("no such user");
  if (u->status == UserStatus::kDeactivated) return conflict("already deactivated");
  // Campfire frees the address for a new signup: local-deactivated-<uuid>@domain.
  std::string email;
  if (!u->email.empty()) {
    auto at = u->email.find('@');
    std::string hex;
    uint8_t bytes[16];
    random_.fill(bytes);
    static constexpr char kHex[] = "0123456789abcdef";
    for (int i = 0; i < 16; ++i) {
      if (i == 4 || i == 6 || i == 8 || i == 10) hex.push_back('-');
      hex.push_back(kHex[bytes[i] >> 4]);
      hex.push_back(kHex[bytes[i] & 15]);
    }
    email = u->email.substr(0, at) + "-deactivated-" + hex + u->email.substr(at);
  }
  // Gather the side effects before emitting: emit() changes the model as it goes.
  std::vector<RoomId> rooms;
  for (auto& [room_id, room] : model_.rooms) {
    if (room.kind != RoomKind::kDirect && room.members.contains(c.user)) rooms.push_back(room_id);
  }
  std::vector<PushSubscriptionId> pushes;
  for (auto& [pid, p] : model_.push_subscriptions) {
    if (p.user == c.user) pushes.push_back(pid);
  }
  emit(schema::CreateUserDeactivated(fbb_, c.user.value, fbb_.CreateString(email)));
  for (auto r : rooms) emit(schema::CreateMembershipRevoked(fbb_, r.value, c.user.value));
  emit_sessions_ended(c.user, SessionId{});
  for (auto p : pushes) emit(schema::CreatePushSubscriptionRemoved(fbb_, p.value, c.user.value));
  emit(schema::CreateSearchesCleared(fbb_, c.user.value));
  return ack();
}

Outcome Decider::ban_user(const cmd::BanUser& c) {
  HEARTH_TRY(administrator());
  auto* u = model_.user(c.user);
  if (!u || u->role == Role::kBot) return not_found("no such user");
  if (c.user == cmd_->actor) return invalid("you can't ban yourself");
  if (u->status != UserStatus::kActive) return conflict("only an active user can be banned");
  std::set<std::string> ips;
  for (auto& [sid, s] : model_.sessions) {
    if (s.user == c.user && !is_private_or_local_ip(s.ip_address)) ips.insert(s.ip_address);
  }
  auto messages = live_messages_by(c.user);
  if (!messages) return messages.take_error();
  std::vector<std::pair<MessageId, RoomId>> removals;
  for (auto id : *messages) {
    auto m = live_message(id);
    if (m) removals.emplace_back(id, m->room);
  }
  std::vector<flatbuffers::Offset<flatbuffers::String>> ip_offsets;
  for (auto& ip : ips) ip_offsets.push_back(fbb_.CreateString(ip));
  emit(schema::CreateUserBanned(fbb_, c.user.value, fbb_.CreateVector(ip_offsets)));
  emit_sessions_ended(c.user, SessionId{});
  // Campfire removes a banned user's messages in a background job that can be lost; here they go
  // in the same transaction as the ban.
  for (auto [mid, rid] : removals) emit(schema::CreateMessageRemoved(fbb_, mid.value, rid.value));
  return ack();
}

Outcome Decider::unban_user(const cmd::UnbanUser& c) {
  HEARTH_TRY(administrator());
  auto* u = model_.user(c.user);
  if (!u) return not_found("no such user");
  if (u->status != UserStatus::kBanned) return conflict("the user is not banned");
  // A room created or opened during the ban granted only the active users (2.5). Every active
  // user is a member of every open room, so the unban grants the ones missed, in this command:
  // the log itself says so, and the projections and the write model follow by folding it.
  std::vector<RoomId> missed;
  for (auto& [room_id, room] : model_.rooms) {
    if (room.kind == RoomKind::kOpen && !room.members.contains(c.user)) missed.push_back(room_id);
  }
  emit(schema::CreateUserUnbanned(fbb_, c.user.value));
  for (auto r : missed) emit_grant(r, c.user, Involvement::kMentions);
  return ack();
}

Outcome Decider::start_session(const cmd::StartSession& c) {
  auto me = person();  // bots have no password and never sign in
  if (!me) return me.take_error();
  HEARTH_TRY(checks::text("user agent", c.user_agent, limits::kUserAgentBytes, false));
  HEARTH_TRY(checks::text("ip address", c.ip_address, 64, false));
  std::string token;
  emit_session(cmd_->actor, c.ip_address, c.user_agent, token);
  Ack a = ack();
  a.secret = std::move(token);
  return a;
}

Outcome Decider::end_session(const cmd::EndSession& c) {
  auto it = model_.session_by_token.find(c.token_hash);
  if (it == model_.session_by_token.end()) return not_found("no such session");
  auto& s = model_.sessions.at(it->second);
  if (cmd_->actor != kSystemActor && s.user != cmd_->actor) return not_found("no such session");
  emit(schema::CreateSessionEnded(fbb_, it->second.value, s.user.value));
  return ack();
}

Outcome Decider::end_other_sessions(const cmd::EndOtherSessions& c) {
  auto me = person();
  if (!me) return me.take_error();
  emit_sessions_ended(cmd_->actor, c.keep);
  return ack();
}

void Decider::emit_sessions_ended(UserId user, SessionId keep) {
  // Gathered first: emit() folds each event into the model, which erases from this map.
  std::vector<SessionId> ending;
  for (auto& [sid, s] : model_.sessions) {
    if (s.user == user && sid != keep) ending.push_back(sid);
  }
  for (auto s : ending) emit(schema::CreateSessionEnded(fbb_, s.value, user.value));
}

}  // namespace hearth
