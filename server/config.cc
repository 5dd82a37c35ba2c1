#include "server/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <limits>

#include "server/client_address.h"
#include "server/outgoing/address_guard.h"

namespace hearth::server {
namespace {

Error bad(std::string_view key, std::string_view value, std::string_view expected) {
  return invalid(std::string(key) + ": '" + std::string(value) + "' is not " + std::string(expected));
}

template <class Int>
Status parse_int(std::string_view key, std::string_view v, Int min, Int max, Int& out) {
  Int n{};
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size() || n < min || n > max) {
    return bad(key, v, "an integer in " + std::to_string(min) + ".." + std::to_string(max));
  }
  out = n;
  return ok_status();
}

Status parse_bool(std::string_view key, std::string_view v, bool& out) {
  if (v == "true" || v == "1" || v == "yes" || v == "on") {
    out = true;
  } else if (v == "false" || v == "0" || v == "no" || v == "off") {
    out = false;
  } else {
    return bad(key, v, "a boolean (true/false)");
  }
  return ok_status();
}

std::vector<std::string> split_list(std::string_view v) {
  std::vector<std::string> out;
  while (!v.empty()) {
    auto comma = v.find(',');
    auto item = v.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    v.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace

const std::vector<ConfigKey>& config_keys() {
  static const std::vector<ConfigKey> keys = {
      {"listen_address", "Address to listen on (127.0.0.1; 0.0.0.0 or :: for every interface)"},
      {"port", "TCP port (0: any free port)"},
      {"data_dir", "Data directory (log.sqlite3, state.sqlite3); created if missing"},
      {"durability", "full (fsync each group commit, survives power loss) or normal"},
      {"io_threads", "Threads serving network IO"},
      {"max_body_bytes", "Largest request body; larger gets 413"},
      {"max_upload_bytes", "Largest uploaded file (attachment, avatar, logo); larger gets 413 and nothing is kept"},
      {"max_connections", "Open connections beyond this are closed at once"},
      {"read_timeout_seconds", "A request, or an idle keep-alive connection, slower than this is closed"},
      {"shutdown_timeout_seconds", "How long in-flight requests may take after SIGTERM"},
      {"web_root", "Folder of static files for the browser client"},
      {"metrics_address", "IPv4 address of the Prometheus /metrics listener"},
      {"metrics_port", "Port of the /metrics listener (0, the default: none)"},
      {"tls_cert", "TLS certificate chain file (PEM); with tls_key, the port serves only HTTPS/WSS"},
      {"tls_key", "TLS private key file (PEM)"},
      {"trusted_proxies", "Proxies whose X-Forwarded-For is believed (addresses or CIDR blocks)", true},
      {"log_json", "Log JSON lines instead of plain text"},
      {"push_ca_file", "PEM bundle trusted for Web Push endpoints instead of the system's"},
      {"test_outgoing_origin", "Tests only: a 127.x.x.x:PORT that Web Push and link previews may reach"},
  };
  return keys;
}

std::string durability_name(Durability d) { return d == Durability::kFull ? "full" : "normal"; }

std::string url_host(const std::string& address) {
  return address.find(':') != std::string::npos ? "[" + address + "]" : address;
}

Status set_config_key(Config& c, std::string_view key, std::string_view v) {
  constexpr int kMaxInt = std::numeric_limits<int>::max();
  if (key == "listen_address") {
    if (!IpAddress::parse(v)) return bad(key, v, "an IP address");
    c.listen_address = v;
  } else if (key == "port") {
    return parse_int<uint16_t>(key, v, 0, 65535, c.port);
  } else if (key == "data_dir") {
    if (v.empty()) return bad(key, v, "a directory");
    c.data_dir = v;
  } else if (key == "durability") {
    if (v == "full") {
      c.durability = Durability::kFull;
    } else if (v == "normal") {
      c.durability = Durability::kNormal;
    } else {
      return bad(key, v, "'full' or 'normal'");
    }
  } else if (key == "io_threads") {
    return parse_int(key, v, 1, 256, c.io_threads);
  } else if (key == "max_body_bytes") {
    return parse_int<uint64_t>(key, v, 1, uint64_t{1} << 40, c.max_body_bytes);
  } else if (key == "max_upload_bytes") {
    return parse_int<uint64_t>(key, v, 1, uint64_t{1} << 40, c.max_upload_bytes);
  } else if (key == "max_connections") {
    return parse_int(key, v, 1, kMaxInt, c.max_connections);
  } else if (key == "read_timeout_seconds") {
    return parse_int(key, v, 1, 86'400, c.read_timeout_seconds);
  } else if (key == "shutdown_timeout_seconds") {
    return parse_int(key, v, 0, 3'600, c.shutdown_timeout_seconds);
  } else if (key == "web_root") {
    if (v.empty()) return bad(key, v, "a directory");
    c.web_root = v;
  } else if (key == "metrics_address") {
    // IPv4 only: the metrics listener is civetweb (prometheus-cpp's pull side), and Debian
    // builds it without IPv6.
    if (!IpAddress::parse(v) || v.find(':') != std::string_view::npos) return bad(key, v, "an IPv4 address");
    c.metrics_address = v;
  } else if (key == "metrics_port") {
    return parse_int<uint16_t>(key, v, 0, 65535, c.metrics_port);
  } else if (key == "push_ca_file") {
    c.push_ca_file = v;
  } else if (key == "test_outgoing_origin") {
    if (!v.empty() && !outgoing::parse_test_allowance(v)) return bad(key, v, "a loopback 127.x.x.x:PORT");
    c.test_outgoing_origin = v;
  } else if (key == "tls_cert") {
    c.tls_cert = v;
  } else if (key == "tls_key") {
    c.tls_key = v;
  } else if (key == "trusted_proxies") {
    auto list = split_list(v);
    auto parsed = TrustedProxies::parse(list);
    if (!parsed.ok()) return invalid(std::string(key) + ": " + parsed.error().message);
    c.trusted_proxies = std::move(list);
  } else if (key == "log_json") {
    return parse_bool(key, v, c.log_json);
  } else {
    return invalid("unknown configuration key '" + std::string(key) + "'");
  }
  return ok_status();
}

Status apply_toml_string(Config& c, std::string_view text, std::string_view source_name) {
  toml::table table;
  try {
    table = toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return invalid(std::string(source_name) + ":" + std::to_string(where.line) + ":" +
                   std::to_string(where.column) + ": " + std::string(e.description()));
  }
  for (const auto& [k, node] : table) {
    std::string key(k.str());
    std::string prefix = std::string(source_name) + ": ";
    std::string value;
    if (auto s = node.value_exact<std::string>()) {
      value = *s;
    } else if (auto i = node.value_exact<int64_t>()) {
      value = std::to_string(*i);
    } else if (auto b = node.value_exact<bool>()) {
      value = *b ? "true" : "false";
    } else if (const auto* array = node.as_array()) {
      for (const auto& item : *array) {
        auto s2 = item.value_exact<std::string>();
        if (!s2 || s2->find(',') != std::string::npos) {
          return invalid(prefix + key + ": every item must be a string without commas");
        }
        value += (value.empty() ? "" : ",") + *s2;
      }
    } else {
      return invalid(prefix + key + ": expected a string, an integer, a boolean or an array");
    }
    auto is_list = std::any_of(config_keys().begin(), config_keys().end(),
                               [&](const ConfigKey& ck) { return ck.name == key && ck.list; });
    if (node.is_array() != is_list && std::any_of(config_keys().begin(), config_keys().end(),
                                                  [&](const ConfigKey& ck) { return ck.name == key; })) {
      return invalid(prefix + key + (is_list ? ": expected an array of strings" : ": expected a single value"));
    }
    auto s = set_config_key(c, key, value);
    if (!s.ok()) return invalid(prefix + s.error().message);
  }
  return ok_status();
}

Status apply_toml_file(Config& c, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return invalid(path + ": cannot read the configuration file");
  std::ostringstream text;
  text << in.rdbuf();
  return apply_toml_string(c, text.str(), path);
}

Status apply_env(Config& c, const EnvLookup& getenv) {
  for (const auto& k : config_keys()) {
    std::string name = "HEARTH_";
    for (char ch : k.name) name += static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 'a' + 'A' : ch);
    const char* v = getenv(name.c_str());
    if (v == nullptr) continue;
    auto s = set_config_key(c, k.name, v);
    if (!s.ok()) return invalid(name + ": " + s.error().message);
  }
  return ok_status();
}

Status validate(const Config& c) {
  if (c.tls_cert.empty() != c.tls_key.empty()) {
    return invalid("tls_cert and tls_key must be set together");
  }
  if (c.metrics_port != 0 && c.port != 0 && c.metrics_port == c.port && c.metrics_address == c.listen_address) {
    return invalid("metrics_port must differ from port");
  }
  auto proxies = TrustedProxies::parse(c.trusted_proxies);
  if (!proxies.ok()) return invalid("trusted_proxies: " + proxies.error().message);
  return ok_status();
}

}  // namespace hearth::server
