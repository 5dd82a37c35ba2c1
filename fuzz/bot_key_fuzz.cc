// libFuzzer target for the bot key parser (server/auth/bot_key.h). The strongest property: a key
// that parses is canonical, i.e. printing the parsed id and token gives back the input exactly, so
// no two spellings name the same bot and nothing outside the grammar slips through.
// tests/server/auth_fuzz_corpus_test.cc includes this file with HEARTH_FUZZ_NO_MAIN defined and
// replays fuzz/corpus/bot_key through check_bot_key_input in every ctest run.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/base/secret_hash.h"
#include "server/auth/bot_key.h"

namespace hearth::fuzzing {

// Returns nullptr, or which property the input broke.
inline const char* check_bot_key_input(std::string_view input) {
  using namespace hearth::auth;
  auto key = parse_bot_key(input);
  if (!key.ok()) return nullptr;
  if (!key->user.valid()) return "parsed a non-positive id";
  if (key->token.empty() || key->token.size() > kMaxBotTokenChars) return "parsed a token of bad length";
  if (std::to_string(key->user.value) + "-" + std::string(key->token) != input) return "key is not canonical";
  if (!bot_token_matches(key->token, secret_hash(key->token))) return "token does not match its own hash";
  if (bot_token_matches(key->token, "")) return "token matched an empty stored hash";
  return nullptr;
}

}  // namespace hearth::fuzzing

#ifndef HEARTH_FUZZ_NO_MAIN
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (const char* broken = hearth::fuzzing::check_bot_key_input(input)) {
    std::fprintf(stderr, "fuzz_bot_key: %s\n", broken);
    std::abort();
  }
  return 0;
}
#endif
