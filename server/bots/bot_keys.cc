#include "server/bots/bot_keys.h"

#include <sodium.h>

#include "core/base/secret_hash.h"

namespace hearth::server::bots {

Result<std::optional<std::string>> bot_key_for(sqlite::Db& state, const auth::BotKeyVault& vault, UserId bot) {
  auto st = state.prepare("SELECT bot_token_hash, bot_token_sealed FROM users WHERE id = ?1 AND role = 2");
  if (!st) return st.take_error();
  st->bind(1, bot.value);
  auto row = st->step();
  if (!row) return row.take_error();
  if (!*row || st->col_null(0) || st->col_null(1)) return std::optional<std::string>();
  std::string hash(st->col_text(0));
  auto blob = st->col_blob(1);
  auto token = vault.open_sealed(std::string_view(reinterpret_cast<const char*>(blob.data()), blob.size()));
  if (!token) return std::optional<std::string>();
  // The sealed copy must be of the current token: a stale or transplanted one is not this bot's key.
  std::string presented = secret_hash(*token);
  if (presented.size() != hash.size() || sodium_memcmp(presented.data(), hash.data(), hash.size()) != 0) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(std::to_string(bot.value) + "-" + *token);
}

}  // namespace hearth::server::bots
