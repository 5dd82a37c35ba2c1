#pragma once
// A SQLite VFS that forwards everything to the default VFS ("unix") and can be told to fail one
// operation: the STYLE 16 loop "fail the N-th operation, for N = 1, 2, ... until the operation
// succeeds", applied to the log's writes and fsyncs.
//
// Use: open a connection with this VFS (EventLog::Options::vfs, DataDir::Options::log_vfs =
// FaultVfs::kName), then fail_nth(). Counting starts at fail_nth(); only the N-th operation of
// that kind fails, and every later one succeeds again, so what a test sees afterwards is the
// store's own refusal to write (STYLE 7), not a disk that keeps failing.
//
// Scope: every file opened through this VFS counts (main database, its WAL and journals). Shared
// memory (the WAL index) is mapped, not written, so it is never failed.
//
// Thread safety: the counters are atomics; fail_nth()/disarm() may be called on a test thread
// while a sequencer thread does the I/O. There is one process-wide instance; tests that arm it
// must not run concurrently with each other (gtest runs the tests of a binary one at a time).
#include <sqlite3.h>

#include <atomic>

namespace hearth::testing {

class FaultVfs {
 public:
  static constexpr const char* kName = "hearth-fault";
  enum class Op { kWrite, kSync };

  // Registers the VFS (once, not as the default) and returns it.
  static FaultVfs& instance();

  // Counts `op`s from now and fails the n-th (1-based) with `sqlite_rc`, e.g. SQLITE_IOERR_WRITE,
  // SQLITE_FULL or SQLITE_IOERR_FSYNC. Resets both counters and fired().
  void fail_nth(Op op, int n, int sqlite_rc);
  // Stops failing; counting goes on.
  void disarm();

  int count(Op op) const { return (op == Op::kWrite ? writes_ : syncs_).load(); }
  bool fired() const { return fired_.load(); }

  // Called by the VFS shim for each operation: the code to return instead of forwarding, or
  // SQLITE_OK to forward.
  int on_op(Op op);

 private:
  FaultVfs() = default;
  std::atomic<int> writes_{0};
  std::atomic<int> syncs_{0};
  std::atomic<int> fail_op_{-1};  // an Op, or -1 when disarmed
  std::atomic<int> fail_at_{0};
  std::atomic<int> fail_rc_{SQLITE_OK};
  std::atomic<bool> fired_{false};
};

}  // namespace hearth::testing
