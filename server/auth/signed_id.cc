#include "server/auth/signed_id.h"

#include <sodium.h>

#include <charconv>
#include <cstring>

#include "core/base/base64url.h"

namespace hearth::auth {
namespace {

constexpr std::string_view kDomain{"hearth-signed-id-v1\0", 20};
constexpr std::string_view kRefused = "invalid or expired link";
constexpr size_t kMacChars = 43;  // base64url of 32 bytes, no padding

std::string encode(std::span<const uint8_t> bytes) {
  return base64url_encode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

// Canonical base64url only (core's strict decoder: one spelling per text), at most `max_bytes`.
bool decode(std::string_view text, std::string& out, size_t max_bytes) {
  if (text.empty() || text.size() > (max_bytes * 4 + 2) / 3) return false;
  auto bytes = base64url_decode(text);
  if (!bytes || bytes->size() > max_bytes) return false;
  out = std::move(*bytes);
  return true;
}

// A decimal with no sign and no leading zero; `positive` refuses "0".
bool parse_decimal(std::string_view s, bool positive, int64_t& out) {
  if (s.empty() || s.size() > 19) return false;
  if (s[0] == '0' && (s.size() > 1 || positive)) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && ptr == s.data() + s.size();
}

bool purpose_ok(std::string_view p) {
  if (p.empty() || p.size() > 32) return false;
  for (char c : p) {
    if (!((c >= 'a' && c <= 'z') || c == '_')) return false;
  }
  return true;
}

}  // namespace

SignedIdKey::SignedIdKey(std::span<const uint8_t, kSignedIdKeyBytes> key) {
  std::memcpy(key_.data(), key.data(), key_.size());
}

SignedIdKey::~SignedIdKey() { sodium_memzero(key_.data(), key_.size()); }

std::array<uint8_t, 32> SignedIdKey::mac(std::string_view encoded_claim) const {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, key_.data(), key_.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(kDomain.data()), kDomain.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(encoded_claim.data()),
                                encoded_claim.size());
  std::array<uint8_t, 32> out;
  crypto_auth_hmacsha256_final(&state, out.data());
  sodium_memzero(&state, sizeof state);
  return out;
}

std::string format_claim(const SignedId& id) {
  return id.purpose + ":" + std::to_string(id.user.value) + ":" + std::to_string(id.issued_at) + ":" +
         std::to_string(id.expires_at);
}

Result<SignedId> parse_claim(std::string_view claim) {
  if (claim.size() > kMaxClaimBytes) return invalid(std::string(kRefused));
  std::string_view parts[4];
  size_t n = 0;
  for (size_t start = 0;;) {
    if (n == 4) return invalid(std::string(kRefused));  // a fifth field
    auto colon = claim.find(':', start);
    parts[n++] = claim.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start);
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  if (n != 4 || !purpose_ok(parts[0])) return invalid(std::string(kRefused));
  SignedId out;
  out.purpose = std::string(parts[0]);
  int64_t user = 0;
  if (!parse_decimal(parts[1], true, user) || !parse_decimal(parts[2], false, out.issued_at) ||
      !parse_decimal(parts[3], false, out.expires_at) || out.issued_at > out.expires_at) {
    return invalid(std::string(kRefused));
  }
  out.user = UserId(user);
  return out;
}

Result<std::string> sign_id(const SignedIdKey& key, const SignedId& id) {
  if (!purpose_ok(id.purpose) || id.user.value <= 0 || id.issued_at < 0 || id.issued_at > id.expires_at) {
    return invalid("a signed id needs a purpose [a-z_]{1,32}, a positive id and issued <= expires");
  }
  std::string claim = format_claim(id);
  std::string encoded = encode({reinterpret_cast<const uint8_t*>(claim.data()), claim.size()});
  auto mac = key.mac(encoded);
  return encoded + "." + encode(mac);
}

Result<SignedId> parse_signed_id(const SignedIdKey& key, std::string_view token) {
  auto dot = token.find('.');
  if (dot == std::string_view::npos) return invalid(std::string(kRefused));
  std::string_view encoded = token.substr(0, dot), mac_text = token.substr(dot + 1);
  if (mac_text.size() != kMacChars || encoded.size() > (kMaxClaimBytes * 4 + 2) / 3) {
    return invalid(std::string(kRefused));
  }
  std::string presented;
  if (!decode(mac_text, presented, 32) || presented.size() != 32) return invalid(std::string(kRefused));
  auto expected = key.mac(encoded);
  if (sodium_memcmp(expected.data(), presented.data(), expected.size()) != 0) return invalid(std::string(kRefused));
  std::string claim;
  if (!decode(encoded, claim, kMaxClaimBytes)) return invalid(std::string(kRefused));
  return parse_claim(claim);
}

Result<UserId> verify_signed_id(const SignedIdKey& key, std::string_view token, std::string_view purpose,
                                int64_t now_seconds) {
  auto id = parse_signed_id(key, token);
  if (!id.ok()) return id.take_error();
  if (id->purpose != purpose || now_seconds < id->issued_at || now_seconds >= id->expires_at) {
    return invalid(std::string(kRefused));
  }
  return id->user;
}

std::string transfer_token(const SignedIdKey& key, UserId user, int64_t now_seconds) {
  auto token = sign_id(key, SignedId{std::string(kTransferPurpose), user, now_seconds,
                                     now_seconds + kTransferLifetimeSeconds});
  return token.ok() ? std::move(*token) : std::string();
}

}  // namespace hearth::auth
