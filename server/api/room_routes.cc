// Rooms, pings, involvement and the room-creation setting (CAMPFIRE.md 2.5–2.8, 2.17). The
// sequencer decides every rule (core/sequencer/decide_rooms.cc); these routes read the request,
// refuse non-members with 404 before anything reaches it (Campfire finds a room among the user's
// own rooms, administrators included, so a room you are not in does not exist for you), and map
// its typed errors as every route does.
#include <functional>
#include <memory>
#include <vector>

#include "core/commands/limits.h"
#include "core/events/event_view.h"
#include "core/sequencer/checks.h"
#include "core/sequencer/sequencer.h"
#include "server/api/context.h"
#include "server/api/request.h"
#include "server/api/routes.h"
#include "server/http/router.h"

namespace hearth::server::api {
namespace {

std::optional<Involvement> involvement_from(std::string_view s) {
  for (auto i : {Involvement::kInvisible, Involvement::kNothing, Involvement::kMentions, Involvement::kEverything}) {
    if (involvement_name(i) == s) return i;
  }
  return std::nullopt;
}

std::optional<RoomKind> shared_kind_from(std::string_view s) {
  if (s == "open") return RoomKind::kOpen;
  if (s == "closed") return RoomKind::kClosed;
  return std::nullopt;
}

// The kind of a room the user is a member of, or nullopt (not a member, or no such room).
Result<std::optional<RoomKind>> member_room_kind(sqlite::Db& db, RoomId room, UserId user) {
  auto s = db.prepare(
      "SELECT r.kind FROM rooms r JOIN memberships m ON m.room_id = r.id WHERE r.id = ? AND m.user_id = ?");
  if (!s.ok()) return s.take_error();
  s->bind(1, room.value).bind(2, user.value);
  auto row = s->step();
  if (!row.ok()) return row.take_error();
  if (!*row) return std::optional<RoomKind>();
  return std::optional<RoomKind>(static_cast<RoomKind>(s->col_int(0)));
}

// Submits `commands` one after another (each only once the previous one committed) and answers
// 200 {seq, id}: the seq of the last and the id of the room they all address, or the first
// refusal.
void answer_chain(Sequencer& sequencer, std::vector<CommandEnvelope> commands, int64_t id, unsigned version,
                  Respond respond) {
  struct Chain {
    Sequencer* sequencer;
    std::vector<CommandEnvelope> commands;
    size_t next = 0;
    int64_t id;
    unsigned version;
    Respond respond;
  };
  auto chain = std::make_shared<Chain>(Chain{&sequencer, std::move(commands), 0, id, version, std::move(respond)});
  // Each completion submits the next command; submit() only enqueues, so this is safe on the
  // apply thread that runs the completion.
  auto step = std::make_shared<std::function<void(Outcome)>>();
  *step = [chain, weak = std::weak_ptr<std::function<void(Outcome)>>(step)](Outcome o) {
    if (!o.ok()) return chain->respond(from_error(o.error(), chain->version));
    if (chain->next == chain->commands.size()) {
      return chain->respond(
          json_response(HS::ok, json::object{{"seq", o->seq.value}, {"id", chain->id}}, chain->version));
    }
    auto next = std::move(chain->commands[chain->next++]);
    auto self = weak.lock();
    chain->sequencer->submit(std::move(next), [self](Outcome r) { (*self)(std::move(r)); });
  };
  auto first = std::move(chain->commands[chain->next++]);
  sequencer.submit(std::move(first), [step](Outcome r) { (*step)(std::move(r)); });
}

void create_room(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto w = json_write(api, ctx, respond);
  if (!w) return;
  auto kind_text = get_string(w->body, "kind");
  auto name = get_string(w->body, "name");
  auto members = get_ids(w->body, "user_ids");
  auto kind = kind_text ? shared_kind_from(*kind_text) : std::nullopt;
  if (!kind || !name || !members) {
    return respond(
        bad_request("kind (\"open\" or \"closed\") and name are required; user_ids is a list of ids", w->version));
  }
  Command command = cmd::CreateOpenRoom{std::move(*name)};  // every active user joins (2.5)
  if (*kind == RoomKind::kClosed) {
    command = cmd::CreateClosedRoom{std::move(std::get<cmd::CreateOpenRoom>(command).name), std::move(*members)};
  }
  // An optional client id makes a retried creation the same room (DESIGN I6), as a message's does.
  auto client_id = get_string(w->body, "client_id").value_or("");
  api.answer_ack(CommandEnvelope{w->who.user, std::move(client_id), std::move(command)}, HS::created, w->version,
                 std::move(respond));
}

// Rename, convert, revise members: each present field is one command, applied in the order
// membership/kind then name. The name is checked here first so that a blank or overlong name
// refuses the whole request before the membership changes.
void update_room(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  RoomId room;
  auto w = member_json_write(api, ctx, respond, room);
  if (!w) return;
  unsigned version = w->version;
  const json::object& body = w->body;
  auto name = get_string(body, "name");
  auto kind_text = get_string(body, "kind");
  auto members = get_ids(body, "user_ids");
  bool has_name = body.contains("name"), has_kind = body.contains("kind"),
       has_members = body.contains("user_ids") && !body.at("user_ids").is_null();
  if ((has_name && !name) || (has_kind && !kind_text) || !members || (!has_name && !has_kind && !has_members)) {
    return respond(
        bad_request("send at least one of name, kind (\"open\" or \"closed\"), user_ids (a list of ids)", version));
  }
  std::optional<RoomKind> kind;
  if (has_kind) {
    kind = shared_kind_from(*kind_text);
    if (!kind) return respond(error(HS::unprocessable_entity, "invalid", "kind is \"open\" or \"closed\"", version));
  }
  if (has_name) {
    if (auto st = checks::text("name", *name, limits::kNameBytes, true); !st.ok()) {
      return respond(from_error(st.error(), version));
    }
  }
  auto l = api.lease();
  if (!l.ok()) return respond(from_error(l.error(), version));
  UserId user = w->who.user;
  auto current = member_room_kind((*l)->db(), room, user);
  if (!current.ok()) return respond(from_error(current.error(), version));
  if (!*current) return respond(error(HS::not_found, "not_found", "No such room", version));
  RoomKind target = kind.value_or(**current);
  if (has_members && target == RoomKind::kOpen) {
    return respond(error(HS::unprocessable_entity, "invalid",
                         "an open room has every user; send kind \"closed\" to choose members", version));
  }
  std::vector<CommandEnvelope> commands;
  if (has_members) {
    // Revising members of an open room converts it to closed (Campfire's closed-room form, 2.6).
    commands.push_back(CommandEnvelope{user, "", cmd::ReviseRoomMembers{room, std::move(*members)}});
  } else if (kind) {
    commands.push_back(CommandEnvelope{user, "", cmd::ConvertRoom{room, *kind}});
  }
  if (has_name) commands.push_back(CommandEnvelope{user, "", cmd::RenameRoom{room, std::move(*name)}});
  answer_chain(api.sequencer(), std::move(commands), room.value, version, std::move(respond));
}

void delete_room(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  RoomId room;
  auto who = api.member_for_write(ctx, respond, room, nullptr);
  if (!who) return;
  std::vector<CommandEnvelope> commands;
  commands.push_back(CommandEnvelope{who->user, "", cmd::DeleteRoom{room}});
  answer_chain(api.sequencer(), std::move(commands), room.value, ctx.request.version(), std::move(respond));
}

void find_or_create_ping(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto w = json_write(api, ctx, respond);
  if (!w) return;
  auto members = get_ids(w->body, "user_ids");
  if (!members) return respond(bad_request("user_ids is a list of ids", w->version));
  // Found or created, the answer is the same: the one ping of exactly these people.
  api.answer_ack(CommandEnvelope{w->who.user, "", cmd::FindOrCreateDirectRoom{std::move(*members)}}, HS::ok,
                 w->version, std::move(respond));
}

void change_involvement(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  RoomId room;
  auto w = member_json_write(api, ctx, respond, room);
  if (!w) return;
  auto text = w->required_string("involvement", respond);
  if (!text) return;
  auto involvement = involvement_from(*text);
  if (!involvement) {
    return respond(error(HS::unprocessable_entity, "invalid",
                         "involvement is invisible, nothing, mentions or everything", w->version));
  }
  std::vector<CommandEnvelope> commands;
  commands.push_back(CommandEnvelope{w->who.user, "", cmd::ChangeInvolvement{room, *involvement}});
  answer_chain(api.sequencer(), std::move(commands), room.value, w->version, std::move(respond));
}

void change_account_settings(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto w = json_write(api, ctx, respond);
  if (!w) return;
  auto it = w->body.find("restrict_room_creation_to_administrators");
  if (it == w->body.end() || !it->value().is_bool()) {
    return respond(bad_request("restrict_room_creation_to_administrators is true or false", w->version));
  }
  api.answer_ack(CommandEnvelope{w->who.user, "", cmd::ChangeAccountSettings{it->value().as_bool()}}, HS::ok,
                 w->version, std::move(respond));
}

void show_room(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto who = api.authenticate(ctx, respond, false);
  if (!who) return;
  unsigned version = ctx.request.version();
  auto room = to_int(ctx.params.get("room"));
  if (!room) return respond(error(HS::not_found, "not_found", "No such room", version));
  auto l = api.lease();
  if (!l.ok()) return respond(from_error(l.error(), version));
  sqlite::Db& db = (*l)->db();
  auto read = [&]() -> Result<std::optional<json::object>> {
    HEARTH_TRY(db.exec("BEGIN"));  // one snapshot: `seq` is what the rest reflects
    auto finish = [&db] { (void)db.exec("COMMIT"); };
    auto seq = db.query_int("SELECT applied_seq FROM meta WHERE id = 1");
    if (!seq.ok()) return finish(), seq.take_error();
    hearth::Status st = ok_status();
    if (!ApiContext::is_member(db, RoomId(*room), who->user, st)) {
      finish();
      if (!st.ok()) return st.take_error();
      return std::optional<json::object>();
    }
    auto r = db.prepare("SELECT kind, name, creator_id, updated_at_us FROM rooms WHERE id = ?");
    if (!r.ok()) return finish(), r.take_error();
    r->bind(1, *room);
    auto row = r->step();
    if (!row.ok()) return finish(), row.take_error();
    if (!*row) return finish(), std::optional<json::object>();
    json::object out{{"seq", seq->value_or(0)},
                     {"id", *room},
                     {"kind", room_kind_name(static_cast<RoomKind>(r->col_int(0)))},
                     {"name", r->col_text(1)},
                     {"creator_id", r->col_int(2)},
                     {"updated_at_us", r->col_int(3)}};
    auto m = db.prepare(
        "SELECT u.id, u.name, u.role, m.involvement FROM memberships m JOIN users u ON u.id = m.user_id "
        "WHERE m.room_id = ? ORDER BY u.id");
    if (!m.ok()) return finish(), m.take_error();
    m->bind(1, *room);
    json::array members;
    for (;;) {
      auto next = m->step();
      if (!next.ok()) return finish(), next.take_error();
      if (!*next) break;
      members.push_back(json::object{{"id", m->col_int(0)},
                                     {"name", m->col_text(1)},
                                     {"role", role_name(static_cast<Role>(m->col_int(2)))},
                                     {"involvement", involvement_name(static_cast<Involvement>(m->col_int(3)))}});
    }
    finish();
    out["members"] = std::move(members);
    return std::optional<json::object>(std::move(out));
  };
  auto out = read();
  if (!out.ok()) return respond(from_error(out.error(), version));
  if (!*out) return respond(error(HS::not_found, "not_found", "No such room", version));
  respond(json_response(HS::ok, **out, version));
}

}  // namespace

void add_room_routes(http::Router& router, ApiContext& api) {
  using http::Verb;
  ApiContext* p = &api;
  router.add(Verb::post, "/api/rooms", [p](auto& ctx, Respond r) { create_room(*p, ctx, std::move(r)); });
  router.add(Verb::get, "/api/rooms/:room", [p](auto& ctx, Respond r) { show_room(*p, ctx, std::move(r)); });
  router.add(Verb::patch, "/api/rooms/:room", [p](auto& ctx, Respond r) { update_room(*p, ctx, std::move(r)); });
  router.add(Verb::delete_, "/api/rooms/:room", [p](auto& ctx, Respond r) { delete_room(*p, ctx, std::move(r)); });
  router.add(Verb::put, "/api/rooms/:room/involvement",
             [p](auto& ctx, Respond r) { change_involvement(*p, ctx, std::move(r)); });
  router.add(Verb::post, "/api/pings", [p](auto& ctx, Respond r) { find_or_create_ping(*p, ctx, std::move(r)); });
  router.add(Verb::patch, "/api/account/settings",
             [p](auto& ctx, Respond r) { change_account_settings(*p, ctx, std::move(r)); });
}

}  // namespace hearth::server::api
