#include "server/auth/csrf.h"

#include <cstring>

namespace hearth::auth {
namespace {

constexpr std::string_view kDomain{"hearth-csrf-v1\0", 15};  // separates this MAC from any other use of the key
constexpr size_t kTokenChars = 43;                           // base64url of 32 bytes, no padding

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

bool all_digits(std::string_view s) {
  if (s.empty() || s.size() > 5) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// "host[:port]" or "[v6]:port" → canonical "host:port" with the default port made explicit, or
// nullopt if it does not parse. Host characters are kept to a conservative set.
std::optional<std::string> canonical_authority(std::string_view authority, std::string_view scheme) {
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(0, close + 1);
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return std::nullopt;
      port = rest.substr(1);
      if (port.empty()) return std::nullopt;
    }
  } else if (size_t colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    if (port.empty()) return std::nullopt;
  }
  if (host.empty()) return std::nullopt;
  for (char c : host) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
              c == '.' || c == '_' || c == ':' || c == '[' || c == ']';
    if (!ok) return std::nullopt;
  }
  if (!port.empty() && !all_digits(port)) return std::nullopt;
  unsigned long port_number = port.empty() ? (scheme == "https" ? 443 : 80) : std::stoul(std::string(port));
  if (port_number == 0 || port_number > 65535) return std::nullopt;
  return lowered(host) + ":" + std::to_string(port_number);
}

std::optional<std::string> canonical_scheme(std::string_view scheme) {
  std::string s = lowered(scheme);
  if (s == "http" || s == "ws") return "http";
  if (s == "https" || s == "wss") return "https";
  return std::nullopt;
}

// "scheme://host[:port]" → "scheme://host:port".
std::optional<std::string> canonical_origin(std::string_view scheme, std::string_view authority) {
  auto s = canonical_scheme(scheme);
  if (!s) return std::nullopt;
  auto a = canonical_authority(authority, *s);
  if (!a) return std::nullopt;
  return *s + "://" + *a;
}

std::optional<std::string> parse_origin_header(std::string_view origin) {
  size_t sep = origin.find("://");
  if (sep == std::string_view::npos) return std::nullopt;  // includes "null"
  return canonical_origin(origin.substr(0, sep), origin.substr(sep + 3));
}

bool same_origin(std::string_view origin, std::string_view host, std::string_view scheme) {
  auto presented = parse_origin_header(origin);
  auto expected = canonical_origin(scheme, host);
  return presented && expected && *presented == *expected;
}

}  // namespace

CsrfKey::CsrfKey(std::span<const uint8_t, kCsrfKeyBytes> key) { std::memcpy(key_.data(), key.data(), key_.size()); }

CsrfKey::~CsrfKey() { sodium_memzero(key_.data(), key_.size()); }

std::string CsrfKey::token_for(std::string_view session_token_hash) const {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, key_.data(), key_.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(kDomain.data()), kDomain.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(session_token_hash.data()),
                                session_token_hash.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  char out[sodium_base64_ENCODED_LEN(sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof out, mac, sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return std::string(out);
}

bool CsrfKey::verify(std::string_view session_token_hash, std::string_view presented) const {
  if (presented.size() != kTokenChars || session_token_hash.empty()) return false;
  std::string expected = token_for(session_token_hash);
  return expected.size() == kTokenChars && sodium_memcmp(expected.data(), presented.data(), kTokenChars) == 0;
}

std::array<uint8_t, kCsrfKeyBytes> generate_csrf_key(Random& random) {
  std::array<uint8_t, kCsrfKeyBytes> key{};
  random.fill(key);
  return key;
}

bool origin_allowed(std::optional<std::string_view> origin, std::optional<std::string_view> sec_fetch_site,
                    std::string_view host, std::string_view scheme, OriginCheck check) {
  if (check == OriginCheck::kWebSocketUpgrade) return origin && same_origin(*origin, host, scheme);
  if (sec_fetch_site && *sec_fetch_site != "same-origin" && *sec_fetch_site != "none") return false;
  if (origin) return same_origin(*origin, host, scheme);
  return sec_fetch_site.has_value();
}

}  // namespace hearth::auth
