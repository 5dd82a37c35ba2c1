// libFuzzer target for the link preview's URL and host parsing (server/outgoing/target_url.h,
// address_policy.h), the first line of the SSRF guard. Whatever the input, an accepted URL is one
// that curl and this parser cannot read differently:
//  - its rebuilt text is http(s)://host[:port]/... with no userinfo, no byte <= 0x20 or >= 0x7f,
//    no backslash, no fragment; the host is a canonical IP literal or a lower-case ASCII name;
//  - parsing the rebuilt text gives the same parts again (the parse is a fixed point);
//  - a host whose last label is a number is an IPv4 literal, never a name for DNS, and the
//    literal's canonical text is the host;
//  - the port is the scheme's default exactly when the text names none.
// tests/server/preview_fuzz_corpus_test.cc replays fuzz/corpus/preview_url in ctest.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "server/outgoing/address_policy.h"
#include "server/outgoing/target_url.h"

namespace hearth::fuzzing {

inline const char* check_preview_url_input(std::string_view input) {
  namespace pv = server::outgoing;
  auto url = pv::parse_target_url(input);
  bool numeric = false;
  (void)pv::parse_ipv4_host(input, &numeric);
  if (!url) return nullptr;
  (void)pv::is_public_address(url->literal.value_or(pv::IpAddress{}));
  const std::string& t = url->text;
  std::string_view prefix = url->https ? "https://" : "http://";
  if (!t.starts_with(prefix)) return "the rebuilt URL does not start with its scheme";
  for (char c : t) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '\\' || c == '#') return "the rebuilt URL has a byte curl could read otherwise";
  }
  std::string_view rest = std::string_view(t).substr(prefix.size());
  std::string_view authority = rest.substr(0, rest.find_first_of("/?"));
  if (authority.find('@') != std::string_view::npos) return "userinfo survived";
  if (url->rest.empty() || url->rest.front() != '/') return "the path does not start with /";
  if (url->literal) {
    if (pv::to_string(*url->literal) != url->host) return "a literal's host is not its canonical text";
  } else {
    for (char c : url->host) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
      if (!ok) return "a name has a character outside the allowed set";
    }
    bool host_numeric = false;
    (void)pv::parse_ipv4_host(url->host, &host_numeric);
    if (host_numeric) return "a numeric host went to DNS as a name";
  }
  std::string host_text = url->literal && url->literal->v6 ? "[" + url->host + "]" : url->host;
  if (!rest.starts_with(host_text)) return "the rebuilt URL does not carry its host";
  bool names_port = rest.size() > host_text.size() && rest[host_text.size()] == ':';
  bool default_port = url->port == (url->https ? 443 : 80);
  if (names_port == default_port) return "the port and the text disagree";
  auto again = pv::parse_target_url(t);
  if (!again) return "the rebuilt URL does not parse";
  if (again->text != t || again->host != url->host || again->port != url->port || again->literal != url->literal ||
      again->https != url->https) {
    return "parsing the rebuilt URL gives other parts";
  }
  return nullptr;
}

}  // namespace hearth::fuzzing

#ifndef HEARTH_FUZZ_NO_MAIN
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (const char* broken = hearth::fuzzing::check_preview_url_input(input)) {
    std::fprintf(stderr, "preview URL property broken: %s\n", broken);
    std::abort();
  }
  return 0;
}
#endif
