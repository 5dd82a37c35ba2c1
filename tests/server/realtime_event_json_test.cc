// server/realtime/event_json: every event type becomes the documented element of an `events`
// frame (docs/protocol.md "Events"), parses as JSON, carries exactly its schema fields, and never
// carries a secret (DESIGN I8).
#include "server/realtime/event_json.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/base/json_text.h"
#include "core/events/event_view.h"
#include "schema/events_generated.h"
#include "support/event_builders.h"

namespace hearth::server::realtime {
namespace {

namespace json = boost::json;
using namespace hearth::testing;

// Every secret a builder below is given contains this marker, so one substring search shows none
// of them reached the output, under whatever key.
constexpr const char* kSecret = "SECRET";

const Blob kBlob{"ab12", 2048, "image/png", "cat.png"};

// One sample per type code, with every field set to something recognizable.
std::vector<StoredEvent> one_of_each_type() {
  PostExtras extras;
  extras.client_message_id = "c-1f3a";
  extras.body_html = "<p>hi</p>";
  extras.mentions = {UserId(4)};
  extras.attachment = kBlob;
  extras.unread = {UserId(4), UserId(5)};
  return {
      account_created("Acme", "SECRET-join"),
      account_renamed("Acme 2"),
      account_logo_changed(kBlob),
      account_custom_styles_changed("body{}"),
      account_settings_changed(true),
      join_code_reset("SECRET-join2"),
      user_joined(UserId(7), "Ann", "SECRET@example.com", Role::kAdministrator, "SECRET-digest"),
      bot_created(UserId(8), "Bot", "SECRET-bothash", "https://SECRET.example/hook", "SECRET-sealed"),
      user_profile_changed(UserId(7), "Ann B", "SECRET2@example.com", "bio"),
      user_avatar_changed(UserId(7), kBlob),
      password_changed(UserId(7), "SECRET-digest2"),
      role_changed(UserId(7), Role::kBot),
      user_deactivated(UserId(7), "SECRET-deactivated@example.com"),
      user_banned(UserId(7), {"SECRET-198.51.100.1", "SECRET-2001:db8::1"}),
      user_unbanned(UserId(7)),
      bot_key_reset(UserId(8), "SECRET-bothash2", "SECRET-sealed2"),
      webhook_set(UserId(8), "https://SECRET.example/hook2"),
      session_started(SessionId(11), UserId(7), "SECRET-tokenhash", "SECRET-203.0.113.7", "SECRET-agent"),
      session_ended(SessionId(11), UserId(7)),
      room_created(RoomId(3), RoomKind::kClosed, "Lobby", UserId(7)),
      room_renamed(RoomId(3), "Hall"),
      room_converted(RoomId(3), RoomKind::kDirect),
      room_deleted(RoomId(3)),
      membership_granted(RoomId(3), UserId(7), Involvement::kEverything),
      membership_revoked(RoomId(3), UserId(7)),
      involvement_changed(RoomId(3), UserId(7), Involvement::kInvisible),
      room_read(RoomId(3), UserId(7)),
      message_posted(MessageId(9), RoomId(3), UserId(7), "hi", extras),
      message_edited(MessageId(9), RoomId(3), "hello", {UserId(4)}, "<p>hello</p>"),
      message_removed(MessageId(9), RoomId(3)),
      boost_added(BoostId(12), MessageId(9), RoomId(3), UserId(4), "+1"),
      boost_removed(BoostId(12), MessageId(9), RoomId(3)),
      search_recorded(UserId(7), "lunch"),
      searches_cleared(UserId(7)),
      push_subscription_added(PushSubscriptionId(13), UserId(7), "https://SECRET.push/x", "SECRET-p256",
                              "SECRET-auth", "SECRET-agent2"),
      push_subscription_removed(PushSubscriptionId(13), UserId(7)),
  };
}

// The keys of `data` for each type: the schema's fields minus the secrets.
const std::map<std::string, std::set<std::string>>& expected_keys() {
  static const std::map<std::string, std::set<std::string>> keys = {
      {"AccountCreated", {"name"}},
      {"AccountRenamed", {"name"}},
      {"AccountLogoChanged", {"logo"}},
      {"AccountCustomStylesChanged", {"css"}},
      {"AccountSettingsChanged", {"restrict_room_creation_to_administrators"}},
      {"JoinCodeReset", {}},
      {"UserJoined", {"user_id", "name", "role"}},
      {"BotCreated", {"user_id", "name"}},
      {"UserProfileChanged", {"user_id", "name", "bio"}},
      {"UserAvatarChanged", {"user_id", "avatar"}},
      {"PasswordChanged", {"user_id"}},
      {"RoleChanged", {"user_id", "role"}},
      {"UserDeactivated", {"user_id"}},
      {"UserBanned", {"user_id"}},
      {"UserUnbanned", {"user_id"}},
      {"BotKeyReset", {"user_id"}},
      {"WebhookSet", {"user_id"}},
      {"SessionStarted", {"session_id", "user_id"}},
      {"SessionEnded", {"session_id", "user_id"}},
      {"RoomCreated", {"room_id", "kind", "name", "creator_id"}},
      {"RoomRenamed", {"room_id", "name"}},
      {"RoomConverted", {"room_id", "kind"}},
      {"RoomDeleted", {"room_id"}},
      {"MembershipGranted", {"room_id", "user_id", "involvement"}},
      {"MembershipRevoked", {"room_id", "user_id"}},
      {"InvolvementChanged", {"room_id", "user_id", "involvement"}},
      {"RoomRead", {"room_id", "user_id"}},
      {"MessagePosted", {"message_id", "room_id", "creator_id", "client_message_id", "body_html", "plain_text",
                         "mentioned_user_ids", "attachment", "unread_user_ids"}},
      {"MessageEdited", {"message_id", "room_id", "body_html", "plain_text", "mentioned_user_ids"}},
      {"MessageRemoved", {"message_id", "room_id"}},
      {"BoostAdded", {"boost_id", "message_id", "room_id", "booster_id", "content"}},
      {"BoostRemoved", {"boost_id", "message_id", "room_id"}},
      {"SearchRecorded", {"user_id", "query"}},
      {"SearchesCleared", {"user_id"}},
      {"PushSubscriptionAdded", {"subscription_id", "user_id"}},
      {"PushSubscriptionRemoved", {"subscription_id", "user_id"}},
  };
  return keys;
}

const std::vector<std::string> kSecretKeys = {"password_digest", "bot_token_hash", "token_hash", "email",
                                              "join_code", "webhook_url", "ip_address", "ip_addresses",
                                              "user_agent", "endpoint", "p256dh_key", "auth_key", "url", "token_sealed"};

StoredEvent sequenced(StoredEvent e, int64_t seq) {
  e = at(std::move(e), 1732640000123456 + seq, UserId(7));
  e.seq = Seq(seq);
  return e;
}

json::object parse_object(const std::string& text) {
  json::error_code ec;
  json::value v = json::parse(text, ec);
  EXPECT_FALSE(ec) << text;
  EXPECT_TRUE(v.is_object()) << text;
  return v.is_object() ? v.as_object() : json::object();
}

TEST(EventJsonTest, EveryTypeCodeHasASampleAndExpectedFields) {
  // A union member added to schema/events.fbs without a sample, an expected key set (and, by
  // -Wswitch, a case in event_json.cc) fails here.
  std::set<uint32_t> covered;
  for (const auto& e : one_of_each_type()) covered.insert(e.type);
  for (uint32_t t = 1; t <= static_cast<uint32_t>(schema::Payload::MAX); ++t) {
    EXPECT_TRUE(covered.count(t)) << "no sample for type " << t << " (" << event_type_name(t) << ")";
    EXPECT_TRUE(expected_keys().count(std::string(event_type_name(t)))) << event_type_name(t);
  }
  EXPECT_EQ(covered.size(), static_cast<size_t>(schema::Payload::MAX));
}

TEST(EventJsonTest, EveryTypeParsesWithExactlyItsSchemaFieldsAndNoSecret) {
  int64_t seq = 0;
  for (auto e : one_of_each_type()) {
    e = sequenced(std::move(e), ++seq);
    ASSERT_TRUE(view_event(e).ok());
    std::string text = event_json(e);
    SCOPED_TRACE(text);
    EXPECT_EQ(text.find(kSecret), std::string::npos);
    json::object o = parse_object(text);
    EXPECT_EQ(o.size(), 6u);
    EXPECT_EQ(o.at("seq").as_int64(), seq);
    EXPECT_EQ(o.at("time").as_int64(), 1732640000123456 + seq);
    EXPECT_EQ(o.at("actor").as_int64(), 7);
    EXPECT_TRUE(o.at("command_id").is_null());
    std::string type(o.at("type").as_string());
    EXPECT_EQ(type, event_type_name(e.type));
    std::set<std::string> keys;
    for (const auto& kv : o.at("data").as_object()) keys.insert(std::string(kv.key()));
    EXPECT_EQ(keys, expected_keys().at(type));
    // A secret is a field of the event's data; a nested object may carry a key of the same name
    // that is no secret (a message's attachment has a `url`, a webhook's URL does not show).
    for (const auto& secret : kSecretKeys) EXPECT_FALSE(keys.contains(secret)) << secret;
  }
}

TEST(EventJsonTest, MessagePostedMatchesTheProtocolExample) {
  auto e = sequenced(message_posted(MessageId(9), RoomId(3), UserId(7), "hi",
                                    {.client_message_id = "c-1f3a", .unread = {UserId(4)}}),
                     42);
  e.command_id = "c-1f3a";
  json::object o = parse_object(event_json(e));
  EXPECT_EQ(o.at("command_id").as_string(), "c-1f3a");
  EXPECT_EQ(o.at("type").as_string(), "MessagePosted");
  const json::object& d = o.at("data").as_object();
  EXPECT_EQ(d.at("message_id").as_int64(), 9);
  EXPECT_EQ(d.at("room_id").as_int64(), 3);
  EXPECT_EQ(d.at("creator_id").as_int64(), 7);
  EXPECT_EQ(d.at("client_message_id").as_string(), "c-1f3a");
  EXPECT_EQ(d.at("body_html").as_string(), "<p>hi</p>");
  EXPECT_EQ(d.at("plain_text").as_string(), "hi");
  EXPECT_TRUE(d.at("mentioned_user_ids").as_array().empty());
  EXPECT_EQ(d.at("unread_user_ids").as_array(), json::array({4}));
  EXPECT_FALSE(d.contains("attachment"));  // absent blob: left out
}

TEST(EventJsonTest, EnumsAreTheDocumentedStrings) {
  auto data = [](StoredEvent e) { return parse_object(event_json(sequenced(std::move(e), 1))).at("data").as_object(); };
  EXPECT_EQ(data(room_created(RoomId(1), RoomKind::kOpen, "a", UserId(1))).at("kind").as_string(), "open");
  EXPECT_EQ(data(room_converted(RoomId(1), RoomKind::kClosed)).at("kind").as_string(), "closed");
  EXPECT_EQ(data(room_converted(RoomId(1), RoomKind::kDirect)).at("kind").as_string(), "direct");
  EXPECT_EQ(data(role_changed(UserId(1), Role::kMember)).at("role").as_string(), "member");
  EXPECT_EQ(data(role_changed(UserId(1), Role::kAdministrator)).at("role").as_string(), "administrator");
  EXPECT_EQ(data(role_changed(UserId(1), Role::kBot)).at("role").as_string(), "bot");
  EXPECT_EQ(data(involvement_changed(RoomId(1), UserId(1), Involvement::kInvisible)).at("involvement").as_string(), "invisible");
  EXPECT_EQ(data(involvement_changed(RoomId(1), UserId(1), Involvement::kNothing)).at("involvement").as_string(), "nothing");
  EXPECT_EQ(data(involvement_changed(RoomId(1), UserId(1), Involvement::kMentions)).at("involvement").as_string(), "mentions");
  EXPECT_EQ(data(involvement_changed(RoomId(1), UserId(1), Involvement::kEverything)).at("involvement").as_string(),
            "everything");
}

TEST(EventJsonTest, BlobIsAnObjectWhenPresentAndAbsentWhenRemoved) {
  auto with = parse_object(event_json(sequenced(user_avatar_changed(UserId(7), kBlob), 1)));
  const json::object& avatar = with.at("data").as_object().at("avatar").as_object();
  EXPECT_EQ(avatar.at("content_hash").as_string(), "ab12");
  EXPECT_EQ(avatar.at("byte_size").to_number<int64_t>(), 2048);
  EXPECT_EQ(avatar.at("content_type").as_string(), "image/png");
  EXPECT_EQ(avatar.at("filename").as_string(), "cat.png");
  auto without = parse_object(event_json(sequenced(user_avatar_changed(UserId(7), std::nullopt), 2)));
  EXPECT_FALSE(without.at("data").as_object().contains("avatar"));
  auto logo = parse_object(event_json(sequenced(account_logo_changed(std::nullopt), 3)));
  EXPECT_TRUE(logo.at("data").as_object().empty());
}

TEST(EventJsonTest, HostileTextStaysValidJsonAndRoundTrips) {
  // Quotes, backslashes, every control character, DEL, valid multi-byte UTF-8 and U+2028.
  std::string text = "\"q\" \\ </script> \x7F \xC3\xA9 \xE2\x80\xA8 \xF0\x9F\x94\xA5";
  for (char c = 0; c < 0x20; ++c) text.push_back(c);
  auto e = sequenced(message_edited(MessageId(1), RoomId(1), text, {}, "<p>x</p>"), 1);
  e.command_id = "id\"\n";
  json::object o = parse_object(event_json(e));
  EXPECT_EQ(o.at("data").as_object().at("plain_text").as_string(), text);
  EXPECT_EQ(o.at("command_id").as_string(), "id\"\n");
}

TEST(EventJsonTest, InvalidUtf8BecomesReplacementCharacters) {
  // The sequencer stores only valid UTF-8, but an imported or damaged string must still never
  // produce a frame the browser's JSON.parse rejects.
  const std::string bad[] = {"\xFF", "\xC3", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "a\xE2\x82"};
  for (const auto& b : bad) {
    std::string text = event_json(sequenced(room_renamed(RoomId(1), b), 1));
    json::object o = parse_object(text);
    std::string name(o.at("data").as_object().at("name").as_string());
    EXPECT_NE(name.find("\xEF\xBF\xBD"), std::string::npos) << text;
  }
}

TEST(EventJsonTest, EveryAsciiByteAtEveryWordOffsetRoundTrips) {
  // The escaper tests eight bytes at a time; each ASCII byte, at each position of a word and of
  // the tail after the last whole word, must still be escaped or copied exactly.
  for (int b = 0; b < 0x80; ++b) {
    for (size_t pos = 0; pos < 19; ++pos) {
      std::string s(19, 'a');
      s[pos] = static_cast<char>(b);
      json::error_code ec;
      json::value v = json::parse(json_string(s), ec);
      ASSERT_FALSE(ec) << b << " at " << pos;
      ASSERT_EQ(v.as_string(), s) << b << " at " << pos;
    }
  }
  // A lone byte >= 0x80 is invalid UTF-8 wherever it sits.
  for (int b = 0x80; b < 0x100; ++b) {
    std::string s(11, 'a');
    s[3] = static_cast<char>(b);
    EXPECT_EQ(json::parse(json_string(s)).as_string(), "aaa\xEF\xBF\xBD" "aaaaaaa") << b;
  }
}

}  // namespace
}  // namespace hearth::server::realtime
