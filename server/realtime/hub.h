#pragma once
// The hub: where committed events meet the WebSocket connections (docs/protocol.md). No Beast or
// Asio here; connections reach it through the Subscriber interface.
//
// The hub keeps a window of recently published batches, bounded in events and bytes, with each
// event's JSON made once and shared by every connection that may see it. A connection owns no
// queue of events, only its cursor: when it can write, it takes what follows its cursor from the
// window, filters it for its user, and sends it as one message. A connection behind the window
// reads the log instead (catch-up), then comes back to the window. So catch-up and live are one
// stream by construction, and a slow client costs the server one message in flight (DESIGN I5, I7).
//
// A connection with nothing left to send parks with its cursor; the next publish wakes every
// parked connection once. Waking only posts to the connection's strand, so publish() — which
// runs on the sequencer's apply thread — does O(parked connections) cheap work per batch.
//
// Thread safety: every method may be called from any thread.
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/base/ids.h"
#include "core/sequencer/downstream.h"
#include "server/realtime/hub_stats.h"

namespace hearth::server::realtime {

// One event's JSON (event_json.h), shared by every connection that sends it. Per event, not per
// batch: a connection whose write is stuck pins only the events of that one message.
using EventText = std::shared_ptr<const std::string>;

// A committed batch as published: the events and, index for index, their JSON.
struct PublishedBatch {
  Batch events;
  std::vector<EventText> json;
  size_t bytes = 0;  // JSON + payload, counted once for the window's byte bound
  Seq first() const { return events->front().seq; }
  Seq last() const { return events->back().seq; }
};
using BatchRef = std::shared_ptr<const PublishedBatch>;

// A connection as the hub sees it. Every method is called from hub threads and must only post
// work to the connection's own strand.
class Subscriber {
 public:
  virtual ~Subscriber() = default;
  virtual void wake() = 0;                                      // events after its parked cursor
  virtual void typing(RoomId room, UserId user, bool active) = 0;  // ephemeral (docs/protocol.md)
  virtual void shutdown() = 0;                                  // the server is stopping: close 1001
};

class Hub {
 public:
  struct Options {
    size_t window_events = 32'768;
    size_t window_bytes = 32u << 20;  // JSON + payload bytes
  };
  // `head`: the last seq already applied when the hub starts; everything up to it is in the log.
  Hub(Seq head, Options options);

  // The sequencer's BatchListener: after commit and apply, in order, on the apply thread.
  void publish(const Batch& batch);

  Seq head() const;

  // What follows `cursor`. When the window starts after cursor + 1, `log_until` is the last seq the
  // caller must read from the log first (then ask again); otherwise it is nullopt and `batches`
  // hold every window batch with events after `cursor` (at most `max_batches`).
  struct After {
    std::optional<Seq> log_until;
    std::vector<BatchRef> batches;
  };
  After after(Seq cursor, size_t max_batches) const;

  // Registers a connection (for typing and shutdown); returns its id, or 0 once stopped.
  uint64_t attach(std::weak_ptr<Subscriber> subscriber);
  void detach(uint64_t id);
  size_t attached() const;

  // Parks a caught-up connection until the next publish. False (and not parked) when events after
  // `cursor` already exist: the caller goes on reading instead.
  bool park(uint64_t id, Seq cursor);

  // Ephemeral: tells every other connection; each filters by its user's rooms on its strand.
  void typing(RoomId room, UserId user, bool active, uint64_t from);

  // Tells every connection to close (1001) and refuses new ones.
  void stop();

  HubStats& stats() { return stats_; }

 private:
  std::vector<std::shared_ptr<Subscriber>> live_subscribers() const;  // REQUIRES mu_ held

  const Options options_;
  mutable std::mutex mu_;
  Seq head_;                            // guarded by mu_
  Seq window_start_;                    // guarded by mu_: the window holds (window_start_, head_]
  std::deque<BatchRef> window_;         // guarded by mu_, oldest first
  size_t window_count_ = 0, window_bytes_ = 0;  // guarded by mu_: events, bytes
  std::unordered_map<uint64_t, std::weak_ptr<Subscriber>> subscribers_;  // guarded by mu_
  std::vector<uint64_t> parked_;        // guarded by mu_
  uint64_t next_id_ = 1;                // guarded by mu_
  bool stopped_ = false;                // guarded by mu_
  HubStats stats_;
};

}  // namespace hearth::server::realtime
