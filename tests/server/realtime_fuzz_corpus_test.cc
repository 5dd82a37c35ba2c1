// Replays fuzz/corpus/client_frame and fuzz/corpus/router through the fuzz targets' own checks in
// the normal build, so every ctest run re-checks every seed and every past find (STYLE 19), with
// or without clang. The targets are included with their LLVMFuzzerTestOneInput compiled out.
#include <gtest/gtest.h>

#define HEARTH_FUZZ_NO_MAIN
#include "fuzz/client_frame_fuzz.cc"
#include "fuzz/router_fuzz.cc"
#include "support/fuzz_corpus.h"

namespace hearth::server::realtime {
namespace {

using hearth::testing::replay_fuzz_corpus;

TEST(RealtimeFuzzCorpusTest, EveryClientFrameSeedKeepsTheParserProperties) {
  EXPECT_GE(replay_fuzz_corpus("client_frame", fuzzing::check_client_frame_input), 12);
}

TEST(RealtimeFuzzCorpusTest, EveryRouterSeedKeepsTheRoutingProperties) {
  EXPECT_GE(replay_fuzz_corpus("router", fuzzing::check_router_input), 12);
}

}  // namespace
}  // namespace hearth::server::realtime
