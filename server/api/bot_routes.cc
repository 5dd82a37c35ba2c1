// The bot API (CAMPFIRE.md 2.15), wire-compatible with Campfire so that a bot written for it works
// here unchanged: the same paths (no /api prefix; the key is a path segment), raw request bodies
// (the body *is* the message or the boost), the same status codes, headers and JSON shapes.
//
// Authentication is the key alone (server/auth/bot_key.h): it must parse, name an active bot and
// match its token in constant time. Any other key — the empty token "7-", a person's id, a
// deactivated bot, a wrong token — is a 302 to sign-in, as Campfire answers, never a hint which
// part was wrong. A session cookie plays no part and CSRF is not asked for: the key is the
// credential and no browser sends it on its own. The bot must be a member of the room (404
// otherwise), and edits, deletions and boost removals reach only its own messages and boosts.
//
// Message bodies go through the one body policy (server/message_commands.h). Each POST gets a
// fresh command id: a bot has no idempotency key to send, and Campfire posts every request.
#include <sodium.h>

#include "server/api/bot_api_json.h"
#include "core/sequencer/sequencer.h"
#include "server/api/context.h"
#include "server/api/routes.h"
#include "server/auth/bot_key.h"
#include "server/files/form_upload.h"
#include "server/files/pinned_blob.h"
#include "server/http/router.h"
#include "server/message_commands.h"

