#include "server/api/routes.h"

#include <spdlog/spdlog.h>

#include <boost/beast/http/field.hpp>

#include "core/sequencer/sequencer.h"
#include "server/api/context.h"
#include "server/auth/passwords.h"
#include "server/auth/session_cookie.h"
#include "server/http/router.h"

namespace hearth::server::api {
namespace {

using http::bhttp::field;

constexpr std::string_view kBadCredentials = "Too many requests or unauthorized.";

// The form first run and join share: same-origin, a JSON object with name, email and a
// password good enough to set. Answers the refusal itself and returns nullopt.
struct NewAccountForm {
  std::string name, email, password;
};
std::optional<NewAccountForm> read_new_account(http::RequestContext& ctx, Respond& respond) {
  const Request& req = ctx.request;
  if (ApiContext::refuse_cross_origin(ctx, respond)) return std::nullopt;
  auto body = parse_object(req, respond);
  if (!body) return std::nullopt;
  auto name = get_string(*body, "name"), email = get_string(*body, "email"),
       password = get_string(*body, "password");
  if (!name || !email || !password) {
    respond(error(HS::bad_request, "bad_request", "name, email and password are required", req.version()));
    return std::nullopt;
  }
  if (auto st = auth::check_new_password(*password); !st.ok()) {
    respond(error(HS::unprocessable_entity, "invalid", st.error().message, req.version()));
    return std::nullopt;
  }
  return NewAccountForm{std::move(*name), std::move(*email), std::move(*password)};
}

// Whether first run is still possible, so the browser shows setup instead of sign-in
// (Campfire 2.1: sign-in redirects to first run while nobody is set up).
void first_run_state(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  unsigned version = ctx.request.version();
  auto l = api.lease();
  if (!l.ok()) return respond(from_error(l.error(), version));
  auto accounts = (*l)->db().query_int("SELECT COUNT(*) FROM account");
  if (!accounts.ok()) return respond(from_error(accounts.error(), version));
  respond(json_response(HS::ok, json::object{{"available", accounts->value_or(0) == 0}}, version));
}

// First run and join both hash the new password on the WorkPool (never on an IO thread), then
// submit the command that creates the user and starts a session.
template <class Command>
void hash_then_start_session(ApiContext& api, Command command, std::string password, unsigned version, bool secure,
                             Respond respond) {
  api.queue_password_job(respond, version, [&api, command = std::move(command), password = std::move(password),
                                        version, secure](Respond r) mutable {
    auto digest = auth::hash_password(password);
    if (!digest.ok()) {
      r(from_error(digest.error(), version));
      return;
    }
    command.password_digest = std::move(*digest);
    api.submit_session_command(CommandEnvelope{kSystemActor, "", std::move(command)}, HS::created, version,
                           secure, std::move(r));
  });
}

void first_run(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto form = read_new_account(ctx, respond);
  if (!form) return;
  cmd::SetupFirstRun command{form->name, form->email, "", ctx.client_address,
                             std::string(header(ctx.request, "User-Agent").value_or(""))};
  hash_then_start_session(api, std::move(command), std::move(form->password), ctx.request.version(), ctx.secure,
                          std::move(respond));
}

void join(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto form = read_new_account(ctx, respond);
  if (!form) return;
  std::string code;
  if (!http::percent_decode(ctx.params.get("code"), code)) code.clear();  // a bad code is "not found"
  cmd::JoinAccount command{code, form->name, form->email, "", ctx.client_address,
                           std::string(header(ctx.request, "User-Agent").value_or(""))};
  hash_then_start_session(api, std::move(command), std::move(form->password), ctx.request.version(), ctx.secure,
                          std::move(respond));
}

void sign_in(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  const Request& req = ctx.request;
  unsigned version = req.version();
  if (ApiContext::refuse_cross_origin(ctx, respond)) return;
  if (!api.limiter().allow(ctx.client_address)) {
    respond(error(HS::too_many_requests, "too_many_requests", kBadCredentials, version));
    return;
  }
  auto body = parse_object(req, respond);
  if (!body) return;
  auto email = get_string(*body, "email"), password = get_string(*body, "password");
  if (!email || !password) {
    respond(error(HS::bad_request, "bad_request", "email and password are required", version));
    return;
  }
  std::optional<std::pair<UserId, std::string>> user;  // id, digest
  {
    auto l = api.lease();
    if (!l.ok()) return respond(from_error(l.error(), version));
    // Only active people sign in; bots (role 2) have no password.
    auto s = (*l)->db().prepare(
        "SELECT id, COALESCE(password_digest, '') FROM users WHERE email = ? COLLATE NOCASE AND status = 0 "
        "AND role != 2 ORDER BY id LIMIT 1");
    if (!s.ok()) return respond(from_error(s.error(), version));
    s->bind(1, *email);
    auto row = s->step();
    if (!row.ok()) return respond(from_error(row.error(), version));
    if (*row) user.emplace(UserId(s->col_int(0)), std::string(s->col_text(1)));
  }
  std::string ip = ctx.client_address, agent(header(req, "User-Agent").value_or(""));
  api.queue_password_job(respond, version, [&api, user = std::move(user), password = std::move(*password), ip,
                                        agent, version, secure = ctx.secure](Respond r) mutable {
    // Unknown email: the same work against the decoy, so timing does not tell.
    bool ok = auth::verify_password(password, user ? user->second : auth::decoy_digest());
    if (!user || !ok) {
      r(error(HS::unauthorized, "unauthorized", kBadCredentials, version));
      return;
    }
    if (auth::needs_rehash(user->second)) {
      // Submitted before the session, so it is applied when the sign-in answers. A rehash: the
      // password is the same, so the user's other sessions stay signed in.
      if (auto digest = auth::hash_password(password); digest.ok()) {
        UserId id = user->first;
        cmd::ChangePassword rehash{id, std::move(*digest), SessionId(), /*rehash=*/true};
        api.sequencer().submit(CommandEnvelope{kSystemActor, "", std::move(rehash)},
                          [id](Outcome o) {
                            if (!o.ok()) spdlog::warn("rehash of user {} failed: {}", id.value, o.error().message);
                          });
      }
    }
    api.submit_session_command(CommandEnvelope{user->first, "", cmd::StartSession{ip, agent}}, HS::ok, version,
                           secure, std::move(r));
  });
}

// The browser's push endpoint, sent on sign-out so that this device stops getting notifications
// (CAMPFIRE.md 2.3): `push_subscription_endpoint` in the query or in a JSON body.
std::string push_endpoint_of(const http::RequestContext& ctx) {
  std::string endpoint;
  if (auto raw = query_param(ctx.query, "push_subscription_endpoint"); raw && http::percent_decode(*raw, endpoint)) {
    return endpoint;
  }
  if (ctx.request.body().empty()) return {};
  boost::system::error_code ec;
  auto body = json::parse(ctx.request.body(), ec);
  if (ec || !body.is_object()) return {};
  return get_string(body.get_object(), "push_subscription_endpoint").value_or("");
}

void sign_out(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto who = api.authenticate(ctx, respond, true);
  if (!who) return;
  unsigned version = ctx.request.version();
  remove_push_endpoint(api, who->user, push_endpoint_of(ctx));
  api.sequencer().submit(CommandEnvelope{who->user, "", cmd::EndSession{who->token_hash}},
                    [respond = std::move(respond), version, secure = ctx.secure](Outcome outcome) mutable {
                      if (!outcome.ok()) return respond(from_error(outcome.error(), version));
                      Response res{HS::no_content, version};
                      res.set(field::cache_control, "no-store");
                      res.set(field::set_cookie, auth::clearing_session_cookie(secure));
                      res.prepare_payload();
                      respond(std::move(res));
                    });
}

// DELETE /api/session/others: "sign out everywhere else". Every other session of the user ends
// in one command and their sockets close (4001); this one stays.
void sign_out_others(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto who = api.authenticate(ctx, respond, true);
  if (!who) return;
  unsigned version = ctx.request.version();
  api.sequencer().submit(CommandEnvelope{who->user, "", cmd::EndOtherSessions{who->session}},
                         [respond = std::move(respond), version](Outcome outcome) mutable {
                           if (!outcome.ok()) return respond(from_error(outcome.error(), version));
                           respond(json_response(HS::ok, json::object{{"seq", outcome->seq.value}}, version));
                         });
}

}  // namespace

void add_session_routes(http::Router& router, ApiContext& api) {
  using http::Verb;
  ApiContext* p = &api;  // the routes live in the server, which the owner stops before the Api
  router.add(Verb::get, "/api/first_run", [p](auto& ctx, Respond r) { first_run_state(*p, ctx, std::move(r)); });
  router.add(Verb::post, "/api/first_run", [p](auto& ctx, Respond r) { first_run(*p, ctx, std::move(r)); });
  router.add(Verb::post, "/api/session", [p](auto& ctx, Respond r) { sign_in(*p, ctx, std::move(r)); });
  router.add(Verb::delete_, "/api/session", [p](auto& ctx, Respond r) { sign_out(*p, ctx, std::move(r)); });
  router.add(Verb::delete_, "/api/session/others", [p](auto& ctx, Respond r) { sign_out_others(*p, ctx, std::move(r)); });
  router.add(Verb::post, "/api/join/:code", [p](auto& ctx, Respond r) { join(*p, ctx, std::move(r)); });
}

}  // namespace hearth::server::api
