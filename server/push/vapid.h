#pragma once
// VAPID (RFC 8292): how this server identifies itself to push services. Each push request carries
//
//   Authorization: vapid t=<JWT>, k=<the public key, base64url of the 65-byte point>
//
// where the JWT is ES256-signed, header {"typ":"JWT","alg":"ES256"} and claims
// {"aud": <the endpoint's origin>, "exp": <now + 12 h; RFC 8292 allows at most 24 h>, "sub": <a
// mailto: or https: contact>}. The browser subscribed with the same public key
// (applicationServerKey), so the push service only accepts messages signed by our private key.
//
// The key pair is one P-256 scalar. It comes from VAPID_PRIVATE_KEY (base64url, 32 bytes; with
// VAPID_PUBLIC_KEY, which must then be its public key, as Campfire's deployments set both), or
// else from DATA_DIR/vapid.key (32 raw bytes, 0600), made on first start (server/auth/key_file.h).
// Replacing the key orphans every browser's subscription: they were made for the old public key.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/clock.h"
#include "core/base/result.h"
#include "server/push/p256.h"

namespace hearth::server::push {

inline constexpr int64_t kVapidLifetimeSeconds = 12 * 3600;
inline constexpr std::string_view kDefaultVapidSubject = "mailto:push@hearth.invalid";

// "https://push.example.net:8443/a/b" -> "https://push.example.net:8443" (scheme and host
// lower-cased); nullopt unless the URL is http(s) with a host.
std::optional<std::string> endpoint_origin(std::string_view endpoint);

class Vapid {
 public:
  Vapid(P256Key key, std::string subject) : key_(std::move(key)), subject_(std::move(subject)) {}

  // The Authorization header's value for a request to `endpoint` at `now_seconds` (Unix time).
  Result<std::string> authorization(std::string_view endpoint, int64_t now_seconds) const;
  std::string public_key() const;  // base64url, what the browser passes to pushManager.subscribe
  const P256Key& key() const { return key_; }

 private:
  P256Key key_;
  std::string subject_;
};

struct VapidSettings {
  std::optional<std::string> private_key;  // VAPID_PRIVATE_KEY
  std::optional<std::string> public_key;   // VAPID_PUBLIC_KEY
  std::optional<std::string> subject;      // VAPID_SUBJECT
  static VapidSettings from_environment();
};

// The server's VAPID identity (see above); `data_dir` is used only when no private key is set.
Result<Vapid> load_vapid(const std::string& data_dir, const VapidSettings& settings, Random& random);

}  // namespace hearth::server::push
