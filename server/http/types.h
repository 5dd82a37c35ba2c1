#pragma once
// The HTTP message types every handler sees. Beast's http headers only (no Asio, no sockets): the
// router, the handlers and their tests include this, the network code lives in session.cc.
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <string>
#include <string_view>

#include "server/http/response_body.h"

namespace hearth::server::http {

namespace bhttp = boost::beast::http;
using Request = bhttp::request<bhttp::string_body>;
// A string body, or a slice of an open file sent in chunks (response_body.h).
using Response = bhttp::response<ResponseBody>;
using Status = bhttp::status;
using Verb = bhttp::verb;

// Errors are JSON with a stable, machine-readable code and a human message:
//   {"error":{"code":"not_found","message":"No route for GET /nope"}}
// Codes are part of the API: clients switch on them, so they never change meaning. The ones used
// so far: bad_request, not_found, method_not_allowed, payload_too_large, not_ready, internal, and
// the API's (docs/api.md): unauthorized, csrf, forbidden, conflict, invalid, too_many_requests,
// busy, unavailable, range_not_satisfiable.
Response error_response(Status status, std::string_view code, std::string_view message,
                        unsigned version = 11, bool keep_alive = false);

// JSON string escaping (RFC 8259) for small hand-built bodies.
std::string json_escape(std::string_view s);

}  // namespace hearth::server::http
