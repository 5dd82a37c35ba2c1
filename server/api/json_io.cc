#include "server/api/json_io.h"

#include <spdlog/spdlog.h>

#include <boost/beast/http/field.hpp>

#include <charconv>

#include "server/message_commands.h"

namespace hearth::server::api {

using http::bhttp::field;

Response json_response(HS status, const json::value& body, unsigned version) {
  Response res{status, version};
  res.set(field::content_type, "application/json");
  res.set(field::cache_control, "no-store");
  res.body() = json::serialize(body);
  res.prepare_payload();
  return res;
}

Response error(HS status, std::string_view code, std::string_view message, unsigned version) {
  // keep_alive is decided by the session; an error is no reason to drop the connection.
  return http::error_response(status, code, message, version, true);
}

Response from_error(const Error& e, unsigned version) {
  auto code = client_error_code(e.code);
  switch (e.code) {
    case ErrorCode::kNotFound: return error(HS::not_found, code, e.message, version);
    case ErrorCode::kForbidden: return error(HS::forbidden, code, e.message, version);
    case ErrorCode::kConflict: return error(HS::conflict, code, e.message, version);
    case ErrorCode::kInvalid: return error(HS::unprocessable_entity, code, e.message, version);
    case ErrorCode::kUnavailable: return error(HS::service_unavailable, code, e.message, version);
    case ErrorCode::kCorruption:
    case ErrorCode::kIo: break;
  }
  spdlog::error("api: {}", e.to_string());
  return error(HS::internal_server_error, "internal", "Internal error", version);
}

std::optional<std::string_view> header(const Request& req, std::string_view name) {
  auto it = req.find(name);
  if (it == req.end()) return std::nullopt;
  return it->value();
}

std::optional<int64_t> to_int(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

std::optional<std::string_view> query_param(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    auto amp = query.find('&');
    auto part = query.substr(0, amp);
    auto eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) return part.substr(eq + 1);
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

// The JSON object body, or nullopt (and the 400 already sent).
std::optional<json::object> parse_object(const Request& req, Respond& respond) {
  boost::system::error_code ec;
  json::value v = json::parse(req.body(), ec);
  if (ec || !v.is_object()) {
    respond(error(HS::bad_request, "bad_request", "The body must be a JSON object", req.version()));
    return std::nullopt;
  }
  return std::move(v.as_object());
}

std::optional<std::string> get_string(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return std::nullopt;
  return std::string(it->value().as_string());
}

std::optional<std::vector<UserId>> get_ids(const json::object& o, std::string_view key) {
  std::vector<UserId> out;
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return out;
  if (!it->value().is_array()) return std::nullopt;
  for (const auto& x : it->value().as_array()) {
    if (!x.is_int64()) return std::nullopt;
    out.push_back(UserId(x.as_int64()));
  }
  return out;
}

}  // namespace hearth::server::api
