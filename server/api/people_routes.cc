// Profiles and administration (CAMPFIRE.md 2.3 session transfer, 2.18–2.21; docs/api.md "People"):
// editing one's own profile, public profiles, session-transfer links, the account's people list,
// promote/demote, deactivate, ban and unban. Who may do what is the sequencer's decision (an
// administrator, or oneself); the reads here show administrators what Campfire shows them only
// (emails, transfer links, ban state).
#include <boost/beast/http/field.hpp>

#include "core/events/event_view.h"
#include "core/sequencer/sequencer.h"
#include "server/api/context.h"
#include "server/api/request.h"
#include "server/api/routes.h"
#include "server/auth/passwords.h"
#include "server/auth/signed_id.h"
#include "server/files/urls.h"
#include "server/http/router.h"

namespace hearth::server::api {
namespace {

constexpr int64_t kPeoplePage = 500;  // Campfire's account user list page
constexpr std::string_view kTransferPrefix = "/session/transfers/";

std::string_view status_name(UserStatus s) {
  switch (s) {
    case UserStatus::kActive: return "active";
    case UserStatus::kDeactivated: return "deactivated";
    case UserStatus::kBanned: return "banned";
  }
  return "active";
}

int64_t now_seconds(ApiContext& api) { return api.clock().now_us() / 1'000'000; }

std::string transfer_path(ApiContext& api, UserId user) {
  return std::string(kTransferPrefix) + auth::transfer_token(api.transfer_key(), user, now_seconds(api));
}

struct Person {
  int64_t id = 0;
  std::string name, email, bio;
  Role role = Role::kMember;
  UserStatus status = UserStatus::kActive;
  std::string avatar_hash;  // empty: none uploaded (the initials are served)
  int64_t updated_at_us = 0;
};

// The columns person_from() reads, in order.
constexpr const char* kPersonColumns =
    "id, name, COALESCE(email, ''), COALESCE(bio, ''), role, status, COALESCE(avatar_hash, ''), updated_at_us";

Person person_from(sqlite::Stmt& s) {
  return Person{s.col_int(0),
                std::string(s.col_text(1)),
                std::string(s.col_text(2)),
                std::string(s.col_text(3)),
                static_cast<Role>(s.col_int(4)),
                static_cast<UserStatus>(s.col_int(5)),
                std::string(s.col_text(6)),
                s.col_int(7)};
}

Result<std::optional<Person>> load_person(ApiContext& api, UserId id) {
  auto l = api.lease();
  if (!l.ok()) return l.take_error();
  auto s = (*l)->db().prepare(std::string("SELECT ") + kPersonColumns + " FROM users WHERE id = ?");
  if (!s.ok()) return s.take_error();
  s->bind(1, id.value);
  auto row = s->step();
  if (!row.ok()) return row.take_error();
  if (!*row) return std::optional<Person>();
  return std::optional<Person>(person_from(*s));
}

json::object person_json(const Person& p, bool administrator_view) {
  json::object o{{"id", p.id},
                 {"name", p.name},
                 {"bio", p.bio},
                 {"role", role_name(p.role)},
                 {"active", p.status == UserStatus::kActive},
                 {"avatar_url", files::avatar_url(p.id, p.avatar_hash)}};
  if (administrator_view) {
    o["email"] = p.email;
    o["status"] = status_name(p.status);
    o["banned"] = p.status == UserStatus::kBanned;
  }
  return o;
}

// The signed-in caller's role, for what the reads show.
Result<bool> is_administrator(ApiContext& api, UserId user) {
  auto me = load_person(api, user);
  if (!me.ok()) return me.take_error();
  return me->has_value() && (*me)->role == Role::kAdministrator;
}

std::optional<UserId> path_user(http::RequestContext& ctx, Respond& respond) {
  auto id = to_int(ctx.params.get("id"));
  if (!id) {
    respond(error(HS::not_found, "not_found", "No such user", ctx.request.version()));
    return std::nullopt;
  }
  return UserId(*id);
}

// PATCH /api/profile: name, email, bio, password; an absent field (and a blank password) is left
// as it is. The password is hashed on the pool, then the profile and the password are two commands
// in order: a refused profile (a taken email) changes no password. A new password ends the user's
// other sessions (their sockets close 4001); this one stays signed in.
void update_profile(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto w = json_write(api, ctx, respond);
  if (!w) return;
  unsigned version = w->version;
  const json::object& body = w->body;
  auto current = load_person(api, w->who.user);
  if (!current.ok()) return respond(from_error(current.error(), version));
  if (!current->has_value()) return respond(error(HS::unauthorized, "unauthorized", "Sign in first", version));
  const Person& me = **current;
  auto field_or = [&](std::string_view key, const std::string& fallback) -> std::optional<std::string> {
    auto it = body.find(key);
    if (it == body.end() || it->value().is_null()) return fallback;
    if (!it->value().is_string()) return std::nullopt;
    return std::string(it->value().as_string());
  };
  auto name = field_or("name", me.name), email = field_or("email", me.email), bio = field_or("bio", me.bio),
       password = field_or("password", "");
  if (!name || !email || !bio || !password) {
    return respond(bad_request("name, email, bio and password are strings", version));
  }
  cmd::UpdateProfile profile{std::move(*name), std::move(*email), std::move(*bio)};
  UserId user = w->who.user;
  SessionId session = w->who.session;  // stays signed in; the user's other sessions end (S2)
  if (password->empty()) {
    return api.answer_ack(CommandEnvelope{user, "", std::move(profile)}, HS::ok, version, std::move(respond));
  }
  if (auto st = auth::check_new_password(*password); !st.ok()) {
    return respond(error(HS::unprocessable_entity, "invalid", st.error().message, version));
  }
  api.queue_password_job(respond, version, [&api, user, session, profile = std::move(profile),
                                            password = std::move(*password), version](Respond r) mutable {
    auto digest = auth::hash_password(password);
    if (!digest.ok()) return r(from_error(digest.error(), version));
    Sequencer* sequencer = &api.sequencer();
    sequencer->submit(
        CommandEnvelope{user, "", std::move(profile)},
        [sequencer, user, session, digest = std::move(*digest), version, r = std::move(r)](Outcome o) mutable {
          if (!o.ok()) return r(from_error(o.error(), version));
          sequencer->submit(CommandEnvelope{user, "", cmd::ChangePassword{user, std::move(digest), session}},
                            [r = std::move(r), version](Outcome p) mutable {
                              if (!p.ok()) return r(from_error(p.error(), version));
                              r(json_response(HS::ok, json::object{{"seq", p->seq.value}, {"id", p->id}}, version));
                            });
        });
  });
}

// GET /api/users/:id: the public profile; administrators also get the email, ban state and the
// transfer link, and everyone gets their own link.
void show_user(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto who = api.authenticate(ctx, respond, false);
  if (!who) return;
  unsigned version = ctx.request.version();
  auto id = path_user(ctx, respond);
  if (!id) return;
  auto admin = is_administrator(api, who->user);
  if (!admin.ok()) return respond(from_error(admin.error(), version));
  auto p = load_person(api, *id);
  if (!p.ok()) return respond(from_error(p.error(), version));
  if (!p->has_value()) return respond(error(HS::not_found, "not_found", "No such user", version));
  json::object out = person_json(**p, *admin);
  if ((*admin || *id == who->user) && (**p).role != Role::kBot) out["transfer_path"] = transfer_path(api, *id);
  respond(json_response(HS::ok, out, version));
}

// GET /api/users/:id/transfer: a fresh link, for oneself or (as an administrator) anyone.
void transfer_link(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto who = api.authenticate(ctx, respond, false);
  if (!who) return;
  unsigned version = ctx.request.version();
  auto id = path_user(ctx, respond);
  if (!id) return;
  auto admin = is_administrator(api, who->user);
  if (!admin.ok()) return respond(from_error(admin.error(), version));
  if (!*admin && *id != who->user) {
    return respond(error(HS::forbidden, "forbidden", "Only administrators may get another person's link", version));
  }
  auto p = load_person(api, *id);
  if (!p.ok()) return respond(from_error(p.error(), version));
  if (!p->has_value() || (**p).role == Role::kBot) return respond(error(HS::not_found, "not_found", "No such user", version));
  int64_t now = now_seconds(api);
  std::string token = auth::transfer_token(api.transfer_key(), *id, now);
  respond(json_response(HS::ok,
                        json::object{{"path", std::string(kTransferPrefix) + token},
                                     {"expires_at", now + auth::kTransferLifetimeSeconds}},
                        version));
}

// PUT /api/session/transfers/:token: signs this browser in as the link's user. Refused (400, one
// message for every reason) when the link is tampered with, expired, of another purpose, or its
// user may no longer sign in.
void use_transfer(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  const Request& req = ctx.request;
  unsigned version = req.version();
  if (ApiContext::refuse_cross_origin(ctx, respond)) return;
  auto refuse = [&] { respond(error(HS::bad_request, "invalid", "This link is invalid or has expired", version)); };
  auto user = auth::verify_signed_id(api.transfer_key(), ctx.params.get("token"), auth::kTransferPurpose,
                                     now_seconds(api));
  if (!user.ok()) return refuse();
  auto p = load_person(api, *user);
  if (!p.ok()) return respond(from_error(p.error(), version));
  if (!p->has_value() || (**p).status != UserStatus::kActive || (**p).role == Role::kBot) return refuse();
  cmd::StartSession start{ctx.client_address, std::string(header(req, "User-Agent").value_or(""))};
  api.submit_session_command(CommandEnvelope{*user, "", std::move(start)}, HS::ok, version, ctx.secure,
                             std::move(respond));
}

// GET /api/account/users?page=N: administrators first, then members, by name; bots are on the
// bots page. Everyone signed in sees the active people; administrators also the banned, and emails.
void list_people(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto who = api.authenticate(ctx, respond, false);
  if (!who) return;
  unsigned version = ctx.request.version();
  int64_t page = 1;
  if (auto q = query_param(ctx.query, "page")) {
    auto n = to_int(*q);
    if (!n) return respond(error(HS::bad_request, "bad_request", "page is a positive number", version));
    page = *n;
  }
  auto admin = is_administrator(api, who->user);
  if (!admin.ok()) return respond(from_error(admin.error(), version));
  auto l = api.lease();
  if (!l.ok()) return respond(from_error(l.error(), version));
  auto s = (*l)->db().prepare(std::string("SELECT ") + kPersonColumns +
                              " FROM users WHERE role != 2 AND (status = 0 OR (? AND status = 2)) "
                              "ORDER BY role DESC, name COLLATE NOCASE, id LIMIT ? OFFSET ?");
  if (!s.ok()) return respond(from_error(s.error(), version));
  s->bind(1, *admin ? 1 : 0).bind(2, kPeoplePage + 1).bind(3, (page - 1) * kPeoplePage);
  json::array people;
  bool more = false;
  for (;;) {
    auto row = s->step();
    if (!row.ok()) return respond(from_error(row.error(), version));
    if (!*row) break;
    if (static_cast<int64_t>(people.size()) == kPeoplePage) {
      more = true;
      break;
    }
    people.push_back(person_json(person_from(*s), *admin));
  }
  json::object out{{"users", std::move(people)}, {"page", page}};
  out["next_page"] = more ? json::value(page + 1) : json::value(nullptr);
  respond(json_response(HS::ok, out, version));
}

// PATCH /api/account/users/:id {"role": "member" | "administrator"}.
void change_role(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto who = api.authenticate(ctx, respond, true);
  if (!who) return;
  unsigned version = ctx.request.version();
  auto id = path_user(ctx, respond);
  if (!id) return;
  auto w = json_body(std::move(*who), ctx, respond);
  if (!w) return;
  auto role = get_string(w->body, "role");
  if (!role || (*role != "member" && *role != "administrator")) {
    return respond(bad_request("role is \"member\" or \"administrator\"", version));
  }
  cmd::ChangeRole command{*id, *role == "administrator" ? Role::kAdministrator : Role::kMember};
  api.answer_ack(CommandEnvelope{w->who.user, "", command}, HS::ok, version, std::move(respond));
}

// DELETE /api/account/users/:id, POST and DELETE /api/users/:id/ban: one command each.
template <class Command>
void administer(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto who = api.authenticate(ctx, respond, true);
  if (!who) return;
  auto id = path_user(ctx, respond);
  if (!id) return;
  api.answer_ack(CommandEnvelope{who->user, "", Command{*id}}, HS::ok, ctx.request.version(), std::move(respond));
}

}  // namespace

void add_people_routes(http::Router& router, ApiContext& api) {
  using http::Verb;
  ApiContext* p = &api;  // the routes live in the server, which the owner stops before the Api
  router.add(Verb::patch, "/api/profile", [p](auto& ctx, Respond r) { update_profile(*p, ctx, std::move(r)); });
  router.add(Verb::get, "/api/users/:id", [p](auto& ctx, Respond r) { show_user(*p, ctx, std::move(r)); });
  router.add(Verb::get, "/api/users/:id/transfer", [p](auto& ctx, Respond r) { transfer_link(*p, ctx, std::move(r)); });
  router.add(Verb::put, "/api/session/transfers/:token", [p](auto& ctx, Respond r) { use_transfer(*p, ctx, std::move(r)); });
  router.add(Verb::get, "/api/account/users", [p](auto& ctx, Respond r) { list_people(*p, ctx, std::move(r)); });
  router.add(Verb::patch, "/api/account/users/:id", [p](auto& ctx, Respond r) { change_role(*p, ctx, std::move(r)); });
  router.add(Verb::delete_, "/api/account/users/:id",
             [p](auto& ctx, Respond r) { administer<cmd::DeactivateUser>(*p, ctx, std::move(r)); });
  router.add(Verb::post, "/api/users/:id/ban", [p](auto& ctx, Respond r) { administer<cmd::BanUser>(*p, ctx, std::move(r)); });
  router.add(Verb::delete_, "/api/users/:id/ban",
             [p](auto& ctx, Respond r) { administer<cmd::UnbanUser>(*p, ctx, std::move(r)); });
}

}  // namespace hearth::server::api
