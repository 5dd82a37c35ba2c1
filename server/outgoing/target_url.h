#pragma once
// The URL the server may request for a user (a link preview, a push endpoint), parsed strictly
// enough that the server and curl cannot read it differently (the classic SSRF bypasses are URLs
// two parsers disagree on):
//  - scheme http or https only (case-insensitive), then "//";
//  - no userinfo: "http://a@127.0.0.1/" and "http://good.example@evil/" are refused outright;
//  - the host is a bracketed IPv6 literal (no zone id), an IPv4 address in any form a browser
//    accepts (decimal 2130706433, hex 0x7f000001, octal 0177.0.0.1, short 127.1; see
//    parse_ipv4_host), or an ASCII name of letters, digits, '-', '_' and '.' (internationalized
//    names in their xn-- form); percent signs, backslashes and anything else in the host refuse it;
//  - an explicit port is 1-65535, else the scheme's default;
//  - the rest (path and query) keeps its characters but controls, spaces and bytes past ASCII are
//    percent-encoded, backslashes refused; the fragment is dropped (never sent).
// `text` is the URL rebuilt from these parts with the IP literal in its canonical form: that, and
// never the user's spelling, is what curl is given.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "server/outgoing/address_policy.h"

namespace hearth::server::outgoing {

struct TargetUrl {
  bool https = false;
  std::string host;                // lower-case name, or the literal's canonical text (no brackets)
  std::optional<IpAddress> literal;  // set when the host is an IP address
  uint16_t port = 80;
  std::string rest;                // "/" + path and query, encoded
  std::string text;                // the whole URL as curl gets it
};

// At most this many bytes, both as given and as rebuilt (percent-encoding can triple a byte);
// longer URLs are refused, so what curl fetches always parses again to the same parts.
inline constexpr size_t kMaxUrlBytes = 2048;

std::optional<TargetUrl> parse_target_url(std::string_view url);

}  // namespace hearth::server::outgoing
