// The `hearth` binary as an operator runs it: documented exit codes (0 ok, 1 findings, 2 bad
// input), help listing the subcommands, and no crash on garbage.
#include <gtest/gtest.h>

#include <fstream>

#include "replay_fixture.h"

namespace hearth::replay_test {
namespace {

std::string q(const std::string& s) { return "'" + s + "'"; }

TEST(CliTest, HelpListsReplayAndItsSubcommands) {
  auto top = run_hearth("--help");
  EXPECT_EQ(top.code, 0);
  EXPECT_NE(top.output.find("replay"), std::string::npos) << top.output;
  auto replay = run_hearth("replay --help");
  EXPECT_EQ(replay.code, 0);
  for (const char* sub : {"verify", "dump", "rebuild", "diff", "explain"}) {
    EXPECT_NE(replay.output.find(sub), std::string::npos) << sub << " missing from:\n" << replay.output;
  }
}

TEST(CliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(run_hearth("").code, 2);
  EXPECT_EQ(run_hearth("replay").code, 2);
  EXPECT_EQ(run_hearth("replay frobnicate").code, 2);
  EXPECT_EQ(run_hearth("replay verify").code, 2);  // DATA_DIR missing
  EXPECT_EQ(run_hearth("replay explain /tmp").code, 2);  // --user missing
}

TEST(CliTest, VerifyExitsZeroOnAGoodLogOneOnCorruptionTwoOnBadInput) {
  testing::TempDir dir;
  write_story(dir, false);
  auto good = run_hearth("replay verify " + q(dir.path().string()));
  EXPECT_EQ(good.code, 0) << good.output;
  EXPECT_EQ(good.output.rfind("ok: 18 events, last seq 18, chain ", 0), 0u) << good.output;

  flip_payload_byte(dir.file("log.sqlite3"), 7);
  auto bad = run_hearth("replay verify " + q(dir.path().string()));
  EXPECT_EQ(bad.code, 1) << bad.output;
  EXPECT_NE(bad.output.find("seq 7"), std::string::npos) << bad.output;

  EXPECT_EQ(run_hearth("replay verify " + q(dir.file("missing"))).code, 2);
  testing::TempDir junk;
  std::ofstream(junk.file("log.sqlite3")) << std::string(8192, '\x7f');
  auto j = run_hearth("replay verify " + q(junk.path().string()));
  EXPECT_EQ(j.code, 2) << j.output;
}

TEST(CliTest, DumpRebuildDiffAndExplainExitCodes) {
  testing::TempDir dir;
  write_story(dir, true);
  std::string d = q(dir.path().string());

  auto dump = run_hearth("replay dump " + d + " --type MessagePosted --room 2");
  EXPECT_EQ(dump.code, 0) << dump.output;
  EXPECT_EQ(lines(dump.output).size(), 2u) << dump.output;
  auto unknown = run_hearth("replay dump " + d + " --type MessageSent");
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.output.find("valid types: AccountCreated"), std::string::npos) << unknown.output;
  EXPECT_EQ(run_hearth("replay dump " + d + " --from x").code, 2);

  auto rebuilt = q(dir.file("rebuilt.sqlite3"));
  auto rebuild = run_hearth("replay rebuild " + d + " --out " + rebuilt);
  EXPECT_EQ(rebuild.code, 0) << rebuild.output;
  EXPECT_NE(rebuild.output.find("18 events applied"), std::string::npos) << rebuild.output;
  EXPECT_EQ(run_hearth("replay rebuild " + d + " --out " + rebuilt).code, 2);  // exists

  auto same = run_hearth("replay diff " + d + " " + rebuilt);
  EXPECT_EQ(same.code, 0) << same.output;
  {
    auto db = sqlite::Db::open(dir.file("rebuilt.sqlite3"), sqlite::Db::Mode::kReadWrite);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec("DELETE FROM memberships WHERE room_id = 1 AND user_id = 3").ok());
  }
  auto differs = run_hearth("replay diff " + d + " " + rebuilt);
  EXPECT_EQ(differs.code, 1) << differs.output;
  EXPECT_NE(differs.output.find("memberships: only in A: (room_id=1, user_id=3"), std::string::npos) << differs.output;
  EXPECT_EQ(run_hearth("replay diff " + d + " " + q(dir.file("nope"))).code, 2);

  auto explain = run_hearth("replay explain " + d + " --user 2 --cursor 10");
  EXPECT_EQ(explain.code, 0) << explain.output;
  EXPECT_NE(explain.output.find("should receive 6 of 8 events; the last is seq 17"), std::string::npos)
      << explain.output;
  EXPECT_EQ(run_hearth("replay explain " + d + " --user 2 --cursor -1").code, 2);
}

}  // namespace
}  // namespace hearth::replay_test
