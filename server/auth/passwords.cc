#include "server/auth/passwords.h"

#include <crypt.h>
#include <sodium.h>

#include <cstring>
#include <memory>

namespace hearth::auth {
namespace {

// Argon2id at libsodium's INTERACTIVE cost: t=2, 64 MiB (RFC 9106's second recommended option
// trades time for memory the same way). Measured ~0.1 s here (RELIABILITY.md). MODERATE (t=3,
// 256 MiB, ~0.7 s) would let ten simultaneous sign-ins pin both cores for seconds and need 2.5 GiB;
// the per-IP rate limit already caps online guessing, so the hash only has to resist offline
// attack on a stolen log, which 64 MiB per guess does.
constexpr unsigned long long kOpsLimit = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
constexpr size_t kMemLimit = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;

constexpr size_t kBcryptDigestBytes = 60;

bool usable(std::string_view password) {
  return !password.empty() && password.size() <= kMaxPasswordBytes &&
         password.find('\0') == std::string_view::npos;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool is_bcrypt(std::string_view digest) {
  return digest.size() == kBcryptDigestBytes &&
         (starts_with(digest, "$2a$") || starts_with(digest, "$2b$") || starts_with(digest, "$2y$"));
}

bool is_argon2(std::string_view digest) {
  return starts_with(digest, "$argon2id$") || starts_with(digest, "$argon2i$");
}

bool verify_bcrypt(std::string_view password, std::string_view digest) {
  // crypt_data is ~32 KiB: on the heap, so IO threads with small stacks are safe. Zeroed, which
  // is what crypt_r requires of a fresh buffer.
  auto data = std::make_unique<crypt_data>();
  std::memset(data.get(), 0, sizeof(crypt_data));
  std::string pw(password);
  std::string setting(digest);
  const char* out = crypt_r(pw.c_str(), setting.c_str(), data.get());
  sodium_memzero(pw.data(), pw.size());
  // libxcrypt signals failure with NULL or a string starting with '*' that never equals a digest.
  bool ok = out != nullptr && std::strlen(out) == digest.size() &&
            sodium_memcmp(out, digest.data(), digest.size()) == 0;
  sodium_memzero(data.get(), sizeof(crypt_data));
  return ok;
}

bool init_sodium() { return sodium_init() >= 0; }

}  // namespace

Status check_new_password(std::string_view password) {
  if (password.empty()) return invalid("password can't be blank");
  if (password.size() > kMaxPasswordBytes) return invalid("password is too long (maximum is 72 bytes)");
  if (password.find('\0') != std::string_view::npos) return invalid("password contains a NUL byte");
  size_t chars = 0;
  for (char c : password) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // count code points
  if (chars < kMinNewPasswordChars) return invalid("password is too short (minimum is 8 characters)");
  return ok_status();
}

Result<std::string> hash_password(std::string_view password) {
  if (!usable(password)) return invalid("password must be 1 to 72 bytes without NUL");
  static const bool ready = init_sodium();
  if (!ready) return Error{ErrorCode::kUnavailable, "libsodium failed to initialise"};
  char out[crypto_pwhash_argon2id_STRBYTES];
  if (crypto_pwhash_argon2id_str(out, password.data(), password.size(), kOpsLimit, kMemLimit) != 0) {
    return Error{ErrorCode::kUnavailable, "argon2id could not allocate its memory"};
  }
  return std::string(out);
}

bool verify_password(std::string_view password, std::string_view digest) {
  if (!usable(password)) return false;
  if (is_bcrypt(digest)) return verify_bcrypt(password, digest);
  if (is_argon2(digest) && digest.size() < crypto_pwhash_STRBYTES) {
    std::string d(digest);  // libsodium wants a NUL-terminated string
    return crypto_pwhash_str_verify(d.c_str(), password.data(), password.size()) == 0;
  }
  return false;
}

bool needs_rehash(std::string_view digest) {
  if (!starts_with(digest, "$argon2id$") || digest.size() >= crypto_pwhash_STRBYTES) return true;
  std::string d(digest);
  // Non-zero for "different parameters" (either direction: every hash converges on the one cost
  // the CPU budget in S9 was sized for) and -1 for a string it cannot parse.
  return crypto_pwhash_argon2id_str_needs_rehash(d.c_str(), kOpsLimit, kMemLimit) != 0;
}

const std::string& decoy_digest() {
  static const std::string digest = [] {
    unsigned char raw[16];
    if (!init_sodium()) return std::string();
    randombytes_buf(raw, sizeof raw);
    char hex[sizeof raw * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    auto r = hash_password(std::string_view(hex, sizeof raw * 2));
    return r.ok() ? r.value() : std::string();
  }();
  return digest;
}

}  // namespace hearth::auth
