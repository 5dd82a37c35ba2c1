#pragma once
// base64url (RFC 4648 §5) without padding: how Web Push writes keys (the subscription's p256dh and
// auth, the VAPID public key) and JWT parts.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hearth::server::push {

std::string base64url(std::span<const uint8_t> bytes);
inline std::string base64url(std::string_view text) {
  return base64url(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

// Also takes the standard alphabet and '=' padding: browsers hand out keys both ways
// (PushSubscription.toJSON() is base64url, a btoa() of getKey() is not). nullopt if malformed.
std::optional<std::vector<uint8_t>> from_base64url(std::string_view text);

}  // namespace hearth::server::push
