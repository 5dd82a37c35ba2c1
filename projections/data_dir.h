#pragma once
// A data directory, opened for writing: DATA_DIR/log.sqlite3 (the truth), DATA_DIR/state.sqlite3
// (the projections), and the sequencer that joins them. This is the one place that wires core/
// and projections/ together; the server, the tests and the benchmarks open data through it.
//
// Start-up never replays the whole log (DESIGN "Projections"):
//  1. open the log (checking it: all of it, or its last verify_tail events);
//  2. open the projections and apply the log's tail after their applied_seq;
//  3. load the write model from the projection tables;
//  4. start the sequencer.
#include <memory>
#include <string>

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
    int64_t verify_tail = 0;   // 0: check every event at start-up
    std::string log_vfs;       // SQLite VFS for the log (fault injection in tests)
    Sequencer::Options sequencer;
    Clock* clock = nullptr;    // nullptr: the system clock
    Random* random = nullptr;  // nullptr: libsodium's CSPRNG
  };

  static Result<std::unique_ptr<DataDir>> open(const std::string& dir, const Options& options);
  static Result<std::unique_ptr<DataDir>> open(const std::string& dir) { return open(dir, Options{}); }
  ~DataDir();

  Sequencer& sequencer() { return *sequencer_; }
  const std::string& path() const { return dir_; }
  std::string log_path() const { return dir_ + "/log.sqlite3"; }
  std::string state_path() const { return dir_ + "/state.sqlite3"; }

 private:
  DataDir() = default;
  std::string dir_;
  std::unique_ptr<Clock> own_clock_;
  std::unique_ptr<Random> own_random_;
  std::unique_ptr<Projector> projector_;
  std::unique_ptr<SqliteMessageIndex> messages_;
  std::unique_ptr<Sequencer> sequencer_;
};

}  // namespace hearth
