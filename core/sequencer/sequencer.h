#pragma once
// The sequencer: the one writer of the log (DESIGN "The write path").
//
// Threads:
//  - submit() may be called from any thread (IO threads); it only enqueues.
//  - the sequencer thread owns the write model, the log connection and the MessageIndex; it drains
//    a batch of commands, decides each (validate against write model + batch so far, build
//    events, fold them into the write model), and appends the batch in one transaction
//    (group commit, in the shape of LevelDB's DBImpl::Write: queue, take the group, write once).
//  - the apply thread takes committed batches in order, applies them to the projections, tells
//    the listeners, and only then completes each command with its outcome. While it applies batch
//    N the sequencer thread already decides and commits batch N+1: two cores, two databases.
//
// Failure: if an append fails (COMMIT/fsync error, disk full) the commands of that batch are
// completed with kUnavailable, never acknowledged, and every later command is refused with the
// same error (health()). If applying to the projections fails, the committed commands are still
// acknowledged (they are durable; the projection is repaired from the log at next start), but
// writes stop likewise.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "core/base/clock.h"
#include "core/commands/commands.h"
#include "core/log/event_log.h"
#include "core/sequencer/downstream.h"
#include "core/sequencer/sequencer_stats.h"
#include "core/write_model/write_model.h"

namespace hearth {

class Decider;

class Sequencer {
 public:
  struct Options {
    size_t max_batch = 1024;     // commands per transaction
    size_t max_queue = 100'000;  // submitted but not yet taken; beyond it submit() refuses
    size_t max_inflight_batches = 4;  // committed but not yet applied (bounds memory, I7)
  };
  struct Deps {
    std::unique_ptr<EventLog> log;  // opened read-write
    WriteModel model;               // as of log->last_seq()
    Clock* clock = nullptr;
    Random* random = nullptr;
    MessageIndex* messages = nullptr;
    BatchApplier* applier = nullptr;  // projections; REQUIRES applied_seq() == log->last_seq()
  };
  using Done = std::function<void(Outcome)>;

  Sequencer(Deps deps, Options options);
  ~Sequencer();  // stop()s
  Sequencer(const Sequencer&) = delete;
  Sequencer& operator=(const Sequencer&) = delete;

  // Thread-safe. `done` runs on the apply thread (or inline when refused at once).
  void submit(CommandEnvelope command, Done done);
  std::future<Outcome> submit(CommandEnvelope command);
  Outcome execute(CommandEnvelope command) { return submit(std::move(command)).get(); }

  // Listeners see every batch after it is committed and applied. Add them before submitting.
  void add_listener(BatchListener listener);

  // nullopt while writes are accepted; otherwise why they are not.
  std::optional<Error> health() const;
  Seq committed_seq() const { return Seq(committed_seq_.load()); }
  Seq applied_seq() const { return Seq(applied_seq_.load()); }
  // Counters for /metrics; readable from any thread while the sequencer runs.
  const SequencerStats& stats() const { return stats_; }
  // Blocks until the projections have applied `seq` (or writes stopped).
  void wait_applied(Seq seq);

  // Stops accepting writes for a reason found outside the write path (the background check of
  // the log at start-up found corruption). Like a failed commit: every later submit is refused.
  void halt(Error reason) { fail(std::move(reason)); }

  // Finishes the batch in flight, refuses what is still queued with kUnavailable, joins threads.
  void stop();

 private:
  struct Pending {
    CommandEnvelope command;
    Done done;
  };
  struct Decided {
    Done done;
    Outcome outcome;
    bool refused = false;  // never decided, or its commit failed (for stats_, not the caller)
  };
  struct ApplyJob {
    Batch events;
    std::vector<Decided> completions;
    bool commit_failed = false;
  };

  void sequencer_loop();
  void apply_loop();
  void fail(Error e);
  void refuse_at_door(const Done& done, Error e);

  Options options_;
  Deps deps_;
  std::unique_ptr<Decider> decider_;

  mutable std::mutex mu_;
  std::condition_variable queue_cv_;   // sequencer waits for commands
  std::condition_variable apply_cv_;   // apply thread waits for jobs; sequencer waits for room
  std::condition_variable applied_cv_; // wait_applied()
  std::deque<Pending> queue_;          // guarded by mu_
  std::deque<ApplyJob> apply_queue_;   // guarded by mu_
  std::optional<Error> health_;        // guarded by mu_
  bool stopping_ = false;              // guarded by mu_
  std::vector<BatchListener> listeners_;

  SequencerStats stats_;
  std::atomic<int64_t> committed_seq_{0};
  std::atomic<int64_t> applied_seq_{0};
  std::thread sequencer_thread_;
  std::thread apply_thread_;
};

}  // namespace hearth
