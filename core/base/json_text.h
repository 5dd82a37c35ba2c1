#pragma once
// JSON string literals from arbitrary bytes. Everything Hearth writes as JSON by hand (replay dump
// lines, realtime frames) goes through here, so one function decides what "always valid JSON"
// means: UTF-8 kept as is, invalid bytes replaced by U+FFFD, quotes, backslashes and control
// characters escaped. A reader of our output never meets a string it must reject.
#include <string>
#include <string_view>

namespace hearth {

// Appends `s` to `out` as a JSON string literal, quotes included. Each byte that does not start a
// valid UTF-8 sequence (bad lead, truncated, overlong, surrogate, past U+10FFFF) becomes "\ufffd".
void append_json_string(std::string& out, std::string_view s);

inline std::string json_string(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  append_json_string(out, s);
  return out;
}

}  // namespace hearth
