// libFuzzer target for the base64url codec (core/base/base64url.h) that reads the QR-code route's
// path. Properties: a text that decodes is canonical (encoding the bytes gives the text back, so
// no two spellings name the same URL), the decoded size follows from the length alone, and any
// bytes survive encode then decode unchanged. tests/core/base64url_test.cc includes this file with
// HEARTH_FUZZ_NO_MAIN defined and replays fuzz/corpus/base64url through check_base64url_input.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "core/base/base64url.h"

namespace hearth::fuzzing {

// Returns nullptr, or which property the input broke.
inline const char* check_base64url_input(std::string_view input) {
  if (auto decoded = base64url_decode(input)) {
    if (decoded->size() != input.size() * 3 / 4) return "decoded size does not follow from the length";
    if (base64url_encode(*decoded) != input) return "a decodable text is not canonical";
  }
  auto encoded = base64url_encode(input);
  for (char c : encoded) {
    bool safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!safe) return "encoding left the URL-safe alphabet";
  }
  auto back = base64url_decode(encoded);
  if (!back || *back != input) return "bytes did not survive encode then decode";
  return nullptr;
}

}  // namespace hearth::fuzzing

#ifndef HEARTH_FUZZ_NO_MAIN
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (const char* broken = hearth::fuzzing::check_base64url_input(input)) {
    std::fprintf(stderr, "fuzz_base64url: %s\n", broken);
    std::abort();
  }
  return 0;
}
#endif
