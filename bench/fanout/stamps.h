#pragma once
// The post→receive stamp: "~<post id>:<steady-clock ns>~", written by the poster into the body (the
// minimal server's whole message; Hearth's plain_text) and found again by every receiver, however
// many stamps one WebSocket message carries. JSON leaves '~' and digits alone, so the same scan
// reads a minimal server's joined message and a Hearth `events` frame.
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace hearth::bench {

inline std::string stamp(uint64_t id, int64_t ns) { return fmt::format("~{}:{}~", id, ns); }

// Calls f(id, ns) for each stamp in `m`, in order.
template <class F>
void for_each_stamp(std::string_view m, F&& f) {
  size_t p = 0;
  while ((p = m.find('~', p)) != std::string_view::npos) {
    size_t q = p + 1;
    auto number = [&](uint64_t& out) {
      size_t start = q;
      out = 0;
      while (q < m.size() && m[q] >= '0' && m[q] <= '9') out = out * 10 + static_cast<uint64_t>(m[q++] - '0');
      return q > start;
    };
    uint64_t id = 0, ns = 0;
    if (number(id) && q < m.size() && m[q] == ':' && (++q, number(ns)) && q < m.size() && m[q] == '~') {
      f(id, static_cast<int64_t>(ns));
      p = q + 1;
    } else {
      p = p + 1;
    }
  }
}

// The integer value of a top-level key of a JSON object ("seq" of an `events` frame, not of the
// events inside it); nullopt-like -1 when absent. Skips strings and nested values.
inline int64_t top_level_int(std::string_view json, std::string_view key) {
  int depth = 0;
  for (size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    if (c == '"') {
      size_t end = i + 1;
      while (end < json.size() && json[end] != '"') end += json[end] == '\\' ? 2 : 1;
      if (depth == 1 && json.substr(i + 1, end - i - 1) == key && end + 1 < json.size() && json[end + 1] == ':') {
        int64_t v = 0;
        size_t k = end + 2;
        while (k < json.size() && json[k] == ' ') ++k;
        bool any = false;
        while (k < json.size() && json[k] >= '0' && json[k] <= '9') {
          v = v * 10 + (json[k++] - '0');
          any = true;
        }
        return any ? v : -1;
      }
      i = end;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return -1;
}

// The "type" of a frame: the first `"type":"…"` at the top level, cheaply (Hearth writes it first).
inline std::string_view frame_type(std::string_view json) {
  constexpr std::string_view kKey = "\"type\":\"";
  size_t p = json.find(kKey);
  if (p == std::string_view::npos) return {};
  size_t start = p + kKey.size(), end = json.find('"', start);
  return end == std::string_view::npos ? std::string_view{} : json.substr(start, end - start);
}

}  // namespace hearth::bench
