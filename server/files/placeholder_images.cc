#include "server/files/placeholder_images.h"

#include <array>

namespace hearth::server::files {
namespace {

// Eighteen colours with white text readable on each (contrast ≥ 4.5:1).
constexpr std::array<std::string_view, 18> kColours = {
    "#AF2E1B", "#B5471B", "#9C4A00", "#7A5C00", "#5E6A00", "#3B6E17", "#1B7031", "#00704F", "#006B6B",
    "#006685", "#005F9E", "#2656A8", "#4B4BB0", "#6440A8", "#7D3598", "#912C84", "#A0296A", "#A82A4B"};

uint32_t crc32(std::string_view s) {
  uint32_t c = 0xFFFFFFFFu;
  for (char ch : s) {
    c ^= static_cast<uint8_t>(ch);
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return c ^ 0xFFFFFFFFu;
}

std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

// The bytes of the UTF-8 character starting at s[i].
size_t char_length(std::string_view s, size_t i) {
  auto b = static_cast<uint8_t>(s[i]);
  size_t n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 1;
  return std::min(n, s.size() - i);
}

}  // namespace

std::string initials_of(std::string_view name) {
  std::string out;
  int words = 0;
  bool at_start = true;
  for (size_t i = 0; i < name.size() && words < 2;) {
    size_t n = char_length(name, i);
    bool space = n == 1 && (name[i] == ' ' || name[i] == '\t' || name[i] == '\n');
    if (space) {
      at_start = true;
    } else if (at_start) {
      at_start = false;
      ++words;
      std::string ch(name.substr(i, n));
      if (n == 1 && ch[0] >= 'a' && ch[0] <= 'z') ch[0] = static_cast<char>(ch[0] - 'a' + 'A');
      if (static_cast<uint8_t>(ch[0]) >= 0x20 && ch[0] != 0x7f) out += ch;
    }
    i += n;
  }
  return out.empty() ? "?" : out;
}

int avatar_colour_index(int64_t user_id) { return static_cast<int>(crc32(std::to_string(user_id)) % kColours.size()); }

std::string initials_svg(int64_t user_id, std::string_view name) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 512 512\" width=\"512\" height=\"512\">"
         "<rect width=\"512\" height=\"512\" fill=\"" +
         std::string(kColours[static_cast<size_t>(avatar_colour_index(user_id))]) +
         "\"/><text x=\"50%\" y=\"50%\" dy=\".35em\" text-anchor=\"middle\" fill=\"#FFFFFF\" "
         "font-family=\"system-ui, -apple-system, sans-serif\" font-size=\"220\" font-weight=\"600\">" +
         xml_escape(initials_of(name)) + "</text></svg>";
}

std::string bot_svg() {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 512 512\" width=\"512\" height=\"512\">"
         "<rect width=\"512\" height=\"512\" fill=\"#4A5568\"/>"
         "<rect x=\"136\" y=\"176\" width=\"240\" height=\"200\" rx=\"40\" fill=\"#E2E8F0\"/>"
         "<rect x=\"244\" y=\"112\" width=\"24\" height=\"64\" fill=\"#E2E8F0\"/><circle cx=\"256\" cy=\"104\" r=\"20\" fill=\"#E2E8F0\"/>"
         "<circle cx=\"206\" cy=\"256\" r=\"26\" fill=\"#4A5568\"/><circle cx=\"306\" cy=\"256\" r=\"26\" fill=\"#4A5568\"/>"
         "<rect x=\"196\" y=\"318\" width=\"120\" height=\"18\" rx=\"9\" fill=\"#4A5568\"/></svg>";
}

std::string stock_logo_svg() {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 512 512\" width=\"512\" height=\"512\">"
         "<rect width=\"512\" height=\"512\" rx=\"96\" fill=\"#C2410C\"/>"
         "<path d=\"M256 96c40 72 120 112 120 208a120 120 0 0 1-240 0c0-56 32-88 56-120 8 40 24 64 48 72-8-64 0-112 16-160z\" "
         "fill=\"#FED7AA\"/></svg>";
}

}  // namespace hearth::server::files
