// Writes the seed corpus of fuzz_event: one valid input of every event type (built with the
// test builders, so the seeds follow the schema as it evolves), a few richer variants, and a few
// malformed inputs. Deterministic: rerunning it rewrites the same bytes.
//
//   cmake --build build-fuzz --target make_event_corpus
//   build-fuzz/fuzz/make_event_corpus fuzz/corpus/event
#include <cstdio>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "core/events/event_view.h"
#include "fuzz/event_fuzz_body.h"
#include "support/event_builders.h"

namespace {

using namespace hearth;           // NOLINT(google-build-using-namespace): a tiny tool
using namespace hearth::testing;  // NOLINT(google-build-using-namespace)

constexpr UserId kAdmin{1}, kAlice{2}, kBot{3};
constexpr RoomId kRoom{1};

std::vector<StoredEvent> every_type() {
  Blob logo{std::string(64, 'a'), 1234, "image/png", "logo.png"};
  return {
      account_created("Campfire", "abcd-efgh-ijkl"),
      account_renamed("Hearth"),
      account_logo_changed(logo),
      account_custom_styles_changed("body { color: #333; }"),
      account_settings_changed(true),
      join_code_reset("mnop-qrst-uvwx"),
      user_joined(kAlice, "Alice", "alice@example.com"),
      bot_created(kBot, "Bot", std::string(64, 'b'), "https://bot.example.com/hook"),
      user_profile_changed(kAlice, "Alice A.", "alice@example.org", "bio"),
      user_avatar_changed(kAlice, Blob{std::string(64, 'c'), 99, "image/jpeg", "me.jpg"}),
      password_changed(kAlice, "$argon2id$other"),
      role_changed(kAlice, Role::kAdministrator),
      user_deactivated(kAlice, "alice-deactivated@example.org"),
      user_banned(kAlice, {"203.0.113.7", "2001:db8::1"}),
      user_unbanned(kAlice),
      bot_key_reset(kBot, std::string(64, 'd')),
      webhook_set(kBot, "https://bot.example.com/new"),
      session_started(SessionId(1), kAdmin, std::string(64, 'e')),
      session_ended(SessionId(1), kAdmin),
      room_created(kRoom, RoomKind::kOpen, "All Talk", kAdmin),
      room_renamed(kRoom, "Everything"),
      room_converted(kRoom, RoomKind::kClosed),
      room_deleted(kRoom),
      membership_granted(kRoom, kAlice, Involvement::kEverything),
      membership_revoked(kRoom, kAlice),
      involvement_changed(kRoom, kAdmin, Involvement::kNothing),
      room_read(kRoom, kAdmin),
      message_posted(MessageId(1), kRoom, kAdmin, "hello @Alice",
                     PostExtras{"client-1", "<p>hello <a>@Alice</a></p>", {kAlice}, std::nullopt, {kAlice}}),
      message_edited(MessageId(1), kRoom, "hello again", {kAlice}),
      message_removed(MessageId(1), kRoom),
      boost_added(BoostId(1), MessageId(1), kRoom, kAlice, "👍"),
      boost_removed(BoostId(1), MessageId(1), kRoom),
      search_recorded(kAdmin, "quarterly report"),
      searches_cleared(kAdmin),
      push_subscription_added(PushSubscriptionId(1), kAdmin, "https://push.example.com/1"),
      push_subscription_removed(PushSubscriptionId(1), kAdmin),
  };
}

bool write(const std::string& dir, const std::string& name, const std::string& bytes) {
  std::ofstream out(dir + "/" + name, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  using hearth::fuzzing::input_from_event;
  bool ok = true;
  std::set<uint32_t> types;
  for (const auto& e : every_type()) {
    types.insert(e.type);
    ok &= write(dir, "valid-" + std::string(event_type_name(e.type)), input_from_event(e));
  }
  if (types.size() != static_cast<size_t>(schema::Payload::MAX)) {
    std::fprintf(stderr, "the corpus misses %zu event type(s): add them above\n",
                 static_cast<size_t>(schema::Payload::MAX) - types.size());
    return 1;
  }

  // Richer variants: an attachment, a direct room, empty strings and vectors.
  Blob file{std::string(64, 'f'), 1 << 20, "application/pdf", "report.pdf"};
  ok &= write(dir, "valid-MessagePosted-attachment",
              input_from_event(message_posted(MessageId(2), kRoom, kAlice, "",
                                              PostExtras{"client-2", "", {}, file, {kAdmin, kBot}})));
  ok &= write(dir, "valid-RoomCreated-direct",
              input_from_event(room_created(RoomId(2), RoomKind::kDirect, "", kAlice)));
  ok &= write(dir, "valid-UserJoined-empty", input_from_event(user_joined(UserId(9), "", "")));
  ok &= write(dir, "valid-AccountLogoChanged-none", input_from_event(account_logo_changed(std::nullopt)));

  // Malformed: the verifier must refuse each without reading out of bounds.
  const StoredEvent post = message_posted(MessageId(3), kRoom, kAdmin, "truncated");
  std::string post_input = input_from_event(post);
  ok &= write(dir, "bad-empty", "");
  ok &= write(dir, "bad-short-header", std::string("\x1c\x00", 2));
  ok &= write(dir, "bad-header-only", input_from_event(StoredEvent{}).substr(0, 4));
  ok &= write(dir, "bad-truncated-MessagePosted", post_input.substr(0, 4 + post.payload.size() / 2));
  StoredEvent zero = post;
  zero.type = 0;
  ok &= write(dir, "bad-type-zero", input_from_event(zero));
  StoredEvent unknown = post;
  unknown.type = 200;
  ok &= write(dir, "bad-type-unknown", input_from_event(unknown));
  StoredEvent mislabelled = post;
  mislabelled.type = static_cast<uint32_t>(schema::Payload::AccountCreated);
  ok &= write(dir, "bad-type-mismatch", input_from_event(mislabelled));
  StoredEvent far = post;
  far.payload[0] = 0xff;  // the root offset now points past the end
  far.payload[1] = 0xff;
  ok &= write(dir, "bad-root-offset", input_from_event(far));
  std::string garbage = post_input.substr(0, 4);
  uint32_t x = 2463534242u;  // xorshift32: fixed bytes, no dependence on the C library
  for (int i = 0; i < 96; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    garbage.push_back(static_cast<char>(x & 0xff));
  }
  ok &= write(dir, "bad-garbage", garbage);
  if (!ok) {
    std::fprintf(stderr, "cannot write to %s\n", dir.c_str());
    return 1;
  }
  return 0;
}
