// libFuzzer target for the link preview's page reader (server/previews/page_metadata.h): any page
// a remote server sends gives, without crashing or running long, a title, description and image
// that are valid UTF-8 on one line, without controls, within their byte bounds, and already
// clean (cleaning them again changes nothing).
// tests/server/preview_fuzz_corpus_test.cc replays fuzz/corpus/page_metadata in ctest.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/base/text.h"
#include "server/previews/page_metadata.h"

namespace hearth::fuzzing {

inline const char* check_clean_value(const std::string& v, size_t max_bytes) {
  if (v.size() > max_bytes) return "a value past its bound";
  if (!valid_utf8(v)) return "a value that is not UTF-8";
  for (char c : v) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return "a control character in a value";
  }
  if (!v.empty() && (v.front() == ' ' || v.back() == ' ')) return "an untrimmed value";
  if (v.find("  ") != std::string::npos) return "whitespace not collapsed";
  if (server::previews::clean_text(v, max_bytes) != v) return "a value that cleaning changes again";
  return nullptr;
}

inline const char* check_page_metadata_input(std::string_view input) {
  namespace pv = server::previews;
  pv::PageMetadata m = pv::parse_page_metadata(input);
  if (const char* broken = check_clean_value(m.title, pv::kMaxTitleBytes)) return broken;
  if (const char* broken = check_clean_value(m.description, pv::kMaxDescriptionBytes)) return broken;
  if (const char* broken = check_clean_value(m.image, pv::kMaxImageUrlBytes)) return broken;
  return nullptr;
}

}  // namespace hearth::fuzzing

#ifndef HEARTH_FUZZ_NO_MAIN
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (const char* broken = hearth::fuzzing::check_page_metadata_input(input)) {
    std::fprintf(stderr, "page metadata property broken: %s\n", broken);
    std::abort();
  }
  return 0;
}
#endif
