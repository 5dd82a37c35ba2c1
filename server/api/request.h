#pragma once
// The prologue the API's JSON writes share: the caller (signed in, Origin and CSRF checked by
// ApiContext::authenticate, or a member of the path's room by member_for_write), then the body,
// which must be a JSON object, then its required fields. Each step answers its own refusal with
// the status, code and text the routes have always given (401 / 403 csrf / 404 / 400 "The body
// must be a JSON object" / 400 "<field> is required"), so a route reads:
//
//   auto w = json_write(api, ctx, respond);
//   if (!w) return;
//   auto name = w->required_string("name", respond);
//   if (!name) return;
#include <optional>
#include <string>
#include <string_view>

#include "server/api/context.h"

namespace hearth::server::api {

struct JsonWrite {
  ApiContext::Who who;
  unsigned version;  // the request's HTTP version, for every answer
  json::object body;

  // The string field `key`, or nullopt with 400 bad_request answered: `message`, or
  // "<key> is required" when it is empty.
  std::optional<std::string> required_string(std::string_view key, Respond& respond,
                                             std::string_view message = {}) const;
};

// A state-changing request's signed-in caller and JSON object body, or nullopt with the refusal
// answered.
std::optional<JsonWrite> json_write(ApiContext& api, http::RequestContext& ctx, Respond& respond);

// The same for a write to the path's `:room` (and `:id`, when `message` is given): the caller must
// be a member (ApiContext::member_for_write), checked before the body is read.
std::optional<JsonWrite> member_json_write(ApiContext& api, http::RequestContext& ctx, Respond& respond, RoomId& room,
                                           std::optional<MessageId>* message = nullptr);

// The body alone, for a route that checks more than the caller (its path) before reading it.
std::optional<JsonWrite> json_body(ApiContext::Who who, const http::RequestContext& ctx, Respond& respond);

// 400 bad_request: fields that are missing, of the wrong type or do not fit together.
http::Response bad_request(std::string_view message, unsigned version);

}  // namespace hearth::server::api
