// Replays fuzz/corpus/search_query through the fuzz target's own property check in every ctest
// run (STYLE 19), with or without clang.
#include <gtest/gtest.h>

#define HEARTH_FUZZ_NO_MAIN
#include "fuzz/search_query_fuzz.cc"
#include "support/fuzz_corpus.h"

namespace hearth {
namespace {

TEST(SearchQueryFuzzCorpusTest, EverySeedKeepsTheBuilderProperties) {
  EXPECT_GE(testing::replay_fuzz_corpus("search_query", fuzzing::check_search_query_input), 20);
}

}  // namespace
}  // namespace hearth
