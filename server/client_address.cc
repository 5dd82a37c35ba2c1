#include "server/client_address.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace hearth::server {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_v4_mapped(const IpAddress& a) {
  for (int i = 0; i < 10; ++i) {
    if (a.bytes[i] != 0) return false;
  }
  return a.bytes[10] == 0xff && a.bytes[11] == 0xff;
}

}  // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  // inet_pton wants a NUL-terminated string; addresses are short, anything longer is not one.
  char buf[64];
  if (text.empty() || text.size() >= sizeof buf || text.find('\0') != std::string_view::npos) {
    return std::nullopt;
  }
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  IpAddress a;
  in_addr v4{};
  if (inet_pton(AF_INET, buf, &v4) == 1) {
    a.bytes[10] = 0xff;
    a.bytes[11] = 0xff;
    std::memcpy(&a.bytes[12], &v4, 4);
    return a;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, buf, &v6) == 1) {
    std::memcpy(a.bytes.data(), &v6, 16);
    return a;
  }
  return std::nullopt;
}

Result<IpNetwork> IpNetwork::parse(std::string_view text) {
  text = trim(text);
  auto slash = text.find('/');
  auto address = IpAddress::parse(text.substr(0, slash));
  if (!address) {
    return invalid("'" + std::string(text) + "' is not an IP address or CIDR block");
  }
  IpNetwork n{*address, 128};
  bool v4 = text.substr(0, slash).find(':') == std::string_view::npos;
  if (slash != std::string_view::npos) {
    auto bits_text = text.substr(slash + 1);
    int bits = -1;
    auto [end, ec] = std::from_chars(bits_text.data(), bits_text.data() + bits_text.size(), bits);
    int max_bits = v4 ? 32 : 128;
    if (ec != std::errc() || end != bits_text.data() + bits_text.size() || bits < 0 || bits > max_bits) {
      return invalid("'" + std::string(text) + "': the prefix length must be 0.." + std::to_string(max_bits));
    }
    n.prefix_bits = v4 ? 96 + bits : bits;
  }
  return n;
}

bool IpNetwork::contains(const IpAddress& a) const {
  int full = prefix_bits / 8;
  if (std::memcmp(base.bytes.data(), a.bytes.data(), static_cast<size_t>(full)) != 0) return false;
  int rest = prefix_bits % 8;
  if (rest == 0) return true;
  auto mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (base.bytes[static_cast<size_t>(full)] & mask) == (a.bytes[static_cast<size_t>(full)] & mask);
}

Result<TrustedProxies> TrustedProxies::parse(const std::vector<std::string>& entries) {
  TrustedProxies p;
  for (const auto& e : entries) {
    auto n = IpNetwork::parse(e);
    if (!n.ok()) return n.take_error();
    p.networks_.push_back(*n);
  }
  return p;
}

bool TrustedProxies::trusts(const IpAddress& a) const {
  for (const auto& n : networks_) {
    if (n.contains(a)) return true;
  }
  return false;
}

std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const TrustedProxies& proxies) {
  auto peer_ip = IpAddress::parse(peer);
  if (!peer_ip || !proxies.trusts(*peer_ip) || trim(forwarded_for).empty()) {
    return std::string(peer);
  }
  std::string_view current = peer;  // the last hop known to be trusted, or the client
  std::string_view rest = forwarded_for;
  while (!rest.empty()) {
    auto comma = rest.rfind(',');
    std::string_view hop = trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    auto ip = IpAddress::parse(hop);
    if (!ip) break;  // garbage: stop at the last hop a trusted proxy vouched for
    current = hop;
    if (!proxies.trusts(*ip)) break;  // the first untrusted hop from the right is the client
  }
  // A dual-stack peer prints as ::ffff:a.b.c.d; report IPv4 clients in their usual form.
  auto ip = IpAddress::parse(current);
  if (ip && is_v4_mapped(*ip)) {
    char buf[INET_ADDRSTRLEN];
    if (inet_ntop(AF_INET, &ip->bytes[12], buf, sizeof buf) != nullptr) return buf;
  }
  return std::string(current);
}

}  // namespace hearth::server
