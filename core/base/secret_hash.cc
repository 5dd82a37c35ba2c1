#include "core/base/secret_hash.h"

#include <sodium.h>

namespace hearth {

std::string secret_hash(std::string_view secret) {
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(secret.data()),
                     secret.size(), nullptr, 0);
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, sizeof digest * 2);
}

bool secrets_equal(std::string_view presented, std::string_view expected) {
  if (presented.size() != expected.size()) return false;
  if (expected.empty()) return true;
  return sodium_memcmp(presented.data(), expected.data(), expected.size()) == 0;
}

}  // namespace hearth
