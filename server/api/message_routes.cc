#include "server/api/routes.h"

#include <algorithm>

#include "server/api/context.h"
#include "server/http/router.h"
#include "server/message_commands.h"

namespace hearth::server::api {
namespace {

using http::bhttp::field;

constexpr int kPageSize = 40;

void messages_page(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto who = api.authenticate(ctx, respond, false);
  if (!who) return;
  unsigned version = ctx.request.version();
  auto room = to_int(ctx.params.get("room"));
  auto before = query_param(ctx.query, "before"), after = query_param(ctx.query, "after");
  std::optional<int64_t> cursor = before ? to_int(*before) : after ? to_int(*after) : std::nullopt;
  if (!room || ((before || after) && !cursor)) {
    return respond(error(HS::not_found, "not_found", "No such room or message", version));
  }
  auto l = api.lease();
  if (!l.ok()) return respond(from_error(l.error(), version));
  sqlite::Db& db = (*l)->db();
  auto read = [&]() -> Result<std::optional<json::object>> {
    HEARTH_TRY(db.exec("BEGIN"));
    auto finish = [&db] { (void)db.exec("COMMIT"); };
    hearth::Status st = ok_status();
    if (!ApiContext::is_member(db, RoomId(*room), who->user, st)) {
      finish();
      if (!st.ok()) return st.take_error();
      return std::optional<json::object>();
    }
    auto seq = db.query_int("SELECT applied_seq FROM meta WHERE id = 1");
    if (!seq.ok()) return finish(), seq.take_error();
    int64_t cursor_seq = 0;
    if (cursor) {
      auto c = db.prepare("SELECT seq FROM messages WHERE id = ? AND room_id = ?");
      if (!c.ok()) return finish(), c.take_error();
      c->bind(1, *cursor).bind(2, *room);
      auto row = c->step();
      if (!row.ok()) return finish(), row.take_error();
      if (!*row) return finish(), std::optional<json::object>();
      cursor_seq = c->col_int(0);
    }
    constexpr const char* kColumns =
        "SELECT id, seq, creator_id, COALESCE(client_message_id, ''), body_html, plain_text, created_at_us, "
        "updated_at_us FROM messages WHERE room_id = ? ";
    std::string sql = kColumns;
    if (before) sql += "AND seq < ? ORDER BY seq DESC LIMIT 40";
    else if (after) sql += "AND seq > ? ORDER BY seq ASC LIMIT 40";
    else sql += "ORDER BY seq DESC LIMIT 40";
    auto s = db.prepare(sql);
    if (!s.ok()) return finish(), s.take_error();
    s->bind(1, *room);
    if (cursor) s->bind(2, cursor_seq);
    json::array list;
    for (;;) {
      auto row = s->step();
      if (!row.ok()) return finish(), row.take_error();
      if (!*row) break;
      list.push_back(json::object{{"id", s->col_int(0)},
                                  {"seq", s->col_int(1)},
                                  {"creator_id", s->col_int(2)},
                                  {"client_message_id", s->col_text(3)},
                                  {"body_html", s->col_text(4)},
                                  {"plain_text", s->col_text(5)},
                                  {"created_at_us", s->col_int(6)},
                                  {"updated_at_us", s->col_int(7)}});
    }
    finish();
    if (!after) std::reverse(list.begin(), list.end());  // oldest first
    json::object out;
    out["seq"] = seq->value_or(0);
    out["messages"] = std::move(list);
    return std::optional<json::object>(std::move(out));
  };
  static_assert(kPageSize == 40);
  auto out = read();
  if (!out.ok()) return respond(from_error(out.error(), version));
  if (!*out) return respond(error(HS::not_found, "not_found", "No such room or message", version));
  respond(json_response(HS::ok, **out, version));
}

void post_message(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  RoomId room;
  auto who = api.member_for_write(ctx, respond, room, nullptr);
  if (!who) return;
  unsigned version = ctx.request.version();
  auto body = parse_object(ctx.request, respond);
  if (!body) return;
  auto client_id = get_string(*body, "client_message_id"), html = get_string(*body, "body_html"),
       text = get_string(*body, "plain_text");
  auto mentions = get_ids(*body, "mentions");
  if (!client_id || client_id->empty() || !html || !text || !mentions) {
    return respond(error(HS::bad_request, "bad_request",
                         "client_message_id, body_html and plain_text are required; mentions is a list of ids",
                         version));
  }
  api.answer_ack(
             server::post_message(who->user, std::move(*client_id), room, *html, std::move(*text),
                                  std::move(*mentions)),
             HS::created, version, std::move(respond));
}

void edit_message(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  RoomId room;
  std::optional<MessageId> message;
  auto who = api.member_for_write(ctx, respond, room, &message);
  if (!who) return;
  unsigned version = ctx.request.version();
  auto body = parse_object(ctx.request, respond);
  if (!body) return;
  auto html = get_string(*body, "body_html"), text = get_string(*body, "plain_text");
  auto mentions = get_ids(*body, "mentions");
  if (!html || !text || !mentions) {
    return respond(error(HS::bad_request, "bad_request", "body_html and plain_text are required", version));
  }
  api.answer_ack(
             server::edit_message(who->user, "", *message, *html, std::move(*text), std::move(*mentions)),
             HS::ok, version, std::move(respond));
}

void remove_message(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  RoomId room;
  std::optional<MessageId> message;
  auto who = api.member_for_write(ctx, respond, room, &message);
  if (!who) return;
  api.answer_ack(server::remove_message(who->user, "", *message), HS::ok,
             ctx.request.version(), std::move(respond));
}

}  // namespace

void add_message_routes(http::Router& router, ApiContext& api) {
  using http::Verb;
  ApiContext* p = &api;
  router.add(Verb::get, "/api/rooms/:room/messages", [p](auto& ctx, Respond r) { messages_page(*p, ctx, std::move(r)); });
  router.add(Verb::post, "/api/rooms/:room/messages", [p](auto& ctx, Respond r) { post_message(*p, ctx, std::move(r)); });
  router.add(Verb::patch, "/api/rooms/:room/messages/:id",
             [p](auto& ctx, Respond r) { edit_message(*p, ctx, std::move(r)); });
  router.add(Verb::delete_, "/api/rooms/:room/messages/:id",
             [p](auto& ctx, Respond r) { remove_message(*p, ctx, std::move(r)); });
}

}  // namespace hearth::server::api
