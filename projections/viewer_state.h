#pragma once
// One viewer's facts as of a seq: exactly what visible_to() reads (projections/visibility.h),
// for a WebSocket connection that judges the events after its cursor without a WriteModel.
//
//   ViewerState s = *load_viewer_state(state_db, viewer, cursor);  // a few indexed reads
//   for each event e after cursor, in order:
//     if (visible_to(e, viewer, s).visible) send(e);
//     s.apply(e);
//
// Invariants (checked by tests/property/model_test.cc against WriteModel::apply):
//  - `status` is the viewer's UserStatus as of `at`, nullopt while the id is not a user;
//  - `rooms` are the live rooms the viewer is a member of as of `at`, sorted;
//  - `open_rooms` are all live open rooms as of `at`, sorted.
// A live closed or direct room the viewer is not in is deliberately not held: it does not decide
// any visibility, and holding every room would make each connection grow with all direct rooms.
// The price is that apply() takes a grant or a conversion as naming a live room, which the
// sequencer (decide_rooms.cc) and the importer (rooms before their grants) both ensure.
//
// Thread safety: a plain value; one connection owns each.
#include <optional>
#include <vector>

#include "core/commands/commands.h"
#include "core/log/event_log.h"
#include "core/sqlite/db.h"

namespace hearth {

struct ViewerState {
  UserId viewer;
  Seq at;  // the facts hold after the event with this seq (0: before the first)
  std::optional<UserStatus> status;
  std::vector<RoomId> rooms;
  std::vector<RoomId> open_rooms;

  // Folds in the event after `at`, by the rules WriteModel::apply uses for these facts.
  // REQUIRES: e.seq == at + 1 (checked in debug builds); e passed view_event().
  void apply(const StoredEvent& e);

  bool member(RoomId room) const;
  bool open(RoomId room) const;
  bool operator==(const ViewerState&) const = default;
};

// `viewer`'s facts as of `at`, read from the *_history tables of state.sqlite3 (state_schema.cc):
// four indexed reads, none over messages or the log. History rows at or below the projection's
// applied_seq never change, so no transaction is needed for a consistent answer.
// kInvalid if `at` is beyond the projection's applied_seq (a cursor from the future).
Result<ViewerState> load_viewer_state(const sqlite::Db& state, UserId viewer, Seq at);

// The same with its statements prepared once, for a caller that loads often (preparing is about
// half the cost of a load). REQUIRES: `state` outlives the reader; one thread uses it at a time.
class ViewerStateReader {
 public:
  static Result<ViewerStateReader> open(const sqlite::Db& state);
  Result<ViewerState> load(UserId viewer, Seq at);

 private:
  ViewerStateReader() = default;
  sqlite::Stmt applied_, status_, rooms_, open_rooms_;
};

}  // namespace hearth
