#pragma once
// P-256 keys for Web Push, on OpenSSL 3 (EVP only: the EC_KEY API is deprecated there). One type
// serves the three uses: the VAPID signing key, the ephemeral key of each encrypted message, and a
// subscriber's public key. Public keys travel as the 65-byte uncompressed point (0x04 || X || Y),
// private keys as the 32-byte big-endian scalar, as the Push API and RFC 8291 write them.
#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "core/base/result.h"

struct evp_pkey_st;

namespace hearth::server::push {

inline constexpr size_t kPublicKeyBytes = 65;
inline constexpr size_t kPrivateKeyBytes = 32;
using PublicKey = std::array<uint8_t, kPublicKeyBytes>;

class P256Key {
 public:
  // A key pair from its scalar; refused when the scalar is 0 or not below the group order.
  static Result<P256Key> from_private(std::span<const uint8_t> scalar);
  // A peer's public key; refused unless it is an uncompressed point on the curve.
  static Result<P256Key> from_public(std::span<const uint8_t> point);

  const PublicKey& public_key() const { return public_; }
  bool has_private() const { return has_private_; }

  // ECDH: the 32-byte X coordinate of our scalar times the peer's point. REQUIRES: has_private().
  Result<std::vector<uint8_t>> shared_secret(const P256Key& peer) const;
  // ES256 (RFC 7518 §3.4): ECDSA P-256 SHA-256, as the 64-byte r || s a JWS carries (not DER).
  // REQUIRES: has_private().
  Result<std::array<uint8_t, 64>> sign_es256(std::string_view data) const;

 private:
  struct Free {
    void operator()(evp_pkey_st* key) const;
  };
  P256Key(evp_pkey_st* key, const PublicKey& pub, bool has_private);
  std::shared_ptr<evp_pkey_st> key_;  // shared: an EVP_PKEY is immutable once built
  PublicKey public_{};
  bool has_private_ = false;
};

}  // namespace hearth::server::push
