#include "server/push/message_encryption.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <memory>
#include <string>

namespace hearth::server::push {
namespace {

constexpr uint32_t kRecordSize = 4096;
constexpr size_t kTagBytes = 16;

std::vector<uint8_t> hmac_sha256(std::span<const uint8_t> key, std::span<const uint8_t> data) {
  std::vector<uint8_t> out(32);
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data.data(), data.size(), out.data(), &len);
  out.resize(len);
  return out;
}

std::vector<uint8_t> label(std::string_view text) {
  std::vector<uint8_t> out(text.begin(), text.end());
  out.push_back(0);
  return out;
}

struct CipherFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

}  // namespace

std::vector<uint8_t> hkdf_sha256(std::span<const uint8_t> salt, std::span<const uint8_t> ikm,
                                 std::span<const uint8_t> info, size_t length) {
  auto prk = hmac_sha256(salt, ikm);
  std::vector<uint8_t> t(info.begin(), info.end());
  t.push_back(1);  // T(1) = HMAC(PRK, info || 0x01); one block covers length <= 32
  auto okm = hmac_sha256(prk, t);
  okm.resize(length);
  return okm;
}

Result<std::vector<uint8_t>> encrypt_aes128gcm(std::string_view plaintext, const EncryptionInput& in) {
  if (plaintext.size() > kMaxPlaintextBytes) return invalid("a push message is at most 3993 bytes");
  if (in.auth_secret.size() != kAuthSecretBytes) return invalid("a push auth secret is 16 bytes");
  if (in.salt.size() != kSaltBytes) return invalid("a salt is 16 bytes");
  if (in.ephemeral == nullptr || !in.ephemeral->has_private()) return invalid("no ephemeral key");
  auto subscriber = P256Key::from_public(in.subscriber_public);
  if (!subscriber) return subscriber.take_error();
  auto ecdh = in.ephemeral->shared_secret(*subscriber);
  if (!ecdh) return ecdh.take_error();

  const PublicKey& as_public = in.ephemeral->public_key();
  auto key_info = label("WebPush: info");
  key_info.insert(key_info.end(), subscriber->public_key().begin(), subscriber->public_key().end());
  key_info.insert(key_info.end(), as_public.begin(), as_public.end());
  auto ikm = hkdf_sha256(in.auth_secret, *ecdh, key_info, 32);
  auto cek = hkdf_sha256(in.salt, ikm, label("Content-Encoding: aes128gcm"), 16);
  auto nonce = hkdf_sha256(in.salt, ikm, label("Content-Encoding: nonce"), 12);

  std::vector<uint8_t> out(in.salt.begin(), in.salt.end());
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(kRecordSize >> shift));
  out.push_back(static_cast<uint8_t>(kPublicKeyBytes));
  out.insert(out.end(), as_public.begin(), as_public.end());

  std::string record(plaintext);
  record.push_back('\x02');  // the delimiter of the last (and only) record
  std::unique_ptr<EVP_CIPHER_CTX, CipherFree> ctx(EVP_CIPHER_CTX_new());
  size_t header = out.size();
  out.resize(header + record.size() + kTagBytes);
  int len = 0;
  int final_len = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()), nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, cek.data(), nonce.data()) != 1 ||
      EVP_EncryptUpdate(ctx.get(), out.data() + header, &len, reinterpret_cast<const uint8_t*>(record.data()),
                        static_cast<int>(record.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), out.data() + header + len, &final_len) != 1 ||
      static_cast<size_t>(len + final_len) != record.size() ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, out.data() + header + record.size()) != 1) {
    return invalid("AES-128-GCM failed");
  }
  return out;
}

}  // namespace hearth::server::push
