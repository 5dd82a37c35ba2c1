#pragma once
// The Rails Campfire database, opened for reading only (issue 4): a `mode=ro` URI, so SQLite
// itself refuses every write (not even a WAL checkpoint or a -shm write happens on our side), and
// one read transaction held for the whole import, so a Campfire still running against the file
// cannot tear the snapshot. Schema differences between installs (CAMPFIRE.md 1.7) are detected by
// column name, never by position: schema.rb orders columns alphabetically, migrations do not.
#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "core/base/result.h"
#include "core/sqlite/db.h"

namespace hearth::migrate {

class SourceDb {
 public:
  // Errors: kNotFound (no file), kInvalid (not SQLite, or not a Campfire database: names what is
  // missing), kCorruption (SQLite reports the file damaged), kIo.
  static Result<std::unique_ptr<SourceDb>> open(const std::filesystem::path& path);
  ~SourceDb();
  SourceDb(const SourceDb&) = delete;
  SourceDb& operator=(const SourceDb&) = delete;

  Result<sqlite::Stmt> prepare(std::string_view sql) const;
  Result<int64_t> count(std::string_view sql) const;  // first column of the first row
  bool has_table(std::string_view table) const { return tables_.contains(std::string(table)); }
  bool has_column(std::string_view table, std::string_view column) const;
  // A SQLite error on this connection as an Error (kCorruption for damaged files).
  Error error(std::string_view what) const;
  const std::string& path() const { return path_; }

 private:
  SourceDb() = default;
  Status load_schema();
  sqlite3* db_ = nullptr;
  std::string path_;
  std::set<std::string> tables_;
  std::set<std::string> columns_;  // "table.column"
};

}  // namespace hearth::migrate
