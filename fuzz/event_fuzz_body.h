#pragma once
// The body of the `fuzz_event` target: one input = one stored event, run through everything that
// reads a payload. Header-only so that the libFuzzer binary (clang, fuzz/event_fuzz.cc) and the
// ctest replay of fuzz/corpus/event (tests/core/log_fuzz_corpus_test.cc) run this one copy.
//
// Input layout:
//   le32(type)  payload...        -- shorter than 4 bytes: type 0 and an empty payload
// The other columns are fixed (seq 1, a constant time, actor 1): the fold reads only the payload
// and those, and fixing them keeps every input reproducible on its own.
//
// For each input:
//  1. verify_payload() and view_event() must agree (the verifier is the only gate, DESIGN "The log");
//  2. if valid, apply_event() folds it into an in-memory state.sqlite3 inside a transaction that
//     is then rolled back, so every input starts from the same empty projection;
//  3. if valid, WriteModel::apply() folds it into a fresh write model.
// Errors from apply_event() are fine (an event may name a room that does not exist); crashes,
// leaks, sanitizer reports and broken claims are not. A broken claim is returned as text: the
// fuzzer aborts on it, the test reports it.
#include <sqlite3.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "core/events/event_view.h"
#include "core/log/event_log.h"
#include "core/write_model/write_model.h"
#include "projections/projector.h"

namespace hearth::fuzzing {

struct EventFuzzOutcome {
  bool valid = false;                    // the payload passed the verifier
  bool applied = false;                  // apply_event() returned ok
  std::optional<std::string> violation;  // a broken claim: the input is a bug report
};

// The event an input encodes (see the layout above).
inline StoredEvent event_from_input(std::span<const uint8_t> input) {
  StoredEvent e;
  e.seq = Seq(1);
  e.time_us = 1'700'000'000'000'000;
  e.actor = UserId(1);
  if (input.size() >= 4) {
    e.type = static_cast<uint32_t>(input[0]) | static_cast<uint32_t>(input[1]) << 8 |
             static_cast<uint32_t>(input[2]) << 16 | static_cast<uint32_t>(input[3]) << 24;
    e.payload.assign(input.begin() + 4, input.end());
  }
  return e;
}

// The inverse, for the corpus generator: le32(type) payload.
inline std::string input_from_event(const StoredEvent& e) {
  std::string out(4, '\0');
  for (int i = 0; i < 4; ++i) out[static_cast<size_t>(i)] = static_cast<char>(e.type >> (8 * i));
  out.append(e.payload.begin(), e.payload.end());
  return out;
}

class EventFuzzer {
 public:
  // An empty projection in memory (":memory:": nothing on disk, nothing shared between processes).
  static Result<std::unique_ptr<EventFuzzer>> open() {
    auto projector = Projector::open(":memory:");
    if (!projector) return projector.take_error();
    std::unique_ptr<EventFuzzer> f(new EventFuzzer());
    f->projector_ = std::move(*projector);
    return f;
  }

  EventFuzzOutcome run(std::span<const uint8_t> input) {
    EventFuzzOutcome out;
    const StoredEvent e = event_from_input(input);
    auto verified = verify_payload(e.type, e.payload);
    auto viewed = view_event(e);
    (void)event_type_name(e.type);
    if (verified.ok() != viewed.ok()) {
      out.violation = "verify_payload and view_event disagree";
      return out;
    }
    if (!viewed.ok()) {
      if (viewed.error().code != ErrorCode::kCorruption) out.violation = "view_event: not kCorruption";
      return out;
    }
    out.valid = true;
    if (static_cast<uint32_t>((*viewed)->payload_type()) != e.type) {
      out.violation = "a verified payload's union type differs from its type column";
      return out;
    }

    sqlite::Db& db = projector_->db();
    {
      auto txn = sqlite::Transaction::begin(db);
      if (!txn) {
        out.violation = "BEGIN failed: " + txn.error().message;
        return out;
      }
      out.applied = apply_event(db, e).ok();
    }  // rolled back: the next input sees the same empty projection
    if (!sqlite3_get_autocommit(db.raw())) out.violation = "a transaction is still open after rollback";

    WriteModel model;
    model.apply(e);
    WriteModel again = model;
    again.reindex();  // the derived indexes a fold keeps must be the ones a loader rebuilds
    if (again.user_by_email != model.user_by_email || again.session_by_token != model.session_by_token) {
      out.violation = "WriteModel::apply left indexes that reindex() does not rebuild";
    }
    return out;
  }

  sqlite::Db& db() { return projector_->db(); }

 private:
  EventFuzzer() = default;
  std::unique_ptr<Projector> projector_;
};

}  // namespace hearth::fuzzing
