// Recoverable bot keys (server/auth/bot_key_vault.h, server/bots/bot_keys.h): the server can show a
// bot's key and put it in the webhook payload, while the log holds only the hash and a sealed copy.
#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>

#include "api_world.h"
#include "core/base/secret_hash.h"
#include "server/auth/bot_key.h"
#include "server/bots/bot_keys.h"

namespace hearth::testing {
namespace {

using auth::BotKeyVault;

std::vector<uint8_t> key_of(uint8_t fill) { return std::vector<uint8_t>(crypto_secretbox_KEYBYTES, fill); }

TEST(BotKeyVaultTest, MintedTokensOpenOnlyWithTheirKey) {
  SystemRandom random;
  BotKeyVault vault(key_of(1)), other(key_of(2));
  auto m = vault.mint(random);
  EXPECT_EQ(m.token.size(), auth::kBotTokenChars);
  EXPECT_TRUE(auth::parse_bot_key("7-" + m.token).ok()) << "a minted token fits the key grammar";
  EXPECT_EQ(m.token_hash, secret_hash(m.token));
  EXPECT_EQ(m.token_sealed.find(m.token), std::string::npos) << "sealed, not encoded";
  EXPECT_EQ(vault.open_sealed(m.token_sealed), m.token);
  EXPECT_EQ(other.open_sealed(m.token_sealed), std::nullopt);
  std::string tampered = m.token_sealed;
  tampered.back() = static_cast<char>(tampered.back() ^ 1);
  EXPECT_EQ(vault.open_sealed(tampered), std::nullopt);
  EXPECT_EQ(vault.open_sealed(m.token_sealed.substr(0, 30)), std::nullopt);
  EXPECT_EQ(vault.open_sealed(""), std::nullopt);
  EXPECT_NE(vault.seal(m.token, random), m.token_sealed) << "a fresh nonce every time";
}

TEST(BotKeyVaultTest, TheKeyFileIsMadeOnceAndReadBack) {
  TempDir dir;
  SystemRandom random;
  auto first = BotKeyVault::open(dir.path().string(), random);
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  struct stat st {};
  ASSERT_EQ(::stat(dir.file("bot_keys.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto sealed = (*first)->seal("Token", random);
  auto again = BotKeyVault::open(dir.path().string(), random);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->open_sealed(sealed), "Token");
}

class BotKeyForTest : public ApiWorld {
 protected:
  std::optional<std::string> key_for(int64_t id) {
    auto db = sqlite::Db::open(dir_.file("data") + "/state.sqlite3", sqlite::Db::Mode::kReadOnly);
    EXPECT_TRUE(db.ok());
    auto key = server::bots::bot_key_for(*db, chat_.api->bot_keys(), UserId(id));
    EXPECT_TRUE(key.ok());
    return key.ok() ? *key : std::nullopt;
  }
  static int64_t id_of(const std::string& key) { return std::stoll(key.substr(0, key.find('-'))); }
};

TEST_F(BotKeyForTest, TheServerRecoversTheCurrentKeyAndTheLogNeverHoldsIt) {
  auto admin = user_id(first_run());
  std::string key = create_bot(admin, "Robo");
  ASSERT_FALSE(key.empty());
  int64_t bot = id_of(key);
  EXPECT_EQ(key_for(bot), key);

  SystemRandom random;
  auto minted = chat_.api->bot_keys().mint(random);
  ASSERT_TRUE(execute(admin, cmd::ResetBotKey{UserId(bot), minted.token_hash, minted.token_sealed}).ok());
  std::string reset = std::to_string(bot) + "-" + minted.token;
  EXPECT_EQ(key_for(bot), reset);

  // Without a sealed copy (as imported bots are) the key authenticates but cannot be recovered.
  ASSERT_TRUE(execute(admin, cmd::ResetBotKey{UserId(bot), secret_hash("Imported1234"), ""}).ok());
  EXPECT_EQ(key_for(bot), std::nullopt);
  // A sealed copy of another token (stale, or moved from another bot) is not this bot's key.
  auto other = chat_.api->bot_keys().mint(random);
  ASSERT_TRUE(execute(admin, cmd::ResetBotKey{UserId(bot), secret_hash("Mismatch1234"), other.token_sealed}).ok());
  EXPECT_EQ(key_for(bot), std::nullopt);
  EXPECT_EQ(key_for(admin), std::nullopt) << "a person has no bot key";
  EXPECT_EQ(key_for(999), std::nullopt);

  // Not one token in clear in the log, even though the server could recover them.
  auto log = sqlite::Db::open(dir_.file("data") + "/log.sqlite3", sqlite::Db::Mode::kReadOnly);
  ASSERT_TRUE(log.ok());
  auto st = log->prepare("SELECT count(*) FROM events WHERE instr(payload, CAST(?1 AS BLOB)) > 0");
  ASSERT_TRUE(st.ok()) << st.error().to_string();
  for (const std::string& token : {key.substr(key.find('-') + 1), minted.token, other.token}) {
    st->bind(1, token);
    ASSERT_TRUE(*st->step());
    EXPECT_EQ(st->col_int(0), 0) << "token " << token << " in clear in the log";
    st->reset();
  }
}

}  // namespace
}  // namespace hearth::testing
