#pragma once
// CSRF defence for cookie-authenticated requests (RELIABILITY S4, S5). Two independent checks; the
// server applies both to every state-changing HTTP request (POST, PUT, PATCH, DELETE) made with a
// session cookie, and origin_allowed alone to the WebSocket upgrade, before answering 101.
// Bot-key requests carry no cookie and skip both, as in Campfire.
//
// 1. The token. csrf_token = base64url(HMAC-SHA256(server key, "hearth-csrf-v1\0" || secret_hash
//    of the session token)), 43 characters, sent by the page in an `X-CSRF-Token` header. It is
//    derived, not stored: nothing goes into the log, a token from another session never verifies,
//    and every token dies with its session. Keyed by the session token's *hash*, which is what the
//    server holds after the cookie lookup. The 32-byte server key lives beside the data (made once
//    by generate_csrf_key, kept 0600); replacing it invalidates open pages, which then reload.
//
// 2. The origin. Exact rule of origin_allowed:
//    - The expected origin is `scheme://host` from the request (scheme "https" when the request is
//      secure, see request_is_secure; ws/wss count as http/https), compared after lower-casing the
//      scheme and host and dropping the default port (80 for http, 443 for https).
//    - WebSocket upgrade: the Origin header must be present, a serialised origin (scheme://host
//      [:port], no path, not "null") and equal to the expected origin. Sec-Fetch-Site is ignored:
//      browsers always send Origin on an upgrade, so a missing one is not a browser we serve.
//    - HTTP: a Sec-Fetch-Site other than `same-origin` or `none` (i.e. `same-site`, `cross-site`,
//      or anything unknown) refuses. Then, if Origin is present it must equal the expected origin
//      ("null" refuses); if Origin is absent, a Sec-Fetch-Site of `same-origin`/`none` allows.
//      Neither header: refused (every browser we support sends one of them on a POST).
//    A deployment reached under several names must present the name the browser used as `host`.
//
// Thread safety: CsrfKey is immutable after construction; all functions are thread-safe.
#include <sodium.h>

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/base/clock.h"

namespace hearth::auth {

inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";
inline constexpr size_t kCsrfKeyBytes = crypto_auth_hmacsha256_KEYBYTES;  // 32

class CsrfKey {
 public:
  explicit CsrfKey(std::span<const uint8_t, kCsrfKeyBytes> key);
  ~CsrfKey();
  CsrfKey(const CsrfKey&) = delete;
  CsrfKey& operator=(const CsrfKey&) = delete;

  // The token for the session whose token hashes to `session_token_hash`.
  std::string token_for(std::string_view session_token_hash) const;

  // Constant-time: true iff `presented` is token_for(session_token_hash).
  bool verify(std::string_view session_token_hash, std::string_view presented) const;

 private:
  std::array<uint8_t, kCsrfKeyBytes> key_;
};

// A fresh key from `random` (SystemRandom in production).
std::array<uint8_t, kCsrfKeyBytes> generate_csrf_key(Random& random);

enum class OriginCheck { kStateChangingHttp, kWebSocketUpgrade };

// The rule above. `origin` / `sec_fetch_site` are nullopt when the header is absent; `host` is the
// Host header; `scheme` is "http" or "https".
bool origin_allowed(std::optional<std::string_view> origin, std::optional<std::string_view> sec_fetch_site,
                    std::string_view host, std::string_view scheme, OriginCheck check);

}  // namespace hearth::auth
