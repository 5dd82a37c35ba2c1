// core/base/secret_hash.h: the stored form of a secret, and the one comparison secrets get.
#include "core/base/secret_hash.h"

#include <gtest/gtest.h>

#include <string>

namespace hearth {
namespace {

TEST(SecretHash, IsLowerCaseHexOfThirtyTwoBytesAndDependsOnEveryByte) {
  std::string h = secret_hash("token");
  ASSERT_EQ(h.size(), 64u);
  EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(h, secret_hash("token"));
  EXPECT_NE(h, secret_hash("tokeN"));
  EXPECT_NE(h, secret_hash(std::string("token\0", 6)));
}

TEST(SecretsEqual, OnlyTheSameBytesOfTheSameLengthAreEqual) {
  EXPECT_TRUE(secrets_equal("Ab3dEf9hJk2m", "Ab3dEf9hJk2m"));
  EXPECT_FALSE(secrets_equal("Ab3dEf9hJk2n", "Ab3dEf9hJk2m"));  // the last byte
  EXPECT_FALSE(secrets_equal("Bb3dEf9hJk2m", "Ab3dEf9hJk2m"));  // the first byte
  EXPECT_FALSE(secrets_equal("Ab3dEf9hJk2", "Ab3dEf9hJk2m"));   // a prefix
  EXPECT_FALSE(secrets_equal("Ab3dEf9hJk2mm", "Ab3dEf9hJk2m"));
  EXPECT_FALSE(secrets_equal("", "Ab3dEf9hJk2m"));
  EXPECT_FALSE(secrets_equal(std::string("Ab3dEf9hJk2m\0", 13), "Ab3dEf9hJk2m"));
  EXPECT_TRUE(secrets_equal("", ""));
}

}  // namespace
}  // namespace hearth
