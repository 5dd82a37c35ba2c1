// libFuzzer target: event verify + decode + fold (STYLE 19). The body lives in event_fuzz_body.h,
// which tests/core/log_fuzz_corpus_test.cc also runs over fuzz/corpus/event in every ctest.
#include <cstdio>
#include <cstdlib>

#include "fuzz/event_fuzz_body.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // One in-memory projection per process, reachable until exit (so LeakSanitizer stays quiet).
  static hearth::fuzzing::EventFuzzer* fuzzer = [] {
    auto f = hearth::fuzzing::EventFuzzer::open();
    if (!f) {
      std::fprintf(stderr, "fuzz_event: %s\n", f.error().to_string().c_str());
      std::abort();
    }
    return f->release();
  }();
  auto out = fuzzer->run(std::span<const uint8_t>(data, size));
  if (out.violation) {
    std::fprintf(stderr, "fuzz_event: %s\n", out.violation->c_str());
    std::abort();
  }
  return 0;
}
