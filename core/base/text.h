#pragma once
// Small text checks the sequencer applies to every string a command carries.
#include <cstddef>
#include <optional>
#include <string_view>

namespace hearth {

bool valid_utf8(std::string_view s);
// Code points in a valid UTF-8 string.
size_t utf8_length(std::string_view s);
// True when empty or only ASCII whitespace.
bool is_blank(std::string_view s);
// Leading/trailing ASCII whitespace removed.
std::string_view trim(std::string_view s);

}  // namespace hearth
