#include "server/outgoing/target_url.h"

namespace hearth::server::outgoing {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != b[i]) return false;
  }
  return true;
}

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

std::optional<uint16_t> parse_port(std::string_view s) {
  if (s.empty() || s.size() > 5) return std::nullopt;
  unsigned v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  if (v == 0 || v > 65535) return std::nullopt;
  return static_cast<uint16_t>(v);
}

// The host part of the authority, into `out`; false when refused.
bool parse_host(std::string_view host, TargetUrl& out) {
  if (host.empty()) return false;
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return false;
    auto v6 = parse_ipv6(host.substr(1, host.size() - 2));
    if (!v6) return false;
    out.literal = v6;
    out.host = to_string(*v6);
    return true;
  }
  std::string name;
  for (char c : host) {
    char l = lower(c);
    if (!name_char(l)) return false;
    name.push_back(l);
  }
  if (name.size() > 253 || name.front() == '.' || name.find("..") != std::string::npos) return false;
  bool numeric = false;
  auto v4 = parse_ipv4_host(name, &numeric);
  if (numeric && !v4) return false;  // looks like an address but is not one: never a name
  if (v4) {
    out.literal = v4;
    out.host = to_string(*v4);
    return true;
  }
  if (name.back() == '.') name.pop_back();  // "example.com." is example.com
  if (name.empty()) return false;
  out.host = std::move(name);
  return true;
}

}  // namespace

std::optional<TargetUrl> parse_target_url(std::string_view url) {
  if (url.size() > kMaxUrlBytes) return std::nullopt;
  TargetUrl out;
  size_t colon = url.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view scheme = url.substr(0, colon);
  if (iequals(scheme, "https")) out.https = true;
  else if (!iequals(scheme, "http")) return std::nullopt;
  out.port = out.https ? 443 : 80;
  std::string_view after = url.substr(colon + 1);
  if (!after.starts_with("//")) return std::nullopt;
  after.remove_prefix(2);
  if (after.find('\\') != std::string_view::npos) return std::nullopt;
  size_t end = after.find_first_of("/?#");
  std::string_view authority = after.substr(0, end);
  std::string_view rest = end == std::string_view::npos ? std::string_view() : after.substr(end);
  if (authority.find('@') != std::string_view::npos) return std::nullopt;  // userinfo
  std::string_view host = authority;
  size_t port_colon = authority.rfind(':');
  size_t bracket = authority.rfind(']');
  if (port_colon != std::string_view::npos && (bracket == std::string_view::npos || port_colon > bracket)) {
    auto port = parse_port(authority.substr(port_colon + 1));
    if (!port) return std::nullopt;
    out.port = *port;
    host = authority.substr(0, port_colon);
  }
  if (!parse_host(host, out)) return std::nullopt;
  size_t hash = rest.find('#');
  if (hash != std::string_view::npos) rest = rest.substr(0, hash);
  if (rest.empty() || rest.front() != '/') out.rest = "/";
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : rest) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) {
      out.rest.push_back('%');
      out.rest.push_back(kHex[u >> 4]);
      out.rest.push_back(kHex[u & 15]);
    } else {
      out.rest.push_back(c);
    }
  }
  std::string host_text = out.literal && out.literal->v6 ? "[" + out.host + "]" : out.host;
  bool default_port = out.port == (out.https ? 443 : 80);
  out.text = (out.https ? "https://" : "http://") + host_text + (default_port ? "" : ":" + std::to_string(out.port)) +
             out.rest;
  if (out.text.size() > kMaxUrlBytes) return std::nullopt;
  return out;
}

}  // namespace hearth::server::outgoing
