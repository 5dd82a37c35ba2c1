// libFuzzer target for HTTP routing (server/http/router.h): the request line's target, split into
// path and query, matched against a router with the server's shapes of routes (literals,
// parameters, several methods on one path, a catch-all and the static-file fallback), and the
// parameters percent-decoded as handlers do. The input's first byte picks the method; the rest is
// the target.
// Properties: no crash; HEAD routes exactly as GET; a found route has a handler and parameters cut
// from the path itself; 405 always says what is allowed; split_target loses nothing; and
// percent_decode inverts percent-encoding.
// tests/server/realtime_fuzz_corpus_test.cc includes this file with HEARTH_FUZZ_NO_MAIN defined
// and replays fuzz/corpus/router through check_router_input in every ctest run.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <string>
#include <string_view>

#include "server/http/router.h"

namespace hearth::fuzzing {

namespace http = hearth::server::http;

inline const http::Router& fuzz_router() {
  static const http::Router router = [] {
    http::Router r;
    auto nothing = [](http::RequestContext&, http::Respond) {};
    r.add(http::Verb::get, "/up", nothing);
    r.add(http::Verb::get, "/ready", nothing);
    r.add(http::Verb::get, "/socket", nothing);
    r.add(http::Verb::post, "/api/first_run", nothing);
    r.add(http::Verb::post, "/api/session", nothing);
    r.add(http::Verb::delete_, "/api/session", nothing);
    r.add(http::Verb::post, "/api/join/:code", nothing);
    r.add(http::Verb::get, "/api/bootstrap", nothing);
    r.add(http::Verb::get, "/api/rooms/:room/messages", nothing);
    r.add(http::Verb::post, "/api/rooms/:room/messages", nothing);
    r.add(http::Verb::patch, "/api/rooms/:room/messages/:id", nothing);
    r.add(http::Verb::delete_, "/api/rooms/:room/messages/:id", nothing);
    r.add(http::Verb::post, "/rooms/:room/:bot_key/messages", nothing);
    r.add(http::Verb::get, "/blobs/:hash/*filename", nothing);
    r.add(http::Verb::post, "/api/*rest", nothing);
    r.set_fallback(nothing);
    return r;
  }();
  return router;
}

inline bool inside(std::string_view piece, std::string_view whole) {
  return whole.find(piece) != std::string_view::npos;
}

// Returns nullptr, or which property the input broke.
inline const char* check_router_input(std::string_view input) {
  static constexpr http::Verb kVerbs[] = {http::Verb::get,   http::Verb::head,    http::Verb::post,
                                          http::Verb::put,   http::Verb::patch,   http::Verb::delete_,
                                          http::Verb::options, http::Verb::unknown};
  if (input.empty()) return nullptr;
  http::Verb verb = kVerbs[static_cast<uint8_t>(input[0]) % std::size(kVerbs)];
  std::string_view target = input.substr(1);

  auto [path, query] = http::split_target(target);
  if (path.find('?') != std::string_view::npos) return "path keeps a '?'";
  std::string rebuilt(path);
  if (target.find('?') != std::string_view::npos) rebuilt += "?" + std::string(query);
  if (rebuilt != target) return "split_target lost bytes";

  const http::Router& router = fuzz_router();
  http::Router::Match m = router.match(verb, path);
  switch (m.kind) {
    case http::Router::Match::kFound:
      if (!m.handler) return "found without a handler";
      for (const auto& [name, value] : m.params.values) {
        if (name.empty()) return "parameter without a name";
        if (!inside(value, path)) return "parameter value not cut from the path";
        if (name != "filename" && name != "rest" && (value.empty() || value.find('/') != std::string::npos)) {
          return "segment parameter empty or spanning segments";
        }
        std::string decoded;
        if (http::percent_decode(value, decoded) && decoded.size() > value.size()) return "decoding grew";
      }
      break;
    case http::Router::Match::kMethodNotAllowed:
      if (m.allow.empty()) return "405 without Allow";
      if (m.handler) return "405 with a handler";
      break;
    case http::Router::Match::kNotFound:
      if (m.handler || !m.allow.empty()) return "404 with a handler or Allow";
      if (verb == http::Verb::get || verb == http::Verb::head) return "GET not found despite the fallback";
      break;
  }
  if (verb == http::Verb::get || verb == http::Verb::head) {
    http::Router::Match other = router.match(verb == http::Verb::get ? http::Verb::head : http::Verb::get, path);
    if (other.kind != m.kind || other.handler != m.handler || other.allow != m.allow) return "HEAD differs from GET";
  }

  // percent_decode inverts percent-encoding of any bytes, and leaves bytes without '%' alone.
  std::string encoded;
  static constexpr char kUpper[] = "0123456789ABCDEF";
  static constexpr char kLower[] = "0123456789abcdef";
  for (char c : query) {  // both cases of hex digits, alternating by byte
    auto b = static_cast<uint8_t>(c);
    const char* hex = (b & 1) ? kUpper : kLower;
    encoded += '%';
    encoded += hex[b >> 4];
    encoded += hex[b & 0xF];
  }
  std::string decoded;
  if (!http::percent_decode(encoded, decoded) || decoded != query) return "decode(encode(x)) != x";
  if (query.find('%') == std::string_view::npos) {
    if (!http::percent_decode(query, decoded) || decoded != query) return "decoding changed text without '%'";
  } else if (http::percent_decode(query, decoded) && decoded.size() >= query.size()) {
    return "decoding an escape did not shorten";
  }
  return nullptr;
}

}  // namespace hearth::fuzzing

#ifndef HEARTH_FUZZ_NO_MAIN
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (const char* broken = hearth::fuzzing::check_router_input(input)) {
    std::fprintf(stderr, "fuzz_router: %s\n", broken);
    std::abort();
  }
  return 0;
}
#endif
