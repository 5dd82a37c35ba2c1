#pragma once
// Who is the client? The TCP peer, unless the peer is a trusted proxy: then X-Forwarded-For says.
//
// X-Forwarded-For is a comma-separated list that each proxy appends its own peer to, so only its
// right end can be believed: walk it from the right while the hop is a trusted proxy, and the first
// address that is not is the client. Anything to the left of that was written by the client itself
// and may be forged. A malformed entry ends the walk at the last trusted hop (never trust garbage).
// Used for the sign-in rate limit (per client address) and for logs.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"

namespace hearth::server {

// An IPv4 or IPv6 address; IPv4 is held as IPv4-mapped IPv6 (::ffff:a.b.c.d), so "10.0.0.1" and
// "::ffff:10.0.0.1" (what a dual-stack socket reports) are the same address.
struct IpAddress {
  std::array<uint8_t, 16> bytes{};
  static std::optional<IpAddress> parse(std::string_view text);  // no port, no brackets, no zone
  bool operator==(const IpAddress&) const = default;
};

struct IpNetwork {
  IpAddress base;
  int prefix_bits = 128;  // over the 128-bit form; an IPv4 "/8" is stored as /104
  // "10.0.0.0/8", "fd00::/8", "127.0.0.1" (a single address).
  static Result<IpNetwork> parse(std::string_view text);
  bool contains(const IpAddress& a) const;
};

class TrustedProxies {
 public:
  TrustedProxies() = default;
  static Result<TrustedProxies> parse(const std::vector<std::string>& entries);
  bool trusts(const IpAddress& a) const;
  bool empty() const { return networks_.empty(); }

 private:
  std::vector<IpNetwork> networks_;
};

// The client's address as text. `peer` is the socket's remote address (as Asio prints it);
// `forwarded_for` is the X-Forwarded-For header, empty when absent.
std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const TrustedProxies& proxies);

}  // namespace hearth::server
