#pragma once
// A data directory, opened for writing: DATA_DIR/log.sqlite3 (the truth), DATA_DIR/state.sqlite3
// (the projections), and the sequencer that joins them. This is the one place that wires core/
// and projections/ together; the server, the tests and the benchmarks open data through it.
//
// Start-up never replays the whole log (DESIGN "Projections"):
//  1. open the log, checking its last verify_tail events before anything is accepted — and all
//     of it on a background thread: a checksum or chain failure further back halts writes
//     (Sequencer::halt) with an error naming the seq. At 1M events a full check takes ~0.7 s
//     and the tail ~13 ms (bench/append), so start-up stays under 100 ms without trusting the
//     log unchecked;
//  2. open the projections and apply the log's tail after their applied_seq;
//  3. load the write model from the projection tables;
//  4. start the sequencer.
#include <memory>
#include <string>
#include <thread>

#include "core/base/clock.h"
#include "core/sequencer/sequencer.h"
#include "projections/message_index.h"
#include "projections/projector.h"

namespace hearth {

class DataDir {
 public:
  struct Options {
    Durability durability = Durability::kFull;
    bool verify_log = true;
    int64_t verify_tail = 10'000;     // checked before start-up returns; 0: all of it
    bool verify_rest_in_background = true;  // the events before the tail, while serving
    std::string log_vfs;       // SQLite VFS for the log (fault injection in tests)
    Sequencer::Options sequencer;
    Clock* clock = nullptr;    // nullptr: the system clock
    Random* random = nullptr;  // nullptr: libsodium's CSPRNG
  };

  static Result<std::unique_ptr<DataDir>> open(const std::string& dir, const Options& options);
  static Result<std::unique_ptr<DataDir>> open(const std::string& dir) { return open(dir, Options{}); }
  ~DataDir();

  Sequencer& sequencer() { return *sequencer_; }
  // Blocks until the background check of the log is done (tests, tools). nullopt: no problem.
  std::optional<Error> wait_for_log_check();
  const std::string& path() const { return dir_; }
  // Non-empty when open() rebuilt the projections of an older build (for the caller to log).
  const std::string& upgrade_note() const { return upgrade_note_; }
  std::string log_path() const { return dir_ + "/log.sqlite3"; }
  std::string state_path() const { return dir_ + "/state.sqlite3"; }

 private:
  DataDir() = default;
  std::string dir_;
  std::string upgrade_note_;
  std::unique_ptr<Clock> own_clock_;
  std::unique_ptr<Random> own_random_;
  std::unique_ptr<Projector> projector_;
  std::unique_ptr<SqliteMessageIndex> messages_;
  std::unique_ptr<Sequencer> sequencer_;
  std::thread log_check_;
  std::optional<Error> log_check_result_;  // written by log_check_ before it ends
};

}  // namespace hearth
