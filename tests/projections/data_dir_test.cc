// Start-up: the tail of the log is checked before DataDir::open returns, the rest in the
// background; corruption anywhere stops writes with an error naming the seq.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/sqlite/db.h"
#include "projections/data_dir.h"
#include "support/temp_dir.h"

namespace hearth::testing {
namespace {

class DataDirTest : public ::testing::Test {
 protected:
  // A data dir with a first run and `posts` messages: seqs 1..5 are the setup.
  void fill(int posts) {
    auto d = DataDir::open(tmp_.path().string(), options(0));
    ASSERT_TRUE(d.ok()) << d.error().to_string();
    auto admin = (*d)->sequencer().execute({kSystemActor, "", cmd::SetupFirstRun{"Ada", "a@x.io", "$x", "", ""}});
    ASSERT_TRUE(admin.ok());
    for (int i = 0; i < posts; ++i) {
      auto o = (*d)->sequencer().execute({UserId(admin->id), "p" + std::to_string(i),
                                          cmd::PostMessage{RoomId(1), "<p>x</p>", "x", {}, std::nullopt, {}}});
      ASSERT_TRUE(o.ok());
    }
  }
  DataDir::Options options(int64_t tail) {
    DataDir::Options o;
    o.durability = Durability::kNormal;
    o.verify_tail = tail;
    o.clock = &clock_;
    return o;
  }
  // Changes one header column of an old event behind the triggers' back.
  void corrupt(int64_t seq) {
    auto db = sqlite::Db::open(tmp_.file("log.sqlite3"), sqlite::Db::Mode::kReadWrite);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec("DROP TRIGGER events_no_update").ok());
    ASSERT_TRUE(db->exec("UPDATE events SET time_us = time_us + 1 WHERE seq = " + std::to_string(seq)).ok());
  }

  TempDir tmp_;
  ManualClock clock_;
};

TEST_F(DataDirTest, CorruptionBeforeTheTailHaltsWritesNamingItsSeq) {
  fill(40);
  corrupt(3);
  auto d = DataDir::open(tmp_.path().string(), options(10));
  ASSERT_TRUE(d.ok()) << "the tail is sound, so start-up proceeds";
  auto found = (*d)->wait_for_log_check();
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->code, ErrorCode::kCorruption);
  EXPECT_NE(found->message.find("seq 3"), std::string::npos) << found->message;
  auto refused = (*d)->sequencer().execute({UserId(1), "late", cmd::PostMessage{RoomId(1), "<p>y</p>", "y", {}, std::nullopt, {}}});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("seq 3"), std::string::npos) << refused.error().message;
}

TEST_F(DataDirTest, CorruptionInTheTailRefusesStartUp) {
  fill(40);
  corrupt(40);
  auto d = DataDir::open(tmp_.path().string(), options(10));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, ErrorCode::kCorruption);
  EXPECT_NE(d.error().message.find("seq 40"), std::string::npos) << d.error().message;
}

TEST_F(DataDirTest, FullCheckAtStartUpRefusesAnOldCorruptEvent) {
  fill(20);
  corrupt(2);
  auto d = DataDir::open(tmp_.path().string(), options(0));
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().message.find("seq 2"), std::string::npos) << d.error().message;
}

TEST_F(DataDirTest, SoundLogPassesTheBackgroundCheckAndKeepsWriting) {
  fill(30);
  auto d = DataDir::open(tmp_.path().string(), options(5));
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE((*d)->wait_for_log_check().has_value());
  auto o = (*d)->sequencer().execute({UserId(1), "after", cmd::PostMessage{RoomId(1), "<p>z</p>", "z", {}, std::nullopt, {}}});
  EXPECT_TRUE(o.ok());
}

// An upgrade that changes the projections' tables: the old state file is set aside, not refused,
// and the new one is built from the log.
TEST_F(DataDirTest, StateFromAnOlderSchemaIsSetAsideAndRebuiltFromTheLog) {
  fill(3);
  {
    auto db = sqlite::Db::open(tmp_.file("state.sqlite3"), sqlite::Db::Mode::kReadWrite);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec("PRAGMA user_version = 1").ok());
  }
  auto d = DataDir::open(tmp_.path().string(), options(0));
  ASSERT_TRUE(d.ok()) << d.error().to_string();
  EXPECT_NE((*d)->upgrade_note().find("schema version 1"), std::string::npos) << (*d)->upgrade_note();
  EXPECT_TRUE(std::filesystem::exists(tmp_.file("state.sqlite3.v1")));
  EXPECT_EQ((*d)->sequencer().applied_seq(), (*d)->sequencer().committed_seq());
  EXPECT_EQ((*d)->sequencer().applied_seq().value, 8);  // setup (5) + 3 posts, applied again
  auto again = (*d)->sequencer().execute({UserId(1), "p0", cmd::PostMessage{RoomId(1), "<p>x</p>", "x", {}, std::nullopt, {}}});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->replayed);  // the write model came from the rebuilt tables
}

}  // namespace
}  // namespace hearth::testing
