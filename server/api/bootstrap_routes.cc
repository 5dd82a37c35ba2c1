#include "server/api/routes.h"

#include "server/api/context.h"
#include "server/http/router.h"

namespace hearth::server::api {
namespace {

using http::bhttp::field;

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
    auto me = db.prepare("SELECT id, name, COALESCE(email, ''), role, COALESCE(bio, '') FROM users WHERE id = ?");
    if (!me.ok()) return finish(), me.take_error();
    me->bind(1, who->user.value);
    if (auto row = me->step(); row.ok() && *row) {
      out["me"] = json::object{{"id", me->col_int(0)}, {"name", me->col_text(1)}, {"email", me->col_text(2)},
                               {"role", me->col_int(3)}, {"bio", me->col_text(4)}};
    }
    auto account = db.prepare("SELECT name, join_code, restrict_room_creation FROM account WHERE id = 1");
    if (!account.ok()) return finish(), account.take_error();
    if (auto row = account->step(); row.ok() && *row) {
      // Campfire shows the join link to every user (CAMPFIRE.md 2.2).
      out["account"] = json::object{{"name", account->col_text(0)}, {"join_code", account->col_text(1)},
                                    {"restrict_room_creation", account->col_int(2) != 0}};
    }
    auto rooms = db.prepare(
        "SELECT r.id, r.kind, r.name, m.involvement, m.unread FROM memberships m JOIN rooms r ON r.id = m.room_id "
        "WHERE m.user_id = ? ORDER BY r.created_at_us, r.id");
    if (!rooms.ok()) return finish(), rooms.take_error();
    rooms->bind(1, who->user.value);
    static constexpr const char* kKinds[] = {"open", "closed", "direct"};
    static constexpr const char* kInvolvements[] = {"invisible", "nothing", "mentions", "everything"};
    json::array list;
    for (;;) {
      auto row = rooms->step();
      if (!row.ok()) return finish(), row.take_error();
      if (!*row) break;
      auto kind = rooms->col_int(1), inv = rooms->col_int(3);
      list.push_back(json::object{{"id", rooms->col_int(0)},
                                  {"kind", kind >= 0 && kind < 3 ? kKinds[kind] : "unknown"},
                                  {"name", rooms->col_text(2)},
                                  {"involvement", inv >= 0 && inv < 4 ? kInvolvements[inv] : "unknown"},
                                  {"unread", rooms->col_int(4) != 0}});
    }
    out["rooms"] = std::move(list);
    // Authors' names for the timeline: every active person and bot (deactivated authors are
    // shown by id until the client learns more).
    auto users = db.prepare("SELECT id, name, role FROM users WHERE status = 0 ORDER BY id");
    if (!users.ok()) return finish(), users.take_error();
    static constexpr const char* kRoles[] = {"member", "administrator", "bot"};
    json::array people;
    for (;;) {
      auto row = users->step();
      if (!row.ok()) return finish(), row.take_error();
      if (!*row) break;
      auto role = users->col_int(2);
      people.push_back(json::object{{"id", users->col_int(0)},
                                    {"name", users->col_text(1)},
                                    {"role", role >= 0 && role < 3 ? kRoles[role] : "unknown"}});
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
