#include "projections/event_applier.h"

#include <string>

namespace hearth::projection {
namespace {

// A switch rather than an array so the compiler flags a Q without its SQL.
const char* sql_for(Q q) {
  switch (q) {
    case Q::kAccountCreate:
      return "INSERT INTO account (id, name, join_code, created_at_us, updated_at_us) VALUES (1, ?1, ?2, ?3, ?3) "
             "ON CONFLICT (id) DO UPDATE SET name = ?1, join_code = ?2, updated_at_us = ?3";
    case Q::kAccountRename: return "UPDATE account SET name = ?1, updated_at_us = ?2";
    case Q::kAccountLogo:
      return "UPDATE account SET logo_hash = ?1, logo_size = ?2, logo_content_type = ?3, logo_filename = ?4, "
             "updated_at_us = ?5";
    case Q::kAccountCss: return "UPDATE account SET custom_css = ?1, updated_at_us = ?2";
    case Q::kAccountSettings: return "UPDATE account SET restrict_room_creation = ?1, updated_at_us = ?2";
    case Q::kAccountJoinCode: return "UPDATE account SET join_code = ?1, updated_at_us = ?2";

    // Upserts set only what WriteModel::apply sets, so a re-used id folds the same way in both.
    case Q::kUserJoin:
      return "INSERT INTO users (id, name, email, password_digest, role, status, created_at_us, updated_at_us) "
             "VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?6) ON CONFLICT (id) DO UPDATE SET name = ?2, email = ?3, "
             "password_digest = ?4, role = ?5, status = 0, updated_at_us = ?6";
    case Q::kBotCreate:
      return "INSERT INTO users (id, name, role, status, bot_token_hash, webhook_url, bot_token_sealed, created_at_us, "
             "updated_at_us) VALUES (?1, ?2, 2, 0, ?3, ?4, ?6, ?5, ?5) ON CONFLICT (id) DO UPDATE SET name = ?2, "
             "role = 2, status = 0, bot_token_hash = ?3, webhook_url = ?4, bot_token_sealed = ?6, updated_at_us = ?5";
    case Q::kUserProfile:
      return "UPDATE users SET name = ?2, email = ?3, bio = ?4, updated_at_us = ?5 WHERE id = ?1";
    case Q::kUserAvatar:
      return "UPDATE users SET avatar_hash = ?2, avatar_size = ?3, avatar_content_type = ?4, "
             "avatar_filename = ?5, updated_at_us = ?6 WHERE id = ?1";
    case Q::kUserPassword: return "UPDATE users SET password_digest = ?2, updated_at_us = ?3 WHERE id = ?1";
    case Q::kUserRole: return "UPDATE users SET role = ?2, updated_at_us = ?3 WHERE id = ?1";
    case Q::kUserDeactivate:
      return "UPDATE users SET status = 1, email = ?2, updated_at_us = ?3 WHERE id = ?1";
    case Q::kUserStatus: return "UPDATE users SET status = ?2, updated_at_us = ?3 WHERE id = ?1";
    case Q::kBanInsert: return "INSERT OR IGNORE INTO bans (user_id, ip_address) VALUES (?1, ?2)";
    case Q::kBanDeleteUser: return "DELETE FROM bans WHERE user_id = ?1";
    case Q::kBotKey:
      return "UPDATE users SET bot_token_hash = ?2, updated_at_us = ?3, bot_token_sealed = ?4 WHERE id = ?1";
    case Q::kWebhook: return "UPDATE users SET webhook_url = ?2, updated_at_us = ?3 WHERE id = ?1";

    case Q::kSessionInsert:
      return "INSERT OR REPLACE INTO sessions (id, user_id, token_hash, ip, user_agent, created_at_us) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    case Q::kSessionDelete: return "DELETE FROM sessions WHERE id = ?1";

    case Q::kRoomCreate:
      return "INSERT INTO rooms (id, kind, name, creator_id, created_at_us, updated_at_us) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (id) DO UPDATE SET kind = ?2, name = ?3, "
             "creator_id = ?4, updated_at_us = ?5";
    case Q::kRoomRename: return "UPDATE rooms SET name = ?2 WHERE id = ?1";  // touched at finish()
    case Q::kRoomConvert: return "UPDATE rooms SET kind = ?2 WHERE id = ?1";
    case Q::kRoomTouch: return "UPDATE rooms SET updated_at_us = ?2 WHERE id = ?1";
    case Q::kRoomDeleteMessages: return "DELETE FROM messages WHERE room_id = ?1";  // triggers do the rest
    case Q::kRoomDeleteMemberships: return "DELETE FROM memberships WHERE room_id = ?1";
    case Q::kRoomDelete: return "DELETE FROM rooms WHERE id = ?1";

    // WriteModel ignores grants to rooms it does not have; so does this.
    case Q::kMemberGrant:
      return "INSERT INTO memberships (room_id, user_id, involvement, unread, created_at_us) "
             "SELECT ?1, ?2, ?3, 0, ?4 WHERE EXISTS (SELECT 1 FROM rooms WHERE id = ?1) "
             "ON CONFLICT (room_id, user_id) DO UPDATE SET involvement = ?3, unread = 0";
    case Q::kMemberRevoke: return "DELETE FROM memberships WHERE room_id = ?1 AND user_id = ?2";
    case Q::kMemberInvolvement:
      return "UPDATE memberships SET involvement = ?3 WHERE room_id = ?1 AND user_id = ?2";
    case Q::kMemberRead: return "UPDATE memberships SET unread = 0 WHERE room_id = ?1 AND user_id = ?2";
    case Q::kMemberUnread: return "UPDATE memberships SET unread = 1 WHERE room_id = ?1 AND user_id = ?2";

    case Q::kMessageInsert:
      return "INSERT INTO messages (id, room_id, creator_id, client_message_id, body_html, plain_text, "
             "attachment_hash, attachment_size, attachment_content_type, attachment_filename, attachment_width, "
             "attachment_height, created_at_us, updated_at_us, seq) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?13, ?14, ?11, ?11, ?12)";
    case Q::kMessageEdit:
      return "UPDATE messages SET body_html = ?2, plain_text = ?3, updated_at_us = ?4 WHERE id = ?1";
    case Q::kSearchInsert: return "INSERT INTO message_search (rowid, plain_text) VALUES (?1, ?2)";
    case Q::kMessageDelete: return "DELETE FROM messages WHERE id = ?1";  // triggers do the rest
    case Q::kMentionInsert:
      return "INSERT OR IGNORE INTO message_mentions (message_id, user_id) VALUES (?1, ?2)";
    case Q::kMentionDeleteMessage: return "DELETE FROM message_mentions WHERE message_id = ?1";

    case Q::kBoostInsert:
      return "INSERT OR REPLACE INTO boosts (id, message_id, room_id, booster_id, content, created_at_us) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    case Q::kBoostDelete: return "DELETE FROM boosts WHERE id = ?1";

    case Q::kSearchUpsert:
      return "INSERT INTO searches (user_id, query, updated_at_us, seq) VALUES (?1, ?2, ?3, ?4) "
             "ON CONFLICT (user_id, query) DO UPDATE SET updated_at_us = ?3, seq = ?4";
    // Keeps the ?2 most recent: the subquery is NULL (nothing deleted) while there are fewer.
    case Q::kSearchTrim:
      return "DELETE FROM searches WHERE user_id = ?1 AND seq < (SELECT seq FROM searches WHERE user_id = ?1 "
             "ORDER BY seq DESC LIMIT 1 OFFSET ?2 - 1)";
    case Q::kSearchClear: return "DELETE FROM searches WHERE user_id = ?1";

    case Q::kPushUpsert:
      return "INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh_key, auth_key, user_agent, "
             "created_at_us, updated_at_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) ON CONFLICT (id) DO UPDATE "
             "SET user_id = ?2, endpoint = ?3, p256dh_key = ?4, auth_key = ?5, user_agent = ?6, updated_at_us = ?7";
    case Q::kPushDelete: return "DELETE FROM push_subscriptions WHERE id = ?1";

    // History: each "...Change" writes only when WriteModel::apply would find its subject.
    case Q::kStatusHistorySet:
      return "INSERT INTO user_status_history (user_id, seq, status) VALUES (?1, ?2, ?3)";
    case Q::kStatusHistoryChange:
      return "INSERT INTO user_status_history (user_id, seq, status) SELECT ?1, ?2, ?3 "
             "WHERE EXISTS (SELECT 1 FROM users WHERE id = ?1)";
    case Q::kRoomHistorySet: return "INSERT INTO room_history (room_id, seq, kind) VALUES (?1, ?2, ?3)";
    case Q::kRoomHistoryChange:
      return "INSERT INTO room_history (room_id, seq, kind) SELECT ?1, ?2, ?3 "
             "WHERE EXISTS (SELECT 1 FROM rooms WHERE id = ?1)";
    case Q::kRoomHistoryDelete:
      return "INSERT INTO room_history (room_id, seq, kind) SELECT ?1, ?2, NULL "
             "WHERE EXISTS (SELECT 1 FROM rooms WHERE id = ?1)";
    case Q::kMemberHistoryEndAll:
      return "INSERT INTO membership_history (user_id, room_id, seq, member) "
             "SELECT user_id, room_id, ?2, 0 FROM memberships WHERE room_id = ?1";
    case Q::kMemberHistoryGrant:
      return "INSERT INTO membership_history (user_id, room_id, seq, member) SELECT ?1, ?2, ?3, 1 "
             "WHERE EXISTS (SELECT 1 FROM rooms WHERE id = ?2)";
    case Q::kMemberHistoryRevoke:
      return "INSERT INTO membership_history (user_id, room_id, seq, member) SELECT ?1, ?2, ?3, 0 "
             "WHERE EXISTS (SELECT 1 FROM memberships WHERE room_id = ?2 AND user_id = ?1)";
    case Q::kCountersRead:
      return "SELECT user, room, message, boost, session, push_subscription FROM id_counters WHERE id = 1";
    case Q::kCountersWrite:
      return "UPDATE id_counters SET user = ?1, room = ?2, message = ?3, boost = ?4, session = ?5, "
             "push_subscription = ?6 WHERE id = 1";
    case Q::kAppliedSeqRead: return "SELECT applied_seq FROM meta WHERE id = 1";
    case Q::kAppliedSeqWrite: return "UPDATE meta SET applied_seq = ?1 WHERE id = 1";
    case Q::kCount: break;
  }
  return "";
}

}  // namespace

Result<Applier> Applier::open(sqlite::Db& db) {
  Applier a(db);
  for (size_t i = 0; i < a.stmts_.size(); ++i) {
    auto s = db.prepare(sql_for(static_cast<Q>(i)));
    if (!s) return s.take_error();
    a.stmts_[i] = std::move(*s);
  }
  HEARTH_TRY(a.reload_counters());
  return a;
}

Status Applier::reload_counters() {
  auto& s = stmt(Q::kCountersRead);
  auto row = s.step();
  if (!row) return row.take_error();
  counters_ = IdCounters{};
  if (*row) {
    counters_.user = s.col_int(0);
    counters_.room = s.col_int(1);
    counters_.message = s.col_int(2);
    counters_.boost = s.col_int(3);
    counters_.session = s.col_int(4);
    counters_.push_subscription = s.col_int(5);
  }
  s.reset();
  counters_dirty_ = false;
  touched_rooms_.clear();
  return ok_status();
}

Status Applier::finish() {
  // A room's updated_at is the time of the last event that touched it, in seq order; writing it
  // once per batch gives the same row as writing it per event (a rebuild applies other batch
  // sizes, and `replay diff` holds them equal), minus an UPDATE per message.
  auto& touch = stmt(Q::kRoomTouch);
  for (auto [room, t] : touched_rooms_) {
    touch.bind(1, room).bind(2, t);
    HEARTH_TRY(touch.run());
  }
  touched_rooms_.clear();
  return flush_counters();
}

Status Applier::flush_counters() {
  if (!counters_dirty_) return ok_status();
  auto& s = stmt(Q::kCountersWrite);
  s.bind(1, counters_.user).bind(2, counters_.room).bind(3, counters_.message).bind(4, counters_.boost);
  s.bind(5, counters_.session).bind(6, counters_.push_subscription);
  HEARTH_TRY(s.run());
  counters_dirty_ = false;
  return ok_status();
}

void bind_blob_ref(sqlite::Stmt& s, int first, const schema::BlobRef* blob) {
  if (!blob) {
    for (int i = 0; i < 4; ++i) s.bind_null(first + i);
    return;
  }
  s.bind(first, str(blob->content_hash()));
  s.bind(first + 1, static_cast<int64_t>(blob->byte_size()));
  s.bind(first + 2, str(blob->content_type()));
  s.bind(first + 3, str(blob->filename()));
}

Status Applier::apply(const StoredEvent& e) {
  auto viewed = view_event(e);
  if (!viewed) return viewed.take_error();
  const schema::Event& ev = **viewed;
  const int64_t t = e.time_us;
  const int64_t seq = e.seq.value;
  using P = schema::Payload;
  // The verifier accepts a union type whose table is absent; every case below reads the table.
  if (!ev.payload()) {
    return Error{ErrorCode::kCorruption, "event at seq " + std::to_string(seq) + ": payload table missing"};
  }
  HEARTH_TRY(record_history(*this, seq, ev));
  switch (ev.payload_type()) {
    case P::AccountCreated: return apply_account_created(*this, t, *ev.payload_as_AccountCreated());
    case P::AccountRenamed: return apply_account_renamed(*this, t, *ev.payload_as_AccountRenamed());
    case P::AccountLogoChanged: return apply_account_logo_changed(*this, t, *ev.payload_as_AccountLogoChanged());
    case P::AccountCustomStylesChanged:
      return apply_account_custom_styles_changed(*this, t, *ev.payload_as_AccountCustomStylesChanged());
    case P::AccountSettingsChanged:
      return apply_account_settings_changed(*this, t, *ev.payload_as_AccountSettingsChanged());
    case P::JoinCodeReset: return apply_join_code_reset(*this, t, *ev.payload_as_JoinCodeReset());
    case P::UserJoined: return apply_user_joined(*this, t, *ev.payload_as_UserJoined());
    case P::BotCreated: return apply_bot_created(*this, t, *ev.payload_as_BotCreated());
    case P::UserProfileChanged: return apply_user_profile_changed(*this, t, *ev.payload_as_UserProfileChanged());
    case P::UserAvatarChanged: return apply_user_avatar_changed(*this, t, *ev.payload_as_UserAvatarChanged());
    case P::PasswordChanged: return apply_password_changed(*this, t, *ev.payload_as_PasswordChanged());
    case P::RoleChanged: return apply_role_changed(*this, t, *ev.payload_as_RoleChanged());
    case P::UserDeactivated: return apply_user_deactivated(*this, t, *ev.payload_as_UserDeactivated());
    case P::UserBanned: return apply_user_banned(*this, t, *ev.payload_as_UserBanned());
    case P::UserUnbanned: return apply_user_unbanned(*this, t, *ev.payload_as_UserUnbanned());
    case P::BotKeyReset: return apply_bot_key_reset(*this, t, *ev.payload_as_BotKeyReset());
    case P::WebhookSet: return apply_webhook_set(*this, t, *ev.payload_as_WebhookSet());
    case P::SessionStarted: return apply_session_started(*this, t, *ev.payload_as_SessionStarted());
    case P::SessionEnded: return apply_session_ended(*this, *ev.payload_as_SessionEnded());
    case P::RoomCreated: return apply_room_created(*this, t, *ev.payload_as_RoomCreated());
    case P::RoomRenamed: return apply_room_renamed(*this, t, *ev.payload_as_RoomRenamed());
    case P::RoomConverted: return apply_room_converted(*this, t, *ev.payload_as_RoomConverted());
    case P::RoomDeleted: return apply_room_deleted(*this, *ev.payload_as_RoomDeleted());
    case P::MembershipGranted: return apply_membership_granted(*this, t, *ev.payload_as_MembershipGranted());
    case P::MembershipRevoked: return apply_membership_revoked(*this, *ev.payload_as_MembershipRevoked());
    case P::InvolvementChanged: return apply_involvement_changed(*this, *ev.payload_as_InvolvementChanged());
    case P::RoomRead: return apply_room_read(*this, *ev.payload_as_RoomRead());
    case P::MessagePosted: return apply_message_posted(*this, seq, t, *ev.payload_as_MessagePosted());
    case P::MessageEdited: return apply_message_edited(*this, t, *ev.payload_as_MessageEdited());
    case P::MessageRemoved: return apply_message_removed(*this, t, *ev.payload_as_MessageRemoved());
    case P::BoostAdded: return apply_boost_added(*this, t, *ev.payload_as_BoostAdded());
    case P::BoostRemoved: return apply_boost_removed(*this, t, *ev.payload_as_BoostRemoved());
    case P::SearchRecorded: return apply_search_recorded(*this, seq, t, *ev.payload_as_SearchRecorded());
    case P::SearchesCleared: return apply_searches_cleared(*this, *ev.payload_as_SearchesCleared());
    case P::PushSubscriptionAdded:
      return apply_push_subscription_added(*this, t, *ev.payload_as_PushSubscriptionAdded());
    case P::PushSubscriptionRemoved:
      return apply_push_subscription_removed(*this, *ev.payload_as_PushSubscriptionRemoved());
    case P::NONE: break;
  }
  // The verifier accepts a union code this build does not know (a newer writer) or NONE; neither
  // can be folded, and skipping it would silently diverge from the log.
  return Error{ErrorCode::kCorruption, "event at seq " + std::to_string(seq) + ": payload type " +
                                           std::to_string(e.type) + " cannot be applied"};
}

}  // namespace hearth::projection
