#include "core/sequencer/sequencer.h"

#include <pthread.h>

#include <chrono>

#include <spdlog/spdlog.h>

#include "core/sequencer/decider.h"

namespace hearth {

namespace {
uint64_t micros_since(std::chrono::steady_clock::time_point start) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
  return static_cast<uint64_t>(us.count());
}
}  // namespace

Sequencer::Sequencer(Deps deps, Options options) : options_(options), deps_(std::move(deps)) {
  decider_ = std::make_unique<Decider>(deps_.model, *deps_.clock, *deps_.random, *deps_.messages, *deps_.log);
  committed_seq_ = deps_.log->last_seq().value;
  applied_seq_ = deps_.applier->applied_seq().value;
  if (applied_seq_ != committed_seq_) {
    health_ = Error{ErrorCode::kUnavailable, "projections at seq " + std::to_string(applied_seq_) +
                                                 " but the log at " + std::to_string(committed_seq_) +
                                                 ": catch up before starting the sequencer"};
  }
  sequencer_thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "hearth-sequence");  // named for top, perf and gdb
    sequencer_loop();
  });
  apply_thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "hearth-apply");
    apply_loop();
  });
}

Sequencer::~Sequencer() { stop(); }

void Sequencer::add_listener(BatchListener listener) {
  std::lock_guard lock(mu_);
  listeners_.push_back(std::move(listener));
}

void Sequencer::refuse_at_door(const Done& done, Error e) {
  stats_.commands_refused.fetch_add(1, std::memory_order_relaxed);
  done(std::move(e));
}

void Sequencer::submit(CommandEnvelope command, Done done) {
  // Per command, but under mu_, which every submit takes anyway: the cache line is already
  // serialized by the lock, so the relaxed add costs a few nanoseconds and no extra contention.
  std::unique_lock lock(mu_);
  stats_.commands_submitted.fetch_add(1, std::memory_order_relaxed);
  if (stopping_) {
    lock.unlock();
    refuse_at_door(done, Error{ErrorCode::kUnavailable, "the sequencer is shutting down"});
    return;
  }
  if (health_) {
    Error e = *health_;
    lock.unlock();
    refuse_at_door(done, std::move(e));
    return;
  }
  if (queue_.size() >= options_.max_queue) {
    lock.unlock();
    refuse_at_door(done, Error{ErrorCode::kUnavailable, "the command queue is full; retry shortly"});
    return;
  }
  bool was_empty = queue_.empty();
  queue_.push_back(Pending{std::move(command), std::move(done)});
  lock.unlock();
  // The sequencer only sleeps on an empty queue; waking it per command would cost a futex call
  // (and often a context switch) for every submit while it is busy.
  if (was_empty) queue_cv_.notify_one();
}

std::future<Outcome> Sequencer::submit(CommandEnvelope command) {
  auto promise = std::make_shared<std::promise<Outcome>>();
  auto future = promise->get_future();
  submit(std::move(command), [promise](Outcome o) { promise->set_value(std::move(o)); });
  return future;
}

std::optional<Error> Sequencer::health() const {
  std::lock_guard lock(mu_);
  return health_;
}

void Sequencer::fail(Error e) {
  std::lock_guard lock(mu_);
  if (!health_) {
    spdlog::error("sequencer stopped accepting writes: {}", e.to_string());
    health_ = std::move(e);
  }
  applied_cv_.notify_all();
}

void Sequencer::wait_applied(Seq seq) {
  std::unique_lock lock(mu_);
  applied_cv_.wait(lock, [&] { return applied_seq_.load() >= seq.value || health_.has_value() || stopping_; });
}

