#pragma once
// Secrets (session tokens, bot tokens) are stored only as this hash (DESIGN I8): BLAKE2b-256 via
// libsodium, lower-case hex. Tokens are 256-bit random (sessions) or 12 alphanumerics from Rails
// (bots), so an unsalted fast hash is enough: there is nothing to brute-force.
#include <string>
#include <string_view>

namespace hearth {

std::string secret_hash(std::string_view secret);

// Whether a presented secret (a join code, a token) equals the expected one, in time that does
// not depend on where they differ (RELIABILITY S8: never == or memcmp on secrets). Only the
// lengths are compared directly; a secret's length is not secret.
bool secrets_equal(std::string_view presented, std::string_view expected);

}  // namespace hearth
