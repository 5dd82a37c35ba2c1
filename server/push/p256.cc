#include "server/push/p256.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

namespace hearth::server::push {
namespace {

template <class T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using Group = std::unique_ptr<EC_GROUP, Deleter<EC_GROUP, EC_GROUP_free>>;
using Point = std::unique_ptr<EC_POINT, Deleter<EC_POINT, EC_POINT_free>>;
using Bignum = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_clear_free>>;
using ParamBuild = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using Params = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using EcdsaSig = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG, ECDSA_SIG_free>>;

Error crypto_error(const char* what) { return Error{ErrorCode::kInvalid, std::string("P-256: ") + what}; }

// Builds an EVP_PKEY from its parts (the private scalar only for a key pair).
EVP_PKEY* build(const PublicKey& pub, const BIGNUM* scalar) {
  ParamBuild bld(OSSL_PARAM_BLD_new());
  if (!bld || !OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
      !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, pub.data(), pub.size()) ||
      (scalar != nullptr && !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, scalar))) {
    return nullptr;
  }
  Params params(OSSL_PARAM_BLD_to_param(bld.get()));
  PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &key, scalar != nullptr ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params.get()) <= 0) {
    return nullptr;
  }
  return key;
}

}  // namespace

void P256Key::Free::operator()(evp_pkey_st* key) const { EVP_PKEY_free(key); }

P256Key::P256Key(evp_pkey_st* key, const PublicKey& pub, bool has_private)
    : key_(key, Free{}), public_(pub), has_private_(has_private) {}

Result<P256Key> P256Key::from_private(std::span<const uint8_t> scalar) {
  if (scalar.size() != kPrivateKeyBytes) return crypto_error("a private key is 32 bytes");
  Group group(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
  Bignum d(BN_bin2bn(scalar.data(), static_cast<int>(scalar.size()), nullptr));
  if (!group || !d) return crypto_error("out of memory");
  if (BN_is_zero(d.get()) || BN_cmp(d.get(), EC_GROUP_get0_order(group.get())) >= 0) {
    return crypto_error("the private key is not a scalar of the curve");
  }
  Point q(EC_POINT_new(group.get()));
  PublicKey pub{};
  if (!q || !EC_POINT_mul(group.get(), q.get(), d.get(), nullptr, nullptr, nullptr) ||
      EC_POINT_point2oct(group.get(), q.get(), POINT_CONVERSION_UNCOMPRESSED, pub.data(), pub.size(), nullptr) !=
          pub.size()) {
    return crypto_error("cannot derive the public key");
  }
  EVP_PKEY* key = build(pub, d.get());
  if (key == nullptr) return crypto_error("cannot build the key pair");
  return P256Key(key, pub, true);
}

Result<P256Key> P256Key::from_public(std::span<const uint8_t> point) {
  if (point.size() != kPublicKeyBytes || point[0] != 0x04) return crypto_error("a public key is a 65-byte uncompressed point");
  PublicKey pub{};
  std::copy(point.begin(), point.end(), pub.begin());
  // Decoding the point checks it lies on the curve (EC_POINT_oct2point); a bad one fails here.
  EVP_PKEY* key = build(pub, nullptr);
  if (key == nullptr) return crypto_error("the public key is not a point of the curve");
  return P256Key(key, pub, false);
}

Result<std::vector<uint8_t>> P256Key::shared_secret(const P256Key& peer) const {
  PkeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key_.get(), nullptr));
  std::vector<uint8_t> secret(32);
  size_t len = secret.size();
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) <= 0 || EVP_PKEY_derive_set_peer(ctx.get(), peer.key_.get()) <= 0 ||
      EVP_PKEY_derive(ctx.get(), secret.data(), &len) <= 0 || len != secret.size()) {
    return crypto_error("ECDH failed");
  }
  return secret;
}

Result<std::array<uint8_t, 64>> P256Key::sign_es256(std::string_view data) const {
  MdCtx md(EVP_MD_CTX_new());
  std::array<uint8_t, 80> der{};  // an ECDSA P-256 signature in DER is at most 72 bytes
  size_t der_len = der.size();
  if (!md || EVP_DigestSignInit(md.get(), nullptr, EVP_sha256(), nullptr, key_.get()) <= 0 ||
      EVP_DigestSign(md.get(), der.data(), &der_len, reinterpret_cast<const unsigned char*>(data.data()), data.size()) <= 0) {
    return crypto_error("signing failed");
  }
  const unsigned char* p = der.data();
  EcdsaSig sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der_len)));
  if (!sig) return crypto_error("signing gave no signature");
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::array<uint8_t, 64> out{};
  if (BN_bn2binpad(r, out.data(), 32) != 32 || BN_bn2binpad(s, out.data() + 32, 32) != 32) {
    return crypto_error("signature out of range");
  }
  return out;
}

}  // namespace hearth::server::push