// The group commit, in three steps: take every queued command (up to max_batch), decide them
// one after another against the write model, append all their events in one transaction.
void Sequencer::sequencer_loop() {
  std::vector<Pending> batch;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      queue_cv_.wait(lock, [&] { return !queue_.empty() || stopping_; });
      if (stopping_) break;
      size_t n = std::min(queue_.size(), options_.max_batch);
      batch.clear();
      for (size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    ApplyJob job;
    auto events = std::make_shared<std::vector<StoredEvent>>();
    auto refused = health();
    if (refused) {
      for (auto& p : batch) job.completions.push_back({std::move(p.done), *refused, /*refused=*/true});
    } else {
      decider_->begin_batch(deps_.applier->applied_seq());
      auto begun = deps_.log->begin_batch();
      if (!begun.ok()) fail(begun.error());  // decided anyway, then refused below: never acked
      Seq base = deps_.log->last_seq();
      for (auto& p : batch) {
        Outcome o = decider_->decide(p.command, *events, base);
        job.completions.push_back({std::move(p.done), std::move(o)});
      }
      stats_.batch_size.observe(batch.size());
      if (events->empty()) {
        deps_.log->end_batch();
      } else {
        auto commit_start = std::chrono::steady_clock::now();
        auto appended = begun.ok() ? deps_.log->append(*events) : begun;
        if (begun.ok()) stats_.commit_us.observe(micros_since(commit_start));
        if (!appended.ok()) {
          // I4: never acknowledge what may not be durable. The write model now holds events the
          // log may lack, so no further command may be decided: writes stop here.
          fail(appended.error());
          for (auto& d : job.completions) {
            if (d.outcome.ok()) {
              d.outcome = appended.error();
              d.refused = true;
            }
          }
          job.commit_failed = true;
          events->clear();
        } else {
          committed_seq_ = deps_.log->last_seq().value;
          stats_.events_appended.fetch_add(events->size(), std::memory_order_relaxed);
          stats_.batches_committed.fetch_add(1, std::memory_order_relaxed);
        }
      }
      decider_->end_batch();
    }
    job.events = std::move(events);
    {
      std::unique_lock lock(mu_);
      // Bound the committed-but-unapplied work (I7); this also lets commit N+1 overlap apply N.
      apply_cv_.wait(lock, [&] { return apply_queue_.size() < options_.max_inflight_batches; });
      apply_queue_.push_back(std::move(job));
    }
    apply_cv_.notify_all();
  }
  // Stopping: what is still queued was never decided; refuse it.
  std::deque<Pending> rest;
  {
    std::lock_guard lock(mu_);
    rest.swap(queue_);
    ApplyJob job;
    job.events = std::make_shared<std::vector<StoredEvent>>();
    for (auto& p : rest) job.completions.push_back({std::move(p.done), Error{ErrorCode::kUnavailable, "the sequencer is shutting down"}, /*refused=*/true});
    job.commit_failed = true;
    apply_queue_.push_back(std::move(job));
    apply_queue_.push_back(ApplyJob{});  // the end marker: events == nullptr
  }
  apply_cv_.notify_all();
}

// Applies committed batches in order. When several are waiting (the projection fell behind), they
// are applied in ONE projection transaction: FTS5 writes a segment per transaction, so folding
// small batches together is what lets the apply side keep pace with group commit.
void Sequencer::apply_loop() {
  for (;;) {
    std::vector<ApplyJob> jobs;
    std::vector<BatchListener> listeners;
    bool end = false;
    {
      std::unique_lock lock(mu_);
      apply_cv_.wait(lock, [&] { return !apply_queue_.empty(); });
      while (!apply_queue_.empty() && !end) {
        end = !apply_queue_.front().events;  // the end marker
        if (!end) jobs.push_back(std::move(apply_queue_.front()));
        apply_queue_.pop_front();
      }
      listeners = listeners_;
    }
    apply_cv_.notify_all();
    std::vector<const ApplyJob*> committed;
    size_t events = 0;
    for (auto& job : jobs) {
      if (job.commit_failed || job.events->empty()) continue;
      committed.push_back(&job);
      events += job.events->size();
    }
    if (!committed.empty()) {
      Status applied = ok_status();
      auto apply_start = std::chrono::steady_clock::now();
      if (committed.size() == 1) {
        applied = deps_.applier->apply(*committed[0]->events);
      } else {
        std::vector<StoredEvent> joined;
        joined.reserve(events);
        for (auto* job : committed) joined.insert(joined.end(), job->events->begin(), job->events->end());
        applied = deps_.applier->apply(joined);
      }
      stats_.apply_us.observe(micros_since(apply_start));
      if (!applied.ok()) {
        // The events are durable in the log; the projection is repaired from it at next start.
        fail(Error{ErrorCode::kUnavailable, "applying to the projections failed: " + applied.error().message});
      } else {
        std::lock_guard lock(mu_);
        applied_seq_ = committed.back()->events->back().seq.value;
      }
      applied_cv_.notify_all();
      for (auto* job : committed) {
        for (auto& l : listeners) l(job->events);
      }
    }
    // Outcomes are counted here, where they are final (a failed commit turns acceptances into
    // refusals), once per round rather than once per command, and before any caller hears its
    // outcome: a scrape after an acknowledgement always counts it.
    uint64_t accepted = 0, rejected = 0, refused = 0;
    for (auto& job : jobs) {
      for (auto& d : job.completions) {
        if (d.outcome.ok()) {
          ++accepted;
        } else if (d.refused) {
          ++refused;
        } else {
          ++rejected;
        }
      }
    }
    stats_.commands_accepted.fetch_add(accepted, std::memory_order_relaxed);
    stats_.commands_rejected.fetch_add(rejected, std::memory_order_relaxed);
    stats_.commands_refused.fetch_add(refused, std::memory_order_relaxed);
    for (auto& job : jobs) {
      for (auto& d : job.completions) d.done(std::move(d.outcome));
    }
    if (end) break;
  }
}

void Sequencer::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !sequencer_thread_.joinable()) return;
    stopping_ = true;
  }
  queue_cv_.notify_all();
  applied_cv_.notify_all();
  if (sequencer_thread_.joinable()) sequencer_thread_.join();
  if (apply_thread_.joinable()) apply_thread_.join();
}

}  // namespace hearth
