#include "migrate/source_db.h"

#include <array>
#include <system_error>

namespace hearth::migrate {
namespace {

// A file: URI for `path`, percent-encoding everything but unreserved characters and '/'.
std::string file_uri(const std::filesystem::path& path, std::string_view query) {
  std::error_code ec;
  auto abs = std::filesystem::absolute(path, ec);
  std::string p = (ec ? path : abs).string();
  std::string out = "file:";
  constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : p) {
    auto u = static_cast<unsigned char>(c);
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
                 c == '.' || c == '_' || c == '-' || c == '~';
    if (plain) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 15]);
    }
  }
  return out + "?" + std::string(query);
}

// The tables every Campfire install has had since its first migration (CAMPFIRE.md 1.7).
constexpr std::array<std::string_view, 6> kRequiredTables = {"accounts", "users", "rooms", "memberships",
                                                              "messages", "action_text_rich_texts"};

}  // namespace

Result<std::unique_ptr<SourceDb>> SourceDb::open(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return not_found("no such database file: " + path.string());
  std::unique_ptr<SourceDb> s(new SourceDb());
  s->path_ = path.string();
  // mode=ro: SQLite opens the file O_RDONLY and refuses writes. Not immutable=1: that would skip
  // locking and let a live Campfire change pages under our read transaction.
  std::string uri = file_uri(path, "mode=ro");
  int rc = sqlite3_open_v2(uri.c_str(), &s->db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) return Error{ErrorCode::kIo, "cannot open " + s->path_ + ": " + sqlite3_errstr(rc)};
  sqlite3_extended_result_codes(s->db_, 1);
  sqlite3_busy_timeout(s->db_, 5000);
  // query_only as a second lock on the door; then one snapshot for everything we read.
  if (sqlite3_exec(s->db_, "PRAGMA query_only=1; BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return s->error("begin read transaction");
  }
  HEARTH_TRY(s->load_schema());
  for (auto t : kRequiredTables) {
    if (!s->has_table(t)) {
      return invalid(s->path_ + " is not a Campfire database: it has no `" + std::string(t) + "` table");
    }
  }
  for (auto col : {"messages.created_at", "messages.room_id", "messages.creator_id", "users.name", "rooms.type",
                   "action_text_rich_texts.record_id"}) {
    std::string_view c(col);
    auto dot = c.find('.');
    if (!s->has_column(c.substr(0, dot), c.substr(dot + 1))) {
      return invalid(s->path_ + " is not a Campfire database: it has no column " + std::string(col));
    }
  }
  if (!s->has_column("users", "status") && !s->has_column("users", "active")) {
    return invalid(s->path_ + " is not a Campfire database: users has neither `status` nor `active`");
  }
  // A damaged file often opens and lists its schema fine; make SQLite look at every page now, so
  // a truncated database is refused before anything is written rather than half-way through.
  auto check = s->prepare("PRAGMA quick_check");
  if (!check) return check.take_error();
  auto row = check->step();
  if (!row) return Error{ErrorCode::kCorruption, s->path_ + " is damaged: " + row.error().message};
  if (*row && check->col_text(0) != "ok") {
    return Error{ErrorCode::kCorruption, s->path_ + " is damaged: " + std::string(check->col_text(0))};
  }
  return s;
}

SourceDb::~SourceDb() {
  if (db_) {
    sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);  // ends the read transaction
    sqlite3_close_v2(db_);
  }
}

Error SourceDb::error(std::string_view what) const {
  int code = sqlite3_extended_errcode(db_) & 0xff;
  std::string msg = std::string(what) + ": " + sqlite3_errmsg(db_) + " (" + path_ + ")";
  if (code == SQLITE_NOTADB) return invalid(path_ + " is not a SQLite database (" + sqlite3_errmsg(db_) + ")");
  if (code == SQLITE_CORRUPT) return Error{ErrorCode::kCorruption, msg};
  return Error{ErrorCode::kIo, msg};
}

Result<sqlite::Stmt> SourceDb::prepare(std::string_view sql) const {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &st, nullptr) != SQLITE_OK) {
    return error("prepare " + std::string(sql.substr(0, 60)));
  }
  return sqlite::Stmt(st, db_);
}

Result<int64_t> SourceDb::count(std::string_view sql) const {
  auto st = prepare(sql);
  if (!st) return st.take_error();
  auto row = st->step();
  if (!row) return row.take_error();
  return *row ? st->col_int(0) : int64_t{0};
}

bool SourceDb::has_column(std::string_view table, std::string_view column) const {
  return columns_.contains(std::string(table) + "." + std::string(column));
}

Status SourceDb::load_schema() {
  auto st = prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')");
  if (!st) return st.take_error();
  while (true) {
    auto row = st->step();
    if (!row) return error("read schema");
    if (!*row) break;
    tables_.insert(std::string(st->col_text(0)));
  }
  for (const auto& t : tables_) {
    auto cols = prepare("SELECT name FROM pragma_table_info(?1)");
    if (!cols) return cols.take_error();
    cols->bind(1, std::string_view(t));
    while (true) {
      auto row = cols->step();
      if (!row) return error("read columns of " + t);
      if (!*row) break;
      columns_.insert(t + "." + std::string(cols->col_text(0)));
    }
  }
  return ok_status();
}

}  // namespace hearth::migrate
