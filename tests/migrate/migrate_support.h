#pragma once
// Shared helpers for the import tests: where the shared Rails fixture lives, its manifest, and
// one-value queries against an imported data directory.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "core/sqlite/db.h"
#include "migrate/importer.h"
#include "migrate_json.h"

namespace hearth::testing {

namespace fs = std::filesystem;

// The shared fixture (../shared/fixtures next to the source tree), or HEARTH_CAMPFIRE_FIXTURE.
inline fs::path fixture_path() {
  if (const char* env = std::getenv("HEARTH_CAMPFIRE_FIXTURE")) return env;
  return fs::path(HEARTH_SOURCE_DIR) / ".." / "shared" / "fixtures" / "campfire-rails-small.sqlite3";
}

inline std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline Json manifest() {
  fs::path p = fixture_path();
  p.replace_extension();  // campfire-rails-small
  return Json::parse(read_file(p.string() + ".manifest.json"));
}

// The first column of the first row of `sql` on the SQLite file `db` (read-only).
inline int64_t query_int(const fs::path& db, const std::string& sql) {
  auto d = sqlite::Db::open(db.string(), sqlite::Db::Mode::kReadOnly);
  if (!d.ok()) ADD_FAILURE() << d.error().message;
  if (!d.ok()) return -1;
  auto v = d->query_int(sql);
  if (!v.ok()) ADD_FAILURE() << sql << ": " << v.error().message;
  return v.ok() ? v->value_or(0) : -1;
}

inline std::string query_text(const fs::path& db, const std::string& sql) {
  auto d = sqlite::Db::open(db.string(), sqlite::Db::Mode::kReadOnly);
  if (!d.ok()) return "<" + d.error().message + ">";
  auto st = d->prepare(sql);
  if (!st.ok()) return "<" + st.error().message + ">";
  auto row = st->step();
  if (!row.ok() || !*row) return "<no row>";
  return std::string(st->col_text(0));
}

// Imports `source` into `to` quietly.
inline Result<migrate::ImportReport> import_quietly(const fs::path& source, const fs::path& to,
                                                    const fs::path& storage = {}) {
  migrate::ImportOptions o;
  o.from = source;
  o.to = to;
  o.storage = storage;
  return migrate::import_campfire(o);
}

// Files in `dir` whose names start with '.' and contain ".importing-": leftovers of a failure.
inline int leftover_temp_dirs(const fs::path& dir) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename().string().find(".importing-") != std::string::npos) ++n;
  }
  return n;
}

}  // namespace hearth::testing
