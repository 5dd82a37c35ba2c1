#pragma once
// A thin RAII layer over the SQLite C API: a connection and prepared statements whose failures
// come back as `Error`s with SQLite's message. No ORM: callers write SQL.
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/base/result.h"

namespace hearth::sqlite {

class Stmt;

class Db {
 public:
  enum class Mode { kReadOnly, kReadWrite, kReadWriteCreate };

  // `vfs`: a registered SQLite VFS name, empty for the default (tests inject faults this way).
  static Result<Db> open(const std::string& path, Mode mode, const std::string& vfs = {});
  Db() = default;
  Db(Db&&) noexcept;
  Db& operator=(Db&&) noexcept;
  ~Db();

  Status exec(std::string_view sql);             // one or more statements, no results
  Result<Stmt> prepare(std::string_view sql) const;
  // A single-value query: the first column of the first row, or nullopt when there is no row.
  Result<std::optional<int64_t>> query_int(std::string_view sql) const;

  int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
  int changes() const { return sqlite3_changes(db_); }
  sqlite3* raw() const { return db_; }
  const std::string& path() const { return path_; }
  Error error(std::string_view what) const;

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3_stmt* s, sqlite3* db) : s_(s), db_(db) {}
  Stmt(Stmt&& o) noexcept : s_(o.s_), db_(o.db_) { o.s_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept;
  ~Stmt();

  // Binding is 1-based, like SQLite. Each returns *this for chaining.
  Stmt& bind(int i, int64_t v);
  Stmt& bind(int i, std::string_view v);  // copied by SQLite (SQLITE_TRANSIENT)
  Stmt& bind_blob(int i, std::span<const uint8_t> v);
  Stmt& bind_null(int i);
  Stmt& bind_text_or_null(int i, std::string_view v) { return v.empty() ? bind_null(i) : bind(i, v); }

  // step(): true when a row is available, false when done.
  Result<bool> step();
  Status run();  // step to completion, expecting no rows; then reset
  void reset();

  int64_t col_int(int i) const { return sqlite3_column_int64(s_, i); }
  bool col_null(int i) const { return sqlite3_column_type(s_, i) == SQLITE_NULL; }
  std::string_view col_text(int i) const;
  std::span<const uint8_t> col_blob(int i) const;
  int columns() const { return sqlite3_column_count(s_); }
  int col_type(int i) const { return sqlite3_column_type(s_, i); }
  std::string_view col_name(int i) const { return sqlite3_column_name(s_, i); }
  sqlite3_stmt* raw() const { return s_; }

 private:
  sqlite3_stmt* s_ = nullptr;
  sqlite3* db_ = nullptr;
};

// Rolls back unless commit() succeeded. BEGIN IMMEDIATE: the one writer takes the lock up front.
class Transaction {
 public:
  static Result<Transaction> begin(Db& db);
  Transaction(Transaction&& o) noexcept : db_(o.db_) { o.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  Status commit();

 private:
  explicit Transaction(Db& db) : db_(&db) {}
  Db* db_;
};

}  // namespace hearth::sqlite
