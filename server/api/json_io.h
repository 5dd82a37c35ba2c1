#pragma once
// The JSON edges every API route shares: answers (a JSON body, a typed error, a sequencer error
// mapped to its status and stable code — docs/api.md "Errors") and the reading of request bodies,
// path ids and query parameters. Beast's HTTP types come from server/http/types.h; this header is
// included only by the API's own .cc files.
#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/ids.h"
#include "core/base/result.h"
#include "server/http/router.h"
#include "server/http/types.h"

namespace hearth::server::api {

namespace json = boost::json;
// The names every route file uses.
using http::Request;
using http::Respond;
using http::Response;
using HS = http::Status;

http::Response json_response(http::Status status, const json::value& body, unsigned version = 11);
http::Response error(http::Status status, std::string_view code, std::string_view message, unsigned version = 11);
http::Response from_error(const Error& e, unsigned version);

std::optional<std::string_view> header(const http::Request& req, std::string_view name);
// A positive decimal id, or nullopt.
std::optional<int64_t> to_int(std::string_view s);
// The raw (still percent-encoded) value of `name` in a query string.
std::optional<std::string_view> query_param(std::string_view query, std::string_view name);

// The JSON object body, or nullopt with the 400 already sent.
std::optional<json::object> parse_object(const http::Request& req, http::Respond& respond);
std::optional<std::string> get_string(const json::object& o, std::string_view key);
// A list of ids; absent or null is an empty list; anything else but integers is nullopt.
std::optional<std::vector<UserId>> get_ids(const json::object& o, std::string_view key);

}  // namespace hearth::server::api
