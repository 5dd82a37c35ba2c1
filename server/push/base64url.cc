#include "server/push/base64url.h"

#include "core/base/base64url.h"

namespace hearth::server::push {

// The codec is core's (core/base/base64url.h); this file only adapts it to byte vectors and to
// the spellings browsers hand out.
std::string base64url(std::span<const uint8_t> bytes) {
  return base64url_encode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::optional<std::vector<uint8_t>> from_base64url(std::string_view text) {
  std::string s(text);
  while (!s.empty() && s.back() == '=') s.pop_back();
  for (char& c : s) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  auto bytes = base64url_decode(s);
  if (!bytes) return std::nullopt;
  return std::vector<uint8_t>(bytes->begin(), bytes->end());
}

}  // namespace hearth::server::push
