#pragma once
// Internal to projections/: the prepared statements and per-event functions behind
// Projector::apply and apply_event. Not part of the public interface.
#include <array>
#include <utility>
#include <vector>
#include <cstddef>

#include "core/events/event_view.h"
#include "core/sqlite/db.h"
#include "core/write_model/write_model.h"

namespace hearth::projection {

// Every statement the fold executes, prepared once per connection (a bench pushes tens of
// thousands of MessagePosted per second through here; re-preparing would dominate).
enum class Q : size_t {
  kAccountCreate, kAccountRename, kAccountLogo, kAccountCss, kAccountSettings, kAccountJoinCode,
  kUserJoin, kBotCreate, kUserProfile, kUserAvatar, kUserPassword, kUserRole, kUserDeactivate,
  kUserStatus, kBanInsert, kBanDeleteUser, kBotKey, kWebhook,
  kSessionInsert, kSessionDelete,
  kRoomCreate, kRoomRename, kRoomConvert, kRoomTouch, kRoomDeleteMessages,
  kRoomDeleteMemberships, kRoomDelete,
  kMemberGrant, kMemberRevoke, kMemberInvolvement, kMemberRead, kMemberUnread,
  kMessageInsert, kSearchInsert, kMessageEdit, kMessageDelete, kMentionInsert, kMentionDeleteMessage,
  kBoostInsert, kBoostDelete,
  kSearchUpsert, kSearchTrim, kSearchClear,
  kPushUpsert, kPushDelete,
  kStatusHistorySet, kStatusHistoryChange, kRoomHistorySet, kRoomHistoryChange, kRoomHistoryDelete,
  kMemberHistoryEndAll, kMemberHistoryGrant, kMemberHistoryRevoke,
  kCountersRead, kCountersWrite, kAppliedSeqRead, kAppliedSeqWrite,
  kCount
};

class Applier {
 public:
  // Prepares every statement and reads the id counters. REQUIRES: the schema exists.
  static Result<Applier> open(sqlite::Db& db);

  // Verifies the payload (kCorruption naming the seq) and folds it in. Call inside a
  // transaction; id counters are kept in memory until flush_counters().
  Status apply(const StoredEvent& e);
  // Ends a batch inside its transaction: writes the rooms' updated_at touched by the batch and the
  // id counters if an event moved them.
  Status finish();
  // Records that `room` was touched at `t`; written by finish().
  void touch(int64_t room, int64_t t) {
    for (auto& [r, at] : touched_rooms_) {
      if (r == room) {
        at = t;
        return;
      }
    }
    touched_rooms_.emplace_back(room, t);
  }
  // Re-reads the counters after a rolled-back transaction left the memory copy ahead.
  Status reload_counters();

  sqlite::Stmt& stmt(Q q) { return stmts_[static_cast<size_t>(q)]; }
  sqlite::Db& db() { return *db_; }
  void bump(int64_t IdCounters::*counter, int64_t id) {
    if (id > counters_.*counter) {
      counters_.*counter = id;
      counters_dirty_ = true;
    }
  }

 private:
  explicit Applier(sqlite::Db& db) : db_(&db) {}
  sqlite::Db* db_;
  std::array<sqlite::Stmt, static_cast<size_t>(Q::kCount)> stmts_;
  Status flush_counters();
  IdCounters counters_;
  bool counters_dirty_ = false;
  std::vector<std::pair<int64_t, int64_t>> touched_rooms_;  // (room, time) in first-touch order; few per batch
};

// A FlatBuffers string for binding: never a null pointer, which SQLite would store as NULL.
inline std::string_view str(const flatbuffers::String* s) { return s ? sv(s) : std::string_view(""); }

// Binds a BlobRef to four consecutive parameters (hash, size, type, filename); NULLs if absent.
void bind_blob_ref(sqlite::Stmt& s, int first, const schema::BlobRef* blob);

// Appends the *_history rows (state_schema.cc) for one event. Runs BEFORE the event's own
// function: a room's deletion must still see its members, a revocation its membership.
Status record_history(Applier& a, int64_t seq, const schema::Event& ev);

// One function per event, grouped by entity. `t` is the event's time_us, the only clock (I3).
Status apply_account_created(Applier& a, int64_t t, const schema::AccountCreated& e);
Status apply_account_renamed(Applier& a, int64_t t, const schema::AccountRenamed& e);
Status apply_account_logo_changed(Applier& a, int64_t t, const schema::AccountLogoChanged& e);
Status apply_account_custom_styles_changed(Applier& a, int64_t t, const schema::AccountCustomStylesChanged& e);
Status apply_account_settings_changed(Applier& a, int64_t t, const schema::AccountSettingsChanged& e);
Status apply_join_code_reset(Applier& a, int64_t t, const schema::JoinCodeReset& e);

Status apply_user_joined(Applier& a, int64_t t, const schema::UserJoined& e);
Status apply_bot_created(Applier& a, int64_t t, const schema::BotCreated& e);
Status apply_user_profile_changed(Applier& a, int64_t t, const schema::UserProfileChanged& e);
Status apply_user_avatar_changed(Applier& a, int64_t t, const schema::UserAvatarChanged& e);
Status apply_password_changed(Applier& a, int64_t t, const schema::PasswordChanged& e);
Status apply_role_changed(Applier& a, int64_t t, const schema::RoleChanged& e);
Status apply_user_deactivated(Applier& a, int64_t t, const schema::UserDeactivated& e);
Status apply_user_banned(Applier& a, int64_t t, const schema::UserBanned& e);
Status apply_user_unbanned(Applier& a, int64_t t, const schema::UserUnbanned& e);
Status apply_bot_key_reset(Applier& a, int64_t t, const schema::BotKeyReset& e);
Status apply_webhook_set(Applier& a, int64_t t, const schema::WebhookSet& e);

Status apply_session_started(Applier& a, int64_t t, const schema::SessionStarted& e);
Status apply_session_ended(Applier& a, const schema::SessionEnded& e);

Status apply_search_recorded(Applier& a, int64_t seq, int64_t t, const schema::SearchRecorded& e);
Status apply_searches_cleared(Applier& a, const schema::SearchesCleared& e);
Status apply_push_subscription_added(Applier& a, int64_t t, const schema::PushSubscriptionAdded& e);
Status apply_push_subscription_removed(Applier& a, const schema::PushSubscriptionRemoved& e);

Status apply_room_created(Applier& a, int64_t t, const schema::RoomCreated& e);
Status apply_room_renamed(Applier& a, int64_t t, const schema::RoomRenamed& e);
Status apply_room_converted(Applier& a, int64_t t, const schema::RoomConverted& e);
Status apply_room_deleted(Applier& a, const schema::RoomDeleted& e);

Status apply_membership_granted(Applier& a, int64_t t, const schema::MembershipGranted& e);
Status apply_membership_revoked(Applier& a, const schema::MembershipRevoked& e);
Status apply_involvement_changed(Applier& a, const schema::InvolvementChanged& e);
Status apply_room_read(Applier& a, const schema::RoomRead& e);

Status apply_message_posted(Applier& a, int64_t seq, int64_t t, const schema::MessagePosted& e);
Status apply_message_edited(Applier& a, int64_t t, const schema::MessageEdited& e);
Status apply_message_removed(Applier& a, int64_t t, const schema::MessageRemoved& e);
Status apply_boost_added(Applier& a, int64_t t, const schema::BoostAdded& e);
Status apply_boost_removed(Applier& a, int64_t t, const schema::BoostRemoved& e);

}  // namespace hearth::projection
