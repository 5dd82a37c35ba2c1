#include "server/auth/session_cookie.h"

#include "core/base/secret_hash.h"

namespace hearth::auth {
namespace {

bool is_alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] - 'A' + 'a') : b[i];
    if (x != y) return false;
  }
  return true;
}

std::string attributes(int64_t max_age, bool secure) {
  std::string out = "; Path=/; Max-Age=" + std::to_string(max_age) + "; HttpOnly; SameSite=Lax";
  if (secure) out += "; Secure";
  return out;
}

}  // namespace

std::string session_cookie(std::string_view token, bool secure) {
  std::string out(kSessionCookieName);
  out += '=';
  out += token;
  out += attributes(kSessionCookieMaxAgeSeconds, secure);
  return out;
}

std::string clearing_session_cookie(bool secure) {
  // Max-Age=0 deletes; the Expires date in the past covers clients that ignore Max-Age.
  std::string out(kSessionCookieName);
  out += '=';
  out += attributes(0, secure);
  out += "; Expires=Thu, 01 Jan 1970 00:00:00 GMT";
  return out;
}

bool request_is_secure(bool over_tls, bool from_trusted_proxy, std::string_view x_forwarded_proto) {
  if (over_tls) return true;
  if (!from_trusted_proxy) return false;
  // A proxy chain may append: "https, http". The first is what the browser used.
  std::string_view first = x_forwarded_proto.substr(0, x_forwarded_proto.find(','));
  return iequals(trim(first), "https");
}

std::optional<std::string_view> find_cookie(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    size_t end = header.find(';');
    std::string_view piece = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
    size_t eq = piece.find('=');
    if (eq == std::string_view::npos) continue;  // garbage: no name=value
    if (trim(piece.substr(0, eq)) != name) continue;
    std::string_view value = trim(piece.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    return value;
  }
  return std::nullopt;
}

bool is_session_token(std::string_view token) {
  if (token.size() != kSessionTokenChars) return false;
  for (char c : token) {
    if (!is_alnum(c)) return false;
  }
  return true;
}

std::optional<std::string> session_token_hash(std::string_view cookie_header) {
  auto token = find_cookie(cookie_header, kSessionCookieName);
  if (!token || !is_session_token(*token)) return std::nullopt;
  return secret_hash(*token);
}

}  // namespace hearth::auth
