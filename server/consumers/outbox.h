#pragma once
// An outbox: how a side effect of the log (webhooks, Web Push) is made at least once, survives a
// crash, and never slows the sequencer (DESIGN "Side effects are log consumers").
//
//   sequencer ──(listener: wake only)──▶ planner thread ──▶ DATA_DIR/outbox.<name>.sqlite3
//                                          reads the log        cursor(seq)   outbox(rows)
//                                          after its cursor            │
//                                                                      ▼
//                                        delivery threads ◀── due rows, one per target at a time
//
// 1. Planning. The planner reads committed events after its cursor from its own read-only log
//    connection (never past the sequencer's applied_seq, so a consumer may read the projections
//    and find the event already folded in), asks the Consumer to turn each into zero or more
//    Deliveries, and writes the rows and the new cursor in ONE transaction. A kill before that
//    commit plans the same events again; after it, the rows are on disk. Never skipped.
// 2. Delivery. Worker threads take due rows (oldest first) and call Consumer::deliver. kDone
//    deletes the row; kRetry reschedules it with exponential backoff (first_backoff · 2^attempts,
//    capped at max_backoff) until max_attempts, after which the row is dropped with a log line and
//    the `dropped` counter; kDrop drops it at once. A kill during a delivery leaves the row: it is
//    sent again after restart. So a receiver sees each delivery at least once, and the event's seq
//    (Delivery::seq) is what lets it drop repeats.
// 3. Isolation. At most one delivery per `target` is in flight, so a dead endpoint that makes every
//    attempt wait for its timeout holds one worker, never all of them; its rows wait for their
//    backoff without blocking the rows of others. The sequencer only ever calls a listener that
//    sets a flag and notifies a condition variable.
//
// A new cursor file starts at the sequencer's applied_seq when opened: history before the consumer
// existed (an import, an upgrade) is not replayed into anyone's endpoint.
//
// How another consumer plugs in (Web Push, ...): implement Consumer — plan() says who must be told
// what about one event (put what deliver() needs into Delivery::payload; it is stored as is), and
// deliver() does one attempt, blocking, with bounded timeouts (server/outgoing/http_client.h) —
// then open one Outbox per consumer with its own name, in serve.cc next to the webhooks one, and
// hand its stats() to Metrics::Sources::outboxes.
//
// Thread safety: open() and stop() from the owner's thread. plan() runs on the planner thread
// only; deliver() on worker threads, concurrently for different targets.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/base/ids.h"
#include "core/base/result.h"
#include "core/log/event_log.h"

namespace hearth {
class Sequencer;
}

namespace hearth::server::consumers {

// One row of the outbox.
struct Delivery {
  int64_t id = 0;       // assigned by the outbox (row id); 0 in plan()
  Seq seq;              // the event it comes from; set by the outbox in plan()
  std::string target;   // who receives it; one delivery per target in flight
  std::string payload;  // opaque to the outbox: what deliver() needs
  int attempts = 0;     // failed attempts before this one
};

enum class Attempt { kDone, kRetry, kDrop };

class Consumer {
 public:
  virtual ~Consumer() = default;
  // Appends to `out` what `event` calls for (often nothing). An error stops planning (the cursor
  // stays before the event) and is retried after a pause, with a log line.
  virtual Status plan(const StoredEvent& event, std::vector<Delivery>& out) = 0;
  // One attempt. Must return within bounded time (the shutdown waits for it).
  virtual Attempt deliver(const Delivery& delivery) = 0;
};

// Counters for /metrics (server/metrics.h), plain atomics.
struct OutboxStats {
  std::string name;
  std::atomic<uint64_t> planned{0};    // rows written
  std::atomic<uint64_t> delivered{0};  // kDone
  std::atomic<uint64_t> retried{0};    // kRetry rescheduled
  std::atomic<uint64_t> dropped{0};    // kDrop, or kRetry past max_attempts
  std::atomic<int64_t> pending{0};     // rows in the outbox (gauge)
  std::atomic<int64_t> cursor{0};      // last seq planned (gauge)
};

class Outbox {
 public:
  struct Options {
    std::string name;  // the file DATA_DIR/outbox.<name>.sqlite3 and the metrics label
    size_t workers = 4;
    int max_attempts = 10;
    std::chrono::milliseconds first_backoff{1000};
    std::chrono::milliseconds max_backoff{std::chrono::minutes(10)};
    size_t plan_chunk = 512;  // events planned per transaction
  };

  // Adds a listener to `sequencer` (so: before it accepts commands) and starts the threads.
  static Result<std::unique_ptr<Outbox>> open(const std::string& data_dir, Sequencer& sequencer,
                                              std::shared_ptr<Consumer> consumer, Options options);
  ~Outbox();  // stop()s
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  // Stops planning, lets deliveries in flight finish (each bounded by its own timeouts), joins.
  // Rows not yet delivered stay for the next start. Idempotent. Call before the sequencer stops.
  void stop();

  const OutboxStats& stats() const;
  // Blocks until the cursor reaches `seq` and no row is pending, or `limit` passes (tests).
  bool wait_idle(Seq seq, std::chrono::milliseconds limit);

  struct Impl;

 private:
  explicit Outbox(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<Impl> impl_;
};

}  // namespace hearth::server::consumers
