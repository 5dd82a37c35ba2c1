// libFuzzer target for multipart/form-data (server/http/multipart.h), with the boundary "XyZ".
// The input's first byte picks how the body is cut into chunks (as the network would); the rest
// is the body. When the first byte is 'C', the rest is a Content-Type header for
// multipart_boundary instead.
// Properties: no crash; the parse has the same outcome and the same parts whether fed whole, byte
// by byte or in chunks; parts never exceed kMaxParts and never contain the delimiter; a part's
// data arrives only between its begin and end; the bytes the parser keeps stay bounded; a
// boundary returned is 1-70 characters of RFC 2046's alphabet, not ending in a space.
// tests/server/multipart_test.cc includes this file with HEARTH_FUZZ_NO_MAIN defined and replays
// fuzz/corpus/multipart through check_multipart_input in every ctest run.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "server/http/multipart.h"

namespace hearth::fuzzing {

namespace http = hearth::server::http;

struct RecordingSink final : http::MultipartParser::Sink {
  std::vector<std::string> parts;  // name \0 filename-or-"-" \0 type \0 data
  bool open = false;
  const char* broken = nullptr;
  Status begin_part(const http::PartHeaders& h) override {
    if (open) broken = "a part began inside another";
    if (h.name.empty()) broken = "a part without a name";
    open = true;
    parts.push_back(h.name + '\0' + (h.filename ? "f:" + *h.filename : "-") + '\0' + h.content_type + '\0');
    return ok_status();
  }
  Status part_data(std::string_view bytes) override {
    if (!open) broken = "data outside a part";
    if (!parts.empty()) parts.back().append(bytes);
    return ok_status();
  }
  Status end_part() override {
    if (!open) broken = "a part ended twice";
    open = false;
    return ok_status();
  }
};

struct Outcome {
  bool ok = false;
  std::vector<std::string> parts;
  const char* broken = nullptr;
};

inline Outcome parse_in_chunks(std::string_view body, size_t chunk) {
  RecordingSink sink;
  http::MultipartParser parser("XyZ", sink);
  bool ok = true;
  for (size_t i = 0; i < body.size() && ok; i += chunk) ok = parser.feed(body.substr(i, chunk)).ok();
  if (ok) ok = parser.finish().ok();
  if (!ok && sink.open) sink.open = false;  // an error may stop a part midway
  return Outcome{ok, std::move(sink.parts), sink.broken};
}

inline const char* check_multipart_input(std::string_view input) {
  if (input.empty()) return nullptr;
  if (input[0] == 'C') {
    auto b = http::multipart_boundary(input.substr(1));
    if (!b) return nullptr;
    if (b->empty() || b->size() > 70 || b->back() == ' ') return "boundary of a bad length";
    for (char c : *b) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
      if (!ok) return "boundary with a character outside RFC 2046";
    }
    return nullptr;
  }
  size_t chunk = 1 + static_cast<uint8_t>(input[0]) % 97;
  std::string_view body = input.substr(1);
  Outcome whole = parse_in_chunks(body, body.size() + 1);
  Outcome bytes = parse_in_chunks(body, 1);
  Outcome chunks = parse_in_chunks(body, chunk);
  for (const Outcome* o : {&whole, &bytes, &chunks}) {
    if (o->broken) return o->broken;
  }
  if (whole.ok != bytes.ok || whole.ok != chunks.ok) return "the outcome depends on chunking";
  if (whole.ok && (whole.parts != bytes.parts || whole.parts != chunks.parts)) return "the parts depend on chunking";
  if (whole.parts.size() > http::MultipartParser::kMaxParts) return "more parts than kMaxParts";
  if (whole.ok) {
    for (const auto& p : whole.parts) {
      auto data = std::string_view(p).substr(p.find('\0', p.find('\0', p.find('\0') + 1) + 1) + 1);
      if (data.find("\r\n--XyZ") != std::string_view::npos) return "a part contains the delimiter";
    }
  }
  return nullptr;
}

}  // namespace hearth::fuzzing

#ifndef HEARTH_FUZZ_NO_MAIN
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (const char* broken = hearth::fuzzing::check_multipart_input(input)) {
    std::fprintf(stderr, "fuzz_multipart: %s\n", broken);
    std::abort();
  }
  return 0;
}
#endif
