#include "server/consumers/outbox.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "core/sequencer/sequencer.h"
#include "core/sqlite/db.h"

namespace hearth::server::consumers {
namespace {

// The outbox file. synchronous=NORMAL is enough: in WAL mode a power cut can lose the last
// transactions but never splits one, and the cursor moves in the same transaction as the rows it
// planned, so a lost commit means "plan those events again" and a lost delete means "deliver again".
constexpr const char* kSchema = R"(
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA busy_timeout = 5000;
CREATE TABLE IF NOT EXISTS cursor (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL          -- every event with seq <= this one is planned
);
CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  seq INTEGER NOT NULL,         -- the event the delivery comes from
  target TEXT NOT NULL,         -- one delivery per target in flight
  payload BLOB NOT NULL,        -- the consumer's own encoding
  attempts INTEGER NOT NULL DEFAULT 0,
  due_us INTEGER NOT NULL       -- not before (microseconds since the epoch, system clock)
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox(due_us, id);
)";

int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

struct Outbox::Impl {
  Impl(Sequencer& s, std::shared_ptr<Consumer> c, Options o)
      : sequencer(s), consumer(std::move(c)), options(std::move(o)) {
    stats.name = options.name;
  }

  Sequencer& sequencer;
  const std::shared_ptr<Consumer> consumer;
  const Options options;
  OutboxStats stats;
  std::unique_ptr<EventLog> log;  // the planner's own read-only connection

  std::mutex mu;
  std::condition_variable plan_cv;  // the planner waits here for new events
  std::condition_variable work_cv;  // workers wait here for due rows or a freed target
  sqlite::Db db;                    // guarded by mu
  Seq cursor;                       // guarded by mu
  bool wake = true;                 // guarded by mu: events may follow the cursor
  bool stopping = false;            // guarded by mu
  std::set<std::string> busy;       // guarded by mu: targets with a delivery in flight
  std::vector<std::thread> threads;

  void notify_new_events() {
    {
      std::lock_guard lock(mu);
      wake = true;
    }
    plan_cv.notify_one();
  }

