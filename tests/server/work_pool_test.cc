#include "server/work_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>

namespace hearth::server {
namespace {

using namespace std::chrono_literals;

TEST(WorkPoolTest, RunsEveryJobAndBoundsConcurrency) {
  WorkPool pool(2);
  EXPECT_EQ(pool.threads(), 2u);
  std::atomic<int> running{0}, peak{0}, done{0};
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(pool.submit([&] {
      int now = ++running;
      int seen = peak.load();
      while (now > seen && !peak.compare_exchange_weak(seen, now)) {
      }
      std::this_thread::sleep_for(2ms);
      --running;
      ++done;
    }));
  }
  for (int i = 0; i < 500 && done.load() < 20; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(done.load(), 20);
  EXPECT_LE(peak.load(), 2);
}

TEST(WorkPoolTest, DefaultsToTheCoreCount) {
  WorkPool pool(0);
  EXPECT_GE(pool.threads(), 1u);
}

TEST(WorkPoolTest, FullQueueRefusesAndStopDropsQueuedJobsUnrun) {
  WorkPool pool(1, 2);
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::promise<void> started;
  ASSERT_TRUE(pool.submit([gate, &started] {
    started.set_value();
    gate.wait();
  }));
  started.get_future().wait();
  auto owned = std::make_shared<int>(7);
  std::atomic<int> ran{0};
  EXPECT_TRUE(pool.submit([owned, &ran] { ++ran; }));
  EXPECT_TRUE(pool.submit([owned, &ran] { ++ran; }));
  EXPECT_FALSE(pool.submit([owned, &ran] { ++ran; })) << "queue full";
  EXPECT_EQ(owned.use_count(), 3) << "the refused job was destroyed";
  std::thread stopper([&pool] { pool.stop(); });
  std::this_thread::sleep_for(50ms);
  release.set_value();  // the running job finishes
  stopper.join();
  EXPECT_EQ(ran.load(), 0) << "queued jobs are dropped by stop()";
  EXPECT_EQ(owned.use_count(), 1) << "and destroyed";
  EXPECT_FALSE(pool.submit([] {})) << "stopped";
  pool.stop();  // idempotent
}

TEST(WorkPoolTest, AThrowingJobDoesNotKillItsThread) {
  WorkPool pool(1);
  ASSERT_TRUE(pool.submit([] { throw std::runtime_error("boom"); }));
  std::promise<void> after;
  ASSERT_TRUE(pool.submit([&after] { after.set_value(); }));
  EXPECT_EQ(after.get_future().wait_for(5s), std::future_status::ready);
}

}  // namespace
}  // namespace hearth::server
