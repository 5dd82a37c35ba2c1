// The base64url codec of the QR-code route (core/base/base64url.h): RFC 4648's test vectors in the
// URL-safe alphabet, the refusals that keep one spelling per text, and the fuzz corpus replayed
// through the fuzz target's own properties (STYLE 19).
#include <gtest/gtest.h>

#define HEARTH_FUZZ_NO_MAIN
#include "fuzz/base64url_fuzz.cc"
#include "support/fuzz_corpus.h"

namespace hearth {
namespace {

TEST(Base64UrlTest, EncodesTheRfcVectorsWithoutPadding) {
  EXPECT_EQ(base64url_encode(""), "");
  EXPECT_EQ(base64url_encode("f"), "Zg");
  EXPECT_EQ(base64url_encode("fo"), "Zm8");
  EXPECT_EQ(base64url_encode("foo"), "Zm9v");
  EXPECT_EQ(base64url_encode("foob"), "Zm9vYg");
  EXPECT_EQ(base64url_encode("fooba"), "Zm9vYmE");
  EXPECT_EQ(base64url_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");  // '+' and '/' in standard base64
}

TEST(Base64UrlTest, DecodesWhatItEncodes) {
  EXPECT_EQ(base64url_decode("Zm9vYmE"), "fooba");
  EXPECT_EQ(base64url_decode("-_8"), "\xfb\xff");
  EXPECT_EQ(base64url_decode(""), "");
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  EXPECT_EQ(base64url_decode(base64url_encode(all)), all);
}

TEST(Base64UrlTest, RefusesEverySecondSpelling) {
  EXPECT_EQ(base64url_decode("Zg=="), std::nullopt);   // padding
  EXPECT_EQ(base64url_decode("Zh"), std::nullopt);     // low bits of the last character set
  EXPECT_EQ(base64url_decode("Zm9"), std::nullopt);    // "fo" is Zm8
  EXPECT_EQ(base64url_decode("Z"), std::nullopt);      // a lone character is no byte
  EXPECT_EQ(base64url_decode("+/8"), std::nullopt);    // the standard alphabet
  EXPECT_EQ(base64url_decode("Zm 9v"), std::nullopt);  // whitespace
  EXPECT_EQ(base64url_decode(std::string_view("Zm\0v", 4)), std::nullopt);
}

TEST(Base64UrlTest, EveryCorpusSeedKeepsTheCodecProperties) {
  EXPECT_GE(testing::replay_fuzz_corpus("base64url", fuzzing::check_base64url_input), 10);
}

}  // namespace
}  // namespace hearth
