#pragma once
// Signed ids: a user id with a purpose and an expiry, signed by a server key, for links that act
// as that user without a session — Campfire's session transfer (CAMPFIRE.md 2.3): "sign in on
// another device", and the administrator's way to let someone back in (there is no password mail).
//
// Token grammar (what parse_signed_id accepts; anything else is refused, never repaired):
//   token   = b64(claim) "." b64(mac)                 b64 = base64url without padding, canonical
//   claim   = purpose ":" id ":" issued ":" expires   at most kMaxClaimBytes
//   purpose = [a-z_]{1,32}
//   id      = [1-9][0-9]*   a positive int64 (no sign, no leading zero, no overflow)
//   issued, expires = "0" | [1-9][0-9]*   seconds since the Unix epoch, issued <= expires
//   mac     = HMAC-SHA256(key, "hearth-signed-id-v1\0" || b64(claim)), 32 bytes
// So a token that verifies is exactly sign_id() of what it says (the fuzz target checks this),
// and no two spellings carry the same claim. The MAC is checked (constant time) before the claim
// is even decoded: an unsigned claim is never interpreted.
//
// Nothing is stored: a token lives until it expires or the key file is replaced (every link dies).
// Whether the user may still sign in is the caller's check against the read model.
//
// Thread safety: SignedIdKey is immutable after construction; all functions are thread-safe.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/base/ids.h"
#include "core/base/result.h"

namespace hearth::auth {

inline constexpr size_t kSignedIdKeyBytes = 32;
inline constexpr size_t kMaxClaimBytes = 96;
inline constexpr std::string_view kTransferPurpose = "transfer";
inline constexpr int64_t kTransferLifetimeSeconds = 4 * 3600;  // Campfire: 4 hours

class SignedIdKey {
 public:
  explicit SignedIdKey(std::span<const uint8_t, kSignedIdKeyBytes> key);
  ~SignedIdKey();
  SignedIdKey(const SignedIdKey&) = delete;
  SignedIdKey& operator=(const SignedIdKey&) = delete;
  // The MAC of a claim's base64url text.
  std::array<uint8_t, 32> mac(std::string_view encoded_claim) const;

 private:
  std::array<uint8_t, kSignedIdKeyBytes> key_;
};

struct SignedId {
  std::string purpose;
  UserId user;
  int64_t issued_at = 0;   // seconds
  int64_t expires_at = 0;  // seconds
  bool operator==(const SignedId&) const = default;
};

// The claim text (`purpose:id:issued:expires`) and back; parse refuses whatever the grammar does.
std::string format_claim(const SignedId& id);
Result<SignedId> parse_claim(std::string_view claim);

// The token for `id` (its purpose must match the grammar; checked, kInvalid otherwise).
Result<std::string> sign_id(const SignedIdKey& key, const SignedId& id);

// The claim of a well-formed token with a good MAC. No time or purpose check: see verify_signed_id.
Result<SignedId> parse_signed_id(const SignedIdKey& key, std::string_view token);

// The user of a token of `purpose` that is current at `now_seconds` (issued <= now < expires).
// Every refusal is the same kInvalid "invalid or expired link": the caller answers 400, as
// Campfire does, without saying which part was wrong.
Result<UserId> verify_signed_id(const SignedIdKey& key, std::string_view token, std::string_view purpose,
                                int64_t now_seconds);

// A transfer token for `user`, valid for kTransferLifetimeSeconds from `now_seconds`.
std::string transfer_token(const SignedIdKey& key, UserId user, int64_t now_seconds);

}  // namespace hearth::auth
