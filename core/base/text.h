#pragma once
// Small text checks the sequencer applies to every string a command carries.
#include <cstddef>
#include <optional>
#include <string_view>

namespace hearth {

bool valid_utf8(std::string_view s);
// The byte length of the valid UTF-8 sequence starting at s[i] (1 for ASCII), or 0 when the bytes
// there are not one (stray continuation, truncated, overlong, surrogate, past U+10FFFF).
// REQUIRES: i < s.size().
size_t utf8_sequence_length(std::string_view s, size_t i);
// Code points in a valid UTF-8 string.
size_t utf8_length(std::string_view s);
// True when empty or only ASCII whitespace.
bool is_blank(std::string_view s);
// Leading/trailing ASCII whitespace removed.
std::string_view trim(std::string_view s);

}  // namespace hearth
