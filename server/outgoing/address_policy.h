#pragma once
// Which network addresses the server may reach at a URL a user chose (RELIABILITY S10): link
// previews and their images, Web Push endpoints. Every address that reaches something
// other than the public internet is refused: this host (loopback, 0.0.0.0), the local networks
// (RFC 1918, CGNAT, link-local with the cloud metadata service at 169.254.169.254), multicast and
// broadcast, and the reserved and documentation ranges. IPv6 is an allow-list: only global unicast
// (2000::/3) is public, minus the parts of it that embed or relay to IPv4 (Teredo, 6to4) or are
// reserved; so ::1, ::, IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64
// (64:ff9b::/96), ULA (fc00::/7), link-local (fe80::/10) and multicast (ff00::/8) are all outside
// it by construction, with no case left to forget.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sockaddr;

namespace hearth::server::outgoing {

struct IpAddress {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};  // IPv4: the first 4, in network order

  friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

IpAddress ipv4(uint8_t a, uint8_t b, uint8_t c, uint8_t d);

// True when the server may connect to `address` for a user-chosen URL.
bool is_public_address(const IpAddress& address);

// "127.0.0.1" / "::1" (no brackets).
std::string to_string(const IpAddress& address);

// The address of an AF_INET / AF_INET6 socket address; nullopt for any other family.
std::optional<IpAddress> from_sockaddr(const sockaddr* sa);

// An IPv6 address written without brackets (inet_pton's grammar; no zone id).
std::optional<IpAddress> parse_ipv6(std::string_view text);

// A host that a browser would read as an IPv4 address, in every form the URL Standard accepts:
// dotted with 1 to 4 parts, each decimal, octal (leading 0) or hex (0x): "127.0.0.1", "127.1",
// "2130706433", "0x7f000001", "0177.0.0.1", a trailing dot. nullopt when `host` is not numeric.
// `numeric` (optional) is set when the host's last label is a number: such a host is an IPv4
// address or invalid, never a name (so "1.2.3.999" is refused, not looked up).
std::optional<IpAddress> parse_ipv4_host(std::string_view host, bool* numeric = nullptr);

}  // namespace hearth::server::outgoing
