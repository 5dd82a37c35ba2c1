// Replays fuzz/corpus/cookie and fuzz/corpus/bot_key through the fuzz targets' own checks in the
// normal build, so every ctest run re-checks every seed and every past find (STYLE 19), with or
// without clang. The targets are included with their LLVMFuzzerTestOneInput compiled out.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#define HEARTH_FUZZ_NO_MAIN
#include "fuzz/bot_key_fuzz.cc"
#include "fuzz/cookie_fuzz.cc"

namespace hearth::auth {
namespace {

namespace fs = std::filesystem;

template <class Check>
int replay(const char* corpus, Check check) {
  int files = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(HEARTH_SOURCE_DIR) / "fuzz" / "corpus" / corpus)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const char* broken = check(bytes);
    EXPECT_EQ(broken, nullptr) << entry.path() << ": " << (broken ? broken : "");
    ++files;
  }
  return files;
}

TEST(AuthFuzzCorpusTest, EveryCookieSeedKeepsTheParserProperties) {
  EXPECT_GT(replay("cookie", fuzzing::check_cookie_input), 0);
}

TEST(AuthFuzzCorpusTest, EveryBotKeySeedKeepsTheParserProperties) {
  EXPECT_GT(replay("bot_key", fuzzing::check_bot_key_input), 0);
}

}  // namespace
}  // namespace hearth::auth
