// Signed ids (server/auth/signed_id.h): the session-transfer link's token. Times are given, not
// read, so expiry is checked to the second.
#include <gtest/gtest.h>

#include <array>

#include "server/auth/signed_id.h"

namespace hearth::auth {
namespace {

constexpr int64_t kNow = 1'700'000'000;

std::array<uint8_t, kSignedIdKeyBytes> key_bytes(uint8_t fill) {
  std::array<uint8_t, kSignedIdKeyBytes> b{};
  b.fill(fill);
  return b;
}

class SignedIdTest : public ::testing::Test {
 protected:
  SignedIdKey key_{key_bytes(7)};
};

TEST_F(SignedIdTest, ATransferTokenNamesItsUserForFourHours) {
  std::string token = transfer_token(key_, UserId(42), kNow);
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(verify_signed_id(key_, token, kTransferPurpose, kNow).value(), UserId(42));
  EXPECT_EQ(verify_signed_id(key_, token, kTransferPurpose, kNow + 4 * 3600 - 1).value(), UserId(42));
  EXPECT_FALSE(verify_signed_id(key_, token, kTransferPurpose, kNow + 4 * 3600).ok());
  EXPECT_FALSE(verify_signed_id(key_, token, kTransferPurpose, kNow - 1).ok()) << "issued in the future";
}

TEST_F(SignedIdTest, AnotherKeyOrPurposeIsRefused) {
  std::string token = transfer_token(key_, UserId(42), kNow);
  SignedIdKey other(key_bytes(8));
  EXPECT_FALSE(verify_signed_id(other, token, kTransferPurpose, kNow).ok());
  auto avatar = sign_id(key_, SignedId{"avatar", UserId(42), kNow, kNow + 10});
  ASSERT_TRUE(avatar.ok());
  EXPECT_FALSE(verify_signed_id(key_, *avatar, kTransferPurpose, kNow).ok());
  EXPECT_TRUE(verify_signed_id(key_, *avatar, "avatar", kNow).ok());
}

TEST_F(SignedIdTest, EveryChangedCharacterIsRefused) {
  std::string token = transfer_token(key_, UserId(42), kNow);
  for (size_t i = 0; i < token.size(); ++i) {
    for (char c : {'A', 'z', '0', '-', '_', '.', '='}) {
      if (token[i] == c) continue;
      std::string t = token;
      t[i] = c;
      EXPECT_FALSE(parse_signed_id(key_, t).ok()) << t;
    }
  }
  EXPECT_FALSE(parse_signed_id(key_, token + "A").ok());
  EXPECT_FALSE(parse_signed_id(key_, token.substr(0, token.size() - 1)).ok());
  EXPECT_FALSE(parse_signed_id(key_, "").ok());
  EXPECT_FALSE(parse_signed_id(key_, ".").ok());
}

TEST_F(SignedIdTest, AClaimIsOnlyItsCanonicalSpelling) {
  auto ok = parse_claim("transfer:7:1:2");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, (SignedId{"transfer", UserId(7), 1, 2}));
  for (const char* bad : {"transfer:07:1:2", "transfer:0:1:2", "transfer:-7:1:2", "transfer:+7:1:2", "transfer:7:01:2",
                          "transfer:7:2:1", "transfer:7:1", "transfer:7:1:2:3", "Transfer:7:1:2", ":7:1:2",
                          "transfer:7:1:2 ", "transfer:99999999999999999999:1:2", "transfer:7::2"}) {
    EXPECT_FALSE(parse_claim(bad).ok()) << bad;
  }
  EXPECT_FALSE(sign_id(key_, SignedId{"no way", UserId(7), 1, 2}).ok());
  EXPECT_FALSE(sign_id(key_, SignedId{"transfer", UserId(0), 1, 2}).ok());
}

}  // namespace
}  // namespace hearth::auth
