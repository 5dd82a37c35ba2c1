// Start-up loads the write model from the projection; it must equal the model the sequencer
// would have folded live from the same log.
#include "core/events/event_view.h"
#include "core/write_model/write_model.h"
#include "projection_fixture.h"
#include "projections/write_model_loader.h"

#include <set>

namespace hearth::testing {
namespace {

constexpr UserId kCarol{4}, kRobo{5}, kDave{6};
constexpr RoomId kOps{2}, kPing{3}, kDoomed{4};

// A script that touches every event type, as batches the sequencer could have committed.
std::vector<std::vector<StoredEvent>> script() {
  return {
      {account_created("Campfire", "aaaa-bbbb-cccc"),
       user_joined(kAdmin, "Admin", "admin@example.com", Role::kAdministrator),
       room_created(kAllTalk, RoomKind::kOpen, "All Talk", kAdmin), membership_granted(kAllTalk, kAdmin),
       session_started(SessionId(1), kAdmin, "t1", "192.0.2.1")},
      {user_joined(kAlice, "Alice", "alice@example.com"), membership_granted(kAllTalk, kAlice),
       session_started(SessionId(2), kAlice, "t2", "192.0.2.2")},
      {user_joined(kBob, "Bob", "bob@example.com"), membership_granted(kAllTalk, kBob, Involvement::kEverything),
       session_started(SessionId(3), kBob, "t3", "192.0.2.3")},
      {user_joined(kCarol, "Carol", "carol@example.com"), membership_granted(kAllTalk, kCarol),
       user_joined(kDave, "Dave", "dave@example.com"), membership_granted(kAllTalk, kDave),
       session_started(SessionId(4), kDave, "t4", "198.51.100.9")},
      {bot_created(kRobo, "Robo", "bot-hash", "https://robo.example/hook")},
      {room_created(kOps, RoomKind::kClosed, "Ops", kAlice), membership_granted(kOps, kAlice),
       membership_granted(kOps, kBob, Involvement::kNothing)},
      {room_created(kPing, RoomKind::kDirect, "", kAlice), membership_granted(kPing, kAlice, Involvement::kEverything),
       membership_granted(kPing, kBob, Involvement::kEverything)},
      {message_posted(MessageId(1), kAllTalk, kAlice, "hello all", {.unread = {kAdmin, kBob, kCarol}})},
      {message_posted(MessageId(2), kOps, kBob, "hi @Alice", {.mentions = {kAlice}, .unread = {kAlice}}),
       message_edited(MessageId(2), kOps, "hey @Alice", {kAlice})},
      {boost_added(BoostId(1), MessageId(1), kAllTalk, kBob, "👍"),
       boost_added(BoostId(2), MessageId(1), kAllTalk, kAdmin, "🎉"), boost_removed(BoostId(2), MessageId(1), kAllTalk)},
      {message_posted(MessageId(3), kAllTalk, kCarol, "oops"), message_removed(MessageId(3), kAllTalk)},
      {room_read(kAllTalk, kAdmin), involvement_changed(kAllTalk, kBob, Involvement::kInvisible)},
      {account_renamed("Hearth"), join_code_reset("dddd-eeee-ffff"),
       account_logo_changed(Blob{"ab", 10, "image/png", "logo.png"}), account_custom_styles_changed("body{}"),
       account_settings_changed(true)},
      {user_profile_changed(kAlice, "Alicia", "alicia@example.com", "bio"),
       user_avatar_changed(kAlice, Blob{"cd", 5, "image/png", "me.png"}), password_changed(kAlice, "digest2"),
       role_changed(kBob, Role::kAdministrator)},
      {bot_key_reset(kRobo, "bot-hash-2"), webhook_set(kRobo, "")},
      {search_recorded(kAlice, "deploy"), search_recorded(kBob, "lunch"), searches_cleared(kBob)},
      {push_subscription_added(PushSubscriptionId(1), kAlice, "https://push/a"),
       push_subscription_added(PushSubscriptionId(2), kBob, "https://push/b"),
       push_subscription_removed(PushSubscriptionId(2), kBob)},
      {room_renamed(kOps, "Operations"), room_converted(kOps, RoomKind::kOpen)},
      {room_created(kDoomed, RoomKind::kClosed, "Doomed", kAdmin), membership_granted(kDoomed, kAdmin),
       message_posted(MessageId(4), kDoomed, kAdmin, "bye"), room_deleted(kDoomed)},
      {membership_revoked(kAllTalk, kCarol), user_deactivated(kCarol, "carol-deactivated@example.com")},
      {session_ended(SessionId(4), kDave), user_banned(kDave, {"198.51.100.9"})},
      {session_ended(SessionId(3), kBob), user_banned(kBob, {"192.0.2.3"}), user_unbanned(kBob)},
      {session_ended(SessionId(2), kAlice)},
  };
}

void expect_equal(const WriteModel& loaded, const WriteModel& folded, const std::string& when) {
  EXPECT_TRUE(loaded.account == folded.account) << when << ": account";
  EXPECT_TRUE(loaded.users == folded.users) << when << ": users";
  EXPECT_TRUE(loaded.rooms == folded.rooms) << when << ": rooms";
  EXPECT_TRUE(loaded.sessions == folded.sessions) << when << ": sessions";
  EXPECT_TRUE(loaded.push_subscriptions == folded.push_subscriptions) << when << ": push subscriptions";
  EXPECT_TRUE(loaded.last_ids == folded.last_ids) << when << ": id counters";
  EXPECT_TRUE(loaded == folded) << when;
  EXPECT_EQ(loaded.user_by_email, folded.user_by_email) << when;
  EXPECT_EQ(loaded.session_by_token, folded.session_by_token) << when;
  EXPECT_EQ(loaded.direct_rooms, folded.direct_rooms) << when;
}

using WriteModelLoaderTest = ProjectionTest;

TEST_F(WriteModelLoaderTest, ScriptTouchesEveryEventType) {
  std::set<uint32_t> seen;
  for (auto& batch : script()) {
    for (auto& e : batch) seen.insert(e.type);
  }
  for (uint32_t t = 1; t <= static_cast<uint32_t>(schema::Payload::MAX); ++t) {
    EXPECT_TRUE(seen.count(t)) << event_type_name(t) << " is not in the script";
  }
}

TEST_F(WriteModelLoaderTest, LoadedModelEqualsLiveFoldAfterEveryBatch) {
  WriteModel folded;
  int n = 0;
  for (auto& batch : script()) {
    for (auto& e : commit(batch)) folded.apply(e);
    auto loaded = load_write_model(projector_->db());
    ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
    expect_equal(*loaded, folded, "after batch " + std::to_string(++n));
  }
  // The script's end state is the interesting one; make sure it is not trivially empty.
  EXPECT_EQ(folded.rooms.size(), 3u);
  EXPECT_EQ(folded.users.at(kDave).status, UserStatus::kBanned);
  EXPECT_EQ(folded.users.at(kCarol).status, UserStatus::kDeactivated);
  EXPECT_EQ(folded.last_ids, (IdCounters{6, 4, 4, 2, 4, 2}));
}

TEST_F(WriteModelLoaderTest, LoadsFromAReadOnlyConnectionAfterCatchUp) {
  for (auto& batch : script()) append(batch);
  ASSERT_TRUE(projector_->catch_up(*log_, 7).ok());
  WriteModel folded;
  ASSERT_TRUE(log_->scan(Seq(0), Seq(INT64_MAX), [&](const StoredEvent& e) {
                    folded.apply(e);
                    return ok_status();
                  }).ok());
  auto ro = sqlite::Db::open(state_path(), sqlite::Db::Mode::kReadOnly);
  ASSERT_TRUE(ro.ok());
  auto loaded = load_write_model(*ro);
  ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
  expect_equal(*loaded, folded, "after catch-up");
}

// Pings whose member sets nest, built grant by grant, with a deletion: the folded index files each
// under its full set, as the loader's does, whatever the order of the pings.
TEST_F(WriteModelLoaderTest, PingsWithNestedMemberSetsKeepTheirOwnKeys) {
  constexpr RoomId kTrio{5}, kSelf{6}, kPair{7};
  WriteModel folded;
  std::vector<std::vector<StoredEvent>> batches = {
      {account_created("Campfire", "aaaa-bbbb-cccc"),
       user_joined(kAdmin, "Admin", "admin@example.com", Role::kAdministrator),
       user_joined(kAlice, "Alice", "alice@example.com"), user_joined(kBob, "Bob", "bob@example.com")},
      {room_created(kTrio, RoomKind::kDirect, "", kAlice), membership_granted(kTrio, kAlice, Involvement::kEverything),
       membership_granted(kTrio, kBob, Involvement::kEverything),
       membership_granted(kTrio, kAdmin, Involvement::kEverything)},
      {room_created(kSelf, RoomKind::kDirect, "", kAlice), membership_granted(kSelf, kAlice, Involvement::kEverything)},
      {room_created(kPair, RoomKind::kDirect, "", kAlice), membership_granted(kPair, kAlice, Involvement::kEverything),
       membership_granted(kPair, kBob, Involvement::kEverything)},
  };
  for (auto& batch : batches) {
    for (auto& e : commit(batch)) folded.apply(e);
  }
  auto key = [](std::vector<UserId> members) { return direct_key(std::move(members)); };
  ASSERT_EQ(folded.direct_rooms.size(), 3u);
  EXPECT_TRUE(folded.direct_rooms.count(key({kAlice})));
  EXPECT_TRUE(folded.direct_rooms.count(key({kAlice, kBob})));
  EXPECT_TRUE(folded.direct_rooms.count(key({kAlice, kBob, kAdmin})));
  auto loaded = load_write_model(projector_->db());
  ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
  expect_equal(*loaded, folded, "after the pings");
  for (auto& e : commit({room_deleted(kPair)})) folded.apply(e);
  EXPECT_EQ(folded.direct_rooms.size(), 2u);
  EXPECT_TRUE(folded.direct_rooms.count(key({kAlice})));
  loaded = load_write_model(projector_->db());
  ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
  expect_equal(*loaded, folded, "after deleting one");
}

// Two live pings with one member set (a Campfire race imported, or a log written before direct
// keys were fixed): the oldest holds the key, and deleting it hands the key to the other.
TEST_F(WriteModelLoaderTest, DeletingOneOfTwoPingsWithOneSetLeavesTheOtherFound) {
  constexpr RoomId kFirst{5}, kSecond{6};
  WriteModel folded;
  std::vector<std::vector<StoredEvent>> batches = {
      {account_created("Campfire", "aaaa-bbbb-cccc"),
       user_joined(kAdmin, "Admin", "admin@example.com", Role::kAdministrator),
       user_joined(kAlice, "Alice", "alice@example.com")},
      {room_created(kFirst, RoomKind::kDirect, "", kAlice), membership_granted(kFirst, kAlice, Involvement::kEverything)},
      {room_created(kSecond, RoomKind::kDirect, "", kAlice), membership_granted(kSecond, kAlice, Involvement::kEverything)},
  };
  for (auto& batch : batches) {
    for (auto& e : commit(batch)) folded.apply(e);
  }
  const DirectKey alone = direct_key({kAlice});
  auto loaded = load_write_model(projector_->db());
  ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
  expect_equal(*loaded, folded, "with both");
  ASSERT_TRUE(folded.direct_rooms.count(alone));
  EXPECT_EQ(folded.direct_rooms.at(alone), kFirst);
  for (auto& e : commit({room_deleted(kFirst)})) folded.apply(e);
  loaded = load_write_model(projector_->db());
  ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
  expect_equal(*loaded, folded, "after deleting the first");
  ASSERT_TRUE(folded.direct_rooms.count(alone));
  EXPECT_EQ(folded.direct_rooms.at(alone), kSecond);
}

TEST_F(WriteModelLoaderTest, EmptyStateLoadsAnEmptyModel) {
  auto loaded = load_write_model(projector_->db());
  ASSERT_TRUE(loaded.ok());
  EXPECT_TRUE(*loaded == WriteModel{});
}

}  // namespace
}  // namespace hearth::testing
