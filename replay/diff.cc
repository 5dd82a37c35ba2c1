#include "replay/diff.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/sqlite/db.h"
#include "replay/common.h"

namespace hearth::replay {
namespace fs = std::filesystem;

namespace {

struct Table {
  std::string from;  // what to SELECT from: the quoted table, or a temp fts5vocab table
  bool fts5 = false;
  std::vector<std::string> columns;  // as compared; FTS5 tables start with "rowid"
};
using Tables = std::map<std::string, Table>;

// One SQLite value, compared the way `ORDER BY x COLLATE BINARY` orders it, so that the merge
// below walks both sides in step.
struct Value {
  int type = SQLITE_NULL;
  int64_t i = 0;
  double d = 0;
  std::string bytes;  // TEXT or BLOB
};
using Row = std::vector<Value>;

int type_rank(int type) {
  switch (type) {
    case SQLITE_NULL: return 0;
    case SQLITE_INTEGER:
    case SQLITE_FLOAT: return 1;
    case SQLITE_TEXT: return 2;
    default: return 3;  // BLOB
  }
}

int compare(const Value& a, const Value& b) {
  int ra = type_rank(a.type), rb = type_rank(b.type);
  if (ra != rb) return ra < rb ? -1 : 1;
  if (ra == 0) return 0;
  if (ra == 1) {
    if (a.type == SQLITE_INTEGER && b.type == SQLITE_INTEGER) return a.i < b.i ? -1 : a.i > b.i;
    double x = a.type == SQLITE_INTEGER ? static_cast<double>(a.i) : a.d;
    double y = b.type == SQLITE_INTEGER ? static_cast<double>(b.i) : b.d;
    return x < y ? -1 : x > y;
  }
  int c = a.bytes.compare(b.bytes);  // memcmp, then length: SQLite's BINARY collation
  return c < 0 ? -1 : c > 0;
}

int compare(const Row& a, const Row& b) {
  for (size_t k = 0; k < a.size() && k < b.size(); ++k) {
    if (int c = compare(a[k], b[k])) return c;
  }
  return 0;
}

std::string quote_ident(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

std::string format_value(const Value& v) {
  constexpr size_t kMaxShown = 120;  // a diff line, not a dump: long bodies are cut
  switch (v.type) {
    case SQLITE_NULL: return "NULL";
    case SQLITE_INTEGER: return std::to_string(v.i);
    case SQLITE_FLOAT: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.17g", v.d);
      return buf;
    }
    case SQLITE_TEXT: {
      std::string out = "'";
      for (char c : v.bytes.substr(0, kMaxShown)) {
        if (c == '\'') out.push_back('\'');
        out.push_back(c == '\n' ? ' ' : c);
      }
      out += "'";
      if (v.bytes.size() > kMaxShown) out += "...(" + std::to_string(v.bytes.size()) + " bytes)";
      return out;
    }
    default: {
      std::string out = "X'";
      char buf[3];
      for (size_t k = 0; k < v.bytes.size() && k < kMaxShown / 2; ++k) {
        std::snprintf(buf, sizeof buf, "%02x", static_cast<unsigned char>(v.bytes[k]));
        out += buf;
      }
      out += "'";
      if (v.bytes.size() > kMaxShown / 2) out += "...(" + std::to_string(v.bytes.size()) + " bytes)";
      return out;
    }
  }
}

std::string format_row(const std::vector<std::string>& columns, const Row& row) {
  std::string out = "(";
  for (size_t k = 0; k < row.size(); ++k) {
    if (k) out += ", ";
    out += columns[k] + "=" + format_value(row[k]);
  }
  return out + ")";
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

Result<sqlite::Db> open_state(const fs::path& path) {
  auto db = sqlite::Db::open(path.string(), sqlite::Db::Mode::kReadOnly);
  if (!db) return db.take_error();
  // One read transaction for the whole comparison: a live file being written meanwhile is still
  // read as one consistent snapshot (WAL), not table by table at different seqs.
  HEARTH_TRY(db->exec("BEGIN"));
  return db;
}

bool is_fts5(std::string sql) {
  std::transform(sql.begin(), sql.end(), sql.begin(), [](unsigned char c) { return std::toupper(c); });
  return sql.find("VIRTUAL TABLE") != std::string::npos && sql.find("USING FTS5") != std::string::npos;
}

// An external-content FTS5 table reads its columns back from the content table, so comparing
// `SELECT rowid, *` alone would never look at the index. Its fts5vocab 'instance' view lists
// every (term, doc, col, offset) the index holds: a function of the indexed text only, not of
// segment-merge history, so it can be compared row by row like any table. It lives in the temp
// schema, which a read-only connection may still write.
Status add_fts5_index(sqlite::Db& db, const std::string& name, Tables& tables) {
  std::string vocab = "temp." + quote_ident("hearth_fts5vocab_" + name);
  std::string literal = "'";
  for (char c : name) literal += c == '\'' ? std::string("''") : std::string(1, c);
  literal += "'";
  HEARTH_TRY(db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS " + vocab + " USING fts5vocab(main, " + literal +
                     ", 'instance')"));
  Table& index = tables[name + " (fts5 index)"];
  index.from = vocab;
  index.columns = {"term", "doc", "col", "offset"};
  return ok_status();
}

Result<Tables> list_tables(sqlite::Db& db) {
  // The first read of a file that is not SQLite fails here with SQLITE_NOTADB (kCorruption).
  auto st = db.prepare(
      "SELECT name, IFNULL(sql, '') FROM sqlite_master WHERE type = 'table' "
      "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name");
  if (!st) return st.take_error();
  Tables tables;
  for (;;) {
    auto row = st->step();
    if (!row) return row.take_error();
    if (!*row) break;
    tables[std::string(st->col_text(0))].fts5 = is_fts5(std::string(st->col_text(1)));
  }
  std::set<std::string> shadows;
  for (const auto& [name, t] : tables) {
    if (!t.fts5) continue;
    for (const char* s : {"_data", "_idx", "_content", "_docsize", "_config"}) shadows.insert(name + s);
  }
  for (const auto& s : shadows) tables.erase(s);
  std::vector<std::string> fts5_tables;
  for (auto& [name, t] : tables) {
    t.from = quote_ident(name);
    if (t.fts5) fts5_tables.push_back(name);
    if (t.fts5) t.columns.push_back("rowid");
    auto info = db.prepare("PRAGMA table_info(" + quote_ident(name) + ")");
    if (!info) return info.take_error();
    for (;;) {
      auto row = info->step();
      if (!row) return row.take_error();
      if (!*row) break;
      t.columns.emplace_back(info->col_text(1));
    }
  }
  for (const auto& name : fts5_tables) HEARTH_TRY(add_fts5_index(db, name, tables));
  return tables;
}

// Streams a table's rows in canonical order.
class RowReader {
 public:
  static Result<RowReader> open(const sqlite::Db& db, const Table& t) {
    std::string cols, order;
    for (const auto& c : t.columns) {
      std::string q = c == "rowid" && t.fts5 ? "rowid" : quote_ident(c);
      cols += (cols.empty() ? "" : ", ") + q;
      // FTS5 rowids are unique; ordinary tables are ordered by every column, so the order is
      // total whatever the primary key, and BINARY so a NOCASE column cannot reorder one side.
      if (!t.fts5 || c == "rowid") order += (order.empty() ? "" : ", ") + q + " COLLATE BINARY";
    }
    auto st = db.prepare("SELECT " + cols + " FROM " + t.from + " ORDER BY " + order);
    if (!st) return st.take_error();
    RowReader r;
    r.st_ = std::move(*st);
    return r;
  }

  // The next row, or nullopt at the end.
  Result<std::optional<Row>> next() {
    auto more = st_.step();
    if (!more) return more.take_error();
    if (!*more) return std::optional<Row>{};
    Row row(static_cast<size_t>(st_.columns()));
    for (int k = 0; k < st_.columns(); ++k) {
      Value& v = row[static_cast<size_t>(k)];
      v.type = st_.col_type(k);
      if (v.type == SQLITE_INTEGER) v.i = st_.col_int(k);
      if (v.type == SQLITE_FLOAT) v.d = sqlite3_column_double(st_.raw(), k);
      if (v.type == SQLITE_TEXT) v.bytes = std::string(st_.col_text(k));
      if (v.type == SQLITE_BLOB) {
        auto b = st_.col_blob(k);
        v.bytes.assign(b.begin(), b.end());
      }
    }
    return std::optional<Row>{std::move(row)};
  }

 private:
  RowReader() = default;
  sqlite::Stmt st_;
};

Result<int64_t> count_rows(const sqlite::Db& db, const Table& t) {
  auto n = db.query_int("SELECT count(*) FROM " + t.from);
  if (!n) return n.take_error();
  return n->value_or(0);
}

class Differ {
 public:
  Differ(std::ostream& out, const DiffOptions& options, DiffReport& report)
      : out_(out), options_(options), report_(report) {}

  void difference(const std::string& line) {
    if (static_cast<size_t>(report_.differences) < options_.max_printed) out_ << line << "\n";
    ++report_.differences;
  }

  Status compare_table(const std::string& name, const Table& t, const sqlite::Db& a, const sqlite::Db& b) {
    auto ra = RowReader::open(a, t);
    if (!ra) return ra.take_error();
    auto rb = RowReader::open(b, t);
    if (!rb) return rb.take_error();
    auto na = ra->next();
    if (!na) return na.take_error();
    auto nb = rb->next();
    if (!nb) return nb.take_error();
    std::optional<Row> x = std::move(*na), y = std::move(*nb);
    while (x || y) {
      int c = !x ? 1 : !y ? -1 : compare(*x, *y);
      if (c <= 0) ++report_.rows_a;
      if (c >= 0) ++report_.rows_b;
      if (c < 0) difference(name + ": only in A: " + format_row(t.columns, *x));
      if (c > 0) difference(name + ": only in B: " + format_row(t.columns, *y));
      if (c <= 0) {
        auto n = ra->next();
        if (!n) return n.take_error();
        x = std::move(*n);
      }
      if (c >= 0) {
        auto n = rb->next();
        if (!n) return n.take_error();
        y = std::move(*n);
      }
    }
    return ok_status();
  }

 private:
  std::ostream& out_;
  const DiffOptions& options_;
  DiffReport& report_;
};

}  // namespace

Result<fs::path> state_path(const fs::path& p) {
  std::error_code ec;
  if (!fs::exists(p, ec)) return not_found("no such file or data directory: " + p.string());
  fs::path file = fs::is_directory(p, ec) ? p / kStateFile : p;
  if (!fs::is_regular_file(file, ec)) return not_found("no state file: " + file.string() + " is missing");
  return file;
}

Result<DiffReport> diff_states(const fs::path& a, const fs::path& b, std::ostream& out,
                               const DiffOptions& options) {
  auto pa = state_path(a);
  if (!pa) return pa.take_error();
  auto pb = state_path(b);
  if (!pb) return pb.take_error();
  auto da = open_state(*pa);
  if (!da) return da.take_error();
  auto db = open_state(*pb);
  if (!db) return db.take_error();
  auto ta = list_tables(*da);
  if (!ta) return ta.take_error();
  auto tb = list_tables(*db);
  if (!tb) return tb.take_error();

  out << "A: " << pa->string() << "\nB: " << pb->string() << "\n";
  DiffReport report;
  Differ differ(out, options, report);
  std::set<std::string> names;
  for (const auto& [name, t] : *ta) names.insert(name);
  for (const auto& [name, t] : *tb) names.insert(name);
  for (const auto& name : names) {
    ++report.tables;
    auto ia = ta->find(name), ib = tb->find(name);
    if (ia == ta->end() || ib == tb->end()) {
      bool in_a = ia != ta->end();
      auto rows = in_a ? count_rows(*da, ia->second) : count_rows(*db, ib->second);
      if (!rows) return rows.take_error();
      (in_a ? report.rows_a : report.rows_b) += *rows;
      differ.difference(name + ": table only in " + (in_a ? "A" : "B") + " (" + std::to_string(*rows) + " rows)");
      continue;
    }
    if (ia->second.columns != ib->second.columns || ia->second.fts5 != ib->second.fts5) {
      differ.difference(name + ": columns differ: A (" + join(ia->second.columns) + ") vs B (" +
                        join(ib->second.columns) + ")");
      continue;
    }
    HEARTH_TRY(differ.compare_table(name, ia->second, *da, *db));
  }
  if (static_cast<size_t>(report.differences) > options.max_printed) {
    out << "... " << report.differences - static_cast<int64_t>(options.max_printed) << " more not shown\n";
  }
  if (report.equal()) {
    out << "equal: " << report.tables << " tables, " << report.rows_a << " rows\n";
  } else {
    out << "different: " << report.differences << " differences; " << report.tables << " tables, "
        << report.rows_a << " rows in A, " << report.rows_b << " rows in B\n";
  }
  return report;
}

int run_diff(const fs::path& a, const fs::path& b, const DiffOptions& options, std::ostream& out,
             std::ostream& err) {
  auto report = diff_states(a, b, out, options);
  if (!report) {
    err << "diff: " << report.error().message << "\n";
    return kExitBadInput;
  }
  return report->equal() ? kExitOk : kExitFindings;
}

}  // namespace hearth::replay
