#include "server/auth/rate_limiter.h"

namespace hearth::auth {

RateLimiter::RateLimiter(Clock& clock, Options options) : clock_(clock), options_(options) {
  index_.reserve(options_.max_keys < 4096 ? options_.max_keys : 4096);
}

void RateLimiter::evict_expired(int64_t now) {
  while (!lru_.empty() && now - lru_.back().newest >= options_.window_us) {
    index_.erase(lru_.back().key);
    lru_.pop_back();
  }
}

bool RateLimiter::allow(std::string_view key) {
  const int64_t now = clock_.now_us();
  std::lock_guard lock(mu_);
  evict_expired(now);
  auto it = index_.find(key);
  if (it == index_.end()) {
    if (lru_.size() >= options_.max_keys) {
      index_.erase(lru_.back().key);
      lru_.pop_back();
    }
    lru_.push_front(Entry{std::string(key), {now}, 0, now});
    index_.emplace(lru_.front().key, lru_.begin());  // the view points into the list node: stable
    return true;
  }
  lru_.splice(lru_.begin(), lru_, it->second);  // most recently used; iterators stay valid
  Entry& e = *it->second;
  if (e.times.size() < options_.limit) {
    e.times.push_back(now);
  } else {
    // Full ring: the oldest allowed attempt decides. Inside the window means `limit` attempts
    // already happened within it.
    if (now - e.times[e.head] < options_.window_us) return false;
    e.times[e.head] = now;
    e.head = (e.head + 1) % options_.limit;
  }
  e.newest = now;
  return true;
}

size_t RateLimiter::size() const {
  std::lock_guard lock(mu_);
  return lru_.size();
}

}  // namespace hearth::auth
