// Boosts (CAMPFIRE.md 2.12): any member of the message's room adds one — one of the 8 quick emoji
// or free text of at most 16 characters with a non-space — as often as they like; only the booster
// removes it. The sequencer decides both (core/sequencer/decide_messages.cc); these routes only
// check that the path names a message of a room the user is in, and a boost of that message.
#include "server/api/routes.h"

#include "server/api/context.h"
#include "server/api/request.h"
#include "server/http/router.h"

namespace hearth::server::api {
namespace {

void add_boost(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  RoomId room;
  std::optional<MessageId> message;
  auto w = member_json_write(api, ctx, respond, room, &message);
  if (!w) return;
  auto content = w->required_string("content", respond);
  if (!content) return;
  // No command id: like an edit over HTTP, a boost sent twice is two boosts (Campfire allows that).
  api.answer_ack(CommandEnvelope{w->who.user, "", cmd::AddBoost{*message, std::move(*content)}}, HS::created,
                 w->version, std::move(respond));
}

// Whether `boost` belongs to `message`: the path must name the boost's own message, so a boost
// can't be reached through another room the user happens to be in.
Result<bool> boost_of(ApiContext& api, BoostId boost, MessageId message) {
  auto l = api.lease();
  if (!l.ok()) return l.take_error();
  auto s = (*l)->db().prepare("SELECT 1 FROM boosts WHERE id = ? AND message_id = ?");
  if (!s.ok()) return s.take_error();
  s->bind(1, boost.value).bind(2, message.value);
  return s->step();
}

void remove_boost(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  RoomId room;
  std::optional<MessageId> message;
  auto who = api.member_for_write(ctx, respond, room, &message);
  if (!who) return;
  unsigned version = ctx.request.version();
  auto boost = to_int(ctx.params.get("boost"));
  if (!boost) return respond(error(HS::not_found, "not_found", "No such boost", version));
  auto found = boost_of(api, BoostId(*boost), *message);
  if (!found.ok()) return respond(from_error(found.error(), version));
  if (!*found) return respond(error(HS::not_found, "not_found", "No such boost", version));
  // Someone else's boost is "not found" (the sequencer's answer, as Campfire's).
  api.answer_ack(CommandEnvelope{who->user, "", cmd::RemoveBoost{BoostId(*boost)}}, HS::ok, version,
                 std::move(respond));
}

}  // namespace

void add_boost_routes(http::Router& router, ApiContext& api) {
  using http::Verb;
  ApiContext* p = &api;
  router.add(Verb::post, "/api/rooms/:room/messages/:id/boosts",
             [p](auto& ctx, Respond r) { add_boost(*p, ctx, std::move(r)); });
  router.add(Verb::delete_, "/api/rooms/:room/messages/:id/boosts/:boost",
             [p](auto& ctx, Respond r) { remove_boost(*p, ctx, std::move(r)); });
}

}  // namespace hearth::server::api
