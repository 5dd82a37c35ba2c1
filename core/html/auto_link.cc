#include "core/html/auto_link.h"

#include <algorithm>

namespace hearth::html {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool alnum(char c) { return (c >= '0' && c <= '9') || (lower(c) >= 'a' && lower(c) <= 'z'); }

bool starts_with_nocase(std::string_view s, size_t at, std::string_view prefix) {
  if (s.size() - at < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (lower(s[at + i]) != prefix[i]) return false;
  }
  return true;
}

// Where a URL starting at `begin` ends. U+00A0 and U+3000 end it like a space does.
size_t url_end(std::string_view s, size_t begin) {
  size_t i = begin;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"') break;
    if (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xa0) break;
    if (c == 0xe3 && i + 2 < s.size() && s.substr(i, 3) == "\xe3\x80\x80") break;
    ++i;
  }
  return i;
}

// Trailing sentence punctuation is not part of the URL; a closing bracket is, when the URL opened it
// (https://en.wikipedia.org/wiki/Pipe_(Unix)).
size_t trim_trailing(std::string_view s, size_t begin, size_t end) {
  while (end > begin) {
    char c = s[end - 1];
    if (c == '.' || c == ',' || c == ':' || c == ';' || c == '!' || c == '?' || c == '\'' || c == '*') {
      --end;
      continue;
    }
    char open = c == ')' ? '(' : c == ']' ? '[' : c == '}' ? '{' : 0;
    if (open) {
      std::string_view url = s.substr(begin, end - begin);
      if (std::count(url.begin(), url.end(), open) < std::count(url.begin(), url.end(), c)) {
        --end;
        continue;
      }
    }
    break;
  }
  return end;
}

}  // namespace

std::vector<UrlSpan> find_urls(std::string_view text) {
  std::vector<UrlSpan> out;
  size_t i = 0;
  while (i < text.size()) {
    size_t at = text.find("://", i);
    if (at == std::string_view::npos) break;
    size_t begin = std::string_view::npos;
    if (at >= 5 && starts_with_nocase(text, at - 5, "https")) begin = at - 5;
    else if (at >= 4 && starts_with_nocase(text, at - 4, "http")) begin = at - 4;
    if (begin == std::string_view::npos || (begin > 0 && alnum(text[begin - 1]))) {
      i = at + 3;
      continue;
    }
    size_t end = trim_trailing(text, begin, url_end(text, at + 3));
    // Something must follow the "//": a host, however odd (the browser decides if it is one).
    if (end > at + 3 && text[at + 3] != '/') out.push_back({begin, end});
    i = std::max(end, at + 3);
  }
  return out;
}

}  // namespace hearth::html
