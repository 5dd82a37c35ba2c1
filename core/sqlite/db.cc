#include "core/sqlite/db.h"

#include <utility>

namespace hearth::sqlite {

namespace {

// Once per process, before SQLite initialises: no global memory statistics. With them on, every
// SQLite allocation takes one process-wide mutex, which the sequencer and apply threads (and the
// server's readers) would contend on for nothing — Hearth never reads those statistics.
void configure_sqlite_once() {
  static const bool configured = [] {
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);  // SQLITE_MISUSE if already initialised: harmless
    return true;
  }();
  (void)configured;
}

}  // namespace

Result<Db> Db::open(const std::string& path, Mode mode, const std::string& vfs) {
  configure_sqlite_once();
  int flags = SQLITE_OPEN_NOMUTEX;  // each connection is used by one thread at a time
  switch (mode) {
    case Mode::kReadOnly: flags |= SQLITE_OPEN_READONLY; break;
    case Mode::kReadWrite: flags |= SQLITE_OPEN_READWRITE; break;
    case Mode::kReadWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
  }
  Db db;
  db.path_ = path;
  int rc = sqlite3_open_v2(path.c_str(), &db.db_, flags, vfs.empty() ? nullptr : vfs.c_str());
  if (rc != SQLITE_OK) {
    std::string msg = db.db_ ? sqlite3_errmsg(db.db_) : sqlite3_errstr(rc);
    return Error{ErrorCode::kIo, "cannot open " + path + ": " + msg};
  }
  sqlite3_extended_result_codes(db.db_, 1);
  sqlite3_busy_timeout(db.db_, 5000);
  return db;
}

Db::Db(Db&& o) noexcept : db_(std::exchange(o.db_, nullptr)), path_(std::move(o.path_)) {}

Db& Db::operator=(Db&& o) noexcept {
  if (this != &o) {
    if (db_) sqlite3_close_v2(db_);
    db_ = std::exchange(o.db_, nullptr);
    path_ = std::move(o.path_);
  }
  return *this;
}

Db::~Db() {
  if (db_) sqlite3_close_v2(db_);
}

Error Db::error(std::string_view what) const {
  int code = sqlite3_extended_errcode(db_);
  ErrorCode ec = (code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB
                     ? ErrorCode::kCorruption
                     : ErrorCode::kIo;
  return Error{ec, std::string(what) + ": " + sqlite3_errmsg(db_) + " (" + path_ + ")"};
}

Status Db::exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown";
    sqlite3_free(err);
    Error e = error("exec");
    e.message = msg + " in: " + s.substr(0, 120) + " (" + path_ + ")";
    return e;
  }
  return ok_status();
}

Result<Stmt> Db::prepare(std::string_view sql) const {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &s, nullptr) != SQLITE_OK) {
    return error("prepare " + std::string(sql.substr(0, 80)));
  }
  return Stmt(s, db_);
}

Result<std::optional<int64_t>> Db::query_int(std::string_view sql) const {
  auto st = prepare(sql);
  if (!st) return st.take_error();
  auto row = st->step();
  if (!row) return row.take_error();
  if (!*row || st->col_null(0)) return std::optional<int64_t>{};
  return std::optional<int64_t>{st->col_int(0)};
}

Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    if (s_) sqlite3_finalize(s_);
    s_ = std::exchange(o.s_, nullptr);
    db_ = o.db_;
  }
  return *this;
}

Stmt::~Stmt() {
  if (s_) sqlite3_finalize(s_);
}

Stmt& Stmt::bind(int i, int64_t v) {
  sqlite3_bind_int64(s_, i, v);
  return *this;
}
Stmt& Stmt::bind(int i, std::string_view v) {
  sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::bind_blob(int i, std::span<const uint8_t> v) {
  sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::bind_null(int i) {
  sqlite3_bind_null(s_, i);
  return *this;
}

Result<bool> Stmt::step() {
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  int code = sqlite3_extended_errcode(db_);
  ErrorCode ec = (code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB
                     ? ErrorCode::kCorruption
                     : ErrorCode::kIo;
  std::string msg = std::string("step: ") + sqlite3_errmsg(db_) + " in: " +
                    std::string(sqlite3_sql(s_)).substr(0, 100);
  sqlite3_reset(s_);
  return Error{ec, msg};
}

Status Stmt::run() {
  auto r = step();
  reset();
  if (!r) return r.take_error();
  return ok_status();
}

void Stmt::reset() {
  sqlite3_reset(s_);
  sqlite3_clear_bindings(s_);
}

std::string_view Stmt::col_text(int i) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, i));
  return p ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(s_, i))) : std::string_view();
}

std::span<const uint8_t> Stmt::col_blob(int i) const {
  auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(s_, i));
  return p ? std::span<const uint8_t>(p, static_cast<size_t>(sqlite3_column_bytes(s_, i)))
           : std::span<const uint8_t>();
}

Result<Transaction> Transaction::begin(Db& db) {
  HEARTH_TRY(db.exec("BEGIN IMMEDIATE"));
  return Transaction(db);
}

Status Transaction::commit() {
  Db* db = std::exchange(db_, nullptr);
  auto st = db->exec("COMMIT");
  if (!st.ok()) {
    db->exec("ROLLBACK").ok();  // best effort; the caller treats the failure as fatal anyway
    return st;
  }
  return ok_status();
}

Transaction::~Transaction() {
  if (db_) (void)db_->exec("ROLLBACK").ok();
}

}  // namespace hearth::sqlite
