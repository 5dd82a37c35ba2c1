// The Range header grammar of server/files/byte_range.h: which bytes, the whole file, or 416.
#include <gtest/gtest.h>

#include "server/files/byte_range.h"

#define HEARTH_FUZZ_NO_MAIN
#include "fuzz/byte_range_fuzz.cc"
#include "support/fuzz_corpus.h"

namespace hearth::server::files {
namespace {

using Kind = ByteRange::Kind;

TEST(ByteRangeFuzzCorpus, EverySeedKeepsTheRangeProperties) {
  EXPECT_GE(hearth::testing::replay_fuzz_corpus("byte_range", fuzzing::check_byte_range_input), 10);
}

void expect_part(std::string_view header, uint64_t size, uint64_t first, uint64_t length) {
  ByteRange r = byte_range(header, size);
  EXPECT_EQ(r.kind, Kind::kPart) << header;
  EXPECT_EQ(r.first, first) << header;
  EXPECT_EQ(r.length, length) << header;
}

TEST(ByteRange, OneRangeIsThoseBytesClampedToTheEnd) {
  expect_part("bytes=0-0", 10, 0, 1);
  expect_part("bytes=2-5", 10, 2, 4);
  expect_part("bytes=2-", 10, 2, 8);
  expect_part("bytes=-3", 10, 7, 3);
  expect_part("bytes=-30", 10, 0, 10);
  expect_part("bytes=5-99999999999999999999999", 10, 5, 5);  // saturates, then clamps
  expect_part("  Bytes = 1 - 2 ", 10, 1, 2);
}

TEST(ByteRange, StartingAtOrPastTheEndIsUnsatisfiable) {
  EXPECT_EQ(byte_range("bytes=10-", 10).kind, Kind::kUnsatisfiable);
  EXPECT_EQ(byte_range("bytes=10-20", 10).kind, Kind::kUnsatisfiable);
  EXPECT_EQ(byte_range("bytes=99999999999999999999999-", 10).kind, Kind::kUnsatisfiable);
  EXPECT_EQ(byte_range("bytes=-0", 10).kind, Kind::kUnsatisfiable);
  EXPECT_EQ(byte_range("bytes=0-", 0).kind, Kind::kUnsatisfiable);
  EXPECT_EQ(byte_range("bytes=-5", 0).kind, Kind::kUnsatisfiable);
}

TEST(ByteRange, AnythingElseIsTheWholeFile) {
  for (std::string_view h : {"", "bytes", "bytes=", "bytes=-", "bytes=5-2", "bytes=a-b", "bytes=1-2,4-5",
                             "items=0-1", "bytes=+1-2", "bytes=1--2", "bytes 0-1"}) {
    EXPECT_EQ(byte_range(h, 10).kind, Kind::kWhole) << h;
  }
}

}  // namespace
}  // namespace hearth::server::files
