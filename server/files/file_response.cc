#include "server/files/file_response.h"

#include <boost/beast/http/field.hpp>

#include <fstream>
#include <iterator>

namespace hearth::server::files {

using boost::beast::http::field;

namespace {

void set_safety_headers(http::Response& res, std::string_view content_type, std::string_view cache_control) {
  res.set(field::content_type, content_type);
  res.set(field::cache_control, cache_control);
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox");
  res.set("Cross-Origin-Resource-Policy", "same-origin");
}

}  // namespace

std::string attachment_disposition(std::string_view filename) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string ascii, encoded;
  for (char c : filename) {
    auto u = static_cast<unsigned char>(c);
    bool plain = u >= 0x20 && u < 0x7f && c != '"' && c != '\\' && c != '%';
    ascii.push_back(plain ? c : '_');
    bool attr = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                std::string_view("!#$&+-.^_`|~").find(c) != std::string_view::npos;
    if (attr) {
      encoded.push_back(c);
    } else {
      encoded += '%';
      encoded += kHex[u >> 4];
      encoded += kHex[u & 15];
    }
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

http::Response file_response(const std::filesystem::path& path, std::string_view content_type, Disposition disposition,
                             std::string_view filename, std::string_view cache_control, unsigned version) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return http::error_response(http::Status::not_found, "not_found", "No such file", version);
  http::Response res{http::Status::ok, version};
  res.body().assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  set_safety_headers(res, content_type, cache_control);
  if (disposition == Disposition::kAttachment) res.set(field::content_disposition, attachment_disposition(filename));
  res.prepare_payload();
  return res;
}

http::Response bytes_response(std::string body, std::string_view content_type, std::string_view cache_control,
                              unsigned version) {
  http::Response res{http::Status::ok, version};
  res.body() = std::move(body);
  set_safety_headers(res, content_type, cache_control);
  res.prepare_payload();
  return res;
}

}  // namespace hearth::server::files
