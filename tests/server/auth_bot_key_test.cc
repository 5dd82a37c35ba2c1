// Bot keys `<id>-<token>`: the parser refuses every malformed shape, the empty token above all
// (Campfire's own bug, RELIABILITY S1), and matching compares hashes in constant time.
#include <gtest/gtest.h>

#include <string>

#include "core/base/secret_hash.h"
#include "server/auth/bot_key.h"

namespace hearth::auth {
namespace {

TEST(BotKeyTest, CampfireKeyParses) {
  auto key = parse_bot_key("42-aBcD3fGh1jKl");
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->user, UserId(42));
  EXPECT_EQ(key->token, "aBcD3fGh1jKl");
}

TEST(BotKeyTest, HearthMintedKeyParses) {
  auto key = parse_bot_key("9223372036854775807-abcdefghijklmnopqrstuvwx");
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->user, UserId(9223372036854775807));
  EXPECT_EQ(key->token.size(), 24u);
}

TEST(BotKeyTest, EmptyTokenIsRefused) {
  EXPECT_FALSE(parse_bot_key("7-").ok());
  EXPECT_FALSE(bot_token_matches("", secret_hash("")));
  EXPECT_FALSE(bot_token_matches("anything", ""));  // a bot with no stored token matches nothing
}

TEST(BotKeyTest, MalformedIdsAreRefused) {
  for (const char* k : {"-abc", "x-abc", "1x-abc", "+1-abc", " 1-abc", "0-abc", "007-abc", "-1-abc",
                        "9223372036854775808-abc", "99999999999999999999999-abc", "abc", "", "-"}) {
    EXPECT_FALSE(parse_bot_key(k).ok()) << k;
  }
}

TEST(BotKeyTest, ExtraDashesAndOddTokenCharactersAreRefused) {
  for (const char* k : {"7-abc-def", "7--abc", "7-abc-", "7-ab c", "7-ab%2D", "7-ab/c", "7-abc\n", "7-\xC3\xA9"}) {
    EXPECT_FALSE(parse_bot_key(k).ok()) << k;
  }
  EXPECT_FALSE(parse_bot_key(std::string("7-ab\0c", 6)).ok());
  EXPECT_FALSE(parse_bot_key("7-" + std::string(kMaxBotTokenChars + 1, 'a')).ok());
  EXPECT_TRUE(parse_bot_key("7-" + std::string(kMaxBotTokenChars, 'a')).ok());
}

TEST(BotKeyTest, TokenMatchesOnlyItsStoredHash) {
  std::string stored = secret_hash("aBcD3fGh1jKl");
  auto key = parse_bot_key("42-aBcD3fGh1jKl");
  ASSERT_TRUE(key.ok());
  EXPECT_TRUE(bot_token_matches(key->token, stored));
  EXPECT_FALSE(bot_token_matches("aBcD3fGh1jKm", stored));
  EXPECT_FALSE(bot_token_matches("aBcD3fGh1jK", stored));
  EXPECT_FALSE(bot_token_matches(key->token, stored.substr(1)));
  EXPECT_FALSE(bot_token_matches(key->token, "aBcD3fGh1jKl"));  // the clear token is not a hash
}

}  // namespace
}  // namespace hearth::auth
