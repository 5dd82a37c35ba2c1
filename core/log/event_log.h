#pragma once
// The log: DATA_DIR/log.sqlite3, the one truth every other table is folded from.
//
// On-disk layout (one table; see docs/log_format.md for the prose):
//
//   events(seq        INTEGER PRIMARY KEY,  -- 1, 2, 3, ... contiguous (DESIGN I1)
//          time_us    INTEGER NOT NULL,     -- microseconds since epoch, decided by the sequencer
//          actor      INTEGER NOT NULL,     -- user id of who issued the command; 0 = system
//          type       INTEGER NOT NULL,     -- hearth.schema.Payload union code
//          command_id TEXT,                 -- client command id; NULL when the command had none
//          payload    BLOB NOT NULL,        -- a FlatBuffer `hearth.schema.Event`
//          checksum   INTEGER NOT NULL,     -- XXH3-64 of header || payload, stored as int64 bits
//          chain      INTEGER NOT NULL)     -- XXH3-64(chain[seq-1] || checksum[seq]); chain[0] = 0
//
//   header = le64(seq) le64(time_us) le64(actor) le32(type) le32(len(command_id)) command_id
//   chain input = le64(chain[seq-1]) le64(checksum[seq])
//
// Triggers refuse any UPDATE or DELETE, and any INSERT whose seq is not max(seq) + 1.
// An index on (actor, command_id) serves idempotency look-ups (DESIGN I6).
//
// Thread safety: an EventLog is used by one thread at a time (the sequencer's, or a tool's).
// Readers on other threads open their own EventLog in read-only mode.
//
// Durability: WAL, synchronous=FULL by default. After a failed append (COMMIT or fsync error,
// disk full) the log is poisoned: every later append fails with the first error, because the
// state of the file is no longer known (DESIGN I4; STYLE 7).
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/base/ids.h"
#include "core/base/result.h"
#include "core/sqlite/db.h"

namespace hearth {

enum class Durability { kFull, kNormal };

// One event as stored. Owning; travels from the sequencer to the projector and subscribers.
struct StoredEvent {
  Seq seq;
  int64_t time_us = 0;
  UserId actor;
  uint32_t type = 0;
  std::string command_id;  // empty: none
  std::vector<uint8_t> payload;
  uint64_t checksum = 0;
  uint64_t chain = 0;
};

uint64_t event_checksum(const StoredEvent& e);
uint64_t chain_next(uint64_t prev_chain, uint64_t checksum);

class EventLog {
 public:
  struct Options {
    Durability durability = Durability::kFull;
    bool read_only = false;
    bool create = true;            // create the file when missing (ignored when read_only)
    bool verify_on_open = true;    // check stored events before use; see open()
    int64_t verify_tail = 0;       // with verify_on_open: check only the last N events (0 = all)
    std::string vfs{};             // SQLite VFS name; empty = default (tests inject faults here)
  };

  // Opens (or creates) the log. With verify_on_open, every event is checked (contiguity,
  // checksum, chain, FlatBuffers verifier) and the first bad one refuses the open with a
  // kCorruption error naming its seq.
  static Result<std::unique_ptr<EventLog>> open(const std::string& path, const Options& options);

  Seq last_seq() const { return last_seq_; }
  uint64_t last_chain() const { return last_chain_; }

  // Appends a batch in one transaction. The caller fills time_us, actor, type, command_id and
  // payload; append() assigns seq, checksum and chain in place. All or nothing.
  // REQUIRES: not read-only.
  Status append(std::span<StoredEvent> batch);
  // The same in two steps, for group commit: begin_batch() opens the write transaction before the
  // sequencer decides the batch, so its idempotency look-ups (find_command) read inside it instead
  // of taking a read transaction and the WAL lock per command; append() then commits. A batch
  // that ends up empty is closed with end_batch().
  Status begin_batch();
  void end_batch();
  // The first append failure, if any; once set, append() always returns it.
  const std::optional<Error>& poisoned() const { return poisoned_; }

  // Calls `fn` for each event with after < seq <= upto, in order. Stops at the first error
  // `fn` returns. Pass Seq(INT64_MAX) as `upto` for "to the end".
  Status scan(Seq after, Seq upto, const std::function<Status(const StoredEvent&)>& fn) const;
  Result<std::optional<StoredEvent>> read(Seq seq) const;

  // The events a command with this (actor, command id) appended: [first, last], if any.
  Result<std::optional<std::pair<Seq, Seq>>> find_command(UserId actor, std::string_view command_id) const;

  // Re-reads last_seq/last_chain from the file (for read-only followers of a live log).
  Status refresh();

  // Verification, as `hearth replay verify` runs it: contiguity, checksum, chain and the
  // FlatBuffers verifier for every event after `after` (the chain starts from the stored chain of
  // `after`). Returns the number of events checked, or kCorruption naming the first bad seq.
  Result<int64_t> verify(Seq after = Seq(0)) const { return verify_range(after, Seq(INT64_MAX)); }
  // The same for after < seq <= upto (the start-up check splits the log into tail and rest).
  Result<int64_t> verify_range(Seq after, Seq upto) const;

  sqlite::Db& db() { return db_; }

 private:
  EventLog(sqlite::Db db, Options options) : db_(std::move(db)), options_(std::move(options)) {}
  Status prepare_statements();

  sqlite::Db db_;
  Options options_;
  Seq last_seq_;
  uint64_t last_chain_ = 0;
  std::optional<Error> poisoned_;
  bool in_batch_ = false;
  sqlite::Stmt insert_;
  mutable sqlite::Stmt find_command_;  // prepared once: the sequencer asks for every keyed command
};

// Checks one event's payload with the FlatBuffers verifier and that the union type matches the
// type column. Used by verify(), by every reader before decoding, and by the fuzz target.
Status verify_payload(uint32_t type, std::span<const uint8_t> payload);

}  // namespace hearth
