#include "server/auth/bot_key_vault.h"

#include <sodium.h>

#include "core/base/secret_hash.h"
#include "server/auth/key_file.h"

namespace hearth::auth {
namespace {

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

Result<std::shared_ptr<const BotKeyVault>> BotKeyVault::open(const std::string& data_dir, Random& random) {
  auto key = load_or_create_key(data_dir + "/bot_keys.key", crypto_secretbox_KEYBYTES, random);
  if (!key) return key.take_error();
  return std::make_shared<const BotKeyVault>(std::move(*key));
}

BotKeyVault::BotKeyVault(std::vector<uint8_t> key) : key_(std::move(key)) {}

BotKeyVault::Minted BotKeyVault::mint(Random& random) const {
  Minted m;
  m.token = random_alphanumeric(random, kBotTokenChars);
  m.token_hash = secret_hash(m.token);
  m.token_sealed = seal(m.token, random);
  return m;
}

std::string BotKeyVault::seal(std::string_view token, Random& random) const {
  std::string out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + token.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  random.fill(std::span<uint8_t>(nonce, crypto_secretbox_NONCEBYTES));
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES, bytes(token), token.size(), nonce, key_.data());
  return out;
}

std::optional<std::string> BotKeyVault::open_sealed(std::string_view sealed) const {
  if (sealed.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) return std::nullopt;
  const unsigned char* nonce = bytes(sealed);
  std::string_view box = sealed.substr(crypto_secretbox_NONCEBYTES);
  std::string token(box.size() - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(token.data()), bytes(box), box.size(), nonce,
                                 key_.data()) != 0) {
    return std::nullopt;
  }
  return token;
}

}  // namespace hearth::auth
