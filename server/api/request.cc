#include "server/api/request.h"

namespace hearth::server::api {

std::optional<std::string> JsonWrite::required_string(std::string_view key, Respond& respond,
                                                      std::string_view message) const {
  auto value = get_string(body, key);
  if (!value) {
    respond(message.empty() ? bad_request(std::string(key) + " is required", version) : bad_request(message, version));
  }
  return value;
}

std::optional<JsonWrite> json_body(ApiContext::Who who, const http::RequestContext& ctx, Respond& respond) {
  auto body = parse_object(ctx.request, respond);
  if (!body) return std::nullopt;
  return JsonWrite{std::move(who), ctx.request.version(), std::move(*body)};
}

std::optional<JsonWrite> json_write(ApiContext& api, http::RequestContext& ctx, Respond& respond) {
  auto who = api.authenticate(ctx, respond, true);
  if (!who) return std::nullopt;
  return json_body(std::move(*who), ctx, respond);
}

std::optional<JsonWrite> member_json_write(ApiContext& api, http::RequestContext& ctx, Respond& respond, RoomId& room,
                                           std::optional<MessageId>* message) {
  auto who = api.member_for_write(ctx, respond, room, message);
  if (!who) return std::nullopt;
  return json_body(std::move(*who), ctx, respond);
}

http::Response bad_request(std::string_view message, unsigned version) {
  return error(HS::bad_request, "bad_request", message, version);
}

}  // namespace hearth::server::api
