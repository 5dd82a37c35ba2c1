#include "server/outgoing/address_policy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <vector>

namespace hearth::server::outgoing {
namespace {

struct Range {
  std::array<uint8_t, 16> prefix;
  int bits;
};

bool in_range(const IpAddress& a, const Range& r) {
  int full = r.bits / 8, rest = r.bits % 8;
  if (std::memcmp(a.bytes.data(), r.prefix.data(), static_cast<size_t>(full)) != 0) return false;
  if (rest == 0) return true;
  auto mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a.bytes[static_cast<size_t>(full)] & mask) == (r.prefix[static_cast<size_t>(full)] & mask);
}

// IPv4 ranges that are not the public internet (IANA special-purpose registry, RFC 6890 and since).
const std::vector<Range>& blocked_v4() {
  static const std::vector<Range> ranges = {
      {{0, 0, 0, 0}, 8},         // "this network", 0.0.0.0
      {{10, 0, 0, 0}, 8},        // private
      {{100, 64, 0, 0}, 10},     // CGNAT shared space
      {{127, 0, 0, 0}, 8},       // loopback
      {{169, 254, 0, 0}, 16},    // link-local, cloud metadata (169.254.169.254)
      {{172, 16, 0, 0}, 12},     // private
      {{192, 0, 0, 0}, 24},      // IETF protocol assignments
      {{192, 0, 2, 0}, 24},      // TEST-NET-1
      {{192, 31, 196, 0}, 24},   // AS112
      {{192, 52, 193, 0}, 24},   // AMT
      {{192, 88, 99, 0}, 24},    // 6to4 relay anycast
      {{192, 168, 0, 0}, 16},    // private
      {{192, 175, 48, 0}, 24},   // AS112 direct delegation
      {{198, 18, 0, 0}, 15},     // benchmarking
      {{198, 51, 100, 0}, 24},   // TEST-NET-2
      {{203, 0, 113, 0}, 24},    // TEST-NET-3
      {{224, 0, 0, 0}, 4},       // multicast
      {{240, 0, 0, 0}, 4},       // reserved, and 255.255.255.255 broadcast
  };
  return ranges;
}

// Inside 2000::/3, the parts that are not plain global unicast.
const std::vector<Range>& blocked_global_v6() {
  static const std::vector<Range> ranges = {
      {{0x20, 0x01, 0x00, 0x00}, 23},  // IETF protocol assignments, Teredo (2001::/32) embeds IPv4
      {{0x20, 0x01, 0x0d, 0xb8}, 32},  // documentation
      {{0x20, 0x02}, 16},              // 6to4: relays to the embedded IPv4 address
      {{0x3f, 0xff, 0x00}, 20},        // documentation (RFC 9637)
  };
  return ranges;
}

// One part of a numeric IPv4 host: decimal, octal after a leading 0, hex after 0x. nullopt when
// not a number; values past 2^32 saturate (refused by the caller's range check).
std::optional<uint64_t> ipv4_part(std::string_view s) {
  int base = 10;
  if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  } else if (s.size() >= 2 && s[0] == '0') {
    base = 8;
    s.remove_prefix(1);
  }
  if (s.empty()) return base == 16 ? std::optional<uint64_t>(0) : std::nullopt;  // "0x" is 0
  uint64_t v = 0;
  for (char c : s) {
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return std::nullopt;
    if (d >= base) return std::nullopt;
    v = v * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
    if (v > 0xffff'ffffULL) v = 0x1'0000'0000ULL;
  }
  return v;
}

// The URL Standard's "ends in a number": the last label is digits, or 0x followed by hex digits.
bool last_label_numeric(std::string_view host) {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  size_t dot = host.rfind('.');
  std::string_view last = dot == std::string_view::npos ? host : host.substr(dot + 1);
  if (last.empty()) return false;
  if (last.find_first_not_of("0123456789") == std::string_view::npos) return true;
  return (last.starts_with("0x") || last.starts_with("0X")) &&
         last.substr(2).find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos;
}

}  // namespace

IpAddress ipv4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  IpAddress out;
  out.bytes[0] = a;
  out.bytes[1] = b;
  out.bytes[2] = c;
  out.bytes[3] = d;
  return out;
}

bool is_public_address(const IpAddress& address) {
  if (!address.v6) {
    for (const Range& r : blocked_v4()) {
      if (in_range(address, r)) return false;
    }
    return true;
  }
  if (!in_range(address, Range{{0x20}, 3})) return false;  // only global unicast
  for (const Range& r : blocked_global_v6()) {
    if (in_range(address, r)) return false;
  }
  return true;
}

std::string to_string(const IpAddress& address) {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(address.v6 ? AF_INET6 : AF_INET, address.bytes.data(), buf, sizeof buf);
  return buf;
}

std::optional<IpAddress> from_sockaddr(const sockaddr* sa) {
  IpAddress out;
  if (sa->sa_family == AF_INET) {
    sockaddr_in in;
    std::memcpy(&in, sa, sizeof in);
    std::memcpy(out.bytes.data(), &in.sin_addr, 4);
    return out;
  }
  if (sa->sa_family == AF_INET6) {
    sockaddr_in6 in6;
    std::memcpy(&in6, sa, sizeof in6);
    out.v6 = true;
    std::memcpy(out.bytes.data(), &in6.sin6_addr, 16);
    return out;
  }
  return std::nullopt;
}

std::optional<IpAddress> parse_ipv6(std::string_view text) {
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  std::string s(text);
  IpAddress out;
  out.v6 = true;
  if (inet_pton(AF_INET6, s.c_str(), out.bytes.data()) != 1) return std::nullopt;
  return out;
}

std::optional<IpAddress> parse_ipv4_host(std::string_view host, bool* numeric) {
  bool is_numeric = last_label_numeric(host);
  if (numeric) *numeric = is_numeric;
  if (!is_numeric) return std::nullopt;
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  std::vector<uint64_t> parts;
  for (;;) {
    size_t dot = host.find('.');
    auto part = ipv4_part(host.substr(0, dot));
    if (!part || parts.size() == 4) return std::nullopt;
    parts.push_back(*part);
    if (dot == std::string_view::npos) break;
    host.remove_prefix(dot + 1);
  }
  // Every part but the last is one byte; the last fills the remaining bytes.
  uint64_t value = 0;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    if (parts[i] > 255) return std::nullopt;
    value |= parts[i] << (8 * (3 - i));
  }
  size_t rest_bytes = 5 - parts.size();
  if (parts.back() >= (uint64_t{1} << (8 * rest_bytes))) return std::nullopt;
  value |= parts.back();
  return ipv4(static_cast<uint8_t>(value >> 24), static_cast<uint8_t>(value >> 16), static_cast<uint8_t>(value >> 8),
              static_cast<uint8_t>(value));
}

}  // namespace hearth::server::outgoing
