#pragma once
// Password hashing and verification.
//
// Formats accepted by verify_password:
//   $argon2id$v=19$m=...,t=...,p=...$salt$hash   new passwords (libsodium crypto_pwhash_str)
//   $argon2i$...                                  also verified by libsodium; always needs_rehash
//   $2a$ / $2b$ / $2y$ + 56 chars (60 in all)      bcrypt digests imported from Campfire (Rails'
//                                                  has_secure_password), checked with libxcrypt
// Anything else (including an empty digest: bots, accounts without a password) never verifies.
//
// Invariants:
//  - A password is 1..kMaxPasswordBytes bytes with no NUL byte, for hashing AND for verifying:
//    Campfire's form has maxlength 72 because bcrypt reads only the first 72 bytes; we keep the
//    same ceiling for argon2id so a password that works once works everywhere (import, sign-in,
//    rehash), and so an attacker cannot make us feed megabytes into the KDF. 72 bytes still
//    satisfies ASVS V6.2.9 ("64+ characters permitted"). A NUL would silently truncate in crypt_r.
//  - New passwords (setup, join, change) additionally need kMinNewPasswordChars code points
//    (ASVS V6.2.1). Campfire itself has no minimum, so sign-in does NOT check it: imported users
//    with short passwords can still sign in.
//  - Digest comparison is constant-time (libsodium's verify, sodium_memcmp for bcrypt).
//
// Thread safety: every function is thread-safe (crypt_r with a per-call buffer).
// Cost: hash_password and verifying an argon2id digest take ~0.1 s of CPU and 64 MiB each; a
// bcrypt cost-12 verify ~0.25 s. NEVER call them on the sequencer thread (it would stall every
// commit: commands carry only the finished digest, see core/commands/commands.h) and bound how
// many run at once (RELIABILITY S9: concurrent hashes <= cores), e.g. a small worker pool.
#include <cstddef>
#include <string>
#include <string_view>

#include "core/base/result.h"

namespace hearth::auth {

inline constexpr size_t kMaxPasswordBytes = 72;
inline constexpr size_t kMinNewPasswordChars = 8;

// Checks the length rules for a password being set (not for sign-in). kInvalid with a message a
// user can read.
Status check_new_password(std::string_view password);

// An argon2id string at the current cost (kInvalid if the password breaks the invariants; an
// kUnavailable error only if libsodium cannot allocate its memory).
Result<std::string> hash_password(std::string_view password);

// True iff `password` matches `digest` in one of the formats above.
bool verify_password(std::string_view password, std::string_view digest);

// True when a digest that just verified should be replaced by hash_password(password): every
// bcrypt digest, argon2i, and argon2id whose parameters differ from the current ones.
bool needs_rehash(std::string_view digest);

// A valid argon2id digest of a random password, made once per process. Verify against it when the
// email is unknown, so "no such user" costs the same time as "wrong password".
const std::string& decoy_digest();

}  // namespace hearth::auth