namespace hearth::server::api {
namespace {

using http::bhttp::field;

constexpr int kPageSize = 40;

// The request's origin, for the absolute URLs Campfire answers with (Location, Link, url).
std::string origin_of(const http::RequestContext& ctx) {
  return std::string(ctx.secure ? "https://" : "http://") + std::string(header(ctx.request, "Host").value_or("localhost"));
}

Response redirect_to_sign_in(const http::RequestContext& ctx) {
  Response res{HS::found, ctx.request.version()};
  res.set(field::location, origin_of(ctx) + "/session/new");
  res.set(field::cache_control, "no-store");
  res.prepare_payload();
  return res;
}

Response empty(HS status, unsigned version) {
  Response res{status, version};
  res.set(field::cache_control, "no-store");
  res.prepare_payload();
  return res;
}

Response not_found(unsigned version) { return error(HS::not_found, "not_found", "No such room or message", version); }

// The authenticated bot in the path's room: the key checked, then membership. On refusal the
// answer is sent and nullopt returned.
struct BotCall {
  UserId bot;
  RoomId room;
  std::string origin;
};

std::optional<BotCall> bot_in_room(ApiContext& api, http::RequestContext& ctx, Respond& respond) {
  unsigned version = ctx.request.version();
  auto key = auth::parse_bot_key(ctx.params.get("bot_key"));
  if (!key.ok()) {
    respond(redirect_to_sign_in(ctx));
    return std::nullopt;
  }
  auto l = api.lease();
  if (!l.ok()) {
    respond(from_error(l.error(), version));
    return std::nullopt;
  }
  sqlite::Db& db = (*l)->db();
  auto s = db.prepare("SELECT bot_token_hash FROM users WHERE id = ? AND role = 2 AND status = 0");
  if (!s.ok()) {
    respond(from_error(s.error(), version));
    return std::nullopt;
  }
  s->bind(1, key->user.value);
  auto row = s->step();
  if (!row.ok()) {
    respond(from_error(row.error(), version));
    return std::nullopt;
  }
  if (!*row || s->col_null(0) || !auth::bot_token_matches(key->token, s->col_text(0))) {
    respond(redirect_to_sign_in(ctx));
    return std::nullopt;
  }
  auto room = to_int(ctx.params.get("room"));
  hearth::Status st = ok_status();
  if (!room || !ApiContext::is_member(db, RoomId(*room), key->user, st)) {
    respond(st.ok() ? not_found(version) : from_error(st.error(), version));
    return std::nullopt;
  }
  return BotCall{key->user, RoomId(*room), origin_of(ctx)};
}

// A fresh idempotency key for one POST (the sequencer requires one for PostMessage).
std::string fresh_command_id() {
  unsigned char bytes[16];
  randombytes_buf(bytes, sizeof bytes);
  char hex[sizeof bytes * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return std::string("bot-") + hex;
}

// ---- GET /rooms/:room/:bot_key/messages[?before=|after=] ----

void list_messages(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto call = bot_in_room(api, ctx, respond);
  if (!call) return;
  unsigned version = ctx.request.version();
  std::string_view mode;
  std::optional<int64_t> cursor;
  for (std::string_view m : {"before", "after"}) {
    if (auto v = query_param(ctx.query, m)) {
      mode = m;
      cursor = to_int(*v);
      if (!cursor) return respond(not_found(version));
      break;
    }
  }
  auto l = api.lease();
  if (!l.ok()) return respond(from_error(l.error(), version));
  auto page = read_bot_page((*l)->db(), call->room, mode, cursor, kPageSize, call->origin);
  if (!page.ok()) return respond(from_error(page.error(), version));
  if (!*page) return respond(not_found(version));
  auto res = json_response(HS::ok, (*page)->messages, version);
  res.set("X-Total-Count", std::to_string((*page)->total));
  if ((*page)->next_cursor) {
    std::string next = call->origin + "/rooms/" + std::to_string(call->room.value) + "/" +
                       std::string(ctx.params.get("bot_key")) + "/messages?" +
                       std::string(mode == "after" ? "after=" : "before=") + std::to_string(*(*page)->next_cursor);
    res.set(field::link, "<" + next + ">; rel=\"next\"");
  }
  res.prepare_payload();
  respond(std::move(res));
}

// ---- POST /rooms/:room/:bot_key/messages ----

// `curl -F "attachment=@file"` (CAMPFIRE.md 2.15): the file, streamed into the store as it came
// (files/form_upload.h), posted as the bot's attachment message, as the browser's attachment post.
void create_with_file(ApiContext& api, const BotCall& call, std::shared_ptr<files::FormUpload> form,
                      std::string location, unsigned version, Respond respond) {
  if (form->outcome() != files::FormUpload::Outcome::kOk) return respond(form->error_response(version));
  auto file = form->take_file();
  // No file is a post with nothing in it: 422, as a blank text body.
  if (!file || file->field != "attachment") {
    return respond(error(HS::unprocessable_entity, "invalid", "Send the file as the field `attachment`", version));
  }
  auto job = [&api, version, call, location = std::move(location), present = api.presence().present_in(call.room),
              file = std::make_shared<files::FormUpload::File>(std::move(*file))](Respond r) mutable {
    // Decoding and thumbnailing run here, on the pool, never on an IO thread.
    auto blob = files::store_pinned_upload(api.reaper(), api.blobs(), std::move(file->writer), file->filename,
                                           file->content_type);
    if (!blob.ok()) return r(from_error(blob.error(), version));
    CommandEnvelope command = server::post_message(call.bot, fresh_command_id(), call.room, "", std::move(present));
    files::submit_with_blob(api.sequencer(), std::move(command), std::move(*blob),
                            [r = std::move(r), location, version](Outcome o) mutable {
                              if (!o.ok()) return r(from_error(o.error(), version));
                              auto res = empty(HS::created, version);
                              res.set(field::location, location + std::to_string(o->id));
                              r(std::move(res));
                            });
  };
  api.queue_image_job(respond, version, std::move(job));
}

void create(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto call = bot_in_room(api, ctx, respond);
  if (!call) return;
  unsigned version = ctx.request.version();
  std::string location = call->origin + "/messages/";
  if (auto form = std::dynamic_pointer_cast<files::FormUpload>(ctx.streamed_body)) {
    return create_with_file(api, *call, std::move(form), std::move(location), version, std::move(respond));
  }
  if (header(ctx.request, "Content-Type").value_or("").starts_with("multipart/form-data")) {
    return respond(error(HS::bad_request, "bad_request", "A multipart body needs a boundary", version));
  }
  // A blank body sanitizes to nothing, which the sequencer refuses as invalid: 422, as Campfire.
  auto command = server::post_message(call->bot, fresh_command_id(), call->room, ctx.request.body(),
                                      api.presence().present_in(call->room));
  api.sequencer().submit(std::move(command), [respond = std::move(respond), location, version](Outcome o) mutable {
    if (!o.ok()) return respond(from_error(o.error(), version));
    auto res = empty(HS::created, version);
    res.set(field::location, location + std::to_string(o->id));
    respond(std::move(res));
  });
}

// The path's message, in the path's room, written by the bot itself; or the refusal sent: 404 for
// a message that is not in the room, 403 for someone else's (Campfire: only its own).
std::optional<MessageId> own_message(ApiContext& api, http::RequestContext& ctx, Respond& respond,
                                     const BotCall& call, std::string_view param) {
  unsigned version = ctx.request.version();
  auto id = to_int(ctx.params.get(param));
  if (!id) {
    respond(not_found(version));
    return std::nullopt;
  }
  auto l = api.lease();
  if (!l.ok()) {
    respond(from_error(l.error(), version));
    return std::nullopt;
  }
  auto s = (*l)->db().prepare("SELECT creator_id FROM messages WHERE id = ? AND room_id = ?");
  if (!s.ok()) {
    respond(from_error(s.error(), version));
    return std::nullopt;
  }
  s->bind(1, *id).bind(2, call.room.value);
  auto row = s->step();
  if (!row.ok()) {
    respond(from_error(row.error(), version));
    return std::nullopt;
  }
  if (!*row) {
    respond(not_found(version));
    return std::nullopt;
  }
  if (s->col_int(0) != call.bot.value) {
    respond(error(HS::forbidden, "forbidden", "A bot may change only its own messages", version));
    return std::nullopt;
  }
  return MessageId(*id);
}

// ---- PATCH/PUT /rooms/:room/:bot_key/messages/:id ----

void update(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto call = bot_in_room(api, ctx, respond);
  if (!call) return;
  auto message = own_message(api, ctx, respond, *call, "id");
  if (!message) return;
  unsigned version = ctx.request.version();
  auto command = server::edit_message(call->bot, "", *message, ctx.request.body());
  // Answered with the message as it now reads: after the completion the projection holds the edit.
  api.sequencer().submit(std::move(command), [respond = std::move(respond), state = api.state_path(), version,
                                              room = call->room, id = *message, origin = call->origin](Outcome o) mutable {
    if (!o.ok()) return respond(from_error(o.error(), version));
    auto db = sqlite::Db::open(state, sqlite::Db::Mode::kReadOnly);
    if (!db.ok()) return respond(from_error(db.error(), version));
    auto json = read_message_json(*db, room, id, origin);
    if (!json.ok()) return respond(from_error(json.error(), version));
    if (!*json) return respond(not_found(version));
    respond(json_response(HS::ok, **json, version));
  });
}

// ---- DELETE /rooms/:room/:bot_key/messages/:id ----

void destroy(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto call = bot_in_room(api, ctx, respond);
  if (!call) return;
  auto message = own_message(api, ctx, respond, *call, "id");
  if (!message) return;
  unsigned version = ctx.request.version();
  api.sequencer().submit(server::remove_message(call->bot, "", *message),
                         [respond = std::move(respond), version](Outcome o) mutable {
                           if (!o.ok()) return respond(from_error(o.error(), version));
                           respond(empty(HS::no_content, version));
                         });
}

// ---- POST /rooms/:room/:bot_key/messages/:message_id/boosts ----

void boost(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto call = bot_in_room(api, ctx, respond);
  if (!call) return;
  unsigned version = ctx.request.version();
  auto id = to_int(ctx.params.get("message_id"));
  auto l = api.lease();
  if (!l.ok()) return respond(from_error(l.error(), version));
  auto in_room = id ? message_in_room((*l)->db(), MessageId(*id), call->room) : Result<bool>(false);
  if (!in_room.ok()) return respond(from_error(in_room.error(), version));
  if (!*in_room) return respond(not_found(version));
  // Any member may boost any message of the room; the sequencer refuses blank or over-long content.
  api.sequencer().submit(
      CommandEnvelope{call->bot, "", cmd::AddBoost{MessageId(*id), std::string(ctx.request.body())}},
      [respond = std::move(respond), state = api.state_path(), version, room = call->room,
       origin = call->origin](Outcome o) mutable {
        if (!o.ok()) return respond(from_error(o.error(), version));
        auto db = sqlite::Db::open(state, sqlite::Db::Mode::kReadOnly);
        if (!db.ok()) return respond(from_error(db.error(), version));
        auto json = read_boost_json(*db, room, BoostId(o->id), origin);
        if (!json.ok()) return respond(from_error(json.error(), version));
        if (!*json) return respond(not_found(version));
        respond(json_response(HS::created, **json, version));
      });
}

// ---- DELETE /rooms/:room/:bot_key/messages/:message_id/boosts/:id ----

void unboost(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto call = bot_in_room(api, ctx, respond);
  if (!call) return;
  unsigned version = ctx.request.version();
  auto message = to_int(ctx.params.get("message_id"));
  auto boost = to_int(ctx.params.get("id"));
  if (!message || !boost) return respond(not_found(version));
  auto l = api.lease();
  if (!l.ok()) return respond(from_error(l.error(), version));
  // Only its own boost of that message in that room; anything else is "not found", as Campfire.
  auto s = (*l)->db().prepare("SELECT 1 FROM boosts WHERE id = ? AND message_id = ? AND room_id = ? AND booster_id = ?");
  if (!s.ok()) return respond(from_error(s.error(), version));
  s->bind(1, *boost).bind(2, *message).bind(3, call->room.value).bind(4, call->bot.value);
  auto row = s->step();
  if (!row.ok()) return respond(from_error(row.error(), version));
  if (!*row) return respond(error(HS::not_found, "not_found", "No such boost", version));
  api.sequencer().submit(CommandEnvelope{call->bot, "", cmd::RemoveBoost{BoostId(*boost)}},
                         [respond = std::move(respond), version](Outcome o) mutable {
                           if (!o.ok()) return respond(from_error(o.error(), version));
                           respond(empty(HS::no_content, version));
                         });
}

}  // namespace

void add_bot_routes(http::Router& router, ApiContext& api) {
  using http::Verb;
  ApiContext* p = &api;
  const char* messages = "/rooms/:room/:bot_key/messages";
  const char* message = "/rooms/:room/:bot_key/messages/:id";
  router.add(Verb::get, messages, [p](auto& ctx, Respond r) { list_messages(*p, ctx, std::move(r)); });
  router.add_streamed(Verb::post, messages, files::form_upload_factory(api.blobs(), api.max_upload_bytes()),
                      [p](auto& ctx, Respond r) { create(*p, ctx, std::move(r)); });
  router.add(Verb::patch, message, [p](auto& ctx, Respond r) { update(*p, ctx, std::move(r)); });
  router.add(Verb::put, message, [p](auto& ctx, Respond r) { update(*p, ctx, std::move(r)); });
  router.add(Verb::delete_, message, [p](auto& ctx, Respond r) { destroy(*p, ctx, std::move(r)); });
  router.add(Verb::post, "/rooms/:room/:bot_key/messages/:message_id/boosts",
             [p](auto& ctx, Respond r) { boost(*p, ctx, std::move(r)); });
  router.add(Verb::delete_, "/rooms/:room/:bot_key/messages/:message_id/boosts/:id",
             [p](auto& ctx, Respond r) { unboost(*p, ctx, std::move(r)); });
}

}  // namespace hearth::server::api
