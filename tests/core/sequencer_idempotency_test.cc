// I6: a command id seen before returns the original outcome and appends nothing — within a batch,
// across batches, and across a restart.
#include "sequencer_fixture.h"

namespace hearth::testing {
namespace {

TEST_F(SequencerTest, RepeatedPostReturnsTheOriginalOutcomeAndAppendsNothing) {
  auto admin = setup();
  auto first = ok(admin, cmd::PostMessage{RoomId(1), "<p>once</p>", "once", {}, std::nullopt, {}}, "client-1");
  Seq before = last_seq();
  auto again = ok(admin, cmd::PostMessage{RoomId(1), "<p>once</p>", "once", {}, std::nullopt, {}}, "client-1");
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(again.id, first.id);
  EXPECT_EQ(again.seq, first.seq);
  EXPECT_EQ(last_seq(), before);
  EXPECT_EQ(state_int("SELECT count(*) FROM messages"), 1);
}

TEST_F(SequencerTest, TheSameClientIdFromAnotherUserIsAnotherCommand) {
  auto admin = setup();
  auto bob = join("bob");
  auto a = ok(admin, cmd::PostMessage{RoomId(1), "<p>a</p>", "a", {}, std::nullopt, {}}, "same");
  auto b = ok(bob, cmd::PostMessage{RoomId(1), "<p>b</p>", "b", {}, std::nullopt, {}}, "same");
  EXPECT_NE(a.id, b.id);
  EXPECT_FALSE(b.replayed);
}

TEST_F(SequencerTest, DuplicatesInsideOneBatchAppendOnce) {
  auto admin = setup();
  std::vector<std::future<Outcome>> f;
  for (int i = 0; i < 50; ++i) {
    f.push_back(dir_->sequencer().submit(
        CommandEnvelope{admin, "dup", cmd::PostMessage{RoomId(1), "<p>d</p>", "d", {}, std::nullopt, {}}}));
  }
  std::set<int64_t> ids;
  for (auto& x : f) {
    auto o = x.get();
    ASSERT_TRUE(o.ok());
    ids.insert(o->id);
  }
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(state_int("SELECT count(*) FROM messages"), 1);
}

TEST_F(SequencerTest, IdempotencySurvivesARestart) {
  auto admin = setup();
  auto first = ok(admin, cmd::CreateOpenRoom{"Once"}, "room-1");
  reopen();
  auto again = ok(admin, cmd::CreateOpenRoom{"Once"}, "room-1");
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(again.id, first.id);
  EXPECT_EQ(state_int("SELECT count(*) FROM rooms WHERE name = 'Once'"), 1);
}

TEST_F(SequencerTest, MultiEventCommandsReplayTheirFirstEntityId) {
  auto first = ok(kSystemActor, cmd::SetupFirstRun{"Ada", "ada@example.com", "$x", "", ""}, "setup-1");
  auto again = ok(kSystemActor, cmd::SetupFirstRun{"Ada", "ada@example.com", "$x", "", ""}, "setup-1");
  EXPECT_EQ(again.id, first.id);
  EXPECT_EQ(again.seq, first.seq);
  EXPECT_TRUE(again.secret.empty()) << "a secret is handed out once";
}

TEST_F(SequencerTest, ARejectedCommandIdCanBeRetried) {
  auto admin = setup();
  EXPECT_EQ(fails(admin, cmd::PostMessage{RoomId(9), "<p>x</p>", "x", {}, std::nullopt, {}}, "retry"), ErrorCode::kNotFound);
  auto o = ok(admin, cmd::PostMessage{RoomId(1), "<p>x</p>", "x", {}, std::nullopt, {}}, "retry");
  EXPECT_FALSE(o.replayed);
}

TEST_F(SequencerTest, WriteModelAndIdsSurviveARestartWithoutReuse) {
  auto admin = setup();
  auto m = post(admin, RoomId(1), "gone soon");
  ok(admin, cmd::RemoveMessage{m});
  reopen();
  auto n = post(admin, RoomId(1), "after restart");
  EXPECT_GT(n.value, m.value) << "a removed message's id is never reused";
  EXPECT_EQ(fails(admin, cmd::SetupFirstRun{"x", "x@x.io", "$x", "", ""}), ErrorCode::kConflict);
}

}  // namespace
}  // namespace hearth::testing
