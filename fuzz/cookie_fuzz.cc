// libFuzzer target for the request-header parsers of server/auth: the Cookie header
// (find_cookie, session_token_hash) and, on the same bytes, the Origin/Host rule of origin_allowed.
// tests/server/auth_fuzz_corpus_test.cc includes this file with HEARTH_FUZZ_NO_MAIN defined and
// replays fuzz/corpus/cookie through check_cookie_input in every ctest run.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/secret_hash.h"
#include "server/auth/csrf.h"
#include "server/auth/session_cookie.h"

namespace hearth::fuzzing {

// Returns nullptr, or which property the input broke.
inline const char* check_cookie_input(std::string_view header) {
  using namespace hearth::auth;
  // Whatever name is asked for, a found value is a piece of the header itself.
  for (std::string_view name : {kSessionCookieName, std::string_view("a"), std::string_view("")}) {
    auto value = find_cookie(header, name);
    if (value && !value->empty() &&
        (value->data() < header.data() || value->data() + value->size() > header.data() + header.size())) {
      return "find_cookie returned bytes outside the header";
    }
  }
  auto hash = session_token_hash(header);
  auto token = find_cookie(header, kSessionCookieName);
  if (hash.has_value() != (token && is_session_token(*token))) return "hash without a well-formed token";
  if (hash && *hash != secret_hash(*token)) return "hash is not secret_hash(token)";
  // A cookie we set is found again when the browser sends it back after the input's cookies...
  if (token && is_session_token(*token)) {
    std::string cookie = session_cookie(*token, true);
    std::string echoed = cookie.substr(0, cookie.find(';'));
    if (find_cookie(echoed, kSessionCookieName) != *token) return "set cookie does not read back";
  }
  // ...and the origin rule neither crashes nor accepts a header that is not a full origin.
  size_t nl = header.find('\n');
  std::string_view origin = header.substr(0, nl);
  std::string_view host = nl == std::string_view::npos ? std::string_view() : header.substr(nl + 1);
  bool up = origin_allowed(origin, std::nullopt, host, "https", OriginCheck::kWebSocketUpgrade);
  bool post = origin_allowed(origin, std::nullopt, host, "https", OriginCheck::kStateChangingHttp);
  if (up != post) return "Origin present: upgrade and POST must agree";
  if (up && origin.find("://") == std::string_view::npos) return "accepted an origin without a scheme";
  if (origin_allowed(std::nullopt, std::nullopt, host, "https", OriginCheck::kStateChangingHttp)) {
    return "accepted a POST with neither Origin nor Sec-Fetch-Site";
  }
  return nullptr;
}

}  // namespace hearth::fuzzing

#ifndef HEARTH_FUZZ_NO_MAIN
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view header(reinterpret_cast<const char*>(data), size);
  if (const char* broken = hearth::fuzzing::check_cookie_input(header)) {
    std::fprintf(stderr, "fuzz_cookie: %s\n", broken);
    std::abort();
  }
  return 0;
}
#endif
