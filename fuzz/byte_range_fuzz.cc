// libFuzzer target for the Range header (server/files/byte_range.h), which reads a download
// request's untrusted header. The input's first line is the file's size in decimal (a size of any
// magnitude, up to 2^64 - 1, so the arithmetic at the top of the range is exercised); the rest is
// the header. Properties: a part is at least one byte and lies wholly inside the file (no overflow
// in first + length); a file of zero bytes has no part; the answer does not depend on spaces or
// tabs around the header.
// tests/server/byte_range_test.cc includes this file with HEARTH_FUZZ_NO_MAIN defined and replays
// fuzz/corpus/byte_range through check_byte_range_input.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "server/files/byte_range.h"

namespace hearth::fuzzing {

inline const char* check_byte_range_input(std::string_view input) {
  namespace f = hearth::server::files;
  size_t eol = input.find('\n');
  if (eol == std::string_view::npos || eol == 0 || eol > 20) return nullptr;
  uint64_t size = 0;
  for (char c : input.substr(0, eol)) {
    if (c < '0' || c > '9') return nullptr;
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (size > (UINT64_MAX - d) / 10) return nullptr;
    size = size * 10 + d;
  }
  std::string_view header = input.substr(eol + 1);
  f::ByteRange r = f::byte_range(header, size);
  if (r.kind == f::ByteRange::Kind::kPart) {
    if (size == 0) return "a part of an empty file";
    if (r.length == 0) return "a part of no bytes";
    if (r.first >= size) return "a part that starts past the end";
    if (r.length > size - r.first) return "a part that runs past the end";
  }
  f::ByteRange padded = f::byte_range(" \t" + std::string(header) + "\t ", size);
  if (padded.kind != r.kind || padded.first != r.first || padded.length != r.length) {
    return "spaces around the header changed the answer";
  }
  return nullptr;
}

}  // namespace hearth::fuzzing

#ifndef HEARTH_FUZZ_NO_MAIN
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (const char* broken = hearth::fuzzing::check_byte_range_input(input)) {
    std::fprintf(stderr, "fuzz_byte_range: %s\n", broken);
    std::abort();
  }
  return 0;
}
#endif
