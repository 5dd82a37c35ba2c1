// Replays fuzz/corpus/cookie, fuzz/corpus/bot_key and fuzz/corpus/signed_id through the fuzz targets' own checks in the
// normal build, so every ctest run re-checks every seed and every past find (STYLE 19), with or
// without clang. The targets are included with their LLVMFuzzerTestOneInput compiled out.
#include <gtest/gtest.h>

#define HEARTH_FUZZ_NO_MAIN
#include "fuzz/bot_key_fuzz.cc"
#include "fuzz/cookie_fuzz.cc"
#include "fuzz/signed_id_fuzz.cc"
#include "support/fuzz_corpus.h"

namespace hearth::auth {
namespace {

using hearth::testing::replay_fuzz_corpus;

TEST(AuthFuzzCorpusTest, EveryCookieSeedKeepsTheParserProperties) {
  EXPECT_GT(replay_fuzz_corpus("cookie", fuzzing::check_cookie_input), 0);
}

TEST(AuthFuzzCorpusTest, EveryBotKeySeedKeepsTheParserProperties) {
  EXPECT_GT(replay_fuzz_corpus("bot_key", fuzzing::check_bot_key_input), 0);
}

TEST(AuthFuzzCorpusTest, EverySignedIdSeedKeepsTheParserProperties) {
  EXPECT_GT(replay_fuzz_corpus("signed_id", fuzzing::check_signed_id_input), 0);
}

}  // namespace
}  // namespace hearth::auth