  void planner_loop();
  Status plan_some(Seq upto);
  void worker_loop();
  Result<std::optional<Delivery>> next_due(int64_t now, int64_t& wait_until);  // REQUIRES mu held
  void finish(const Delivery& d, Attempt attempt);                            // REQUIRES mu held
};

void Outbox::Impl::planner_loop() {
  std::unique_lock lock(mu);
  while (true) {
    plan_cv.wait(lock, [&] { return stopping || wake; });
    if (stopping) return;
    wake = false;
    Seq upto = sequencer.applied_seq();
    while (!stopping && cursor < upto) {
      lock.unlock();
      Status planned = plan_some(upto);
      lock.lock();
      if (!planned.ok()) {
        // Not advanced past the event that failed: wait, then try it again. Loud, because a
        // consumer stuck here delivers nothing after this event.
        spdlog::error("outbox {}: planning after seq {} failed: {}", options.name, cursor.value,
                      planned.error().to_string());
        plan_cv.wait_for(lock, std::chrono::seconds(1), [&] { return stopping; });
        wake = true;
        break;
      }
    }
  }
}

// Plans (cursor, min(upto, cursor + chunk)] and commits rows and cursor together. Called without mu
// (the log and the consumer's reads are the planner's own), then takes it for the write.
Status Outbox::Impl::plan_some(Seq upto) {
  Seq from;
  {
    std::lock_guard lock(mu);
    from = cursor;
  }
  Seq end(std::min<int64_t>(upto.value, from.value + static_cast<int64_t>(options.plan_chunk)));
  std::vector<Delivery> rows;
  HEARTH_TRY(log->scan(from, end, [&](const StoredEvent& e) -> Status {
    size_t before = rows.size();
    HEARTH_TRY(consumer->plan(e, rows));
    for (size_t i = before; i < rows.size(); ++i) rows[i].seq = e.seq;
    return ok_status();
  }));
  std::lock_guard lock(mu);
  auto tx = sqlite::Transaction::begin(db);
  if (!tx.ok()) return tx.take_error();
  auto insert = db.prepare("INSERT INTO outbox (seq, target, payload, attempts, due_us) VALUES (?, ?, ?, 0, ?)");
  if (!insert.ok()) return insert.take_error();
  int64_t now = now_us();
  for (const Delivery& d : rows) {
    insert->bind(1, d.seq.value).bind(2, d.target);
    insert->bind_blob(3, std::span(reinterpret_cast<const uint8_t*>(d.payload.data()), d.payload.size()));
    insert->bind(4, now);
    HEARTH_TRY(insert->run());
  }
  auto move = db.prepare("UPDATE cursor SET seq = ? WHERE id = 1");
  if (!move.ok()) return move.take_error();
  HEARTH_TRY(move->bind(1, end.value).run());
  HEARTH_TRY(tx->commit());
  cursor = end;
  stats.cursor.store(end.value);
  stats.planned.fetch_add(rows.size());
  stats.pending.fetch_add(static_cast<int64_t>(rows.size()));
  if (!rows.empty()) work_cv.notify_all();
  return ok_status();
}

Result<std::optional<Delivery>> Outbox::Impl::next_due(int64_t now, int64_t& wait_until) {
  // The busy targets are few (at most one per worker): excluded in the query, so that the rows of
  // a target whose delivery hangs never hide the rows of the others.
  std::string sql = "SELECT id, seq, target, payload, attempts, due_us FROM outbox";
  if (!busy.empty()) {
    sql += " WHERE target NOT IN (";
    for (size_t i = 0; i < busy.size(); ++i) sql += i == 0 ? "?" : ", ?";
    sql += ")";
  }
  sql += " ORDER BY due_us, id LIMIT 1";
  auto stmt = db.prepare(sql);
  if (!stmt.ok()) return stmt.take_error();
  int i = 1;
  for (const std::string& t : busy) stmt->bind(i++, t);
  auto row = stmt->step();
  if (!row.ok()) return row.take_error();
  if (!*row) return std::optional<Delivery>();
  int64_t due = stmt->col_int(5);
  if (due > now) {
    wait_until = due;
    return std::optional<Delivery>();
  }
  Delivery d;
  d.id = stmt->col_int(0);
  d.seq = Seq(stmt->col_int(1));
  d.target = std::string(stmt->col_text(2));
  auto blob = stmt->col_blob(3);
  d.payload.assign(reinterpret_cast<const char*>(blob.data()), blob.size());
  d.attempts = static_cast<int>(stmt->col_int(4));
  return std::optional<Delivery>(std::move(d));
}

void Outbox::Impl::finish(const Delivery& d, Attempt attempt) {
  int attempts = d.attempts + 1;
  if (attempt == Attempt::kRetry && attempts >= options.max_attempts) {
    spdlog::warn("outbox {}: dropping the delivery of seq {} to {} after {} attempts", options.name, d.seq.value,
                 d.target, attempts);
    attempt = Attempt::kDrop;
  } else if (attempt == Attempt::kDrop) {
    spdlog::warn("outbox {}: dropping the delivery of seq {} to {} (refused for good)", options.name, d.seq.value,
                 d.target);
  }
  Status written = ok_status();
  if (attempt == Attempt::kRetry) {
    auto delay = options.first_backoff * (int64_t{1} << std::min(attempts - 1, 30));
    delay = std::min<std::chrono::milliseconds>(delay, options.max_backoff);
    auto stmt = db.prepare("UPDATE outbox SET attempts = ?, due_us = ? WHERE id = ?");
    written = stmt.ok() ? stmt->bind(1, attempts).bind(2, now_us() + delay.count() * 1000).bind(3, d.id).run()
                        : Status(stmt.take_error());
    stats.retried.fetch_add(1);
  } else {
    auto stmt = db.prepare("DELETE FROM outbox WHERE id = ?");
    written = stmt.ok() ? stmt->bind(1, d.id).run() : Status(stmt.take_error());
    stats.pending.fetch_sub(1);
    (attempt == Attempt::kDone ? stats.delivered : stats.dropped).fetch_add(1);
  }
  // A failed write leaves the row as it was: delivered again, which the receiver tolerates.
  if (!written.ok()) spdlog::error("outbox {}: {}", options.name, written.error().to_string());
}

void Outbox::Impl::worker_loop() {
  std::unique_lock lock(mu);
  while (!stopping) {
    int64_t wait_until = 0;
    auto next = next_due(now_us(), wait_until);
    if (!next.ok()) {
      spdlog::error("outbox {}: {}", options.name, next.error().to_string());
      work_cv.wait_for(lock, std::chrono::seconds(1));
      continue;
    }
    if (*next) {
      Delivery d = std::move(**next);
      busy.insert(d.target);
      lock.unlock();
      Attempt attempt = consumer->deliver(d);
      lock.lock();
      finish(d, attempt);
      busy.erase(d.target);
      work_cv.notify_all();  // the target is free again; its next row may be due
      continue;
    }
    if (wait_until != 0) {
      work_cv.wait_until(lock, std::chrono::system_clock::time_point(std::chrono::microseconds(wait_until)));
    } else {
      work_cv.wait(lock);
    }
  }
}

Result<std::unique_ptr<Outbox>> Outbox::open(const std::string& data_dir, Sequencer& sequencer,
                                             std::shared_ptr<Consumer> consumer, Options options) {
  auto impl = std::make_shared<Impl>(sequencer, std::move(consumer), std::move(options));
  const Options& o = impl->options;
  auto db = sqlite::Db::open(data_dir + "/outbox." + o.name + ".sqlite3", sqlite::Db::Mode::kReadWriteCreate);
  if (!db.ok()) return db.take_error();
  HEARTH_TRY(db->exec(kSchema));
  // A new file starts at what is applied now: no history is replayed into anyone's endpoint.
  auto start = db->prepare("INSERT OR IGNORE INTO cursor (id, seq) VALUES (1, ?)");
  if (!start.ok()) return start.take_error();
  HEARTH_TRY(start->bind(1, sequencer.applied_seq().value).run());
  auto cursor = db->query_int("SELECT seq FROM cursor WHERE id = 1");
  if (!cursor.ok()) return cursor.take_error();
  auto pending = db->query_int("SELECT COUNT(*) FROM outbox");
  if (!pending.ok()) return pending.take_error();
  impl->db = std::move(*db);
  impl->cursor = Seq(cursor->value_or(0));
  impl->stats.cursor.store(impl->cursor.value);
  impl->stats.pending.store(pending->value_or(0));

  EventLog::Options log_options;
  log_options.read_only = true;
  log_options.verify_on_open = false;  // the server checked it at start-up; consumers read payloads through view_event
  auto log = EventLog::open(data_dir + "/log.sqlite3", log_options);
  if (!log.ok()) return log.take_error();
  impl->log = std::move(*log);

  // The sequencer's apply thread only sets a flag: planning and delivery never run on it.
  sequencer.add_listener([weak = std::weak_ptr<Impl>(impl)](const Batch&) {
    if (auto i = weak.lock()) i->notify_new_events();
  });
  impl->threads.emplace_back([i = impl.get()] { i->planner_loop(); });
  for (size_t n = 0; n < std::max<size_t>(1, o.workers); ++n) {
    impl->threads.emplace_back([i = impl.get()] { i->worker_loop(); });
  }
  return std::unique_ptr<Outbox>(new Outbox(std::move(impl)));
}

Outbox::~Outbox() { stop(); }

void Outbox::stop() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->plan_cv.notify_all();
  impl_->work_cv.notify_all();
  for (auto& t : impl_->threads) {
    if (t.joinable()) t.join();
  }
  impl_->threads.clear();
}

const OutboxStats& Outbox::stats() const { return impl_->stats; }

bool Outbox::wait_idle(Seq seq, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(impl_->mu);
      if (impl_->cursor >= seq && impl_->stats.pending.load() == 0 && impl_->busy.empty()) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

}  // namespace hearth::server::consumers
