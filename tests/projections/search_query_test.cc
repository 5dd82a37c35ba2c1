// The search query builder: the user's words become quoted FTS5 strings, nothing else.
#include "projections/search_query.h"

#include <gtest/gtest.h>

namespace hearth {
namespace {

using Terms = std::vector<std::string>;

TEST(SearchQueryTest, WordsBecomeQuotedStringsJoinedByAnd) {
  auto q = build_search_query("  deploy  the servers ");
  EXPECT_EQ(q.terms, (Terms{"deploy", "the", "servers"}));
  EXPECT_EQ(q.match, R"("deploy" "the" "servers")");
}

TEST(SearchQueryTest, OperatorsAndSyntaxAreQuotedAsText) {
  EXPECT_EQ(build_search_query("a OR b").match, R"("a" "OR" "b")");
  EXPECT_EQ(build_search_query("NEAR(a b, 2)").match, R"q("NEAR(a" "b," "2)")q");
  EXPECT_EQ(build_search_query("plain_text:secret ^x y*").match, R"("plain_text:secret" "^x" "y*")");
}

TEST(SearchQueryTest, QuotesInsideATermAreDoubled) {
  auto q = build_search_query(R"(say "hi" x"y)");
  EXPECT_EQ(q.terms, (Terms{"say", R"("hi")", R"(x"y)"}));
  EXPECT_EQ(q.match, R"("say" """hi""" "x""y")");
}

TEST(SearchQueryTest, PunctuationOnlyHasNoTerms) {
  for (const char* s : {"", "   ", "\"", "\"\"\"", "*", "( ) : ^ - +", "\t\n"}) {
    auto q = build_search_query(s);
    EXPECT_TRUE(q.empty()) << s;
    EXPECT_EQ(q.match, "") << s;
  }
}

TEST(SearchQueryTest, NulControlsAndInvalidUtf8Separate) {
  EXPECT_EQ(build_search_query(std::string("a\0b", 3)).terms, (Terms{"a", "b"}));
  EXPECT_EQ(build_search_query("a\xff" "b\x01" "c").terms, (Terms{"a", "b", "c"}));
  EXPECT_EQ(build_search_query("caf\xc3\xa9 \xc3").terms, (Terms{"caf\xc3\xa9"}));
}

TEST(SearchQueryTest, TermsAndTheirLengthAreBounded) {
  std::string many;
  for (int i = 0; i < 100; ++i) many += "w" + std::to_string(i) + " ";
  auto q = build_search_query(many);
  ASSERT_EQ(q.terms.size(), kMaxSearchTerms);
  EXPECT_EQ(q.terms.back(), "w15");
  auto long_term = build_search_query(std::string(10 * 1024, 'x') + " tail");
  EXPECT_EQ(long_term.terms, (Terms{std::string(kMaxSearchTermBytes, 'x'), "tail"}));
  std::string cjk;
  for (int i = 0; i < 40; ++i) cjk += "\xe6\x97\xa5";  // 3 bytes each: cut at 63, not mid-character
  EXPECT_EQ(build_search_query(cjk).terms.at(0).size(), 63u);
}

}  // namespace
}  // namespace hearth
