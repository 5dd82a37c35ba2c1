#include "support/event_builders.h"

#include <utility>

#include "core/events/event_view.h"

namespace hearth::testing {
namespace {

using flatbuffers::FlatBufferBuilder;
using flatbuffers::Offset;

template <class O>
struct TableOf;
template <class T>
struct TableOf<Offset<T>> {
  using type = T;
};

// Builds one Event whose payload is the table `make` creates; the union code comes from the
// table's type, so a builder cannot mislabel its event.
template <class Make>
StoredEvent build(Make make) {
  FlatBufferBuilder b(256);
  auto table = make(b);
  using Table = typename TableOf<decltype(table)>::type;
  constexpr schema::Payload code = schema::PayloadTraits<Table>::enum_value;
  b.Finish(schema::CreateEvent(b, code, table.Union()));
  StoredEvent e;
  e.type = static_cast<uint32_t>(code);
  e.payload.assign(b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize());
  return e;
}

Offset<flatbuffers::String> s(FlatBufferBuilder& b, const std::string& v) { return b.CreateString(v); }

Offset<schema::BlobRef> blob(FlatBufferBuilder& b, const std::optional<Blob>& v) {
  if (!v) return 0;
  return schema::CreateBlobRef(b, s(b, v->content_hash), v->byte_size, s(b, v->content_type), s(b, v->filename));
}

Offset<flatbuffers::Vector<int64_t>> ids(FlatBufferBuilder& b, const std::vector<UserId>& users) {
  std::vector<int64_t> raw;
  raw.reserve(users.size());
  for (auto u : users) raw.push_back(u.value);
  return b.CreateVector(raw);
}

}  // namespace

StoredEvent at(StoredEvent e, int64_t time_us, UserId actor) {
  e.time_us = time_us;
  e.actor = actor;
  return e;
}

// ---- the account ----

StoredEvent account_created(std::string name, std::string join_code) {
  return build([&](auto& b) { return schema::CreateAccountCreated(b, s(b, name), s(b, join_code)); });
}
StoredEvent account_renamed(std::string name) {
  return build([&](auto& b) { return schema::CreateAccountRenamed(b, s(b, name)); });
}
StoredEvent account_logo_changed(std::optional<Blob> logo) {
  return build([&](auto& b) { return schema::CreateAccountLogoChanged(b, blob(b, logo)); });
}
StoredEvent account_custom_styles_changed(std::string css) {
  return build([&](auto& b) { return schema::CreateAccountCustomStylesChanged(b, s(b, css)); });
}
StoredEvent account_settings_changed(bool restrict_room_creation_to_administrators) {
  return build([&](auto& b) {
    return schema::CreateAccountSettingsChanged(b, restrict_room_creation_to_administrators);
  });
}
StoredEvent join_code_reset(std::string join_code) {
  return build([&](auto& b) { return schema::CreateJoinCodeReset(b, s(b, join_code)); });
}

// ---- users and bots ----

StoredEvent user_joined(UserId user, std::string name, std::string email, Role role, std::string password_digest) {
  return build([&](auto& b) {
    return schema::CreateUserJoined(b, user.value, s(b, name), s(b, email), s(b, password_digest), to_schema(role));
  });
}
StoredEvent bot_created(UserId user, std::string name, std::string bot_token_hash, std::string webhook_url,
                        std::string token_sealed) {
  return build([&](auto& b) {
    auto sealed = b.CreateVector(reinterpret_cast<const uint8_t*>(token_sealed.data()), token_sealed.size());
    return schema::CreateBotCreated(b, user.value, s(b, name), s(b, bot_token_hash), s(b, webhook_url), sealed);
  });
}
StoredEvent user_profile_changed(UserId user, std::string name, std::string email, std::string bio) {
  return build([&](auto& b) {
    return schema::CreateUserProfileChanged(b, user.value, s(b, name), s(b, email), s(b, bio));
  });
}
StoredEvent user_avatar_changed(UserId user, std::optional<Blob> avatar) {
  return build([&](auto& b) { return schema::CreateUserAvatarChanged(b, user.value, blob(b, avatar)); });
}
StoredEvent password_changed(UserId user, std::string password_digest) {
  return build([&](auto& b) { return schema::CreatePasswordChanged(b, user.value, s(b, password_digest)); });
}
StoredEvent role_changed(UserId user, Role role) {
  return build([&](auto& b) { return schema::CreateRoleChanged(b, user.value, to_schema(role)); });
}
StoredEvent user_deactivated(UserId user, std::string rewritten_email) {
  return build([&](auto& b) { return schema::CreateUserDeactivated(b, user.value, s(b, rewritten_email)); });
}
StoredEvent user_banned(UserId user, std::vector<std::string> ip_addresses) {
  return build([&](auto& b) {
    std::vector<Offset<flatbuffers::String>> ips;
    for (auto& ip : ip_addresses) ips.push_back(s(b, ip));
    return schema::CreateUserBanned(b, user.value, b.CreateVector(ips));
  });
}
StoredEvent user_unbanned(UserId user) {
  return build([&](auto& b) { return schema::CreateUserUnbanned(b, user.value); });
}
StoredEvent bot_key_reset(UserId user, std::string bot_token_hash, std::string token_sealed) {
  return build([&](auto& b) {
    auto sealed = b.CreateVector(reinterpret_cast<const uint8_t*>(token_sealed.data()), token_sealed.size());
    return schema::CreateBotKeyReset(b, user.value, s(b, bot_token_hash), sealed);
  });
}
StoredEvent webhook_set(UserId user, std::string url) {
  return build([&](auto& b) { return schema::CreateWebhookSet(b, user.value, s(b, url)); });
}

// ---- sessions ----

StoredEvent session_started(SessionId session, UserId user, std::string token_hash, std::string ip_address,
                            std::string user_agent) {
  return build([&](auto& b) {
    return schema::CreateSessionStarted(b, session.value, user.value, s(b, token_hash), s(b, ip_address),
                                        s(b, user_agent));
  });
}
StoredEvent session_ended(SessionId session, UserId user) {
  return build([&](auto& b) { return schema::CreateSessionEnded(b, session.value, user.value); });
}

// ---- rooms and memberships ----

StoredEvent room_created(RoomId room, RoomKind kind, std::string name, UserId creator) {
  return build([&](auto& b) {
    return schema::CreateRoomCreated(b, room.value, to_schema(kind), s(b, name), creator.value);
  });
}
StoredEvent room_renamed(RoomId room, std::string name) {
  return build([&](auto& b) { return schema::CreateRoomRenamed(b, room.value, s(b, name)); });
}
StoredEvent room_converted(RoomId room, RoomKind kind) {
  return build([&](auto& b) { return schema::CreateRoomConverted(b, room.value, to_schema(kind)); });
}
StoredEvent room_deleted(RoomId room) {
  return build([&](auto& b) { return schema::CreateRoomDeleted(b, room.value); });
}
StoredEvent membership_granted(RoomId room, UserId user, Involvement involvement) {
  return build([&](auto& b) {
    return schema::CreateMembershipGranted(b, room.value, user.value, to_schema(involvement));
  });
}
StoredEvent membership_revoked(RoomId room, UserId user) {
  return build([&](auto& b) { return schema::CreateMembershipRevoked(b, room.value, user.value); });
}
StoredEvent involvement_changed(RoomId room, UserId user, Involvement involvement) {
  return build([&](auto& b) {
    return schema::CreateInvolvementChanged(b, room.value, user.value, to_schema(involvement));
  });
}
StoredEvent room_read(RoomId room, UserId user) {
  return build([&](auto& b) { return schema::CreateRoomRead(b, room.value, user.value); });
}

// ---- messages and boosts ----

StoredEvent message_posted(MessageId message, RoomId room, UserId creator, std::string plain, PostExtras extras) {
  if (extras.client_message_id.empty()) extras.client_message_id = "c" + std::to_string(message.value);
  if (extras.body_html.empty()) extras.body_html = "<p>" + plain + "</p>";
  return build([&](auto& b) {
    return schema::CreateMessagePosted(b, message.value, room.value, creator.value, s(b, extras.client_message_id),
                                       s(b, extras.body_html), s(b, plain), ids(b, extras.mentions),
                                       blob(b, extras.attachment), ids(b, extras.unread));
  });
}
StoredEvent message_edited(MessageId message, RoomId room, std::string plain, std::vector<UserId> mentions,
                           std::string body_html) {
  if (body_html.empty()) body_html = "<p>" + plain + "</p>";
  return build([&](auto& b) {
    return schema::CreateMessageEdited(b, message.value, room.value, s(b, body_html), s(b, plain), ids(b, mentions));
  });
}
StoredEvent message_removed(MessageId message, RoomId room) {
  return build([&](auto& b) { return schema::CreateMessageRemoved(b, message.value, room.value); });
}
StoredEvent boost_added(BoostId boost, MessageId message, RoomId room, UserId booster, std::string content) {
  return build([&](auto& b) {
    return schema::CreateBoostAdded(b, boost.value, message.value, room.value, booster.value, s(b, content));
  });
}
StoredEvent boost_removed(BoostId boost, MessageId message, RoomId room) {
  return build([&](auto& b) { return schema::CreateBoostRemoved(b, boost.value, message.value, room.value); });
}

// ---- searches and push subscriptions ----

StoredEvent search_recorded(UserId user, std::string query) {
  return build([&](auto& b) { return schema::CreateSearchRecorded(b, user.value, s(b, query)); });
}
StoredEvent searches_cleared(UserId user) {
  return build([&](auto& b) { return schema::CreateSearchesCleared(b, user.value); });
}
StoredEvent push_subscription_added(PushSubscriptionId subscription, UserId user, std::string endpoint,
                                    std::string p256dh_key, std::string auth_key, std::string user_agent) {
  return build([&](auto& b) {
    return schema::CreatePushSubscriptionAdded(b, subscription.value, user.value, s(b, endpoint), s(b, p256dh_key),
                                               s(b, auth_key), s(b, user_agent));
  });
}
StoredEvent push_subscription_removed(PushSubscriptionId subscription, UserId user) {
  return build([&](auto& b) { return schema::CreatePushSubscriptionRemoved(b, subscription.value, user.value); });
}

}  // namespace hearth::testing
