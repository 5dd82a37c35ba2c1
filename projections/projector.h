#pragma once
// The projector: folds the log into DATA_DIR/state.sqlite3, the read models every query uses
// (DESIGN "Projections").
//
// Contract:
//  - apply() takes one committed batch and applies it in ONE transaction that also advances
//    applied_seq; a crash between the log commit and this commit is repaired by catch_up().
//  - applying is deterministic: no clock, no randomness, no I/O but this database (DESIGN I3), so
//    `hearth replay rebuild` yields the same rows as the live file (`hearth replay diff`).
//  - batches must arrive in order: apply() refuses a batch whose first seq is not applied_seq+1.
//  - every payload passes the FlatBuffers verifier before it is read.
// Thread safety: one thread applies; applied_seq() may be read from any thread.
#include <atomic>
#include <memory>
#include <string>

#include "core/log/event_log.h"
#include "core/sequencer/downstream.h"
#include "core/sqlite/db.h"

namespace hearth {

class Projector final : public BatchApplier {
 public:
  struct Options {
    bool create = true;
    bool synchronous_normal = true;  // the state file is disposable: it is rebuilt from the log
  };
  static Result<std::unique_ptr<Projector>> open(const std::string& path, const Options& options);
  static Result<std::unique_ptr<Projector>> open(const std::string& path) { return open(path, Options{}); }
  ~Projector() override;  // out of line: Statements is complete only in projector.cc

  Status apply(std::span<const StoredEvent> batch) override;
  Seq applied_seq() const override { return Seq(applied_.load()); }

  // Applies every event of `log` after applied_seq, in batches of `batch_size` events.
  Status catch_up(const EventLog& log, size_t batch_size = 4096);

  sqlite::Db& db() { return db_; }

 private:
  explicit Projector(sqlite::Db db);
  class Statements;
  sqlite::Db db_;
  std::unique_ptr<Statements> stmts_;
  std::atomic<int64_t> applied_{0};
};

// Applies one event to `db` inside the caller's transaction. REQUIRES: e passed view_event().
// Exposed for the fuzz target and for tests; Projector::apply is the normal entry.
Status apply_event(sqlite::Db& db, const StoredEvent& e);

}  // namespace hearth
