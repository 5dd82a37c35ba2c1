// `hearth replay verify`: a good log is reported with its count, last seq and chain; a damaged
// one is reported at the first bad seq; a missing or foreign file is bad input, not corruption.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "replay/common.h"
#include "replay/verify.h"
#include "replay_fixture.h"

namespace hearth::replay_test {
namespace {

TEST(VerifyTest, GoodLogIsOkWithCountLastSeqAndChain) {
  testing::TempDir dir;
  write_story(dir, /*live=*/false);
  uint64_t chain = 0;
  {
    auto log = EventLog::open(dir.file("log.sqlite3"), EventLog::Options{});
    ASSERT_TRUE(log.ok());
    chain = (*log)->last_chain();
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(chain));
  std::ostringstream out, err;
  EXPECT_EQ(replay::run_verify(dir.path(), out, err), replay::kExitOk) << err.str();
  EXPECT_EQ(out.str(), "ok: 18 events, last seq 18, chain " + std::string(hex) + "\n");
  EXPECT_EQ(err.str(), "");
}

TEST(VerifyTest, EmptyLogIsOk) {
  testing::TempDir dir;
  ASSERT_TRUE(EventLog::open(dir.file("log.sqlite3"), EventLog::Options{}).ok());
  std::ostringstream out, err;
  EXPECT_EQ(replay::run_verify(dir.path(), out, err), replay::kExitOk);
  EXPECT_EQ(out.str(), "ok: 0 events, last seq 0, chain 0000000000000000\n");
}

TEST(VerifyTest, FlippedByteNamesItsSeq) {
  testing::TempDir dir;
  write_story(dir, false);
  flip_payload_byte(dir.file("log.sqlite3"), 9);
  auto report = replay::verify_log(dir.path());
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, ErrorCode::kCorruption);
  EXPECT_NE(report.error().message.find("seq 9:"), std::string::npos) << report.error().message;

  std::ostringstream out, err;
  EXPECT_EQ(replay::run_verify(dir.path(), out, err), replay::kExitFindings);
  EXPECT_NE(err.str().find("log corrupt at seq 9"), std::string::npos) << err.str();
  EXPECT_EQ(out.str(), "");
}

TEST(VerifyTest, DeletedEventIsReportedAsTheMissingSeq) {
  testing::TempDir dir;
  write_story(dir, false);
  {
    auto db = sqlite::Db::open(dir.file("log.sqlite3"), sqlite::Db::Mode::kReadWrite);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec("DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq = 12").ok());
  }
  auto report = replay::verify_log(dir.path());
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.error().message.find("seq 12: missing"), std::string::npos) << report.error().message;
}

TEST(VerifyTest, MissingDirectoryOrLogIsBadInput) {
  testing::TempDir dir;
  std::ostringstream out, err;
  EXPECT_EQ(replay::run_verify(dir.path() / "nope", out, err), replay::kExitBadInput);
  EXPECT_NE(err.str().find("no such data directory"), std::string::npos) << err.str();
  err.str("");
  EXPECT_EQ(replay::run_verify(dir.path(), out, err), replay::kExitBadInput);  // exists, no log
  EXPECT_NE(err.str().find("no log in"), std::string::npos) << err.str();
}

TEST(VerifyTest, NotASqliteFileIsBadInput) {
  testing::TempDir dir;
  std::ofstream(dir.file("log.sqlite3")) << "this is not a database, just some text long enough to look like a header";
  std::ostringstream out, err;
  EXPECT_EQ(replay::run_verify(dir.path(), out, err), replay::kExitBadInput);
  EXPECT_NE(err.str().find("not a database"), std::string::npos) << err.str();
}

TEST(VerifyTest, SqliteFileWithoutEventsTableIsBadInput) {
  testing::TempDir dir;
  {
    auto db = sqlite::Db::open(dir.file("log.sqlite3"), sqlite::Db::Mode::kReadWriteCreate);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec("CREATE TABLE other(x)").ok());
  }
  std::ostringstream out, err;
  EXPECT_EQ(replay::run_verify(dir.path(), out, err), replay::kExitBadInput);
  EXPECT_NE(err.str().find("not a Hearth log"), std::string::npos) << err.str();
}

}  // namespace
}  // namespace hearth::replay_test
