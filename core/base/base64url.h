#pragma once
// base64url (RFC 4648 section 5) without padding, as the QR-code route's path carries a URL
// (CAMPFIRE.md 2.2: /qr_code/<base64url(url)>). The decoder is strict so that every text has one
// spelling: only the 64 URL-safe characters, no '=' padding, no whitespace, a length that is not 1
// modulo 4, and the unused low bits of the last character zero. Anything else is refused, never
// repaired. fuzz/base64url_fuzz.cc checks that decode(s) succeeding implies encode(decode(s)) == s.
#include <optional>
#include <string>
#include <string_view>

namespace hearth {

std::string base64url_encode(std::string_view bytes);

// The decoded bytes, or nullopt when `text` is not canonical unpadded base64url.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace hearth
