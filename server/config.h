#pragma once
// The server's configuration, from four layers, each overriding the one before:
//   1. the defaults below;
//   2. a TOML file (`hearth serve --config FILE`, or HEARTH_CONFIG): top-level keys named as in
//      config_keys(), e.g. `port = 8080`, `trusted_proxies = ["10.0.0.0/8"]`;
//   3. environment variables HEARTH_<KEY> (upper case: HEARTH_PORT, HEARTH_TRUSTED_PROXIES as a
//      comma-separated list);
//   4. command-line flags --<key> with dashes (--port, --trusted-proxies, ...).
// Every layer goes through set_config_key(), so a key means the same thing, and is checked the
// same way, wherever it comes from. Errors name the key and the layer ("HEARTH_PORT: ...").
//
// No Beast or Asio here: cli/main.cc includes this.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/log/event_log.h"  // Durability

namespace hearth::server {

struct Config {
  std::string listen_address = "127.0.0.1";
  uint16_t port = 8080;  // 0: any free port (tests); Server::port() tells which
  std::string data_dir = "./data";
  Durability durability = Durability::kFull;
  int io_threads = 2;
  // Limits.
  uint64_t max_body_bytes = 1 << 20;  // a request body past this gets 413
  uint64_t max_upload_bytes = uint64_t{100} << 20;  // a file (attachment, avatar, logo) past this gets 413
  int max_connections = 10'000;       // accepted beyond this: closed at once
  int read_timeout_seconds = 30;      // a request (or keep-alive idle time) slower than this: closed
  int shutdown_timeout_seconds = 10;  // in-flight requests get this long after SIGTERM
  std::string web_root = "web";       // static files; relative to the working directory
  // Prometheus text at /metrics on its own listener (server/metrics.h), loopback by default: the
  // counters say how busy the server is and are nobody else's business. Off unless a port is
  // given: no port is free on every machine (9090, the usual exporter choice, is Prometheus' own).
  std::string metrics_address = "127.0.0.1";
  uint16_t metrics_port = 0;  // 0: no metrics listener
  // TLS, served directly on `port` (HTTPS and WSS; no plain HTTP there): both set or both empty.
  // PEM files, read once at start-up.
  std::string tls_cert;
  std::string tls_key;
  // Peers whose X-Forwarded-For is believed: addresses or CIDR blocks ("10.0.0.0/8", "::1").
  std::vector<std::string> trusted_proxies;
  bool log_json = false;
  // A PEM bundle trusted for Web Push endpoints instead of the system's (a private push service;
  // the tests' local one). Empty: the system's trust store.
  std::string push_ca_file;
  // Tests only: "127.0.0.1:PORT", one loopback address and port that the server's requests to
  // user-chosen URLs (Web Push endpoints, link previews) may reach although it is not public
  // (server/outgoing/address_guard.h). Empty, always in production: none.
  std::string test_outgoing_origin;
};

struct ConfigKey {
  std::string_view name;  // TOML key; env HEARTH_<NAME upper>; flag --<name with dashes>
  std::string_view help;
  bool list = false;      // trusted_proxies: a TOML array, a comma-separated env/flag value
};
const std::vector<ConfigKey>& config_keys();

// Sets one key from its text form ("8080", "full", "true", "a,b"). Errors say what was expected.
Status set_config_key(Config& config, std::string_view key, std::string_view value);

// Applies a TOML file's keys. An unknown key is an error (a typo must not be silently ignored).
Status apply_toml_file(Config& config, const std::string& path);
Status apply_toml_string(Config& config, std::string_view toml, std::string_view source_name);

// Applies HEARTH_<KEY> variables; `getenv` is injectable for tests.
using EnvLookup = std::function<const char*(const char*)>;
Status apply_env(Config& config, const EnvLookup& getenv);

// Checks what single keys cannot: TLS cert and key together, proxies parse, ports distinct.
Status validate(const Config& config);

std::string durability_name(Durability d);

// An address as the host part of a URL: IPv6 in brackets ("[::1]"), anything else as it is.
std::string url_host(const std::string& address);

}  // namespace hearth::server
