#include "projections/projector.h"

#include <algorithm>
#include <string>
#include <vector>

#include "projections/event_applier.h"
#include "projections/state_schema.h"

namespace hearth {

class Projector::Statements {
 public:
  explicit Statements(projection::Applier a) : applier(std::move(a)) {}
  projection::Applier applier;
};

Projector::Projector(sqlite::Db db) : db_(std::move(db)) {}
Projector::~Projector() = default;

namespace {

// The batch and its applied_seq commit together or not at all (DESIGN "Projections"); the
// transaction rolls back on any early return.
Status apply_in_transaction(sqlite::Db& db, projection::Applier& a, std::span<const StoredEvent> batch) {
  auto txn = sqlite::Transaction::begin(db);
  if (!txn) return txn.take_error();
  Seq expect = batch.front().seq;
  for (const auto& e : batch) {
    if (e.seq != expect) {
      return Error{ErrorCode::kConflict, "batch is not contiguous: seq " + std::to_string(e.seq.value) +
                                             " where " + std::to_string(expect.value) + " was expected"};
    }
    HEARTH_TRY(a.apply(e));
    expect = expect.next();
  }
  HEARTH_TRY(a.finish());
  auto& w = a.stmt(projection::Q::kAppliedSeqWrite);
  w.bind(1, batch.back().seq.value);
  HEARTH_TRY(w.run());
  return txn->commit();
}

}  // namespace

Result<std::unique_ptr<Projector>> Projector::open(const std::string& path, const Options& options) {
  auto db = sqlite::Db::open(path, options.create ? sqlite::Db::Mode::kReadWriteCreate : sqlite::Db::Mode::kReadWrite);
  if (!db) return db.take_error();
  std::unique_ptr<Projector> p(new Projector(std::move(*db)));
  HEARTH_TRY(p->db_.exec("PRAGMA journal_mode=WAL"));
  HEARTH_TRY(p->db_.exec(options.synchronous_normal ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL"));
  // Every batch touches the messages, FTS and membership b-trees; a larger page cache than
  // SQLite's 2 MB default keeps their upper levels in memory as the file grows.
  HEARTH_TRY(p->db_.exec("PRAGMA cache_size=-32768"));
  HEARTH_TRY(create_state_schema(p->db_));
  auto applier = projection::Applier::open(p->db_);
  if (!applier) return applier.take_error();
  p->stmts_ = std::make_unique<Statements>(std::move(*applier));
  auto& read = p->stmts_->applier.stmt(projection::Q::kAppliedSeqRead);
  auto row = read.step();
  if (!row) return row.take_error();
  p->applied_.store(*row ? read.col_int(0) : 0);
  read.reset();
  return p;
}

Status Projector::apply(std::span<const StoredEvent> batch) {
  if (batch.empty()) return ok_status();
  const int64_t applied = applied_.load();
  if (batch.front().seq.value != applied + 1) {
    return Error{ErrorCode::kConflict, "projector at seq " + std::to_string(applied) +
                                           " refuses a batch starting at seq " +
                                           std::to_string(batch.front().seq.value) + " (expected " +
                                           std::to_string(applied + 1) + ")"};
  }
  auto& a = stmts_->applier;
  Status st = apply_in_transaction(db_, a, batch);
  if (!st.ok()) {
    // Rolled back: the in-memory counters may have run ahead of what the file holds.
    (void)a.reload_counters();
    return st;
  }
  applied_.store(batch.back().seq.value);
  return ok_status();
}

Status Projector::catch_up(const EventLog& log, size_t batch_size) {
  if (batch_size == 0) batch_size = 1;
  std::vector<StoredEvent> batch;
  batch.reserve(std::min<size_t>(batch_size, 4096));
  HEARTH_TRY(log.scan(applied_seq(), Seq(INT64_MAX), [&](const StoredEvent& e) -> Status {
    batch.push_back(e);
    if (batch.size() < batch_size) return ok_status();
    Status st = apply(batch);
    batch.clear();
    return st;
  }));
  return apply(batch);
}

Status apply_event(sqlite::Db& db, const StoredEvent& e) {
  auto applier = projection::Applier::open(db);
  if (!applier) return applier.take_error();
  HEARTH_TRY(applier->apply(e));
  return applier->finish();
}

}  // namespace hearth
