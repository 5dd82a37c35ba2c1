// The fold of account, user, session, search and push-subscription events.
#include <span>

#include "core/commands/limits.h"
#include "projections/event_applier.h"

namespace hearth::projection {
namespace {

using sqlite::Stmt;

int64_t code(schema::Role r) { return static_cast<int64_t>(r); }

// NULL when the event has no sealed token (older logs, imported bots): that key is unrecoverable.
void bind_sealed(Stmt& s, int i, const flatbuffers::Vector<uint8_t>* sealed) {
  if (sealed == nullptr || sealed->size() == 0) {
    s.bind_null(i);
  } else {
    s.bind_blob(i, std::span<const uint8_t>(sealed->data(), sealed->size()));
  }
}

}  // namespace

// ---- the account ----

Status apply_account_created(Applier& a, int64_t t, const schema::AccountCreated& e) {
  Stmt& s = a.stmt(Q::kAccountCreate);
  s.bind(1, str(e.name())).bind(2, str(e.join_code())).bind(3, t);
  return s.run();
}

Status apply_account_renamed(Applier& a, int64_t t, const schema::AccountRenamed& e) {
  Stmt& s = a.stmt(Q::kAccountRename);
  s.bind(1, str(e.name())).bind(2, t);
  return s.run();
}

Status apply_account_logo_changed(Applier& a, int64_t t, const schema::AccountLogoChanged& e) {
  Stmt& s = a.stmt(Q::kAccountLogo);
  bind_blob_ref(s, 1, e.logo());
  s.bind(5, t);
  return s.run();
}

Status apply_account_custom_styles_changed(Applier& a, int64_t t, const schema::AccountCustomStylesChanged& e) {
  Stmt& s = a.stmt(Q::kAccountCss);
  s.bind_text_or_null(1, sv(e.css())).bind(2, t);
  return s.run();
}

Status apply_account_settings_changed(Applier& a, int64_t t, const schema::AccountSettingsChanged& e) {
  Stmt& s = a.stmt(Q::kAccountSettings);
  s.bind(1, int64_t{e.restrict_room_creation_to_administrators()}).bind(2, t);
  return s.run();
}

Status apply_join_code_reset(Applier& a, int64_t t, const schema::JoinCodeReset& e) {
  Stmt& s = a.stmt(Q::kAccountJoinCode);
  s.bind(1, str(e.join_code())).bind(2, t);
  return s.run();
}

// ---- users and bots ----
// Emails are NULL when empty (bots, and whatever a rewrite leaves blank): the loader reads NULL
// back as "", which is what WriteModel holds.

Status apply_user_joined(Applier& a, int64_t t, const schema::UserJoined& e) {
  a.bump(&IdCounters::user, e.user_id());
  Stmt& s = a.stmt(Q::kUserJoin);
  s.bind(1, e.user_id()).bind(2, str(e.name())).bind_text_or_null(3, sv(e.email()));
  s.bind_text_or_null(4, sv(e.password_digest())).bind(5, code(e.role())).bind(6, t);
  return s.run();
}

Status apply_bot_created(Applier& a, int64_t t, const schema::BotCreated& e) {
  a.bump(&IdCounters::user, e.user_id());
  Stmt& s = a.stmt(Q::kBotCreate);
  s.bind(1, e.user_id()).bind(2, str(e.name())).bind_text_or_null(3, sv(e.bot_token_hash()));
  s.bind_text_or_null(4, sv(e.webhook_url())).bind(5, t);
  bind_sealed(s, 6, e.token_sealed());
  return s.run();
}

Status apply_user_profile_changed(Applier& a, int64_t t, const schema::UserProfileChanged& e) {
  Stmt& s = a.stmt(Q::kUserProfile);
  s.bind(1, e.user_id()).bind(2, str(e.name())).bind_text_or_null(3, sv(e.email()));
  s.bind_text_or_null(4, sv(e.bio())).bind(5, t);
  return s.run();
}

Status apply_user_avatar_changed(Applier& a, int64_t t, const schema::UserAvatarChanged& e) {
  Stmt& s = a.stmt(Q::kUserAvatar);
  s.bind(1, e.user_id());
  bind_blob_ref(s, 2, e.avatar());
  s.bind(6, t);
  return s.run();
}

Status apply_password_changed(Applier& a, int64_t t, const schema::PasswordChanged& e) {
  Stmt& s = a.stmt(Q::kUserPassword);
  s.bind(1, e.user_id()).bind_text_or_null(2, sv(e.password_digest())).bind(3, t);
  return s.run();
}

Status apply_role_changed(Applier& a, int64_t t, const schema::RoleChanged& e) {
  Stmt& s = a.stmt(Q::kUserRole);
  s.bind(1, e.user_id()).bind(2, code(e.role())).bind(3, t);
  return s.run();
}

// Memberships, sessions, push subscriptions and searches end through their own events, which
// the sequencer emits alongside this one.
Status apply_user_deactivated(Applier& a, int64_t t, const schema::UserDeactivated& e) {
  Stmt& s = a.stmt(Q::kUserDeactivate);
  s.bind(1, e.user_id()).bind_text_or_null(2, sv(e.email())).bind(3, t);
  return s.run();
}

Status apply_user_banned(Applier& a, int64_t t, const schema::UserBanned& e) {
  Stmt& s = a.stmt(Q::kUserStatus);
  s.bind(1, e.user_id()).bind(2, static_cast<int64_t>(UserStatus::kBanned)).bind(3, t);
  HEARTH_TRY(s.run());
  if (!e.ip_addresses()) return ok_status();
  Stmt& ban = a.stmt(Q::kBanInsert);
  for (const auto* ip : *e.ip_addresses()) {
    if (sv(ip).empty()) continue;
    ban.bind(1, e.user_id()).bind(2, str(ip));
    HEARTH_TRY(ban.run());
  }
  return ok_status();
}

Status apply_user_unbanned(Applier& a, int64_t t, const schema::UserUnbanned& e) {
  Stmt& s = a.stmt(Q::kUserStatus);
  s.bind(1, e.user_id()).bind(2, static_cast<int64_t>(UserStatus::kActive)).bind(3, t);
  HEARTH_TRY(s.run());
  Stmt& unban = a.stmt(Q::kBanDeleteUser);
  unban.bind(1, e.user_id());
  return unban.run();
}

Status apply_bot_key_reset(Applier& a, int64_t t, const schema::BotKeyReset& e) {
  Stmt& s = a.stmt(Q::kBotKey);
  s.bind(1, e.user_id()).bind_text_or_null(2, sv(e.bot_token_hash())).bind(3, t);
  bind_sealed(s, 4, e.token_sealed());
  return s.run();
}

Status apply_webhook_set(Applier& a, int64_t t, const schema::WebhookSet& e) {
  Stmt& s = a.stmt(Q::kWebhook);
  s.bind(1, e.user_id()).bind_text_or_null(2, sv(e.url())).bind(3, t);
  return s.run();
}

// ---- sessions ----

Status apply_session_started(Applier& a, int64_t t, const schema::SessionStarted& e) {
  a.bump(&IdCounters::session, e.session_id());
  Stmt& s = a.stmt(Q::kSessionInsert);
  s.bind(1, e.session_id()).bind(2, e.user_id()).bind(3, str(e.token_hash()));
  s.bind(4, str(e.ip_address())).bind(5, str(e.user_agent())).bind(6, t);
  return s.run();
}

Status apply_session_ended(Applier& a, const schema::SessionEnded& e) {
  Stmt& s = a.stmt(Q::kSessionDelete);
  s.bind(1, e.session_id());
  return s.run();
}

// ---- searches and push subscriptions ----

Status apply_search_recorded(Applier& a, int64_t seq, int64_t t, const schema::SearchRecorded& e) {
  Stmt& s = a.stmt(Q::kSearchUpsert);
  s.bind(1, e.user_id()).bind(2, str(e.query())).bind(3, t).bind(4, seq);
  HEARTH_TRY(s.run());
  Stmt& trim = a.stmt(Q::kSearchTrim);
  trim.bind(1, e.user_id()).bind(2, static_cast<int64_t>(limits::kRecentSearches));
  return trim.run();
}

Status apply_searches_cleared(Applier& a, const schema::SearchesCleared& e) {
  Stmt& s = a.stmt(Q::kSearchClear);
  s.bind(1, e.user_id());
  return s.run();
}

Status apply_push_subscription_added(Applier& a, int64_t t, const schema::PushSubscriptionAdded& e) {
  a.bump(&IdCounters::push_subscription, e.subscription_id());
  Stmt& s = a.stmt(Q::kPushUpsert);
  s.bind(1, e.subscription_id()).bind(2, e.user_id()).bind(3, str(e.endpoint()));
  s.bind(4, str(e.p256dh_key())).bind(5, str(e.auth_key())).bind(6, str(e.user_agent())).bind(7, t);
  return s.run();
}

Status apply_push_subscription_removed(Applier& a, const schema::PushSubscriptionRemoved& e) {
  Stmt& s = a.stmt(Q::kPushDelete);
  s.bind(1, e.subscription_id());
  return s.run();
}

}  // namespace hearth::projection
