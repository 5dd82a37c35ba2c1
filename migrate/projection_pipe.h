#pragma once
// Builds the projections while the log is still being written: each batch the importer appends
// is handed to a second thread that applies it to state.sqlite3 (the same Projector::apply the
// sequencer uses, in the same order, so the result equals a catch-up from the log). The queue
// holds at most kMaxBatches batches, so memory stays bounded however long the import is
// (DESIGN I7); on a 2-core machine this overlaps the two halves of the work.
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "core/log/event_log.h"
#include "projections/projector.h"

namespace hearth::migrate {

class ProjectionPipe {
 public:
  static constexpr size_t kMaxBatches = 4;

  explicit ProjectionPipe(Projector& projector);
  ~ProjectionPipe();  // finishes (and drops any error) if finish() was not called
  ProjectionPipe(const ProjectionPipe&) = delete;
  ProjectionPipe& operator=(const ProjectionPipe&) = delete;

  // Queues an appended batch (blocks while the queue is full). Returns the applier's first error,
  // if it already failed, so the importer stops early.
  Status push(std::vector<StoredEvent> batch);
  // Waits for every queued batch to be applied; the first apply error, if any.
  Status finish();

 private:
  void run();
  Projector& projector_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<std::vector<StoredEvent>> queue_;
  bool closed_ = false;
  std::optional<Error> error_;
  std::thread thread_;
};

}  // namespace hearth::migrate
