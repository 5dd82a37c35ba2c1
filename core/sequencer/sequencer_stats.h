#pragma once
// Counters the sequencer keeps for /metrics. Plain atomics, no Prometheus here (core/ knows nothing
// of the server): server/metrics.cc reads them when scraped, so the write path pays a few relaxed
// increments per batch and nothing more when no one scrapes.
//
// Thread safety: the sequencer and apply threads write (relaxed); anyone may read at any time.
// A reader sees each counter on its own, not a consistent snapshot of all of them: a scrape during
// a batch may count its commands before its events. Prometheus rates over seconds do not care.
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace hearth {

// A histogram with fixed upper bounds (inclusive, as Prometheus' `le`) and one more bucket for
// values above the last bound. Buckets are not cumulative here; the reader sums them. There is no
// separate count: it is the sum of the buckets, so a scrape's `+Inf` bucket and `_count` agree.
template <size_t N>
class FixedHistogram {
 public:
  using Bounds = std::array<uint64_t, N>;  // strictly increasing
  explicit constexpr FixedHistogram(const Bounds& bounds) : bounds_(bounds) {}

  void observe(uint64_t value) {
    size_t i = 0;
    while (i < N && value > bounds_[i]) ++i;  // N is small (≤ 16): a scan beats a search
    buckets_[i].fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(value, std::memory_order_relaxed);
  }

  static constexpr size_t kBuckets = N + 1;  // the last one: above bounds()[N - 1]
  const Bounds& bounds() const { return bounds_; }
  uint64_t bucket(size_t i) const { return buckets_[i].load(std::memory_order_relaxed); }
  uint64_t sum() const { return sum_.load(std::memory_order_relaxed); }

 private:
  Bounds bounds_;
  std::array<std::atomic<uint64_t>, N + 1> buckets_{};
  std::atomic<uint64_t> sum_{0};
};

struct SequencerStats {
  // Every submit() call, refused at the door or queued.
  std::atomic<uint64_t> commands_submitted{0};
  // Completed commands by outcome; their sum trails commands_submitted by what is queued or in
  // flight. accepted: decided and durable (an idempotent repeat included); rejected: a typed
  // error from the decider (invalid, conflict, forbidden, ...); refused: kUnavailable (queue full,
  // shutting down, writes stopped, or the commit failed).
  std::atomic<uint64_t> commands_accepted{0};
  std::atomic<uint64_t> commands_rejected{0};
  std::atomic<uint64_t> commands_refused{0};
  std::atomic<uint64_t> events_appended{0};
  std::atomic<uint64_t> batches_committed{0};  // transactions that appended at least one event

  // Commands per decided batch: powers of two up to Options::max_batch's default (1024).
  FixedHistogram<11> batch_size{{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024}};
  // Microseconds to append and commit a batch (writes, COMMIT, fsync with durability FULL), and
  // to apply one round of batches to the projections. 100 µs .. 1 s, about three per decade.
  static constexpr FixedHistogram<13>::Bounds kLatencyBoundsUs{
      100, 250, 500, 1'000, 2'500, 5'000, 10'000, 25'000, 50'000, 100'000, 250'000, 500'000, 1'000'000};
  FixedHistogram<13> commit_us{kLatencyBoundsUs};
  FixedHistogram<13> apply_us{kLatencyBoundsUs};
};

}  // namespace hearth
