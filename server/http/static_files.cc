#include "server/http/static_files.h"

#include <xxhash.h>

#include <boost/beast/http/field.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "server/http/router.h"

namespace hearth::server::http {
namespace fs = std::filesystem;
std::string etag_of(std::string_view content) {
  XXH128_hash_t h = XXH3_128bits(content.data(), content.size());
  char buf[40];
  std::snprintf(buf, sizeof buf, "\"%016llx%016llx\"", static_cast<unsigned long long>(h.high64),
                static_cast<unsigned long long>(h.low64));
  return buf;
}

// If-None-Match: "a", W/"b", *  — weak comparison (RFC 9110 13.1.2).
bool none_match_hits(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    auto comma = header.find(',');
    auto item = header.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.starts_with("W/")) item.remove_prefix(2);
    if (item == "*" || item == etag) return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

StaticFiles::StaticFiles(std::string root) : root_(std::move(root)) {}

std::optional<std::string> StaticFiles::resolve(std::string_view raw_path) {
  std::string decoded;
  if (!percent_decode(raw_path, decoded)) return std::nullopt;
  if (decoded.empty() || decoded.front() != '/') return std::nullopt;
  if (decoded.find('\0') != std::string::npos || decoded.find('\\') != std::string::npos) return std::nullopt;
  std::string out;
  std::string_view rest(decoded);
  rest.remove_prefix(1);
  bool directory = true;  // "/" and "/docs/" name a folder: serve its index.html
  while (!rest.empty()) {
    auto slash = rest.find('/');
    auto seg = rest.substr(0, slash);
    if (seg == "." || seg == "..") return std::nullopt;
    if (!seg.empty()) {
      if (!out.empty()) out += '/';
      out += seg;
    }
    directory = slash != std::string_view::npos || seg.empty();
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  if (directory) out += out.empty() ? "index.html" : "/index.html";
  return out;
}

std::string_view StaticFiles::content_type(std::string_view name) {
  struct Type {
    std::string_view ext, type;
  };
  static constexpr std::array<Type, 16> kTypes = {{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
  }};
  for (const auto& t : kTypes) {
    if (name.ends_with(t.ext)) return t.type;
  }
  return "application/octet-stream";
}

bool StaticFiles::is_hashed_name(std::string_view name) {
  auto slash = name.rfind('/');
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  auto last_dot = name.rfind('.');
  if (last_dot == std::string_view::npos || last_dot == 0) return false;
  auto stem = name.substr(0, last_dot);
  auto dot = stem.rfind('.');
  if (dot == std::string_view::npos) return false;
  auto hash = stem.substr(dot + 1);
  if (hash.size() < 8) return false;
  for (char c : hash) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool StaticFiles::is_client_route(std::string_view raw_path) {
  static constexpr std::array<std::string_view, 5> kPrefixes = {"/rooms/", "/join/", "/session/", "/first_run",
                                                                 "/users/"};
  if (raw_path == "/rooms" || raw_path == "/profile" || raw_path == "/search" || raw_path == "/account" ||
      raw_path == "/account/bots" || raw_path == "/account/people") {
    return true;
  }
  for (auto prefix : kPrefixes) {
    if (raw_path.starts_with(prefix)) return true;
  }
  return false;
}

Response StaticFiles::serve(const Request& request, std::string_view raw_path) const {
  if (is_client_route(raw_path)) raw_path = "/";
  unsigned version = request.version();
  bool keep_alive = request.keep_alive();
  auto rel = resolve(raw_path);
  auto not_found = [&] { return error_response(Status::not_found, "not_found", "No such file", version, keep_alive); };
  if (!rel) return not_found();
  std::error_code ec;
  fs::path root = fs::canonical(root_, ec);
  if (ec) return not_found();
  fs::path file = fs::canonical(root / *rel, ec);
  if (ec || !fs::is_regular_file(file, ec)) return not_found();
  // A symlink inside web/ must not lead outside it.
  auto [root_end, file_it] = std::mismatch(root.begin(), root.end(), file.begin(), file.end());
  if (root_end != root.end()) return not_found();
  (void)file_it;

  std::ifstream in(file, std::ios::binary);
  if (!in) return not_found();
  std::ostringstream content;
  content << in.rdbuf();
  std::string body = std::move(content).str();
  std::string etag = etag_of(body);

  Response res{Status::ok, version};
  res.set(bhttp::field::etag, etag);
  res.set(bhttp::field::cache_control,
          is_hashed_name(*rel) ? "public, max-age=31536000, immutable" : "no-cache");
  res.set("X-Content-Type-Options", "nosniff");
  res.keep_alive(keep_alive);
  auto inm = request[bhttp::field::if_none_match];
  if (!inm.empty() && none_match_hits(inm, etag)) {
    res.result(Status::not_modified);
    return res;  // no body, no Content-Length (RFC 9110 15.4.5)
  }
  res.set(bhttp::field::content_type, content_type(*rel));
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

}  // namespace hearth::server::http
