#include "migrate/sgid.h"

#include <array>

namespace hearth::migrate {
namespace {

constexpr std::array<int8_t, 256> make_table() {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int i = 0; i < 26; ++i) {
    t[static_cast<size_t>('A' + i)] = static_cast<int8_t>(i);
    t[static_cast<size_t>('a' + i)] = static_cast<int8_t>(26 + i);
  }
  for (int i = 0; i < 10; ++i) t[static_cast<size_t>('0' + i)] = static_cast<int8_t>(52 + i);
  t['+'] = t['-'] = 62;
  t['/'] = t['_'] = 63;
  return t;
}
constexpr auto kBase64 = make_table();

// "gid://<app>/User/<digits>" anywhere in `text`; the app name is whatever the install used.
std::optional<int64_t> find_user_gid(std::string_view text) {
  size_t pos = 0;
  while ((pos = text.find("gid://", pos)) != std::string_view::npos) {
    pos += 6;
    size_t slash = text.find('/', pos);
    if (slash == std::string_view::npos) return std::nullopt;
    std::string_view rest = text.substr(slash);
    constexpr std::string_view kUser = "/User/";
    if (rest.substr(0, kUser.size()) != kUser) continue;
    int64_t id = 0;
    size_t i = kUser.size(), n = 0;
    for (; i < rest.size() && rest[i] >= '0' && rest[i] <= '9' && n < 18; ++i, ++n) id = id * 10 + (rest[i] - '0');
    if (n > 0 && id > 0) return id;
  }
  return std::nullopt;
}

// The string value of "key" in a flat JSON object, unescaping only what base64 or a gid can hold.
std::optional<std::string> json_string_field(std::string_view json, std::string_view key) {
  std::string quoted = "\"" + std::string(key) + "\"";
  size_t pos = json.find(quoted);
  if (pos == std::string_view::npos) return std::nullopt;
  pos = json.find_first_not_of(" \t\r\n", pos + quoted.size());
  if (pos == std::string_view::npos || json[pos] != ':') return std::nullopt;
  pos = json.find_first_not_of(" \t\r\n", pos + 1);
  if (pos == std::string_view::npos || json[pos] != '"') return std::nullopt;
  std::string out;
  for (++pos; pos < json.size(); ++pos) {
    char c = json[pos];
    if (c == '"') return out;
    if (c == '\\' && pos + 1 < json.size()) {
      char e = json[++pos];
      out.push_back(e == 'n' ? '\n' : e);  // \/ and \" matter here; \uXXXX never occurs in a gid
      continue;
    }
    out.push_back(c);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> decode_base64_any(std::string_view in) {
  std::string out;
  out.reserve(in.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=') break;
    if (c == '\n' || c == '\r') continue;  // Ruby's Base64.encode64 wraps lines
    int8_t v = kBase64[static_cast<uint8_t>(c)];
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

std::optional<int64_t> user_id_from_sgid(std::string_view sgid) {
  size_t sep = sgid.find("--");
  auto json = decode_base64_any(sgid.substr(0, sep));
  if (!json) return std::nullopt;
  // Rails >= 7.1: the gid is the "data" string itself.
  if (auto data = json_string_field(*json, "data")) return find_user_gid(*data);
  // Before 7.1: "message" is base64 of a Marshal dump; the gid string sits in it verbatim.
  if (auto message = json_string_field(*json, "message")) {
    auto marshal = decode_base64_any(*message);
    if (!marshal) return std::nullopt;
    return find_user_gid(*marshal);
  }
  return std::nullopt;
}

}  // namespace hearth::migrate
