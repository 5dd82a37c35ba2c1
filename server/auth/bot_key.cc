#include "server/auth/bot_key.h"

#include <sodium.h>

#include <cstdint>
#include <limits>
#include <string>

#include "core/base/secret_hash.h"

namespace hearth::auth {
namespace {

bool is_alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

}  // namespace

Result<BotKey> parse_bot_key(std::string_view key) {
  size_t dash = key.find('-');
  if (dash == std::string_view::npos) return invalid("bot key has no '-'");
  std::string_view id_text = key.substr(0, dash);
  std::string_view token = key.substr(dash + 1);

  if (id_text.empty() || id_text.front() == '0') return invalid("bot key id is not a positive number");
  int64_t id = 0;
  for (char c : id_text) {
    if (c < '0' || c > '9') return invalid("bot key id is not a number");
    int digit = c - '0';
    if (id > (std::numeric_limits<int64_t>::max() - digit) / 10) return invalid("bot key id is too large");
    id = id * 10 + digit;
  }

  if (token.empty()) return invalid("bot key has an empty token");
  if (token.size() > kMaxBotTokenChars) return invalid("bot key token is too long");
  for (char c : token) {
    if (!is_alnum(c)) return invalid("bot key token has a character outside [0-9A-Za-z]");
  }
  return BotKey{UserId(id), token};
}

bool bot_token_matches(std::string_view token, std::string_view stored_token_hash) {
  if (token.empty() || stored_token_hash.empty()) return false;
  std::string presented = secret_hash(token);
  // Both are fixed-length hex of 32-byte digests; the length check leaks nothing secret.
  return presented.size() == stored_token_hash.size() &&
         sodium_memcmp(presented.data(), stored_token_hash.data(), presented.size()) == 0;
}

}  // namespace hearth::auth
