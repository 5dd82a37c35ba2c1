// Replays fuzz/corpus/html_sanitizer through the fuzz target's own property check in every ctest
// run (STYLE 19), with or without clang.
#include <gtest/gtest.h>

#define HEARTH_FUZZ_NO_MAIN
#include "fuzz/html_sanitizer_fuzz.cc"
#include "support/fuzz_corpus.h"

namespace hearth::html {
namespace {

TEST(HtmlSanitizerFuzzCorpus, EverySeedIsSafeAndStable) {
  EXPECT_GE(testing::replay_fuzz_corpus("html_sanitizer", fuzzing::check_html_input), 20);
}

TEST(HtmlSanitizerFuzzCorpus, TheOracleRefusesWhatItShould) {
  // The check must be able to fail: unsanitized markup breaks it.
  EXPECT_NE(fuzzing::check_safe_body_html("<img src=x onerror=alert(1)>"), nullptr);
  EXPECT_NE(fuzzing::check_safe_body_html("<a href=\"java\tscript:x\">x</a>"), nullptr);
  EXPECT_NE(fuzzing::check_safe_body_html("<svg><a>x</a></svg>"), nullptr);
  EXPECT_NE(fuzzing::check_safe_body_html("<b>x</b><!-- c -->"), nullptr);
  EXPECT_NE(fuzzing::check_safe_body_html("<p><hr></p>"), nullptr) << "does not survive its own re-parse";
  EXPECT_EQ(fuzzing::check_safe_body_html("<p>fine <a href=\"/x\">x</a></p>"), nullptr);
}

}  // namespace
}  // namespace hearth::html
