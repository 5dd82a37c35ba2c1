#pragma once
// A per-key (client address) attempt limiter: Campfire's `rate_limit to: 10, within: 3.minutes` on
// POST /session (2.3). The caller answers 429 when allow() is false.
//
// Semantics — a sliding log, not a fixed window: allow(key) succeeds iff fewer than `limit`
// attempts by `key` were allowed in the `window` ending now, and then records this attempt.
// Refused attempts are not recorded, so a client that keeps hammering gets back in as soon as its
// oldest allowed attempt is `window` old, never later. (A fixed window, which Rails' cache counter
// amounts to, lets a client make 2 x limit attempts in a moment around a window boundary.) Each key
// keeps at most `limit` timestamps: 10 x 8 bytes.
//
// Bounded memory: entries sit in least-recently-used order; every call first drops entries whose
// newest attempt is older than the window (amortised O(1)), and past `max_keys` the least recently
// used entry is dropped even if still active. Someone who controls more than max_keys addresses can
// thus reset their own counters, but then the per-address limit was not what stopped them anyway.
//
// Keys are opaque: the caller passes the client address it trusts (the peer, or X-Forwarded-For
// only from a trusted proxy). Consider keying IPv6 clients by their /64, which one host usually owns.
//
// Thread safety: all methods may be called from any thread (one mutex; the critical section is a
// hash lookup and a few list splices).
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/base/clock.h"

namespace hearth::auth {

class RateLimiter {
 public:
  struct Options {
    size_t limit = 10;                  // attempts allowed per window (> 0)
    int64_t window_us = 180'000'000;    // 3 minutes
    size_t max_keys = 65'536;           // ~150 bytes each: ~10 MiB worst case
  };

  // REQUIRES: `clock` outlives the limiter; options.limit > 0, window_us > 0, max_keys > 0.
  RateLimiter(Clock& clock, Options options);
  explicit RateLimiter(Clock& clock) : RateLimiter(clock, Options{}) {}

  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Records an attempt and returns true, or returns false (answer 429) without recording.
  [[nodiscard]] bool allow(std::string_view key);

  // The number of keys currently tracked (for /metrics and tests).
  size_t size() const;

 private:
  struct Entry {
    std::string key;
    std::vector<int64_t> times;  // ring of up to limit timestamps, oldest at `head`
    size_t head = 0;
    int64_t newest = 0;
  };
  using List = std::list<Entry>;  // front = most recently used

  void evict_expired(int64_t now);

  Clock& clock_;
  const Options options_;
  mutable std::mutex mu_;
  List lru_;                                               // guarded by mu_
  std::unordered_map<std::string_view, List::iterator> index_;  // keys view into lru_ entries; mu_
};

}  // namespace hearth::auth
