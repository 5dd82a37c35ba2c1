// Bot administration (CAMPFIRE.md 2.15, 2.19): administrators list, create, edit, re-key and
// deactivate bots; the /account/bots page (web/views/bots.js) speaks these routes.
//
// The server mints every token (server/auth/bot_key_vault.h) and hands the sequencer only its hash
// and its sealed copy; the key `<id>-<token>` is answered when made and on demand afterwards
// (GET .../key), recovered from the sealed copy — null for a bot whose key cannot be recovered
// (imported ones, until reset). The sequencer decides who may write (administrators only); the
// reads check the role themselves, so a non-administrator learns nothing (403).
#include <boost/beast/http/field.hpp>

#include "core/base/clock.h"
#include "core/sequencer/sequencer.h"
#include "server/api/context.h"
#include "server/api/request.h"
#include "server/api/routes.h"
#include "server/bots/bot_keys.h"
#include "server/http/router.h"

namespace hearth::server::api {
namespace {

// The signed-in administrator, or nullopt with the refusal sent (401 / 403 / csrf).
std::optional<ApiContext::Who> administrator(ApiContext& api, http::RequestContext& ctx, Respond& respond,
                                             bool state_changing) {
  auto who = api.authenticate(ctx, respond, state_changing);
  if (!who) return std::nullopt;
  unsigned version = ctx.request.version();
  auto l = api.lease();
  if (!l.ok()) {
    respond(from_error(l.error(), version));
    return std::nullopt;
  }
  auto role = (*l)->db().prepare("SELECT role FROM users WHERE id = ?");
  if (!role.ok()) {
    respond(from_error(role.error(), version));
    return std::nullopt;
  }
  role->bind(1, who->user.value);
  auto row = role->step();
  if (!row.ok()) {
    respond(from_error(row.error(), version));
    return std::nullopt;
  }
  if (!*row || role->col_int(0) != 1) {
    respond(error(HS::forbidden, "forbidden", "Only administrators manage bots", version));
    return std::nullopt;
  }
  return who;
}

// GET /api/account/bots: active bots, oldest first, each with the rooms it is in (for the page's
// ready-made curl lines). Keys are not listed: they are fetched one at a time, on demand.
void list_bots(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  if (!administrator(api, ctx, respond, false)) return;
  unsigned version = ctx.request.version();
  auto l = api.lease();
  if (!l.ok()) return respond(from_error(l.error(), version));
  sqlite::Db& db = (*l)->db();
  auto bots = db.prepare("SELECT id, name, COALESCE(webhook_url, '') FROM users WHERE role = 2 AND status = 0 ORDER BY id");
  auto rooms = db.prepare(
      "SELECT r.id, r.kind, r.name FROM memberships m JOIN rooms r ON r.id = m.room_id WHERE m.user_id = ? "
      "ORDER BY r.kind, r.name, r.id");
  if (!bots.ok()) return respond(from_error(bots.error(), version));
  if (!rooms.ok()) return respond(from_error(rooms.error(), version));
  json::array list;
  for (;;) {
    auto row = bots->step();
    if (!row.ok()) return respond(from_error(row.error(), version));
    if (!*row) break;
    int64_t id = bots->col_int(0);
    json::array in;
    rooms->reset();
    rooms->bind(1, id);
    for (;;) {
      auto r = rooms->step();
      if (!r.ok()) return respond(from_error(r.error(), version));
      if (!*r) break;
      static constexpr const char* kKinds[] = {"open", "closed", "direct"};
      int64_t kind = rooms->col_int(1);
      in.push_back(json::object{{"id", rooms->col_int(0)},
                                {"kind", kind >= 0 && kind <= 2 ? kKinds[kind] : "open"},
                                {"name", rooms->col_text(2)}});
    }
    list.push_back(json::object{
        {"id", id}, {"name", bots->col_text(1)}, {"webhook_url", bots->col_text(2)}, {"rooms", std::move(in)}});
  }
  respond(json_response(HS::ok, json::object{{"bots", std::move(list)}}, version));
}

// GET /api/account/bots/:id/key → {"key": "<id>-<token>"} or {"key": null} when unrecoverable.
void show_key(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  if (!administrator(api, ctx, respond, false)) return;
  unsigned version = ctx.request.version();
  auto id = to_int(ctx.params.get("id"));
  if (!id) return respond(error(HS::not_found, "not_found", "No such bot", version));
  auto l = api.lease();
  if (!l.ok()) return respond(from_error(l.error(), version));
  auto active = (*l)->db().prepare("SELECT 1 FROM users WHERE id = ? AND role = 2 AND status = 0");
  if (!active.ok()) return respond(from_error(active.error(), version));
  active->bind(1, *id);
  auto found = active->step();
  if (!found.ok()) return respond(from_error(found.error(), version));
  if (!*found) return respond(error(HS::not_found, "not_found", "No such bot", version));
  auto key = bots::bot_key_for((*l)->db(), api.bot_keys(), UserId(*id));
  if (!key.ok()) return respond(from_error(key.error(), version));
  json::object out;
  out["key"] = *key ? json::value(**key) : json::value(nullptr);
  respond(json_response(HS::ok, out, version));
}

// Submits a command carrying a freshly minted token and answers {seq, id, key}.
void answer_with_key(ApiContext& api, CommandEnvelope command, std::string token, HS status, unsigned version,
                     Respond respond) {
  api.sequencer().submit(std::move(command), [respond = std::move(respond), token = std::move(token), status,
                                              version](Outcome o) mutable {
    if (!o.ok()) return respond(from_error(o.error(), version));
    respond(json_response(status,
                          json::object{{"seq", o->seq.value}, {"id", o->id}, {"key", std::to_string(o->id) + "-" + token}},
                          version));
  });
}

// POST /api/account/bots {name, webhook_url?} → 201 {seq, id, key}
void create_bot(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto w = json_write(api, ctx, respond);
  if (!w) return;
  auto name = w->required_string("name", respond);
  if (!name) return;
  auto url = get_string(w->body, "webhook_url").value_or("");
  SystemRandom random;
  auto minted = api.bot_keys().mint(random);
  answer_with_key(api,
                  CommandEnvelope{w->who.user, "", cmd::CreateBot{std::move(*name), std::move(url), minted.token_hash,
                                                                  minted.token_sealed}},
                  std::move(minted.token), HS::created, w->version, std::move(respond));
}

// PATCH /api/account/bots/:id {name, webhook_url} (a blank URL removes the webhook) → 200
void update_bot(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto who = api.authenticate(ctx, respond, true);
  if (!who) return;
  unsigned version = ctx.request.version();
  auto id = to_int(ctx.params.get("id"));
  if (!id) return respond(error(HS::not_found, "not_found", "No such bot", version));
  auto w = json_body(std::move(*who), ctx, respond);
  if (!w) return;
  auto name = get_string(w->body, "name");
  auto url = get_string(w->body, "webhook_url");
  if (!name || !url) return respond(bad_request("name and webhook_url are required", version));
  api.answer_ack(CommandEnvelope{w->who.user, "", cmd::UpdateBot{UserId(*id), std::move(*name), std::move(*url)}},
                 HS::ok, version, std::move(respond));
}

// PUT /api/account/bots/:id/key → 200 {seq, id, key}: the old key stops working at once.
void reset_key(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto who = api.authenticate(ctx, respond, true);
  if (!who) return;
  unsigned version = ctx.request.version();
  auto id = to_int(ctx.params.get("id"));
  if (!id) return respond(error(HS::not_found, "not_found", "No such bot", version));
  SystemRandom random;
  auto minted = api.bot_keys().mint(random);
  answer_with_key(api,
                  CommandEnvelope{who->user, "", cmd::ResetBotKey{UserId(*id), minted.token_hash, minted.token_sealed}},
                  std::move(minted.token), HS::ok, version, std::move(respond));
}

// DELETE /api/account/bots/:id → 200: deleting a bot is deactivating it (Campfire).
void deactivate_bot(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto who = administrator(api, ctx, respond, true);
  if (!who) return;
  unsigned version = ctx.request.version();
  auto id = to_int(ctx.params.get("id"));
  if (!id) return respond(error(HS::not_found, "not_found", "No such bot", version));
  auto l = api.lease();
  if (!l.ok()) return respond(from_error(l.error(), version));
  // This route deactivates bots only; people are deactivated from the people's page.
  auto bot = (*l)->db().prepare("SELECT 1 FROM users WHERE id = ? AND role = 2 AND status = 0");
  if (!bot.ok()) return respond(from_error(bot.error(), version));
  bot->bind(1, *id);
  auto found = bot->step();
  if (!found.ok()) return respond(from_error(found.error(), version));
  if (!*found) return respond(error(HS::not_found, "not_found", "No such bot", version));
  api.answer_ack(CommandEnvelope{who->user, "", cmd::DeactivateUser{UserId(*id)}}, HS::ok, version, std::move(respond));
}

}  // namespace

void add_bot_admin_routes(http::Router& router, ApiContext& api) {
  using http::Verb;
  ApiContext* p = &api;
  router.add(Verb::get, "/api/account/bots", [p](auto& ctx, Respond r) { list_bots(*p, ctx, std::move(r)); });
  router.add(Verb::post, "/api/account/bots", [p](auto& ctx, Respond r) { create_bot(*p, ctx, std::move(r)); });
  router.add(Verb::patch, "/api/account/bots/:id", [p](auto& ctx, Respond r) { update_bot(*p, ctx, std::move(r)); });
  router.add(Verb::delete_, "/api/account/bots/:id",
             [p](auto& ctx, Respond r) { deactivate_bot(*p, ctx, std::move(r)); });
  router.add(Verb::get, "/api/account/bots/:id/key", [p](auto& ctx, Respond r) { show_key(*p, ctx, std::move(r)); });
  router.add(Verb::put, "/api/account/bots/:id/key", [p](auto& ctx, Respond r) { reset_key(*p, ctx, std::move(r)); });
}

}  // namespace hearth::server::api
