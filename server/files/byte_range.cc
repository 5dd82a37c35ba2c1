#include "server/files/byte_range.h"

#include <algorithm>
#include <limits>
#include <optional>

namespace hearth::server::files {
namespace {

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Digits only, at least one; a number past 2^64 - 1 saturates (it is past any file's end).
std::optional<uint64_t> number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  uint64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    auto d = static_cast<uint64_t>(c - '0');
    n = n > (std::numeric_limits<uint64_t>::max() - d) / 10 ? std::numeric_limits<uint64_t>::max() : n * 10 + d;
  }
  return n;
}

bool unit_is_bytes(std::string_view unit) {
  constexpr std::string_view kBytes = "bytes";
  return unit.size() == kBytes.size() &&
         std::equal(unit.begin(), unit.end(), kBytes.begin(), [](char a, char b) { return (a | 0x20) == b; });
}

}  // namespace

ByteRange byte_range(std::string_view header, uint64_t size) {
  using Kind = ByteRange::Kind;
  header = trimmed(header);
  auto eq = header.find('=');
  if (eq == std::string_view::npos || !unit_is_bytes(trimmed(header.substr(0, eq)))) return {};
  std::string_view spec = trimmed(header.substr(eq + 1));
  if (spec.find(',') != std::string_view::npos) return {};
  auto dash = spec.find('-');
  if (dash == std::string_view::npos) return {};
  std::string_view left = trimmed(spec.substr(0, dash)), right = trimmed(spec.substr(dash + 1));
  if (left.empty()) {  // the last n bytes
    auto n = number(right);
    if (!n) return {};
    if (*n == 0 || size == 0) return {Kind::kUnsatisfiable};
    uint64_t length = std::min(*n, size);
    return {Kind::kPart, size - length, length};
  }
  auto first = number(left);
  if (!first) return {};
  uint64_t last = size == 0 ? 0 : size - 1;
  if (!right.empty()) {
    auto given = number(right);
    if (!given || *given < *first) return {};
    last = std::min(last, *given);
  }
  if (*first >= size) return {Kind::kUnsatisfiable};
  return {Kind::kPart, *first, last - *first + 1};
}

}  // namespace hearth::server::files
