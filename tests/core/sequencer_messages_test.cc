// Messages, boosts, searches and push subscriptions.
#include "sequencer_fixture.h"

namespace hearth::testing {
namespace {

using Types = std::vector<std::string>;

TEST_F(SequencerTest, PostingNeedsMembershipABodyAndAClientMessageId) {
  auto admin = setup();
  auto bob = join("bob");
  auto secret = RoomId(ok(admin, cmd::CreateClosedRoom{"Admins", {}}).id);
  EXPECT_EQ(fails(bob, cmd::PostMessage{secret, "<p>x</p>", "x", {}, std::nullopt, {}}, "c1"), ErrorCode::kNotFound);
  EXPECT_EQ(fails(bob, cmd::PostMessage{RoomId(1), "  ", " ", {}, std::nullopt, {}}, "c2"), ErrorCode::kInvalid);
  EXPECT_EQ(fails(bob, cmd::PostMessage{RoomId(1), "<p>x</p>", "x", {}, std::nullopt, {}}, ""), ErrorCode::kInvalid);
  EXPECT_EQ(fails(kSystemActor, cmd::PostMessage{RoomId(1), "<p>x</p>", "x", {}, std::nullopt, {}}, "c3"), ErrorCode::kForbidden);
  EXPECT_EQ(fails(bob, cmd::PostMessage{RoomId(1), std::string(300 * 1024, 'x'), "x", {}, std::nullopt, {}}, "c4"), ErrorCode::kInvalid);
  auto id = post(bob, RoomId(1), "hello world");
  EXPECT_EQ(state_int("SELECT count(*) FROM messages WHERE id = " + std::to_string(id.value)), 1);
}

TEST_F(SequencerTest, MentionsKeepOnlyRoomMembersOnceEach) {
  auto admin = setup();
  auto bob = join("bob");
  auto secret = RoomId(ok(admin, cmd::CreateClosedRoom{"Admins", {}}).id);
  auto carol = join("carol");
  (void)carol;
  auto m = ok(admin, cmd::PostMessage{secret, "<p>@bob @Ada</p>", "@bob @Ada", {bob, admin, admin}, std::nullopt, {}}, "c1");
  EXPECT_EQ(state_int("SELECT count(*) FROM message_mentions WHERE message_id = " + std::to_string(m.id)), 1);
}

TEST_F(SequencerTest, AttachmentMessagesNeedAValidBlobAndCannotBeEdited) {
  auto admin = setup();
  Blob blob{std::string(64, 'a'), 12, "text/plain", "notes.txt"};
  EXPECT_EQ(fails(admin, cmd::PostMessage{RoomId(1), "", "", {}, Blob{"xyz", 1, "t", "n"}, {}}, "c0"), ErrorCode::kInvalid);
  auto m = MessageId(ok(admin, cmd::PostMessage{RoomId(1), "", "", {}, blob, {}}, "c1").id);
  EXPECT_EQ(fails(admin, cmd::EditMessage{m, "<p>x</p>", "x", {}}), ErrorCode::kInvalid);
  ok(admin, cmd::RemoveMessage{m});
}

TEST_F(SequencerTest, EditAndRemoveAreForTheAuthorOrAnAdministrator) {
  auto admin = setup();
  auto bob = join("bob");
  auto carol = join("carol");
  auto m = post(bob, RoomId(1), "first");
  EXPECT_EQ(fails(carol, cmd::EditMessage{m, "<p>x</p>", "x", {}}), ErrorCode::kForbidden);
  EXPECT_EQ(fails(carol, cmd::RemoveMessage{m}), ErrorCode::kForbidden);
  ok(bob, cmd::EditMessage{m, "<p>second</p>", "second", {}});
  ok(admin, cmd::EditMessage{m, "<p>third</p>", "third", {}});
  ok(admin, cmd::RemoveMessage{m});
  EXPECT_EQ(fails(bob, cmd::EditMessage{m, "<p>x</p>", "x", {}}), ErrorCode::kNotFound);
  EXPECT_EQ(fails(bob, cmd::RemoveMessage{MessageId(12345)}), ErrorCode::kNotFound);
}

TEST_F(SequencerTest, AMessageEditedOrRemovedInTheSameBatchAsItsPostIsSeen) {
  // The projection may lag a batch behind; the overlay must cover posts not yet applied.
  auto admin = setup();
  std::vector<std::future<Outcome>> f;
  f.push_back(dir_->sequencer().submit(CommandEnvelope{admin, "p1", cmd::PostMessage{RoomId(1), "<p>a</p>", "a", {}, std::nullopt, {}}}));
  MessageId next(1);
  f.push_back(dir_->sequencer().submit(CommandEnvelope{admin, "", cmd::EditMessage{next, "<p>b</p>", "b", {}}}));
  f.push_back(dir_->sequencer().submit(CommandEnvelope{admin, "", cmd::AddBoost{next, "🔥"}}));
  f.push_back(dir_->sequencer().submit(CommandEnvelope{admin, "", cmd::RemoveMessage{next}}));
  f.push_back(dir_->sequencer().submit(CommandEnvelope{admin, "", cmd::EditMessage{next, "<p>c</p>", "c", {}}}));
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(f[static_cast<size_t>(i)].get().ok()) << i;
  auto last = f[4].get();
  ASSERT_FALSE(last.ok());
  EXPECT_EQ(last.error().code, ErrorCode::kNotFound);
}

TEST_F(SequencerTest, BoostsAreBoundedAndRemovableOnlyByTheBooster) {
  setup();
  auto bob = join("bob");
  auto carol = join("carol");
  auto m = post(bob, RoomId(1), "boost me");
  EXPECT_EQ(fails(carol, cmd::AddBoost{m, "   "}), ErrorCode::kInvalid);
  EXPECT_EQ(fails(carol, cmd::AddBoost{m, std::string(17, 'x')}), ErrorCode::kInvalid);
  ok(carol, cmd::AddBoost{m, "🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉"});  // 16 characters, 64 bytes
  auto b = BoostId(ok(carol, cmd::AddBoost{m, "👍"}).id);
  ok(carol, cmd::AddBoost{m, "👍"});  // several per user are allowed
  EXPECT_EQ(fails(bob, cmd::RemoveBoost{b}), ErrorCode::kNotFound);
  ok(carol, cmd::RemoveBoost{b});
  EXPECT_EQ(fails(carol, cmd::RemoveBoost{b}), ErrorCode::kNotFound);
  EXPECT_EQ(state_int("SELECT count(*) FROM boosts WHERE message_id = " + std::to_string(m.value)), 2);
}

TEST_F(SequencerTest, ABoosterWhoLeftTheRoomNoLongerRemovesTheirBoost) {
  auto admin = setup();
  auto bob = join("bob");
  auto room = RoomId(ok(admin, cmd::CreateClosedRoom{"Crew", {bob}}).id);
  auto m = post(admin, room, "boost me");
  auto b = BoostId(ok(bob, cmd::AddBoost{m, "🔥"}).id);
  ok(admin, cmd::ReviseRoomMembers{room, {admin}});
  EXPECT_EQ(fails(bob, cmd::RemoveBoost{b}), ErrorCode::kNotFound);
  EXPECT_EQ(fails(bob, cmd::AddBoost{m, "👍"}), ErrorCode::kNotFound);
  EXPECT_EQ(state_int("SELECT count(*) FROM boosts WHERE id = " + std::to_string(b.value)), 1);
}

TEST_F(SequencerTest, SearchesAreRecordedPerUserAndCleared) {
  setup();
  auto bob = join("bob");
  for (int i = 0; i < 12; ++i) ok(bob, cmd::RecordSearch{"query " + std::to_string(i)});
  EXPECT_EQ(state_int("SELECT count(*) FROM searches WHERE user_id = " + std::to_string(bob.value)), 10);
  EXPECT_EQ(fails(bob, cmd::RecordSearch{"  "}), ErrorCode::kInvalid);
  ok(bob, cmd::ClearSearches{});
  EXPECT_EQ(state_int("SELECT count(*) FROM searches WHERE user_id = " + std::to_string(bob.value)), 0);
}

TEST_F(SequencerTest, PushSubscriptionsAreTouchedNotDuplicatedAndOwnedByTheirUser) {
  setup();
  auto bob = join("bob");
  auto carol = join("carol");
  auto a = ok(bob, cmd::AddPushSubscription{"https://push.example/x", "p", "a", "ua"});
  auto again = ok(bob, cmd::AddPushSubscription{"https://push.example/x", "p", "a", "ua2"});
  EXPECT_EQ(a.id, again.id);
  EXPECT_EQ(fails(bob, cmd::AddPushSubscription{"http://insecure.example/x", "p", "a", ""}), ErrorCode::kInvalid);
  EXPECT_EQ(fails(carol, cmd::RemovePushSubscription{PushSubscriptionId(a.id)}), ErrorCode::kNotFound);
  ok(bob, cmd::RemovePushSubscription{PushSubscriptionId(a.id)});
  EXPECT_EQ(state_int("SELECT count(*) FROM push_subscriptions"), 0);
}

// A push service's 404/410 removes the subscription for its owner, with no session of theirs.
TEST_F(SequencerTest, TheSystemRemovesAnyonesPushSubscription) {
  setup();
  auto bob = join("bob");
  auto a = ok(bob, cmd::AddPushSubscription{"https://push.example/gone", "p", "a", "ua"});
  ok(kSystemActor, cmd::RemovePushSubscription{PushSubscriptionId(a.id)});
  EXPECT_EQ(state_int("SELECT count(*) FROM push_subscriptions"), 0);
  EXPECT_EQ(fails(kSystemActor, cmd::RemovePushSubscription{PushSubscriptionId(a.id)}), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace hearth::testing
