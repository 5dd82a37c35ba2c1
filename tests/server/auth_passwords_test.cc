// Passwords: argon2id for new ones, bcrypt digests imported from Campfire still sign in, and both
// get rehashed to the current argon2id cost.
#include <crypt.h>
#include <gtest/gtest.h>
#include <sodium.h>

#include <cstring>
#include <memory>
#include <string>

#include "server/auth/passwords.h"

namespace hearth::auth {
namespace {

// bcrypt cost 12 of "password" made once with libxcrypt (crypt_gensalt_rn "$2a$", 12) and kept, so
// a libxcrypt change that stops reading Rails' digests fails here.
constexpr const char* kRailsDigestOfPassword = "$2a$12$oJrtxWNbYXtwkqgxfIvLTO1wsXpNZ2kuAEy1ecv8n7iKujrHoiYpS";
// Openwall crypt_blowfish's published test vector for "U*U": independent of libxcrypt.
constexpr const char* kOpenwallDigestOfUStarU = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";

std::string bcrypt(const std::string& password, const char* prefix) {
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  EXPECT_NE(crypt_gensalt_rn(prefix, 4, nullptr, 0, salt, sizeof salt), nullptr);
  auto data = std::make_unique<crypt_data>();
  std::memset(data.get(), 0, sizeof(crypt_data));
  const char* out = crypt_r(password.c_str(), salt, data.get());
  EXPECT_NE(out, nullptr);
  return out ? std::string(out) : std::string();
}

TEST(PasswordsTest, ImportedBcryptDigestStillSignsIn) {
  EXPECT_TRUE(verify_password("password", kRailsDigestOfPassword));
  EXPECT_TRUE(verify_password("U*U", kOpenwallDigestOfUStarU));
}

TEST(PasswordsTest, WrongPasswordIsRefusedForBcrypt) {
  EXPECT_FALSE(verify_password("Password", kRailsDigestOfPassword));
  EXPECT_FALSE(verify_password("password ", kRailsDigestOfPassword));
  EXPECT_FALSE(verify_password("U*V", kOpenwallDigestOfUStarU));
}

TEST(PasswordsTest, EveryRailsBcryptPrefixVerifies) {
  for (const char* prefix : {"$2a$", "$2b$", "$2y$"}) {
    std::string digest = bcrypt("correct horse", prefix);
    ASSERT_EQ(digest.substr(0, 4), prefix);
    EXPECT_TRUE(verify_password("correct horse", digest)) << digest;
    EXPECT_FALSE(verify_password("correct horsf", digest)) << digest;
  }
}

TEST(PasswordsTest, TamperedOrForeignDigestsNeverVerify) {
  std::string digest = kRailsDigestOfPassword;
  digest.back() = digest.back() == 'S' ? 'T' : 'S';
  EXPECT_FALSE(verify_password("password", digest));
  EXPECT_FALSE(verify_password("password", ""));
  EXPECT_FALSE(verify_password("password", "password"));
  EXPECT_FALSE(verify_password("password", "$2x$05$CCCCCCCCCCCCCCCCCCCCC.Xn7FSvv79c6bu/kgV/.kBlx/ChE9.FW"));
  EXPECT_FALSE(verify_password("password", std::string(kRailsDigestOfPassword).substr(0, 29)));  // salt only
  EXPECT_FALSE(verify_password("password", "$argon2id$garbage"));
  EXPECT_FALSE(verify_password("password", "*0"));
}

TEST(PasswordsTest, Argon2idRoundTrip) {
  auto digest = hash_password("hunter2hunter2");
  ASSERT_TRUE(digest.ok()) << digest.error().to_string();
  EXPECT_EQ(digest->substr(0, 10), "$argon2id$");
  EXPECT_TRUE(verify_password("hunter2hunter2", *digest));
  EXPECT_FALSE(verify_password("hunter2hunter3", *digest));
  EXPECT_FALSE(needs_rehash(*digest));
}

TEST(PasswordsTest, SamePasswordHashesDifferentlyEachTime) {
  auto a = hash_password("same password");
  auto b = hash_password("same password");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);  // a fresh salt each time
}

TEST(PasswordsTest, BcryptAndWeakerArgonDigestsNeedRehash) {
  EXPECT_TRUE(needs_rehash(kRailsDigestOfPassword));
  EXPECT_TRUE(needs_rehash(bcrypt("x", "$2b$")));
  EXPECT_TRUE(needs_rehash(""));
  EXPECT_TRUE(needs_rehash("$argon2id$v=19$m=65536,t=2,p=1$garbage"));
  // The same libsodium, cheaper parameters: what a digest from an older, lighter config looks like.
  char weak[crypto_pwhash_argon2id_STRBYTES];
  ASSERT_EQ(crypto_pwhash_argon2id_str(weak, "pw", 2, crypto_pwhash_argon2id_OPSLIMIT_MIN, 8192), 0);
  EXPECT_TRUE(verify_password("pw", weak));
  EXPECT_TRUE(needs_rehash(weak));
  char argon2i[crypto_pwhash_argon2i_STRBYTES];
  ASSERT_EQ(crypto_pwhash_argon2i_str(argon2i, "pw", 2, crypto_pwhash_argon2i_OPSLIMIT_MIN, 8192), 0);
  EXPECT_TRUE(verify_password("pw", argon2i));
  EXPECT_TRUE(needs_rehash(argon2i));
}

TEST(PasswordsTest, EmptyOverlongAndNulPasswordsAreRefused) {
  std::string at_limit(kMaxPasswordBytes, 'a');
  std::string over_limit(kMaxPasswordBytes + 1, 'a');
  EXPECT_FALSE(hash_password("").ok());
  EXPECT_FALSE(hash_password(over_limit).ok());
  EXPECT_FALSE(hash_password(std::string("abc\0def", 7)).ok());
  auto digest = hash_password(at_limit);
  ASSERT_TRUE(digest.ok());
  EXPECT_TRUE(verify_password(at_limit, *digest));
  EXPECT_FALSE(verify_password(over_limit, *digest));
  EXPECT_FALSE(verify_password("", *digest));
  // crypt_r stops at NUL: "password\0x" must not pass as "password".
  EXPECT_FALSE(verify_password(std::string("password\0x", 10), kRailsDigestOfPassword));
}

TEST(PasswordsTest, NewPasswordsNeedEightCharactersAndAtMost72Bytes) {
  EXPECT_FALSE(check_new_password("").ok());
  EXPECT_FALSE(check_new_password("1234567").ok());
  EXPECT_TRUE(check_new_password("12345678").ok());
  EXPECT_FALSE(check_new_password("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9").ok());  // 8 bytes, 4 characters
  EXPECT_TRUE(check_new_password(std::string(kMaxPasswordBytes, 'x')).ok());
  EXPECT_FALSE(check_new_password(std::string(kMaxPasswordBytes + 1, 'x')).ok());
}

TEST(PasswordsTest, DecoyDigestIsARealArgonDigestThatRefusesGuesses) {
  const std::string& decoy = decoy_digest();
  EXPECT_EQ(decoy.substr(0, 10), "$argon2id$");
  EXPECT_FALSE(verify_password("password", decoy));
  EXPECT_EQ(&decoy, &decoy_digest());  // made once
}

}  // namespace
}  // namespace hearth::auth
