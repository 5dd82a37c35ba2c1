// Replays fuzz/corpus/preview_url and fuzz/corpus/page_metadata through the fuzz targets' own
// checks in the normal build (STYLE 19), as realtime_fuzz_corpus_test.cc does for its parsers.
#include <gtest/gtest.h>

#define HEARTH_FUZZ_NO_MAIN
#include "fuzz/page_metadata_fuzz.cc"
#include "fuzz/preview_url_fuzz.cc"
#include "support/fuzz_corpus.h"

namespace hearth::server::previews {
namespace {

using hearth::testing::replay_fuzz_corpus;

TEST(PreviewFuzzCorpusTest, EveryUrlSeedKeepsTheParserProperties) {
  EXPECT_GE(replay_fuzz_corpus("preview_url", fuzzing::check_preview_url_input), 30);
}

TEST(PreviewFuzzCorpusTest, EveryPageSeedKeepsTheReaderProperties) {
  EXPECT_GE(replay_fuzz_corpus("page_metadata", fuzzing::check_page_metadata_input), 8);
}

}  // namespace
}  // namespace hearth::server::previews
