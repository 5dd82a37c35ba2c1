#include "server/files/file_response.h"

#include <boost/beast/http/field.hpp>

#include "server/files/byte_range.h"

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
                             std::string_view filename, std::string_view cache_control, const http::Request& request) {
  unsigned version = request.version();
  auto file = http::OpenFile::open(path);
  if (!file) return http::error_response(http::Status::not_found, "not_found", "No such file", version);
  uint64_t size = file->size();
  // If-Range names the version a client holds; we send no validator it could name, so a request
  // carrying one gets the whole file, as RFC 9110 13.1.5 asks of a validator that does not match.
  ByteRange range = request.count(field::if_range) != 0 ? ByteRange{} : byte_range(request[field::range], size);
  if (range.kind == ByteRange::Kind::kUnsatisfiable) {
    auto res = http::error_response(http::Status::range_not_satisfiable, "range_not_satisfiable",
                                    "The range starts past the end of the file", version);
    res.set(field::content_range, "bytes */" + std::to_string(size));
    return res;
  }
  http::Response res{http::Status::ok, version};
  http::FileSlice slice{std::move(file), 0, size};
  if (range.kind == ByteRange::Kind::kPart) {
    res.result(http::Status::partial_content);
    slice.offset = range.first;
    slice.length = range.length;
    res.set(field::content_range, "bytes " + std::to_string(range.first) + "-" +
                                      std::to_string(range.first + range.length - 1) + "/" + std::to_string(size));
  }
  res.body().file = std::move(slice);
  set_safety_headers(res, content_type, cache_control);
  res.set(field::accept_ranges, "bytes");
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
