#include "server/outgoing/address_guard.h"

#include <charconv>

namespace hearth::server::outgoing {

bool AddressGuard::allowed(const IpAddress& address, uint16_t port) const {
  if (is_public_address(address)) return true;
  return test_allowance && test_allowance->address == address && test_allowance->port == port;
}

Vetted AddressGuard::vet(const TargetUrl& url, std::chrono::milliseconds timeout) const {
  Vetted out;
  std::vector<IpAddress> addresses;
  if (url.literal) addresses.push_back(*url.literal);
  else addresses = resolver ? resolver(url.host, timeout) : system_resolver()(url.host, timeout);
  if (addresses.empty()) {
    out.detail = "the host has no address";
    return out;
  }
  for (const IpAddress& a : addresses) {
    if (!allowed(a, url.port)) {
      out.verdict = Vetted::Verdict::refused;
      out.detail = "address " + to_string(a) + " is not public";
      return out;
    }
  }
  out.verdict = Vetted::Verdict::ok;
  out.address = addresses.front();
  return out;
}

std::optional<TestAllowance> parse_test_allowance(std::string_view text) {
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  bool numeric = false;
  auto address = parse_ipv4_host(text.substr(0, colon), &numeric);
  if (!address || address->bytes[0] != 127) return std::nullopt;
  std::string_view port_text = text.substr(colon + 1);
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 || port > 65535) return std::nullopt;
  return TestAllowance{*address, static_cast<uint16_t>(port)};
}

}  // namespace hearth::server::outgoing
