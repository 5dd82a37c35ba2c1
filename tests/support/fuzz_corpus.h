#pragma once
// Replaying a fuzz target's corpus in ctest (STYLE 19): every seed and every past find is checked
// again by the target's own property function in every normal build, with or without clang.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

namespace hearth::testing {

// Runs `check` (returns nullptr, or which property the input broke) on every file of
// HEARTH_SOURCE_DIR/fuzz/corpus/<corpus>, failing the test for each broken one. Returns how many
// files it read, so a caller can fail on an empty or missing corpus.
template <class Check>
int replay_fuzz_corpus(std::string_view corpus, Check check) {
  namespace fs = std::filesystem;
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

}  // namespace hearth::testing
