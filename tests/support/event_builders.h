#pragma once
// One builder per event type: each returns a StoredEvent with `type` and `payload` filled (a
// verified-shape FlatBuffer) and everything else zero, ready for EventLog::append, which assigns
// seq, checksum and chain. Use at() to set the time and actor the sequencer would decide.
#include <optional>
#include <string>
#include <vector>

#include "core/commands/commands.h"
#include "core/log/event_log.h"

namespace hearth::testing {

StoredEvent at(StoredEvent e, int64_t time_us, UserId actor = kSystemActor);

// ---- the account ----
StoredEvent account_created(std::string name, std::string join_code);
StoredEvent account_renamed(std::string name);
StoredEvent account_logo_changed(std::optional<Blob> logo);
StoredEvent account_custom_styles_changed(std::string css);
StoredEvent account_settings_changed(bool restrict_room_creation_to_administrators);
StoredEvent join_code_reset(std::string join_code);

// ---- users and bots ----
StoredEvent user_joined(UserId user, std::string name, std::string email, Role role = Role::kMember,
                        std::string password_digest = "$argon2id$test");
StoredEvent bot_created(UserId user, std::string name, std::string bot_token_hash, std::string webhook_url = "",
                        std::string token_sealed = "");
StoredEvent user_profile_changed(UserId user, std::string name, std::string email, std::string bio = "");
StoredEvent user_avatar_changed(UserId user, std::optional<Blob> avatar);
StoredEvent password_changed(UserId user, std::string password_digest);
StoredEvent role_changed(UserId user, Role role);
StoredEvent user_deactivated(UserId user, std::string rewritten_email);
StoredEvent user_banned(UserId user, std::vector<std::string> ip_addresses);
StoredEvent user_unbanned(UserId user);
StoredEvent bot_key_reset(UserId user, std::string bot_token_hash, std::string token_sealed = "");
StoredEvent webhook_set(UserId user, std::string url);

// ---- sessions ----
StoredEvent session_started(SessionId session, UserId user, std::string token_hash,
                            std::string ip_address = "203.0.113.7", std::string user_agent = "test");
StoredEvent session_ended(SessionId session, UserId user);

// ---- rooms and memberships ----
StoredEvent room_created(RoomId room, RoomKind kind, std::string name, UserId creator);
StoredEvent room_renamed(RoomId room, std::string name);
StoredEvent room_converted(RoomId room, RoomKind kind);
StoredEvent room_deleted(RoomId room);
StoredEvent membership_granted(RoomId room, UserId user, Involvement involvement = Involvement::kMentions);
StoredEvent membership_revoked(RoomId room, UserId user);
StoredEvent involvement_changed(RoomId room, UserId user, Involvement involvement);
StoredEvent room_read(RoomId room, UserId user);

// ---- messages and boosts ----
struct PostExtras {
  // Default member initializers let callers name only what they set ({.mentions = {...}})
  // without -Wmissing-field-initializers.
  std::string client_message_id{};  // empty: "c<message id>"
  std::string body_html{};          // empty: "<p>" + plain + "</p>"
  std::vector<UserId> mentions{};
  std::optional<Blob> attachment{};
  std::vector<UserId> unread{};     // memberships the post turns unread
};
StoredEvent message_posted(MessageId message, RoomId room, UserId creator, std::string plain,
                           PostExtras extras = {});
StoredEvent message_edited(MessageId message, RoomId room, std::string plain, std::vector<UserId> mentions = {},
                           std::string body_html = "");
StoredEvent message_removed(MessageId message, RoomId room);
StoredEvent boost_added(BoostId boost, MessageId message, RoomId room, UserId booster, std::string content);
StoredEvent boost_removed(BoostId boost, MessageId message, RoomId room);

// ---- searches and push subscriptions ----
StoredEvent search_recorded(UserId user, std::string query);
StoredEvent searches_cleared(UserId user);
StoredEvent push_subscription_added(PushSubscriptionId subscription, UserId user, std::string endpoint,
                                    std::string p256dh_key = "p256dh", std::string auth_key = "auth",
                                    std::string user_agent = "test");
StoredEvent push_subscription_removed(PushSubscriptionId subscription, UserId user);

}  // namespace hearth::testing
