// Who may see which event, judged on the write model before the event (visibility.h).
#include <gtest/gtest.h>

#include "core/write_model/write_model.h"
#include "projections/visibility.h"
#include "support/event_builders.h"

namespace hearth::testing {
namespace {

constexpr UserId kAdmin{1}, kAlice{2}, kBob{3}, kCarol{4}, kStranger{99};
constexpr RoomId kAllTalk{1}, kOps{2};

class VisibilityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fold({account_created("Campfire", "code"), user_joined(kAdmin, "Admin", "a@example.com", Role::kAdministrator),
          user_joined(kAlice, "Alice", "alice@example.com"), user_joined(kBob, "Bob", "bob@example.com"),
          user_joined(kCarol, "Carol", "carol@example.com"),
          room_created(kAllTalk, RoomKind::kOpen, "All Talk", kAdmin), membership_granted(kAllTalk, kAdmin),
          membership_granted(kAllTalk, kAlice), membership_granted(kAllTalk, kBob),
          membership_granted(kAllTalk, kCarol), room_created(kOps, RoomKind::kClosed, "Ops", kAlice),
          membership_granted(kOps, kAlice)});
  }
  void fold(std::vector<StoredEvent> events) {
    for (auto& e : events) {
      e.seq = Seq(++seq_);
      model_.apply(e);
    }
  }
  Visibility see(StoredEvent e, UserId viewer) {
    e.seq = Seq(seq_ + 1);
    return visible_to(e, viewer, model_);
  }

  WriteModel model_;
  int64_t seq_ = 0;
};

TEST_F(VisibilityTest, MemberSeesRoomMessages) {
  auto v = see(message_posted(MessageId(1), kOps, kAlice, "plans"), kAlice);
  EXPECT_TRUE(v.visible);
  EXPECT_FALSE(v.reason.empty());
}

TEST_F(VisibilityTest, NonMemberDoesNotSeeRoomMessagesEditsRemovalsOrBoosts) {
  EXPECT_FALSE(see(message_posted(MessageId(1), kOps, kAlice, "plans"), kBob).visible);
  EXPECT_FALSE(see(message_edited(MessageId(1), kOps, "plans!"), kBob).visible);
  EXPECT_FALSE(see(message_removed(MessageId(1), kOps), kBob).visible);
  EXPECT_FALSE(see(boost_added(BoostId(1), MessageId(1), kOps, kAlice, "ok"), kBob).visible);
  EXPECT_FALSE(see(boost_removed(BoostId(1), MessageId(1), kOps), kBob).visible);
  EXPECT_FALSE(see(room_renamed(kOps, "Secret"), kBob).visible);
  EXPECT_FALSE(see(room_deleted(kOps), kBob).visible);
}

TEST_F(VisibilityTest, GrantedUserSeesTheirOwnGrantBeforeBeingAMember) {
  EXPECT_TRUE(see(membership_granted(kOps, kBob), kBob).visible);
  EXPECT_TRUE(see(membership_granted(kOps, kBob), kAlice).visible);   // existing member
  EXPECT_FALSE(see(membership_granted(kOps, kBob), kCarol).visible);  // outsider
}

TEST_F(VisibilityTest, RevokedUserSeesTheirOwnRevocation) {
  fold({membership_granted(kOps, kBob)});
  EXPECT_TRUE(see(membership_revoked(kOps, kBob), kBob).visible);
  EXPECT_TRUE(see(membership_revoked(kOps, kBob), kAlice).visible);
  EXPECT_FALSE(see(membership_revoked(kOps, kBob), kCarol).visible);
  fold({membership_revoked(kOps, kBob)});
  EXPECT_FALSE(see(message_posted(MessageId(1), kOps, kAlice, "after"), kBob).visible);
}

TEST_F(VisibilityTest, PrivateEventsReachOnlyTheirOwner) {
  std::vector<StoredEvent> own = {
      session_started(SessionId(1), kAlice, "hash"), session_ended(SessionId(1), kAlice),
      search_recorded(kAlice, "q"), searches_cleared(kAlice), password_changed(kAlice, "d"),
      push_subscription_added(PushSubscriptionId(1), kAlice, "https://push"),
      push_subscription_removed(PushSubscriptionId(1), kAlice), room_read(kAllTalk, kAlice),
      involvement_changed(kAllTalk, kAlice, Involvement::kNothing)};
  for (auto& e : own) {
    EXPECT_TRUE(see(e, kAlice).visible) << e.type;
    EXPECT_FALSE(see(e, kBob).visible) << e.type;
    EXPECT_FALSE(see(e, kAdmin).visible) << e.type;
  }
}

TEST_F(VisibilityTest, AccountWideEventsReachEveryActiveUser) {
  for (UserId viewer : {kAdmin, kAlice, kBob, kCarol}) {
    EXPECT_TRUE(see(account_renamed("Hearth"), viewer).visible);
    EXPECT_TRUE(see(user_joined(UserId(7), "New", "new@example.com"), viewer).visible);
    EXPECT_TRUE(see(room_created(RoomId(9), RoomKind::kOpen, "Lobby", kAdmin), viewer).visible);
    EXPECT_TRUE(see(room_renamed(kAllTalk, "Everyone"), viewer).visible);
    EXPECT_TRUE(see(role_changed(kBob, Role::kAdministrator), viewer).visible);
  }
}

TEST_F(VisibilityTest, ClosedRoomCreationReachesOnlyItsCreator) {
  EXPECT_TRUE(see(room_created(RoomId(9), RoomKind::kClosed, "Mine", kBob), kBob).visible);
  EXPECT_FALSE(see(room_created(RoomId(9), RoomKind::kClosed, "Mine", kBob), kAlice).visible);
  EXPECT_TRUE(see(room_created(RoomId(9), RoomKind::kDirect, "", kBob), kBob).visible);
  EXPECT_FALSE(see(room_created(RoomId(9), RoomKind::kDirect, "", kBob), kCarol).visible);
}

TEST_F(VisibilityTest, DeactivatedUserSeesNothing) {
  EXPECT_TRUE(see(user_deactivated(kCarol, "carol-gone@example.com"), kCarol).visible);  // closes the socket
  fold({membership_revoked(kAllTalk, kCarol), user_deactivated(kCarol, "carol-gone@example.com")});
  auto v = see(account_renamed("Hearth"), kCarol);
  EXPECT_FALSE(v.visible);
  EXPECT_EQ(v.reason, "viewer is deactivated");
  EXPECT_FALSE(see(session_started(SessionId(5), kCarol, "h"), kCarol).visible);
}

TEST_F(VisibilityTest, BannedUserSeesNothing) {
  fold({user_banned(kBob, {"192.0.2.1"})});
  EXPECT_FALSE(see(message_posted(MessageId(1), kAllTalk, kAlice, "hi"), kBob).visible);
  EXPECT_FALSE(see(account_renamed("Hearth"), kBob).visible);
}

TEST_F(VisibilityTest, UnknownViewerSeesOnlyTheirOwnArrival) {
  EXPECT_FALSE(see(account_renamed("Hearth"), kStranger).visible);
  EXPECT_TRUE(see(user_joined(kStranger, "S", "s@example.com"), kStranger).visible);
  EXPECT_TRUE(see(bot_created(kStranger, "Bot", "h"), kStranger).visible);
}

}  // namespace
}  // namespace hearth::testing
