#include "server/http/types.h"

#include <boost/beast/http/field.hpp>

namespace hearth::server::http {

std::string json_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        // Bytes >= 0x80 are escaped too (as if Latin-1): a message may quote a request path, and
        // JSON must stay valid whatever bytes the client sent.
        if (c < 0x20 || c >= 0x80) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xf];
        } else {
          out += ch;
        }
    }
  }
  return out;
}

Response error_response(Status status, std::string_view code, std::string_view message, unsigned version,
                        bool keep_alive) {
  Response res{status, version};
  res.set(bhttp::field::content_type, "application/json");
  res.set(bhttp::field::cache_control, "no-store");
  res.body() = "{\"error\":{\"code\":\"" + json_escape(code) + "\",\"message\":\"" + json_escape(message) + "\"}}";
  res.keep_alive(keep_alive);
  res.prepare_payload();
  return res;
}

}  // namespace hearth::server::http
