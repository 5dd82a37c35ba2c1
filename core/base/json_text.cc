#include "core/base/json_text.h"

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace hearth {
namespace {

// The length of the valid UTF-8 sequence starting at s[i] (2..4), or 0 when it is not one.
// Only called for bytes >= 0x80: ASCII is handled by the caller's fast path.
size_t multibyte_length(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  uint8_t c = byte(i);
  size_t n = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  uint32_t cp = n == 2 ? (c & 0x1Fu) : n == 3 ? (c & 0x0Fu) : (c & 0x07u);
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3Fu);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not valid UTF-8.
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

// Printable ASCII that needs no escape: copied in runs, which is nearly every byte of a message.
bool plain_ascii(uint8_t c) { return c >= 0x20 && c < 0x7F && c != '"' && c != '\\'; }

// True when all 8 bytes of `w` are plain_ascii, tested at once (the exact "has a byte less than n"
// and "has a zero byte" word tricks): a message body is scanned a word at a time, not a byte.
bool plain_ascii_word(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  constexpr uint64_t kHigh = 0x8080808080808080ull;
  auto has_zero = [](uint64_t v) { return ((v - kOnes) & ~v & kHigh) != 0; };
  bool control = ((w - kOnes * 0x20) & ~w & kHigh) != 0;  // a byte < 0x20
  return !control && (w & kHigh) == 0 && !has_zero(w ^ (kOnes * '"')) && !has_zero(w ^ (kOnes * '\\')) &&
         !has_zero(w ^ (kOnes * 0x7F));
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    size_t run = i;
    for (uint64_t w; run + 8 <= s.size(); run += 8) {
      std::memcpy(&w, s.data() + run, 8);  // byte order does not matter: every byte is tested
      if (!plain_ascii_word(w)) break;
    }
    while (run < s.size() && plain_ascii(static_cast<uint8_t>(s[run]))) ++run;
    out.append(s.data() + i, run - i);
    i = run;
    if (i == s.size()) break;
    auto c = static_cast<uint8_t>(s[i]);
    if (c >= 0x80) {
      size_t n = multibyte_length(s, i);
      if (n == 0) {
        out += "\\ufffd";
        ++i;
      } else {
        out.append(s.data() + i, n);
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:  // other control characters and DEL
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
    }
    ++i;
  }
  out.push_back('"');
}

}  // namespace hearth
