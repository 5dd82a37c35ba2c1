// Sign-in rate limit: 10 per 3 minutes per client address, a sliding window, bounded memory.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "server/auth/rate_limiter.h"

namespace hearth::auth {
namespace {

// A clock that moves only when the test says so.
class SetClock final : public Clock {
 public:
  int64_t now_us() override { return now_.load(); }
  void advance_s(double seconds) { now_ += static_cast<int64_t>(seconds * 1e6); }

 private:
  std::atomic<int64_t> now_{1'700'000'000'000'000};
};

TEST(RateLimiterTest, EleventhAttemptWithinThreeMinutesIsRefused) {
  SetClock clock;
  RateLimiter limiter(clock);
  for (int i = 0; i < 10; ++i) {
    EXPECT_TRUE(limiter.allow("203.0.113.7")) << i;
    clock.advance_s(1);
  }
  EXPECT_FALSE(limiter.allow("203.0.113.7"));
  EXPECT_TRUE(limiter.allow("203.0.113.8"));  // per address
}

TEST(RateLimiterTest, WindowSlidesOneAttemptAtATime) {
  SetClock clock;
  RateLimiter limiter(clock);
  ASSERT_TRUE(limiter.allow("a"));  // t = 0
  clock.advance_s(100);
  for (int i = 0; i < 9; ++i) ASSERT_TRUE(limiter.allow("a"));  // t = 100
  clock.advance_s(79.9);
  EXPECT_FALSE(limiter.allow("a"));  // t = 179.9: ten within the last 3 minutes
  clock.advance_s(0.1);
  EXPECT_TRUE(limiter.allow("a"));  // t = 180: the first has left the window, one slot frees
  EXPECT_FALSE(limiter.allow("a"));
  clock.advance_s(99.9);
  EXPECT_FALSE(limiter.allow("a"));  // t = 279.9: the nine from t = 100 are still in
  clock.advance_s(0.1);
  for (int i = 0; i < 9; ++i) EXPECT_TRUE(limiter.allow("a")) << i;
  EXPECT_FALSE(limiter.allow("a"));
}

TEST(RateLimiterTest, NoDoubleBurstAcrossAWindowBoundary) {
  // A fixed window would allow 10 at t = 179 s and 10 more at t = 181 s.
  SetClock clock;
  RateLimiter limiter(clock);
  clock.advance_s(179);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(limiter.allow("a"));
  clock.advance_s(2);
  EXPECT_FALSE(limiter.allow("a"));
}

TEST(RateLimiterTest, RefusedAttemptsDoNotExtendTheBlock) {
  SetClock clock;
  RateLimiter limiter(clock);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(limiter.allow("a"));
  for (int i = 0; i < 170; ++i) {
    clock.advance_s(1);
    EXPECT_FALSE(limiter.allow("a"));
  }
  clock.advance_s(10);
  EXPECT_TRUE(limiter.allow("a"));
}

TEST(RateLimiterTest, IdleAddressesAreForgotten) {
  SetClock clock;
  RateLimiter limiter(clock);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(limiter.allow("10.0.0." + std::to_string(i)));
  EXPECT_EQ(limiter.size(), 1000u);
  clock.advance_s(180);
  ASSERT_TRUE(limiter.allow("fresh"));
  EXPECT_EQ(limiter.size(), 1u);
}

TEST(RateLimiterTest, TableNeverExceedsItsCap) {
  SetClock clock;
  RateLimiter limiter(clock, {.limit = 2, .window_us = 180'000'000, .max_keys = 100});
  for (int i = 0; i < 10'000; ++i) {
    ASSERT_TRUE(limiter.allow("k" + std::to_string(i)));
    ASSERT_LE(limiter.size(), 100u);
  }
  // The most recent keys are still tracked: least recently used went first.
  ASSERT_TRUE(limiter.allow("k9999"));
  EXPECT_FALSE(limiter.allow("k9999"));
}

TEST(RateLimiterTest, RecentlyUsedKeySurvivesEviction) {
  SetClock clock;
  RateLimiter limiter(clock, {.limit = 1, .window_us = 180'000'000, .max_keys = 3});
  ASSERT_TRUE(limiter.allow("attacker"));
  ASSERT_TRUE(limiter.allow("b"));
  ASSERT_TRUE(limiter.allow("c"));
  EXPECT_FALSE(limiter.allow("attacker"));  // touching it makes it most recently used
  ASSERT_TRUE(limiter.allow("d"));          // evicts "b"
  EXPECT_FALSE(limiter.allow("attacker"));
  EXPECT_TRUE(limiter.allow("b"));  // forgotten, so allowed again
}

TEST(RateLimiterTest, ConcurrentCallersNeverExceedTheLimit) {
  SetClock clock;
  RateLimiter limiter(clock);
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        if (limiter.allow("shared")) allowed++;
        (void)limiter.allow("own" + std::to_string(t * 1000 + i));
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(allowed.load(), 10);
}

}  // namespace
}  // namespace hearth::auth
