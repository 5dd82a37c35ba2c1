#pragma once
// Bare URLs in text (Campfire auto-links them when it renders, CAMPFIRE.md 2.11; Hearth does it
// once, when the body is stored). A URL starts with http:// or https:// (any case) not preceded by
// a letter or digit, runs to the next whitespace, '<', '>', '"' or control character, and loses
// trailing punctuation that ends a sentence (.,:;!?' and a ')' ']' '}' with no partner inside).
#include <string_view>
#include <vector>

namespace hearth::html {

struct UrlSpan {
  size_t begin, end;  // byte offsets into the text
};

std::vector<UrlSpan> find_urls(std::string_view text);

}  // namespace hearth::html
