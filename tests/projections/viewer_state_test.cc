// One viewer's facts as of a past seq (viewer_state.h): the *_history tables read back equal the
// fold of the log at every seq, and the edge cases the applier must record before it deletes.
#include "projections/viewer_state.h"

#include <gtest/gtest.h>

#include <map>

#include "core/events/event_view.h"
#include "core/sqlite/db.h"
#include "projections/state_schema.h"
#include "projections/visibility.h"
#include "projection_fixture.h"

namespace hearth::testing {
namespace {

constexpr UserId kCarol{4}, kNobody{99};
constexpr RoomId kOps{2}, kPing{3}, kNowhere{50};

class ViewerStateTest : public ProjectionTest {
 protected:
  Seq last() { return log_->last_seq(); }

  // Every viewer's state folded from seq 0, checked against load_viewer_state at every seq, and
  // visible_to over it against visible_to over the WriteModel for every event.
  void expect_history_equals_fold(const std::vector<UserId>& viewers) {
    std::map<UserId, ViewerState> folded;
    for (auto v : viewers) folded[v].viewer = v;
    WriteModel model;
    auto check_at = [&](Seq at) {
      for (auto v : viewers) {
        auto loaded = load_viewer_state(projector_->db(), v, at);
        ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
        EXPECT_EQ(*loaded, folded[v]) << "viewer " << v.value << " at seq " << at.value;
      }
    };
    check_at(Seq(0));
    auto st = log_->scan(Seq(0), last(), [&](const StoredEvent& e) -> Status {
      auto ev = view_event(e);
      if (!ev) return ev.take_error();
      for (auto v : viewers) {
        Visibility a = visible_to(e, v, model), b = visible_to(e, v, folded[v]);
        EXPECT_EQ(a.visible, b.visible) << "seq " << e.seq.value << " viewer " << v.value;
        EXPECT_EQ(a.reason, b.reason) << "seq " << e.seq.value << " viewer " << v.value;
        folded[v].apply(e);
      }
      model.apply(e);
      check_at(e.seq);
      return ok_status();
    });
    ASSERT_TRUE(st.ok()) << st.error().to_string();
  }
};

TEST_F(ViewerStateTest, HistoryAtEverySeqEqualsTheFold) {
  seed();
  commit({user_joined(kCarol, "Carol", "carol@example.com"), membership_granted(kAllTalk, kCarol)});
  commit({room_created(kOps, RoomKind::kClosed, "Ops", kAlice), membership_granted(kOps, kAlice),
          membership_granted(kOps, kBob)});
  commit({message_posted(MessageId(1), kOps, kAlice, "plans"), room_converted(kOps, RoomKind::kOpen),
          membership_granted(kOps, kCarol), membership_granted(kOps, kAdmin)});
  commit({room_renamed(kOps, "Ops!"), room_converted(kOps, RoomKind::kClosed), membership_revoked(kOps, kCarol)});
  commit({room_created(kPing, RoomKind::kDirect, "", kBob), membership_granted(kPing, kBob),
          membership_granted(kPing, kCarol), message_posted(MessageId(2), kPing, kBob, "hi")});
  commit({user_banned(kBob, {"203.0.113.9"}), message_posted(MessageId(3), kOps, kAlice, "bob?"),
          user_unbanned(kBob)});
  commit({user_deactivated(kCarol, "carol-deactivated@example.com"), membership_revoked(kAllTalk, kCarol)});
  commit({room_deleted(kPing), room_deleted(kOps), message_posted(MessageId(4), kAllTalk, kAlice, "after")});
  expect_history_equals_fold({kAdmin, kAlice, kBob, kCarol, kNobody});
}

TEST_F(ViewerStateTest, DeletedRoomEndsEveryMembershipAtItsSeq) {
  seed();
  commit({room_created(kOps, RoomKind::kClosed, "Ops", kAlice), membership_granted(kOps, kAlice),
          membership_granted(kOps, kBob)});
  Seq before = last();
  commit({room_deleted(kOps)});
  auto then = load_viewer_state(projector_->db(), kBob, before);
  ASSERT_TRUE(then.ok());
  EXPECT_EQ(then->rooms, (std::vector<RoomId>{kAllTalk, kOps}));
  auto now = load_viewer_state(projector_->db(), kBob, last());
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->rooms, (std::vector<RoomId>{kAllTalk}));
  EXPECT_EQ(count("membership_history WHERE room_id = 2 AND member = 0 AND seq = " + std::to_string(last().value)), 2);
  EXPECT_EQ(count("room_history WHERE room_id = 2 AND kind IS NULL"), 1);
}

TEST_F(ViewerStateTest, FactsWriteModelIgnoresLeaveNoHistory) {
  seed();
  // A grant to a room that does not exist, a revocation of a non-member, a ban of a non-user:
  // WriteModel::apply changes nothing for them, so neither may the history.
  commit({membership_granted(kNowhere, kAlice), membership_revoked(kAllTalk, kNobody), user_banned(kNobody, {}),
          room_converted(kNowhere, RoomKind::kOpen), room_deleted(kNowhere)});
  EXPECT_EQ(count("membership_history WHERE room_id = 50 OR user_id = 99"), 0);
  EXPECT_EQ(count("user_status_history WHERE user_id = 99"), 0);
  EXPECT_EQ(count("room_history WHERE room_id = 50"), 0);
  // (Folding ViewerState over this log would not do: it takes grants as naming live rooms.)
  for (Seq at = Seq(last().value - 5); at <= last(); at = at.next()) {
    auto alice = load_viewer_state(projector_->db(), kAlice, at);
    ASSERT_TRUE(alice.ok());
    EXPECT_EQ(alice->rooms, (std::vector<RoomId>{kAllTalk}));
    EXPECT_EQ(alice->open_rooms, (std::vector<RoomId>{kAllTalk}));
    auto nobody = load_viewer_state(projector_->db(), kNobody, at);
    ASSERT_TRUE(nobody.ok());
    EXPECT_FALSE(nobody->status.has_value());
    EXPECT_TRUE(nobody->rooms.empty());
  }
}

TEST_F(ViewerStateTest, CursorBeyondTheProjectionIsRefused) {
  seed();
  auto loaded = load_viewer_state(projector_->db(), kAlice, Seq(last().value + 1));
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, ErrorCode::kInvalid);
}

// Version 1 files have no history: judging an old cursor on them would be wrong, so the file is
// refused with the way out (rebuild from the log), as for any other version mismatch.
TEST_F(ViewerStateTest, StateFileWithoutHistoryIsRefused) {
  projector_.reset();
  std::string old_path = dir_.file("old-state.sqlite3");
  {
    auto db = sqlite::Db::open(old_path, sqlite::Db::Mode::kReadWriteCreate);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec("CREATE TABLE meta (id INTEGER PRIMARY KEY); PRAGMA user_version = 1").ok());
  }
  auto p = Projector::open(old_path);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, ErrorCode::kCorruption);
  EXPECT_NE(p.error().message.find("hearth replay rebuild"), std::string::npos) << p.error().message;
  EXPECT_GE(kStateSchemaVersion, 2);  // history came with version 2; every later one keeps it
}

}  // namespace
}  // namespace hearth::testing
