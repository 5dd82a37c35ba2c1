#include "server/realtime/hub.h"

#include <algorithm>

#include "server/realtime/event_json.h"

namespace hearth::server::realtime {

namespace {
size_t batch_bytes(const PublishedBatch& b) {
  size_t n = 0;
  for (size_t i = 0; i < b.json.size(); ++i) n += b.json[i]->size() + (*b.events)[i].payload.size() + 64;
  return n;
}
}  // namespace

Hub::Hub(Seq head, Options options) : options_(options), head_(head), window_start_(head) {}

void Hub::publish(const Batch& batch) {
  if (!batch || batch->empty()) return;
  // The JSON is made here, once per event, outside the lock: connections only ever share it.
  auto published = std::make_shared<PublishedBatch>();
  published->events = batch;
  published->json.reserve(batch->size());
  for (const StoredEvent& e : *batch) published->json.push_back(std::make_shared<const std::string>(event_json(e)));
  published->bytes = batch_bytes(*published);
  const size_t bytes = published->bytes;

  std::vector<std::shared_ptr<Subscriber>> wake;
  {
    std::lock_guard lock(mu_);
    window_.push_back(std::move(published));
    window_count_ += batch->size();
    window_bytes_ += bytes;
    head_ = batch->back().seq;
    // Keep at least the newest batch, whatever its size: a connection at the head must find it.
    while (window_.size() > 1 &&
           (window_count_ > options_.window_events || window_bytes_ > options_.window_bytes)) {
      const BatchRef& old = window_.front();
      window_count_ -= old->events->size();
      window_bytes_ -= old->bytes;
      window_start_ = old->last();
      window_.pop_front();
    }
    wake.reserve(parked_.size());
    for (uint64_t id : parked_) {
      auto it = subscribers_.find(id);
      if (it == subscribers_.end()) continue;
      if (auto s = it->second.lock()) wake.push_back(std::move(s));
    }
    parked_.clear();
  }
  for (auto& s : wake) s->wake();  // outside the lock: a wake may run inline and call back
}

Seq Hub::head() const {
  std::lock_guard lock(mu_);
  return head_;
}

Hub::After Hub::after(Seq cursor, size_t max_batches) const {
  After out;
  std::lock_guard lock(mu_);
  if (cursor.value < window_start_.value) {
    out.log_until = window_start_;
    return out;
  }
  auto first = std::upper_bound(window_.begin(), window_.end(), cursor,
                                [](Seq c, const BatchRef& b) { return c.value < b->last().value; });
  for (auto it = first; it != window_.end() && out.batches.size() < max_batches; ++it) out.batches.push_back(*it);
  return out;
}

uint64_t Hub::attach(std::weak_ptr<Subscriber> subscriber) {
  std::lock_guard lock(mu_);
  if (stopped_) return 0;
  uint64_t id = next_id_++;
  subscribers_.emplace(id, std::move(subscriber));
  return id;
}

void Hub::detach(uint64_t id) {
  std::lock_guard lock(mu_);
  subscribers_.erase(id);
  std::erase(parked_, id);
}

size_t Hub::attached() const {
  std::lock_guard lock(mu_);
  return subscribers_.size();
}

bool Hub::park(uint64_t id, Seq cursor) {
  std::lock_guard lock(mu_);
  if (stopped_) return true;  // parked for good: shutdown() comes instead of a wake
  if (head_.value > cursor.value) return false;
  parked_.push_back(id);
  return true;
}

std::vector<std::shared_ptr<Subscriber>> Hub::live_subscribers() const {
  std::vector<std::shared_ptr<Subscriber>> out;
  out.reserve(subscribers_.size());
  for (const auto& [id, weak] : subscribers_) {
    if (auto s = weak.lock()) out.push_back(std::move(s));
  }
  return out;
}

void Hub::typing(RoomId room, UserId user, bool active, uint64_t from) {
  std::vector<std::shared_ptr<Subscriber>> targets;
  {
    std::lock_guard lock(mu_);
    targets.reserve(subscribers_.size());
    for (const auto& [id, weak] : subscribers_) {
      if (id == from) continue;
      if (auto s = weak.lock()) targets.push_back(std::move(s));
    }
  }
  for (auto& s : targets) s->typing(room, user, active);
}

void Hub::stop() {
  std::vector<std::shared_ptr<Subscriber>> all;
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
    all = live_subscribers();
    parked_.clear();
  }
  for (auto& s : all) s->shutdown();
}

}  // namespace hearth::server::realtime
