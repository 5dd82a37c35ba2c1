// `hearth replay explain`: each event after the cursor is judged on the state before it, with
// the reason visible_to gives, and the summary counts what the user should receive (DESIGN I5).
#include <gtest/gtest.h>

#include <sstream>

#include "replay/common.h"
#include "replay/explain.h"
#include "replay_fixture.h"

namespace hearth::replay_test {
namespace {

std::string explain(const testing::TempDir& dir, int64_t user, int64_t cursor, replay::ExplainReport* report) {
  auto log = replay::open_log(dir.path(), false);
  EXPECT_TRUE(log.ok());
  std::ostringstream out;
  auto r = replay::explain_log(**log, UserId(user), Seq(cursor), out);
  EXPECT_TRUE(r.ok()) << r.error().message;
  if (r.ok()) *report = *r;
  return out.str();
}

TEST(ExplainTest, MembershipIsJudgedAsOfEachEvent) {
  testing::TempDir dir;
  write_story(dir, false);
  replay::ExplainReport report;
  std::string out = explain(dir, 2, 10, &report);
  auto l = lines(out);
  ASSERT_GE(l.size(), 9u) << out;
  // User 2 joins room 2 at seq 16: the message before is hidden, the one after visible.
  EXPECT_EQ(l[0], "seq 11 MessagePosted hidden: not a member of the room");
  EXPECT_EQ(l[5], "seq 16 MembershipGranted visible: the user the membership concerns");
  EXPECT_EQ(l[6], "seq 17 MessagePosted visible: member of the room");
  EXPECT_EQ(l[7], "seq 18 RoomRead hidden: another user's private event");
  EXPECT_EQ(l[8], "user 2 resuming from cursor 10 should receive 6 of 8 events; the last is seq 17");
  EXPECT_EQ(report.after_cursor, 8);
  EXPECT_EQ(report.visible, 6);
  EXPECT_EQ(report.last_visible, Seq(17));
}

TEST(ExplainTest, NothingBeforeTheUserExistsIsVisible) {
  testing::TempDir dir;
  write_story(dir, false);
  replay::ExplainReport report;
  std::string out = explain(dir, 3, 0, &report);
  EXPECT_NE(out.find("seq 1 AccountCreated hidden: viewer is not a user (yet)"), std::string::npos) << out;
  EXPECT_NE(out.find("seq 12 UserJoined visible: the viewer's own event"), std::string::npos) << out;
  EXPECT_EQ(report.after_cursor, kStoryEvents);
}

TEST(ExplainTest, UnknownUserAndCursorPastTheEndAreNoted) {
  testing::TempDir dir;
  write_story(dir, false);
  replay::ExplainReport report;
  std::string out = explain(dir, 99, 40, &report);
  EXPECT_EQ(report.visible, 0);
  EXPECT_NE(out.find("should receive 0 of 0 events\n"), std::string::npos) << out;
  EXPECT_NE(out.find("note: user 99 does not exist"), std::string::npos) << out;
  EXPECT_NE(out.find("note: cursor 40 is past the end of the log (last seq 18)"), std::string::npos) << out;
}

TEST(ExplainTest, UntilBoundsTheEventsConsidered) {
  testing::TempDir dir;
  write_story(dir, false);
  auto log = replay::open_log(dir.path(), false);
  ASSERT_TRUE(log.ok());
  std::ostringstream out;
  auto r = replay::explain_log(**log, UserId(2), Seq(10), out, Seq(16));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->after_cursor, 6);
  EXPECT_EQ(r->last_visible, Seq(16));
  EXPECT_EQ(out.str().find("seq 17"), std::string::npos) << out.str();
}

}  // namespace
}  // namespace hearth::replay_test
