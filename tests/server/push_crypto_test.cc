// Web Push cryptography: RFC 8291's worked example byte for byte, VAPID JWTs that verify with the
// public key they announce, and the VAPID key's one home (env or data dir).
#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <sys/stat.h>

#include <fstream>

#include "server/push/base64url.h"
#include "server/push/message_encryption.h"
#include "server/push/p256.h"
#include "server/push/vapid.h"
#include "support/temp_dir.h"

namespace hearth::server::push {
namespace {

std::vector<uint8_t> b64(std::string_view s) {
  auto v = from_base64url(s);
  EXPECT_TRUE(v) << s;
  return v.value_or(std::vector<uint8_t>{});
}

// RFC 8291 Appendix A: the application server's ephemeral key, the user agent's keys, the salt.
constexpr std::string_view kAsPrivate = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
constexpr std::string_view kAsPublic = "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
constexpr std::string_view kUaPublic = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
constexpr std::string_view kAuthSecret = "BTBZMqHH6r4Tts7J_aSIgg";
constexpr std::string_view kSalt = "DGv6ra1nlYgDCS1FRnbzlw";
constexpr std::string_view kBody =
    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_"
    "yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

TEST(PushCrypto, Rfc8291AppendixAIsReproducedByteForByte) {
  auto as = P256Key::from_private(b64(kAsPrivate));
  ASSERT_TRUE(as) << as.error().message;
  EXPECT_EQ(base64url(as->public_key()), kAsPublic);
  auto ua = b64(kUaPublic);
  auto auth = b64(kAuthSecret);
  auto salt = b64(kSalt);
  auto body = encrypt_aes128gcm("When I grow up, I want to be a watermelon", {ua, auth, &*as, salt});
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_EQ(base64url(*body), kBody);
}

TEST(PushCrypto, Rfc8291IntermediateSecretsMatch) {
  auto as = P256Key::from_private(b64(kAsPrivate));
  auto ua = P256Key::from_public(b64(kUaPublic));
  ASSERT_TRUE(as && ua);
  auto ecdh = as->shared_secret(*ua);
  ASSERT_TRUE(ecdh);
  EXPECT_EQ(base64url(*ecdh), "kyrL1jIIOHEzg3sM2ZWRHDRB62YACZhhSlknJ672kSs");
  // The user agent's side of ECDH gives the same secret (ua_private from the same appendix).
  auto ua_pair = P256Key::from_private(b64("q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"));
  ASSERT_TRUE(ua_pair);
  EXPECT_EQ(base64url(ua_pair->public_key()), kUaPublic);
  auto back = ua_pair->shared_secret(*as);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, *ecdh);
}

TEST(PushCrypto, BadKeysAndOversizedMessagesAreRefused) {
  auto off_curve = b64(kUaPublic);
  off_curve[40] ^= 1;
  EXPECT_FALSE(P256Key::from_public(off_curve));
  EXPECT_FALSE(P256Key::from_public(std::vector<uint8_t>(65, 0)));
  auto truncated = b64(kUaPublic);
  truncated.pop_back();
  EXPECT_FALSE(P256Key::from_public(truncated));
  EXPECT_FALSE(P256Key::from_private(std::vector<uint8_t>(32, 0)));     // zero
  EXPECT_FALSE(P256Key::from_private(std::vector<uint8_t>(32, 0xff)));  // above the order
  EXPECT_FALSE(P256Key::from_private(std::vector<uint8_t>(31, 1)));
  auto as = P256Key::from_private(b64(kAsPrivate));
  ASSERT_TRUE(as);
  auto ua = b64(kUaPublic);
  auto auth = b64(kAuthSecret);
  auto salt = b64(kSalt);
  EXPECT_TRUE(encrypt_aes128gcm(std::string(kMaxPlaintextBytes, 'x'), {ua, auth, &*as, salt}));
  EXPECT_FALSE(encrypt_aes128gcm(std::string(kMaxPlaintextBytes + 1, 'x'), {ua, auth, &*as, salt}));
  auto short_auth = std::vector<uint8_t>(15, 1);
  EXPECT_FALSE(encrypt_aes128gcm("hi", {ua, short_auth, &*as, salt}));
  EXPECT_FALSE(encrypt_aes128gcm("hi", {off_curve, auth, &*as, salt}));
}

TEST(PushCrypto, Base64urlAcceptsBothAlphabetsAndPadding) {
  auto raw = std::vector<uint8_t>{0xfb, 0xff, 0xbf};
  EXPECT_EQ(base64url(raw), "-_-_");
  EXPECT_EQ(from_base64url("-_-_"), raw);
  EXPECT_EQ(from_base64url("+/+/"), raw);
  EXPECT_EQ(from_base64url("AQ=="), std::vector<uint8_t>{1});
  EXPECT_FALSE(from_base64url("A!B"));
}

TEST(PushCrypto, EndpointOriginIsSchemeHostAndPort) {
  EXPECT_EQ(endpoint_origin("https://fcm.googleapis.com/fcm/send/abc"), "https://fcm.googleapis.com");
  EXPECT_EQ(endpoint_origin("HTTPS://Push.Example.NET:8443/x?y#z"), "https://push.example.net:8443");
  EXPECT_EQ(endpoint_origin("https://127.0.0.1:5000"), "https://127.0.0.1:5000");
  EXPECT_FALSE(endpoint_origin("ftp://example.net/"));
  EXPECT_FALSE(endpoint_origin("https:///path"));
  EXPECT_FALSE(endpoint_origin("https://user@example.net/"));
  EXPECT_FALSE(endpoint_origin("example.net"));
}

// Splits "vapid t=<h>.<c>.<s>, k=<key>" and checks the signature with OpenSSL's verifier and the
// announced key (not the signer's object), as a push service would.
TEST(PushCrypto, VapidTokenVerifiesWithTheAnnouncedKeyAndNamesTheAudience) {
  testing::TempDir dir;
  SystemRandom random;
  auto vapid = load_vapid(dir.path().string(), {}, random);
  ASSERT_TRUE(vapid) << vapid.error().message;
  auto header = vapid->authorization("https://push.example.net/send/123", 1'700'000'000);
  ASSERT_TRUE(header) << header.error().message;
  ASSERT_TRUE(header->starts_with("vapid t="));
  auto comma = header->find(", k=");
  ASSERT_NE(comma, std::string::npos);
  std::string jwt = header->substr(8, comma - 8);
  std::string k = header->substr(comma + 4);
  EXPECT_EQ(k, vapid->public_key());
  auto dot1 = jwt.find('.');
  auto dot2 = jwt.rfind('.');
  auto claims = b64(jwt.substr(dot1 + 1, dot2 - dot1 - 1));
  EXPECT_EQ(std::string(claims.begin(), claims.end()),
            "{\"aud\":\"https://push.example.net\",\"exp\":1700043200,\"sub\":\"mailto:push@hearth.invalid\"}");
  auto head = b64(jwt.substr(0, dot1));
  EXPECT_EQ(std::string(head.begin(), head.end()), "{\"typ\":\"JWT\",\"alg\":\"ES256\"}");

  auto sig = b64(jwt.substr(dot2 + 1));
  ASSERT_EQ(sig.size(), 64u);
  ECDSA_SIG* es = ECDSA_SIG_new();
  ECDSA_SIG_set0(es, BN_bin2bn(sig.data(), 32, nullptr), BN_bin2bn(sig.data() + 32, 32, nullptr));
  unsigned char* der = nullptr;
  int der_len = i2d_ECDSA_SIG(es, &der);
  ECDSA_SIG_free(es);
  auto pub = P256Key::from_public(b64(k));
  ASSERT_TRUE(pub);
  auto verify = [&](std::string_view input) {
    // P256Key keeps its EVP_PKEY private; rebuild one from the announced point for the check.
    EVP_PKEY* key = nullptr;
    {
      auto kb = b64(k);
      OSSL_PARAM params[] = {
          OSSL_PARAM_construct_utf8_string("group", const_cast<char*>("prime256v1"), 0),
          OSSL_PARAM_construct_octet_string("pub", kb.data(), kb.size()), OSSL_PARAM_construct_end()};
      EVP_PKEY_CTX* pctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
      EVP_PKEY_fromdata_init(pctx);
      EVP_PKEY_fromdata(pctx, &key, EVP_PKEY_PUBLIC_KEY, params);
      EVP_PKEY_CTX_free(pctx);
    }
    EVP_MD_CTX* md = EVP_MD_CTX_new();
    EVP_DigestVerifyInit(md, nullptr, EVP_sha256(), nullptr, key);
    int ok = EVP_DigestVerify(md, der, static_cast<size_t>(der_len), reinterpret_cast<const unsigned char*>(input.data()),
                              input.size());
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(key);
    return ok == 1;
  };
  EXPECT_TRUE(verify(jwt.substr(0, dot2)));
  EXPECT_FALSE(verify(jwt.substr(0, dot2) + "x"));
  OPENSSL_free(der);
}

TEST(PushCrypto, VapidKeyIsMadeOnceInTheDataDirWithOwnerOnlyMode) {
  testing::TempDir dir;
  SystemRandom random;
  auto first = load_vapid(dir.path().string(), {}, random);
  auto again = load_vapid(dir.path().string(), {}, random);
  ASSERT_TRUE(first && again);
  EXPECT_EQ(first->public_key(), again->public_key());
  EXPECT_EQ(from_base64url(first->public_key())->size(), 65u);
  struct stat st {};
  ASSERT_EQ(::stat(dir.file("vapid.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(PushCrypto, VapidKeyFromTheEnvironmentMustBeAPair) {
  testing::TempDir dir;
  SystemRandom random;
  VapidSettings env{std::string(kAsPrivate), std::string(kAsPublic), std::string("mailto:ops@example.org")};
  auto vapid = load_vapid(dir.path().string(), env, random);
  ASSERT_TRUE(vapid) << vapid.error().message;
  EXPECT_EQ(vapid->public_key(), kAsPublic);
  EXPECT_FALSE(std::filesystem::exists(dir.file("vapid.key")));  // the env key is not copied to disk
  env.public_key = std::string(kUaPublic);
  EXPECT_FALSE(load_vapid(dir.path().string(), env, random));
  env.public_key.reset();
  env.private_key = "not base64!";
  EXPECT_FALSE(load_vapid(dir.path().string(), env, random));
  EXPECT_FALSE(load_vapid(dir.path().string(), VapidSettings{std::nullopt, std::string(kAsPublic), std::nullopt}, random));
  EXPECT_FALSE(load_vapid(dir.path().string(), VapidSettings{std::nullopt, std::nullopt, std::string("ops@example.org")}, random));
}

}  // namespace
}  // namespace hearth::server::push
