#include "server/api/routes.h"

#include <algorithm>

#include "core/events/event_view.h"
#include "server/api/context.h"
#include "server/files/urls.h"
#include "server/http/router.h"

namespace hearth::server::api {
namespace {

using http::bhttp::field;

// "3,1,2" (SQLite's group_concat) as ids in ascending order.
std::vector<int64_t> split_ids(std::string_view s) {
  std::vector<int64_t> out;
  while (!s.empty()) {
    auto comma = s.find(',');
    if (auto id = to_int(s.substr(0, comma))) out.push_back(*id);
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  std::sort(out.begin(), out.end());
  return out;
}

void bootstrap(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto who = api.authenticate(ctx, respond, false);
  if (!who) return;
  unsigned version = ctx.request.version();
  auto l = api.lease();
  if (!l.ok()) return respond(from_error(l.error(), version));
  auto read = [&]() -> Result<json::object> {
    sqlite::Db& db = (*l)->db();
    json::object out;
    HEARTH_TRY(db.exec("BEGIN"));  // one snapshot: `seq` is what the rest reflects
    auto finish = [&db] { (void)db.exec("COMMIT"); };
    auto seq = db.query_int("SELECT applied_seq FROM meta WHERE id = 1");
    if (!seq.ok()) return finish(), seq.take_error();
    out["seq"] = seq->value_or(0);
    auto me = db.prepare("SELECT id, name, COALESCE(email, ''), role, COALESCE(bio, ''), COALESCE(avatar_hash, '') FROM users WHERE id = ?");
    if (!me.ok()) return finish(), me.take_error();
    me->bind(1, who->user.value);
    if (auto row = me->step(); row.ok() && *row) {
      out["me"] = json::object{{"id", me->col_int(0)}, {"name", me->col_text(1)}, {"email", me->col_text(2)},
                               {"role", role_name(static_cast<Role>(me->col_int(3)))}, {"bio", me->col_text(4)},
                               {"avatar_url", files::avatar_url(me->col_int(0), me->col_text(5))}};
    }
    auto account = db.prepare("SELECT name, join_code, restrict_room_creation, COALESCE(logo_hash, '') FROM account WHERE id = 1");
    if (!account.ok()) return finish(), account.take_error();
    if (auto row = account->step(); row.ok() && *row) {
      // Campfire shows the join link to every user (CAMPFIRE.md 2.2).
      out["account"] = json::object{{"name", account->col_text(0)}, {"join_code", account->col_text(1)},
                                    {"restrict_room_creation", account->col_int(2) != 0},
                                    {"logo_url", files::logo_url(account->col_text(3))}};
    }
    // Pings also carry their members (the client names a ping after the others, 2.7); every room
    // carries its latest activity, which orders the pings.
    auto rooms = db.prepare(
        "SELECT r.id, r.kind, r.name, m.involvement, m.unread, r.creator_id, r.updated_at_us, "
        "CASE WHEN r.kind = 2 THEN (SELECT group_concat(o.user_id) FROM memberships o WHERE o.room_id = r.id) END "
        "FROM memberships m JOIN rooms r ON r.id = m.room_id WHERE m.user_id = ? ORDER BY r.created_at_us, r.id");
    if (!rooms.ok()) return finish(), rooms.take_error();
    rooms->bind(1, who->user.value);
    json::array list;
    for (;;) {
      auto row = rooms->step();
      if (!row.ok()) return finish(), row.take_error();
      if (!*row) break;
      auto kind = static_cast<RoomKind>(rooms->col_int(1));
      json::object room{{"id", rooms->col_int(0)},
                        {"kind", room_kind_name(kind)},
                        {"name", rooms->col_text(2)},
                        {"involvement", involvement_name(static_cast<Involvement>(rooms->col_int(3)))},
                        {"unread", rooms->col_int(4) != 0},
                        {"creator_id", rooms->col_int(5)},
                        {"updated_at_us", rooms->col_int(6)}};
      if (kind == RoomKind::kDirect) {
        json::array ids;
        for (auto id : split_ids(rooms->col_text(7))) ids.push_back(id);
        room["member_ids"] = std::move(ids);
      }
      list.push_back(std::move(room));
    }
    out["rooms"] = std::move(list);
    // Authors' names for the timeline: every active person and bot (deactivated authors are
    // shown by id until the client learns more).
    auto users = db.prepare("SELECT id, name, role, COALESCE(avatar_hash, '') FROM users WHERE status = 0 ORDER BY id");
    if (!users.ok()) return finish(), users.take_error();
    json::array people;
    for (;;) {
      auto row = users->step();
      if (!row.ok()) return finish(), row.take_error();
      if (!*row) break;
      people.push_back(json::object{{"id", users->col_int(0)},
                                    {"name", users->col_text(1)},
                                    {"role", role_name(static_cast<Role>(users->col_int(2)))},
                                    {"avatar_url", files::avatar_url(users->col_int(0), users->col_text(3))}});
    }
    out["users"] = std::move(people);
    finish();
    out["csrf_token"] = api.csrf().token_for(who->token_hash);
    return out;
  };
  auto out = read();
  if (!out.ok()) return respond(from_error(out.error(), version));
  respond(json_response(HS::ok, *out, version));
}

}  // namespace

void add_bootstrap_routes(http::Router& router, ApiContext& api) {
  ApiContext* p = &api;
  router.add(http::Verb::get, "/api/bootstrap", [p](auto& ctx, Respond r) { bootstrap(*p, ctx, std::move(r)); });
}

}  // namespace hearth::server::api
