#pragma once
// The `session_token` cookie: building Set-Cookie values and reading the Cookie request header.
//
// Token format: exactly what the sequencer mints for StartSession/SetupFirstRun/JoinAccount and
// returns in Ack::secret: 43 characters [0-9A-Za-z] (256 bits). Only secret_hash(token) is stored,
// so a request is authenticated by looking up session_token_hash(cookie header). Unlike Campfire
// the cookie is not HMAC-signed: the value is already an unguessable random token and the server
// keeps only its hash, so a signature would add nothing. (A consequence: cookies issued by a Rails
// Campfire do not carry over; imported users sign in once.)
//
// Attributes (Campfire 2.3): HttpOnly; SameSite=Lax; Path=/; Max-Age of 20 years, Campfire's
// "permanent" cookie (browsers cap it at 400 days, RFC 6265bis; sessions still live server-side
// until sign-out). `Secure` exactly when the request reached us over TLS, or a trusted proxy said
// X-Forwarded-Proto: https (see request_is_secure). The name stays `session_token`, not
// `__Host-session_token` (RELIABILITY S4): the prefix demands Secure, which would break plain-HTTP
// `make run` on localhost, and Campfire's name is part of being compatible.
//
// Parsing never throws, never allocates per cookie beyond the result, and tolerates garbage:
// pieces without '=' are skipped, names are case-sensitive, the first occurrence of a name wins,
// a value wrapped in double quotes is unwrapped.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hearth::auth {

inline constexpr std::string_view kSessionCookieName = "session_token";
inline constexpr int64_t kSessionCookieMaxAgeSeconds = 20LL * 365 * 24 * 60 * 60;
inline constexpr size_t kSessionTokenChars = 43;

// Set-Cookie value that stores `token` (REQUIRES: is_session_token(token)).
std::string session_cookie(std::string_view token, bool secure);

// Set-Cookie value that deletes the cookie (sign-out, or a cookie naming no live session).
std::string clearing_session_cookie(bool secure);

// Whether the browser talks to us over https: directly over TLS, or through a proxy in the trusted
// list whose X-Forwarded-Proto says https. The caller decides `from_trusted_proxy`; the header of
// an untrusted peer is ignored.
bool request_is_secure(bool over_tls, bool from_trusted_proxy, std::string_view x_forwarded_proto);

// The value of the first cookie called `name` in a Cookie header ("a=1; b=2"); quotes stripped.
// Several Cookie header lines (HTTP/2) should be joined with "; " by the caller first.
std::optional<std::string_view> find_cookie(std::string_view cookie_header, std::string_view name);

// 43 characters of [0-9A-Za-z].
bool is_session_token(std::string_view token);

// secret_hash of the session token in a Cookie header, or nullopt if absent or malformed (then
// there is nothing to look up: the request is anonymous).
std::optional<std::string> session_token_hash(std::string_view cookie_header);

}  // namespace hearth::auth
