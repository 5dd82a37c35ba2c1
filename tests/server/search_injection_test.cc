// Search injection (issue 5): FTS5 syntax of every kind, broken quoting, column filters, NUL,
// invalid UTF-8 and 10 KB queries, from tests/data/search_injection.txt and generated here. Every
// query answers 200 with a list, never an error, and never a message from a room the searcher is
// not in: the Secret room holds the very same texts as All Talk, so a query whose syntax were
// obeyed (an OR, a column filter, a broken string) would have the chance to reach it.
#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <fstream>
#include <random>

#include "core/base/text.h"
#include "projections/search_query.h"
#include "search_fixture.h"

namespace hearth::testing {
namespace {

// "\xNN" is a byte, "\\" a backslash.
std::string unescape(const std::string& line) {
  std::string out;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '\\') {
      out += '\\';
      ++i;
    } else if (line[i] == '\\' && i + 3 < line.size() && line[i + 1] == 'x') {
      out += static_cast<char>(std::stoi(line.substr(i + 2, 2), nullptr, 16));
      i += 3;
    } else {
      out += line[i];
    }
  }
  return out;
}

std::vector<std::string> corpus() {
  std::ifstream in(std::string(HEARTH_SOURCE_DIR) + "/tests/data/search_injection.txt", std::ios::binary);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    out.push_back(unescape(line));
  }
  return out;
}

std::vector<std::string> ten_kilobyte_queries() {
  constexpr size_t k10 = 10 * 1024;
  auto repeat = [](const std::string& unit) {
    std::string s;
    while (s.size() + unit.size() <= k10) s += unit;
    return s;
  };
  std::mt19937 rng(42);
  std::string random_bytes(k10, '\0'), random_syntax;
  for (char& c : random_bytes) c = static_cast<char>(rng() & 0xFF);
  const std::string syntax = "\"*^():{}+- NEARANDORNOT secret plan\x00\xff";
  while (random_syntax.size() < k10) random_syntax += syntax[rng() % syntax.size()];
  return {repeat("secret "), repeat("\""), repeat("NEAR("), repeat("("), repeat("secret OR "),
          repeat("a"), std::string(k10, '\0'), repeat("\xe6\x97\xa5"), repeat("plain_text:secret "),
          random_bytes, random_syntax};
}

class SearchInjectionTest : public SearchFixture {
 protected:
  void SetUp() override {
    SearchFixture::SetUp();
    // Every corpus text as a message in both rooms (where the sequencer takes it as text).
    for (const std::string& text : corpus()) {
      if (!valid_utf8(text) || is_blank(text)) continue;
      post(ada_id_, all_talk_, text);
      post(ada_id_, secret_, text);
    }
    post(ada_id_, secret_, "secret plan launch NEAR AND OR NOT plain_text rowid rank");
  }

  // Bob (All Talk only) searches: 200, a list, only All Talk. Returns how many it found.
  size_t check_bob(const std::string& q) {
    auto res = call(port_, Verb::get, "/api/search?q=" + url_encode(q), "", bob_.headers(false));
    EXPECT_EQ(res.result_int(), 200u) << "query [" << q.substr(0, 80) << "]: " << res.body().substr(0, 200);
    auto body = body_of(res);
    if (!body.is_object() || !body.as_object().contains("messages")) {
      ADD_FAILURE() << "no message list for [" << q.substr(0, 80) << "]";
      return 0;
    }
    const auto& found = body.at("messages").as_array();
    for (int64_t room : rooms(found)) {
      EXPECT_EQ(room, all_talk_.value) << "a foreign room's message for [" << q.substr(0, 80) << "]";
    }
    return found.size();
  }
};

TEST_F(SearchInjectionTest, EveryCorpusQueryAnswersAListFromTheSearchersRoomsOnly) {
  auto lines = corpus();
  ASSERT_GE(lines.size(), 80u);
  size_t with_results = 0;
  for (const std::string& q : lines) {
    size_t n = check_bob(q);
    if (n > 0) ++with_results;
    // Its own text is in All Talk: a query with words finds at least that (terms not cut short).
    SearchQuery built = build_search_query(q);
    bool whole = !built.empty() && built.terms.size() < kMaxSearchTerms;
    for (const auto& t : built.terms) whole = whole && t.size() < kMaxSearchTermBytes;
    bool has_word = false;
    for (char c : q) has_word = has_word || std::isalnum(static_cast<unsigned char>(c));
    if (whole && has_word && valid_utf8(q)) {
      EXPECT_GT(n, 0u) << "[" << q << "] did not find its own message";
    }
  }
  EXPECT_GT(with_results, lines.size() / 2) << "the corpus mostly searches for words that exist";
}

TEST_F(SearchInjectionTest, TenKilobyteQueriesAnswerQuicklyWithoutErrors) {
  for (const std::string& q : ten_kilobyte_queries()) {
    auto t0 = std::chrono::steady_clock::now();
    check_bob(q);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5)) << q.substr(0, 40);
  }
}

TEST_F(SearchInjectionTest, OperatorWordsAreSearchedForNotObeyed) {
  // Obeyed, "secret OR zzz" would find every "secret"; searched for, it needs both words and "or".
  EXPECT_EQ(check_bob("secret OR zzznothing"), 0u);
  // Obeyed, NOT would exclude; as a word it must be present: only texts containing "not".
  auto res = call(port_, Verb::get, "/api/search?q=" + url_encode("secret NOT"), "", bob_.headers(false));
  auto body = body_of(res);
  for (const auto& m : body.at("messages").as_array()) {
    std::string text(m.at("plain_text").as_string());
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_NE(text.find("not"), std::string::npos) << text;
  }
  // A column filter is text: "rowid:1" looks for the words "rowid" and "1" in All Talk's copy.
  EXPECT_GT(check_bob("rowid:1"), 0u);
}

}  // namespace
}  // namespace hearth::testing
