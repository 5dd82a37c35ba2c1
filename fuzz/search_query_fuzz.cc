// libFuzzer target for the search query builder (projections/search_query.h): any bytes as the
// user's query.
// Properties: the MATCH expression is valid FTS5 (run against an in-memory FTS5 table with the
// state database's tokenizer, no error); the terms round-trip (unquoting the expression gives the
// terms back, so nothing outside the quotes reached FTS5); every term is non-empty valid UTF-8
// without NUL, within the bounds, and a piece of the input.
// tests/projections/search_query_fuzz_corpus_test.cc includes this file with HEARTH_FUZZ_NO_MAIN
// defined and replays fuzz/corpus/search_query through check_search_query_input in every ctest run.
#include <sqlite3.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/text.h"
#include "projections/search_query.h"

namespace hearth::fuzzing {

// One connection for the whole run: a table with a few rows, so the expression is also evaluated.
inline sqlite3_stmt* fts_probe() {
  static sqlite3_stmt* stmt = [] {
    sqlite3* db = nullptr;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) std::abort();
    const char* ddl =
        "CREATE VIRTUAL TABLE t USING fts5(plain_text, tokenize='porter unicode61');"
        "INSERT INTO t VALUES ('secret plan NEAR AND OR NOT'), ('caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac'), ('a b c');";
    if (sqlite3_exec(db, ddl, nullptr, nullptr, nullptr) != SQLITE_OK) std::abort();
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT rowid FROM t WHERE t MATCH ?1 ORDER BY rowid DESC", -1, &s, nullptr) != SQLITE_OK) {
      std::abort();
    }
    return s;
  }();
  return stmt;
}

// nullptr when every property holds, else which one broke.
inline const char* check_search_query_input(std::string_view input) {
  SearchQuery q = build_search_query(input);
  if (q.terms.size() > kMaxSearchTerms) return "too many terms";
  if (q.empty() != q.match.empty()) return "terms and expression disagree on emptiness";
  for (const std::string& t : q.terms) {
    if (t.empty()) return "empty term";
    if (t.size() > kMaxSearchTermBytes) return "term past the byte bound";
    if (!valid_utf8(t)) return "term is not valid UTF-8";
    if (t.find('\0') != std::string::npos) return "NUL in a term";
    if (input.find(t) == std::string_view::npos) return "term is not a piece of the input";
  }
  // Round trip: the expression is exactly "t1" "t2" ... with inner quotes doubled.
  std::vector<std::string> back;
  std::string_view m = q.match;
  for (size_t i = 0; i < m.size();) {
    if (!back.empty() || i > 0) {
      if (m[i] != ' ') return "terms not separated by one space";
      ++i;
    }
    if (i >= m.size() || m[i] != '"') return "term not opened by a quote";
    std::string term;
    for (++i;; ++i) {
      if (i >= m.size()) return "unterminated string";
      if (m[i] == '"') {
        if (i + 1 < m.size() && m[i + 1] == '"') {
          term += '"';
          ++i;
        } else {
          ++i;
          break;
        }
      } else {
        term += m[i];
      }
    }
    back.push_back(std::move(term));
  }
  if (back != q.terms) return "terms do not round-trip through the expression";
  if (q.empty()) return nullptr;
  sqlite3_stmt* s = fts_probe();
  sqlite3_bind_text(s, 1, q.match.data(), static_cast<int>(q.match.size()), SQLITE_TRANSIENT);
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
  }
  sqlite3_reset(s);
  if (rc != SQLITE_DONE) return "FTS5 refused the expression";
  return nullptr;
}

}  // namespace hearth::fuzzing

#ifndef HEARTH_FUZZ_NO_MAIN
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (const char* broken = hearth::fuzzing::check_search_query_input(input)) {
    std::fprintf(stderr, "search_query property broken: %s\n", broken);
    std::abort();
  }
  return 0;
}
#endif
