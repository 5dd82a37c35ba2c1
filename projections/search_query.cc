#include "projections/search_query.h"

#include "core/base/text.h"

namespace hearth {
namespace {

bool is_separator(unsigned char c) { return c <= 0x20 || c == 0x7F; }  // ASCII space and controls
bool is_ascii_alnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Something unicode61 could index: an ASCII letter or digit, or any non-ASCII code point (the
// tokenizer decides which of those are letters; a term of only non-ASCII punctuation becomes an
// empty string, which FTS5 matches nothing with).
bool indexable(std::string_view term) {
  for (char ch : term) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80 || is_ascii_alnum(c)) return true;
  }
  return false;
}

void add_term(SearchQuery& q, std::string term) {
  if (!indexable(term)) return;
  if (!q.match.empty()) q.match += ' ';
  q.match += '"';
  for (char ch : term) {
    if (ch == '"') q.match += '"';
    q.match += ch;
  }
  q.match += '"';
  q.terms.push_back(std::move(term));
}

}  // namespace

SearchQuery build_search_query(std::string_view input) {
  SearchQuery q;
  std::string term;
  bool truncated = false;  // the current term reached kMaxSearchTermBytes: skip to its end
  auto end_term = [&] {
    if (!term.empty()) add_term(q, std::move(term));
    term.clear();
    truncated = false;
  };
  for (size_t i = 0; i < input.size() && q.terms.size() < kMaxSearchTerms;) {
    auto c = static_cast<unsigned char>(input[i]);
    size_t len = utf8_sequence_length(input, i);
    if (len == 0 || (len == 1 && is_separator(c))) {
      end_term();
      i += len == 0 ? 1 : len;
      continue;
    }
    if (!truncated) {
      if (term.size() + len <= kMaxSearchTermBytes) term.append(input.substr(i, len));
      else truncated = true;
    }
    i += len;
  }
  if (q.terms.size() < kMaxSearchTerms) end_term();
  return q;
}

}  // namespace hearth
