#include "server/api/routes.h"

#include <algorithm>

#include "server/api/context.h"
#include "server/api/request.h"
#include "server/files/urls.h"
#include "server/http/router.h"
#include "server/message_commands.h"

namespace hearth::server::api {
namespace {

using http::bhttp::field;

constexpr int kPageSize = 40;

// What a page says about each message besides its row: its boosts and whom it mentions, so the
// client renders them without a request per message (CAMPFIRE.md 2.12, 2.14).
class MessageExtras {
 public:
  static Result<MessageExtras> prepare(sqlite::Db& db) {
    auto boosts = db.prepare("SELECT id, booster_id, content FROM boosts WHERE message_id = ? ORDER BY id");
    if (!boosts.ok()) return boosts.take_error();
    auto mentions = db.prepare("SELECT user_id FROM message_mentions WHERE message_id = ? ORDER BY user_id");
    if (!mentions.ok()) return mentions.take_error();
    return MessageExtras(std::move(*boosts), std::move(*mentions));
  }

  hearth::Status add_to(json::object& message) {
    int64_t id = message.at("id").as_int64();
    json::array boosts, mentions;
    boosts_.reset();
    boosts_.bind(1, id);
    for (;;) {
      auto row = boosts_.step();
      if (!row.ok()) return row.take_error();
      if (!*row) break;
      boosts.push_back(json::object{
          {"id", boosts_.col_int(0)}, {"booster_id", boosts_.col_int(1)}, {"content", boosts_.col_text(2)}});
    }
    mentions_.reset();
    mentions_.bind(1, id);
    for (;;) {
      auto row = mentions_.step();
      if (!row.ok()) return row.take_error();
      if (!*row) break;
      mentions.push_back(mentions_.col_int(0));
    }
    message["boosts"] = std::move(boosts);
    message["mentioned_user_ids"] = std::move(mentions);
    return ok_status();
  }

 private:
  MessageExtras(sqlite::Stmt boosts, sqlite::Stmt mentions) : boosts_(std::move(boosts)), mentions_(std::move(mentions)) {}
  sqlite::Stmt boosts_, mentions_;
};

// Appends the rows of `s` (kColumns) to `list`.
hearth::Status read_messages(sqlite::Stmt& s, json::array& list) {
  for (;;) {
    auto row = s.step();
    if (!row.ok()) return row.take_error();
    if (!*row) return ok_status();
    list.push_back(json::object{{"id", s.col_int(0)},
                                {"seq", s.col_int(1)},
                                {"creator_id", s.col_int(2)},
                                {"client_message_id", s.col_text(3)},
                                {"body_html", s.col_text(4)},
                                {"plain_text", s.col_text(5)},
                                {"created_at_us", s.col_int(6)},
                                {"updated_at_us", s.col_int(7)}});
    if (!s.col_null(8)) {
      std::string type(s.col_text(10));
      auto links = files::attachment_links(s.col_int(0), type, static_cast<uint32_t>(s.col_int(11)),
                                           static_cast<uint32_t>(s.col_int(12)));
      json::object a{{"filename", s.col_text(8)}, {"content_type", type}, {"byte_size", s.col_int(9)}, {"url", links.url}};
      if (links.image) {
        a["width"] = s.col_int(11);
        a["height"] = s.col_int(12);
        a["thumbnail_url"] = links.thumbnail_url;
        a["thumbnail_width"] = links.thumbnail_width;
        a["thumbnail_height"] = links.thumbnail_height;
      }
      list.back().as_object()["attachment"] = std::move(a);
    }
  }
}

constexpr const char* kColumns =
    "SELECT id, seq, creator_id, COALESCE(client_message_id, ''), body_html, plain_text, created_at_us, "
    "updated_at_us, attachment_filename, COALESCE(attachment_size, 0), COALESCE(attachment_content_type, ''), "
    "COALESCE(attachment_width, 0), COALESCE(attachment_height, 0) FROM messages WHERE room_id = ? ";

// The page's rows, oldest first. `cursor_seq` is the seq of the ?before=/?after=/?around= message.
// Around a message (a permalink, CAMPFIRE.md 2.4): the 40 before it, it, and the 40 after it.
hearth::Status page_rows(sqlite::Db& db, int64_t room, std::string_view mode, int64_t cursor_seq, json::array& list) {
  auto query = [&](std::string_view tail, bool with_cursor, bool newest_first) -> hearth::Status {
    auto s = db.prepare(std::string(kColumns) + std::string(tail));
    if (!s.ok()) return s.take_error();
    s->bind(1, room);
    if (with_cursor) s->bind(2, cursor_seq);
    json::array rows;
    HEARTH_TRY(read_messages(*s, rows));
    if (newest_first) std::reverse(rows.begin(), rows.end());
    for (auto& r : rows) list.push_back(std::move(r));
    return ok_status();
  };
  if (mode == "before") return query("AND seq < ? ORDER BY seq DESC LIMIT 40", true, true);
  if (mode == "after") return query("AND seq > ? ORDER BY seq ASC LIMIT 40", true, false);
  if (mode == "around") {
    HEARTH_TRY(query("AND seq <= ? ORDER BY seq DESC LIMIT 41", true, true));
    return query("AND seq > ? ORDER BY seq ASC LIMIT 40", true, false);
  }
  return query("ORDER BY seq DESC LIMIT 40", false, true);
}

void messages_page(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto who = api.authenticate(ctx, respond, false);
  if (!who) return;
  unsigned version = ctx.request.version();
  auto room = to_int(ctx.params.get("room"));
  // At most one cursor: ?before=, ?after= or ?around= (a message id in this room).
  std::string_view mode;
  std::optional<std::string_view> raw;
  for (std::string_view m : {"before", "after", "around"}) {
    if (auto v = query_param(ctx.query, m)) {
      mode = m;
      raw = v;
      break;
    }
  }
  std::optional<int64_t> cursor = raw ? to_int(*raw) : std::nullopt;
  if (!room || (raw && !cursor)) {
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
    json::array list;
    auto rows = page_rows(db, *room, mode, cursor_seq, list);
    if (!rows.ok()) return finish(), rows.take_error();
    auto extras = MessageExtras::prepare(db);
    if (!extras.ok()) return finish(), extras.take_error();
    for (auto& m : list) {
      auto added = extras->add_to(m.as_object());
      if (!added.ok()) return finish(), added.take_error();
    }
    finish();
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
  auto w = member_json_write(api, ctx, respond, room);
  if (!w) return;
  // plain_text and mentions are derived from body_html (message_commands.h); sent ones are ignored.
  auto client_id = get_string(w->body, "client_message_id"), html = get_string(w->body, "body_html");
  if (!client_id || client_id->empty() || !html) {
    return respond(bad_request("client_message_id and body_html are required", w->version));
  }
  api.answer_ack(server::post_message(w->who.user, std::move(*client_id), room, *html, api.presence().present_in(room)),
                 HS::created, w->version, std::move(respond));
}

void edit_message(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  RoomId room;
  std::optional<MessageId> message;
  auto w = member_json_write(api, ctx, respond, room, &message);
  if (!w) return;
  auto html = w->required_string("body_html", respond);
  if (!html) return;
  api.answer_ack(server::edit_message(w->who.user, "", *message, *html), HS::ok, w->version, std::move(respond));
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
