// server/realtime/presence: presence per connection with a TTL, on a clock the test moves.
#include "server/realtime/presence.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace hearth::server::realtime {
namespace {

using namespace std::chrono_literals;

// A clock that only moves when told.
class StillClock final : public Clock {
 public:
  int64_t now_us() override { return now.load(); }
  std::atomic<int64_t> now{1'700'000'000'000'000};
};

constexpr UserId kAda{1}, kBea{2};
constexpr RoomId kRoom{10}, kOther{11};

struct PresenceTest : ::testing::Test {
  std::shared_ptr<StillClock> clock = std::make_shared<StillClock>();
  Presence presence{clock};
  void advance(std::chrono::microseconds d) { clock->now += d.count(); }
};

TEST_F(PresenceTest, AUserIsPresentWhileOneOfTheirConnectionsIs) {
  EXPECT_TRUE(presence.present_in(kRoom).empty());
  EXPECT_TRUE(presence.enter(1, kAda, kRoom));
  EXPECT_FALSE(presence.enter(2, kAda, kRoom));  // a second tab: already present
  EXPECT_TRUE(presence.enter(3, kBea, kRoom));
  EXPECT_EQ(presence.present_in(kRoom), (std::vector<UserId>{kAda, kBea}));
  EXPECT_EQ(presence.connections(kAda, kRoom), 2u);
  presence.leave(1, kRoom);
  EXPECT_EQ(presence.present_in(kRoom), (std::vector<UserId>{kAda, kBea}));  // the other tab still views it
  presence.leave(2, kRoom);
  EXPECT_EQ(presence.present_in(kRoom), (std::vector<UserId>{kBea}));
  presence.leave(2, kRoom);  // twice: nothing more
  EXPECT_EQ(presence.connections(kAda, kRoom), 0u);
  EXPECT_TRUE(presence.present_in(kOther).empty());
}

TEST_F(PresenceTest, EnteringTheSameRoomAgainOnOneConnectionCountsOnce) {
  presence.enter(1, kAda, kRoom);
  presence.enter(1, kAda, kRoom);
  EXPECT_EQ(presence.connections(kAda, kRoom), 1u);
  EXPECT_EQ(presence.rooms_of(1), 1u);
  presence.leave(1, kRoom);
  EXPECT_TRUE(presence.present_in(kRoom).empty());
  EXPECT_EQ(presence.rooms_of(1), 0u);
}

TEST_F(PresenceTest, AnEntryExpiresAfterSixtySecondsUnlessRefreshed) {
  presence.enter(1, kAda, kRoom);
  presence.enter(1, kAda, kOther);
  presence.enter(2, kBea, kRoom);
  advance(50s);
  EXPECT_TRUE(presence.refresh(1).empty());  // nothing had expired
  advance(11s);                              // Bea's entry is 61 s old, Ada's 11 s
  EXPECT_EQ(presence.present_in(kRoom), (std::vector<UserId>{kAda}));
  advance(48s);
  EXPECT_EQ(presence.present_in(kRoom), (std::vector<UserId>{kAda}));
  advance(1s);  // exactly 60 s after Ada's refresh: gone
  EXPECT_TRUE(presence.present_in(kRoom).empty());
  // A late refresh brings the connection's entries back and names them.
  auto revived = presence.refresh(1);
  std::sort(revived.begin(), revived.end());
  EXPECT_EQ(revived, (std::vector<RoomId>{kRoom, kOther}));
  EXPECT_EQ(presence.present_in(kRoom), (std::vector<UserId>{kAda}));
  // Entering again renews an expired entry and says the user was not present.
  advance(60s);
  EXPECT_TRUE(presence.enter(2, kBea, kRoom));
  EXPECT_EQ(presence.connections(kBea, kRoom), 1u);
}

TEST_F(PresenceTest, AClosedConnectionLeavesEveryRoom) {
  presence.enter(1, kAda, kRoom);
  presence.enter(1, kAda, kOther);
  presence.enter(2, kAda, kOther);
  presence.leave_all(1);
  EXPECT_TRUE(presence.present_in(kRoom).empty());
  EXPECT_EQ(presence.present_in(kOther), (std::vector<UserId>{kAda}));
  EXPECT_EQ(presence.rooms_of(1), 0u);
  EXPECT_TRUE(presence.refresh(1).empty());
  presence.leave_all(1);  // idempotent
  presence.leave_all(99);  // never seen
}

TEST_F(PresenceTest, ManyThreadsEnteringAndLeavingLeaveNothingBehind) {
  std::vector<std::thread> threads;
  std::atomic<size_t> seen{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        uint64_t conn = static_cast<uint64_t>(t * 10'000 + i);
        RoomId room(1 + i % 5);
        presence.enter(conn, UserId(1 + t), room);
        presence.refresh(conn);
        seen += presence.present_in(room).size();
        if (i % 2) presence.leave(conn, room);
        presence.leave_all(conn);
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int r = 1; r <= 5; ++r) EXPECT_TRUE(presence.present_in(RoomId(r)).empty());
  EXPECT_GT(seen.load(), 0u);
}

}  // namespace
}  // namespace hearth::server::realtime
