#include "server/push/vapid.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "server/auth/key_file.h"
#include "server/push/base64url.h"

namespace hearth::server::push {

std::optional<std::string> endpoint_origin(std::string_view endpoint) {
  auto scheme_end = endpoint.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  std::string scheme(endpoint.substr(0, scheme_end));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return std::tolower(c); });
  if (scheme != "https" && scheme != "http") return std::nullopt;
  auto rest = endpoint.substr(scheme_end + 3);
  std::string host(rest.substr(0, rest.find_first_of("/?#")));
  if (host.empty() || host.find('@') != std::string::npos) return std::nullopt;  // no userinfo
  std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return std::tolower(c); });
  return scheme + "://" + host;
}

Result<std::string> Vapid::authorization(std::string_view endpoint, int64_t now_seconds) const {
  auto audience = endpoint_origin(endpoint);
  if (!audience) return invalid("a push endpoint is an http(s) URL");
  // Both JSON texts are built from values that need no escaping: the origin has no quote or
  // backslash (checked below), the subject is ours.
  if (audience->find_first_of("\"\\") != std::string::npos) return invalid("a push endpoint has a quote");
  std::string claims = "{\"aud\":\"" + *audience + "\",\"exp\":" + std::to_string(now_seconds + kVapidLifetimeSeconds) +
                       ",\"sub\":\"" + subject_ + "\"}";
  std::string signing_input = base64url(std::string_view("{\"typ\":\"JWT\",\"alg\":\"ES256\"}")) + "." + base64url(claims);
  auto signature = key_.sign_es256(signing_input);
  if (!signature) return signature.take_error();
  return "vapid t=" + signing_input + "." + base64url(*signature) + ", k=" + public_key();
}

std::string Vapid::public_key() const { return base64url(key_.public_key()); }

VapidSettings VapidSettings::from_environment() {
  auto get = [](const char* name) -> std::optional<std::string> {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') return std::nullopt;
    return std::string(v);
  };
  return VapidSettings{get("VAPID_PRIVATE_KEY"), get("VAPID_PUBLIC_KEY"), get("VAPID_SUBJECT")};
}

Result<Vapid> load_vapid(const std::string& data_dir, const VapidSettings& settings, Random& random) {
  std::string subject = settings.subject.value_or(std::string(kDefaultVapidSubject));
  if (!subject.starts_with("mailto:") && !subject.starts_with("https://")) {
    return invalid("VAPID_SUBJECT is a mailto: or https: URL");
  }
  if (subject.find_first_of("\"\\") != std::string::npos) return invalid("VAPID_SUBJECT has a quote");
  std::vector<uint8_t> scalar;
  if (settings.private_key) {
    auto decoded = from_base64url(*settings.private_key);
    if (!decoded) return invalid("VAPID_PRIVATE_KEY is not base64url");
    scalar = std::move(*decoded);
  } else {
    if (settings.public_key) return invalid("VAPID_PUBLIC_KEY is set without VAPID_PRIVATE_KEY");
    auto key = auth::load_or_create_key(data_dir + "/vapid.key", kPrivateKeyBytes, random);
    if (!key) return key.take_error();
    scalar = std::move(*key);
  }
  auto key = P256Key::from_private(scalar);
  if (!key) return Error{key.error().code, "VAPID key: " + key.error().message};
  Vapid vapid(std::move(*key), std::move(subject));
  if (settings.public_key) {
    auto given = from_base64url(*settings.public_key);
    if (!given || !std::equal(given->begin(), given->end(), vapid.key().public_key().begin(), vapid.key().public_key().end())) {
      return invalid("VAPID_PUBLIC_KEY is not the public key of VAPID_PRIVATE_KEY");
    }
  }
  return vapid;
}

}  // namespace hearth::server::push
