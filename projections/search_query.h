#pragma once
// The user's search words as an FTS5 query (DESIGN "search takes the user's words as words").
//
// Campfire replaces non-word characters by spaces and passes the rest to MATCH, so AND, OR, NOT
// and NEAR still act as operators (CAMPFIRE.md 6.10). Here every term is an FTS5 string: wrapped
// in double quotes with inner quotes doubled, so nothing the user types is FTS5 syntax; `AND`,
// `NEAR(`, `"`, `*`, `(`, `:`, `^` and column names are text to look for. Space-separated strings
// are an implicit AND, as in Campfire. A term such as `foo-bar` stays one string, which the
// tokenizer reads as the phrase "foo bar".
//
// Splitting: terms are separated by ASCII whitespace, control characters (NUL included: FTS5
// ends a string at NUL) and bytes that are not valid UTF-8. A term with no ASCII letter or digit
// and no non-ASCII character has nothing the tokenizer would index and is dropped, so a query of
// only punctuation has no terms and is answered without touching FTS.
//
// Bounds (a 10 KB query costs no more than a short one): the first kMaxTerms terms are kept, each
// cut to at most kMaxTermBytes at a code point boundary.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace hearth {

struct SearchQuery {
  std::vector<std::string> terms;  // valid UTF-8, no NUL, each non-empty
  std::string match;               // the FTS5 MATCH expression; empty when there are no terms
  bool empty() const { return terms.empty(); }
};

inline constexpr size_t kMaxSearchTerms = 16;
inline constexpr size_t kMaxSearchTermBytes = 64;

// Pure; total on every input (any bytes, any length).
SearchQuery build_search_query(std::string_view input);

}  // namespace hearth
