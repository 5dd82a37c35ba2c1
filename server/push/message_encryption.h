#pragma once
// RFC 8291 message encryption for Web Push, in RFC 8188's aes128gcm content coding. The body a
// push service receives:
//
//   salt (16) | rs (4, big-endian, 4096) | idlen (1) = 65 | keyid = the sender's ephemeral public key (65)
//   | AES-128-GCM(plaintext || 0x02) with its 16-byte tag
//
// One record only (0x02 marks the last record; no padding), so the plaintext is at most
// kMaxPlaintextBytes, RFC 8291 §4's limit for what every push service must carry. Keys:
//
//   ecdh_secret = ECDH(ephemeral private, subscriber's p256dh)
//   IKM   = HKDF-SHA256(salt = auth secret, ikm = ecdh_secret,
//                       info = "WebPush: info" 0x00 || ua_public || as_public, 32)
//   CEK   = HKDF(salt, IKM, "Content-Encoding: aes128gcm" 0x00, 16)
//   NONCE = HKDF(salt, IKM, "Content-Encoding: nonce" 0x00, 12)    (record 0: no XOR needed)
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "server/push/p256.h"

namespace hearth::server::push {

inline constexpr size_t kMaxPlaintextBytes = 3993;
inline constexpr size_t kSaltBytes = 16;
inline constexpr size_t kAuthSecretBytes = 16;

// What one message needs besides its text: the subscriber's keys (from the subscription) and the
// sender's fresh randomness (an ephemeral key and a salt, never reused across messages; the
// caller draws them, so tests can replay RFC 8291's worked example exactly).
struct EncryptionInput {
  std::span<const uint8_t> subscriber_public;   // p256dh, 65 bytes
  std::span<const uint8_t> auth_secret;         // auth, 16 bytes
  const P256Key* ephemeral = nullptr;           // with its private key
  std::span<const uint8_t> salt;                // 16 bytes
};

Result<std::vector<uint8_t>> encrypt_aes128gcm(std::string_view plaintext, const EncryptionInput& in);

// HKDF-SHA256 (RFC 5869) for at most 32 bytes of output, as every derivation above needs.
std::vector<uint8_t> hkdf_sha256(std::span<const uint8_t> salt, std::span<const uint8_t> ikm,
                                 std::span<const uint8_t> info, size_t length);

}  // namespace hearth::server::push
