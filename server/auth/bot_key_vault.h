#pragma once
// Recoverable bot keys. Campfire's webhook payload carries the bot's own key (2.15, `room.path` =
// /rooms/<room>/<bot key>/messages) and its bots page shows the key on demand, so the server must
// know each key in clear — yet the log, which is shared for debugging, must never hold it (I8).
// The server therefore mints the token here and hands the sequencer two things: its hash (what
// authentication compares, bot_key.h) and the token sealed with a key kept in the data directory
// (DATA_DIR/bot_keys.key, key_file.h; libsodium crypto_secretbox). A log dump without that file
// reveals nothing; losing the file only makes keys unrecoverable (reset them), never invalid.
//
// Sealed form: 24-byte random nonce, then the secretbox of the token.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/clock.h"
#include "core/base/result.h"

namespace hearth::auth {

inline constexpr size_t kBotTokenChars = 24;  // Hearth's tokens; Campfire's were 12

class BotKeyVault {
 public:
  // Reads DATA_DIR/bot_keys.key, creating it the first time.
  static Result<std::shared_ptr<const BotKeyVault>> open(const std::string& data_dir, Random& random);
  explicit BotKeyVault(std::vector<uint8_t> key);

  struct Minted {
    std::string token;         // in clear: for the one answer that shows the new key, then dropped
    std::string token_hash;    // secret_hash(token): cmd::CreateBot/ResetBotKey::token_hash
    std::string token_sealed;  // cmd::CreateBot/ResetBotKey::token_sealed
  };
  Minted mint(Random& random) const;

  std::string seal(std::string_view token, Random& random) const;
  // The token, or nullopt when `sealed` was not sealed with this vault's key (or is damaged).
  std::optional<std::string> open_sealed(std::string_view sealed) const;

 private:
  std::vector<uint8_t> key_;
};

}  // namespace hearth::auth
