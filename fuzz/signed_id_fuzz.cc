// libFuzzer target for signed ids (server/auth/signed_id.h), the session-transfer links. Inputs are
// tried both as a claim ("purpose:id:issued:expires") and as a token under a fixed key. Properties:
//  - a claim or token that parses is canonical: formatting (or signing) what was parsed gives the
//    input back byte for byte, so nothing outside the grammar slips through;
//  - a claim that parses, once signed, verifies as itself, and the token with any one byte
//    changed, or cut short, is refused (the MAC covers every byte);
//  - a verified token of one purpose never verifies for another.
// tests/server/auth_fuzz_corpus_test.cc includes this file with HEARTH_FUZZ_NO_MAIN defined and
// replays fuzz/corpus/signed_id through check_signed_id_input in every ctest run. The corpus'
// valid tokens are signed with kFuzzKey (bytes 0, 1, ..., 31).
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "server/auth/signed_id.h"

namespace hearth::fuzzing {

inline const auth::SignedIdKey& signed_id_fuzz_key() {
  static const auth::SignedIdKey key([] {
    std::array<uint8_t, auth::kSignedIdKeyBytes> bytes{};
    for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(i);
    return bytes;
  }());
  return key;
}

// Returns nullptr, or which property the input broke.
inline const char* check_signed_id_input(std::string_view input) {
  using namespace hearth::auth;
  const SignedIdKey& key = signed_id_fuzz_key();
  if (auto claim = parse_claim(input); claim.ok()) {
    if (format_claim(*claim) != input) return "claim is not canonical";
    auto token = sign_id(key, *claim);
    if (!token.ok()) return "a parsed claim could not be signed";
    auto back = parse_signed_id(key, *token);
    if (!back.ok() || !(*back == *claim)) return "a signed claim did not verify as itself";
    for (size_t i = 0; i < token->size(); ++i) {
      std::string tampered = *token;
      tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
      if (parse_signed_id(key, tampered).ok()) return "a token with one byte changed verified";
    }
    if (parse_signed_id(key, std::string_view(*token).substr(0, token->size() - 1)).ok()) {
      return "a token cut short verified";
    }
  }
  if (auto parsed = parse_signed_id(key, input); parsed.ok()) {
    auto again = sign_id(key, *parsed);
    if (!again.ok() || *again != input) return "token is not canonical";
    std::string other = parsed->purpose == "avatar" ? "transfer" : "avatar";
    if (verify_signed_id(key, input, other, parsed->issued_at).ok()) return "verified for another purpose";
  }
  return nullptr;
}

}  // namespace hearth::fuzzing

#ifndef HEARTH_FUZZ_NO_MAIN
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (const char* broken = hearth::fuzzing::check_signed_id_input(input)) {
    std::fprintf(stderr, "fuzz_signed_id: %s\n", broken);
    std::abort();
  }
  return 0;
}
#endif
