// The account (CAMPFIRE.md 2.2, 2.17, 2.26): its settings for every signed-in user, the
// administrators' rename, join-link regeneration and custom CSS, and the public resources every
// page needs before anyone signs in — the account's stylesheet, its web manifest, the join link's
// QR code, the sign-in page's help contact, and the guard that makes a dead /join/<code> a 404.
// The sequencer decides who may change what (core/sequencer/decide_people.cc); the routes read the
// request and map its typed errors as every route does. The room-creation setting stays with the
// rooms (PATCH /api/account/settings, room_routes.cc). The logo, people and bots are their own parts.
#include <boost/beast/http/field.hpp>

#include "core/base/base64url.h"
#include "core/base/secret_hash.h"
#include "core/base/text.h"
#include "core/sequencer/sequencer.h"
#include "server/account/qr_svg.h"
#include "server/api/context.h"
#include "server/api/request.h"
#include "server/api/routes.h"
#include "server/http/router.h"
#include "server/http/static_files.h"

namespace hearth::server::api {
namespace {

using http::bhttp::field;

// The unpadded base64url of a kMaxQrTextBytes text is this long (4 characters per 3 bytes, rounded
// up); one character more would decode to a byte too many, so longer paths are refused unread.
constexpr size_t kMaxQrPathChars = (account::kMaxQrTextBytes * 4 + 2) / 3;

struct AccountRow {
  bool exists = false;
  std::string name = "Hearth", join_code, custom_css;
  bool restrict_room_creation = false;
  int64_t updated_at_us = 0;
};

// The account row (absent before first run: the defaults above).
Result<AccountRow> read_account(ApiContext& api) {
  auto l = api.lease();
  if (!l.ok()) return l.take_error();
  auto s = (*l)->db().prepare(
      "SELECT name, join_code, COALESCE(custom_css, ''), restrict_room_creation, updated_at_us FROM account "
      "WHERE id = 1");
  if (!s.ok()) return s.take_error();
  auto row = s->step();
  if (!row.ok()) return row.take_error();
  AccountRow a;
  if (!*row) return a;
  a.exists = true;
  a.name = s->col_text(0);
  a.join_code = s->col_text(1);
  a.custom_css = s->col_text(2);
  a.restrict_room_creation = s->col_int(3) != 0;
  a.updated_at_us = s->col_int(4);
  return a;
}

// A body generated per request but revalidated like a static file: no-cache with a strong ETag,
// so a changed stylesheet or manifest is seen on the next load and an unchanged one costs a 304.
Response revalidated(const Request& req, std::string_view content_type, std::string body) {
  std::string etag = http::etag_of(body);
  Response res{HS::ok, req.version()};
  res.set(field::etag, etag);
  res.set(field::cache_control, "no-cache");
  res.set("X-Content-Type-Options", "nosniff");
  auto inm = req[field::if_none_match];
  if (!inm.empty() && http::none_match_hits(inm, etag)) {
    res.result(HS::not_modified);
    return res;
  }
  res.set(field::content_type, content_type);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

void show_account(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto who = api.authenticate(ctx, respond, false);
  if (!who) return;
  unsigned version = ctx.request.version();
  auto a = read_account(api);
  if (!a.ok()) return respond(from_error(a.error(), version));
  // The join link is every user's to share (CAMPFIRE.md 2.2), not only administrators'.
  respond(json_response(HS::ok,
                        json::object{{"name", a->name},
                                     {"join_code", a->join_code},
                                     {"join_path", "/join/" + a->join_code},
                                     {"restrict_room_creation", a->restrict_room_creation},
                                     {"custom_css", a->custom_css},
                                     {"updated_at_us", a->updated_at_us}},
                        version));
}

void rename_account(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto w = json_write(api, ctx, respond);
  if (!w) return;
  auto name = w->required_string("name", respond);
  if (!name) return;
  api.answer_ack(CommandEnvelope{w->who.user, "", cmd::RenameAccount{std::move(*name)}}, HS::ok, w->version,
                 std::move(respond));
}

void reset_join_code(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto who = api.authenticate(ctx, respond, true);
  if (!who) return;
  api.answer_ack(CommandEnvelope{who->user, "", cmd::ResetJoinCode{}}, HS::ok, ctx.request.version(),
                 std::move(respond));
}

void change_custom_styles(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto w = json_write(api, ctx, respond);
  if (!w) return;
  auto css = w->required_string("css", respond, "css is required (a string, empty clears it)");
  if (!css) return;
  api.answer_ack(CommandEnvelope{w->who.user, "", cmd::ChangeCustomStyles{std::move(*css)}}, HS::ok, w->version,
                 std::move(respond));
}

// Every page links this stylesheet, the sign-in page included (CAMPFIRE.md 2.17); the CSS is the
// administrators' own text, stored raw. Served as a same-origin stylesheet, so the pages' CSP
// (style-src 'self') needs no 'unsafe-inline', and nosniff keeps it from being read as anything else.
void custom_styles(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto a = read_account(api);
  if (!a.ok()) return respond(from_error(a.error(), ctx.request.version()));
  auto res = revalidated(ctx.request, "text/css; charset=utf-8", std::move(a->custom_css));
  res.set("Content-Security-Policy", "default-src 'none'");
  respond(std::move(res));
}

// CAMPFIRE.md 2.26: named after the account, its logo as the icons (the logo route serves a stock
// icon while none is uploaded), and shortcuts to a new room and the profile.
void web_manifest(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto a = read_account(api);
  if (!a.ok()) return respond(from_error(a.error(), ctx.request.version()));
  json::object manifest{
      {"name", a->name},
      {"short_name", a->name},
      {"id", "/"},
      {"start_url", "/"},
      {"scope", "/"},
      {"display", "standalone"},
      {"background_color", "#ffffff"},
      {"theme_color", "#ffffff"},
      {"icons", json::array{json::object{{"src", "/account/logo?size=small"}, {"sizes", "192x192"}, {"type", "image/png"}},
                            json::object{{"src", "/account/logo"}, {"sizes", "512x512"}, {"type", "image/png"}}}},
      {"shortcuts", json::array{json::object{{"name", "New chat room"}, {"url", "/rooms/new"}},
                                json::object{{"name", "My profile"}, {"url", "/profile"}}}}};
  respond(revalidated(ctx.request, "application/manifest+json", json::serialize(manifest)));
}

// GET /qr_code/<base64url(text)>: public and cached for a year, as Campfire's (the same path is
// always the same picture). The path is bounded and must be canonical base64url of UTF-8 text.
void qr_code(http::RequestContext& ctx, Respond respond) {
  unsigned version = ctx.request.version();
  auto encoded = ctx.params.get("data");
  if (encoded.size() > kMaxQrPathChars) {
    return respond(error(HS::uri_too_long, "too_long",
                         "a QR code holds at most " + std::to_string(account::kMaxQrTextBytes) + " bytes", version));
  }
  auto text = base64url_decode(encoded);
  if (!text || text->empty() || !valid_utf8(*text)) {
    return respond(
        error(HS::bad_request, "bad_request", "the path is the unpadded base64url of a UTF-8 text", version));
  }
  auto svg = account::qr_svg(*text);
  if (!svg) return respond(error(HS::internal_server_error, "internal", "the QR code could not be drawn", version));
  Response res{HS::ok, version};
  res.set(field::content_type, "image/svg+xml");
  res.set(field::cache_control, "public, max-age=31536000, immutable");
  res.set("X-Content-Type-Options", "nosniff");
  // Drawn here without script or links; the policy holds even if the image is opened on its own.
  res.set("Content-Security-Policy", "default-src 'none'");
  res.body() = std::move(*svg);
  res.prepare_payload();
  respond(std::move(res));
}

// What the sign-in and join pages show before anyone signs in: the account's name and, as
// Campfire's help contact (2.17), the email of the first administrator (the oldest active one).
void public_account(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  unsigned version = ctx.request.version();
  auto a = read_account(api);
  if (!a.ok()) return respond(from_error(a.error(), version));
  auto l = api.lease();
  if (!l.ok()) return respond(from_error(l.error(), version));
  auto s = (*l)->db().prepare(
      "SELECT email FROM users WHERE role = 1 AND status = 0 AND email IS NOT NULL ORDER BY id LIMIT 1");
  if (!s.ok()) return respond(from_error(s.error(), version));
  auto row = s->step();
  if (!row.ok()) return respond(from_error(row.error(), version));
  json::object out{{"name", a->name}, {"help_email", nullptr}};
  if (*row) out["help_email"] = s->col_text(0);
  respond(json_response(HS::ok, out, version));
}

// A page for a dead join code; the live one is the client's page (index.html).
Response dead_join_link(unsigned version) {
  Response res{HS::not_found, version};
  res.set(field::content_type, "text/html; charset=utf-8");
  res.set(field::cache_control, "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Content-Security-Policy", "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'self'");
  res.body() =
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title>"
      "<link rel=\"stylesheet\" href=\"/style.css\"></head><body><main class=\"auth\"><div class=\"auth-card\">"
      "<h1>This invitation link is not valid</h1><p class=\"lead\">Ask for a new one, or "
      "<a href=\"/session/new\">sign in</a>.</p></div></main></body></html>\n";
  res.prepare_payload();
  return res;
}

// GET /join/:code: Campfire answers a wrong code with 404 (2.2), so a regenerated link dies at
// once even for a page a browser cached: index.html is no-cache, every load comes here.
void join_page(ApiContext& api, const http::Router& router, http::RequestContext& ctx, Respond respond) {
  unsigned version = ctx.request.version();
  std::string code;
  if (!http::percent_decode(ctx.params.get("code"), code)) code.clear();
  auto a = read_account(api);
  if (!a.ok()) return respond(from_error(a.error(), version));
  if (!a->exists || code.empty() || !secrets_equal(code, a->join_code)) return respond(dead_join_link(version));
  router.serve_fallback(ctx, std::move(respond));
}

}  // namespace

void add_account_routes(http::Router& router, ApiContext& api) {
  using http::Verb;
  ApiContext* p = &api;
  const http::Router* r = &router;  // the router outlives its routes
  router.add(Verb::get, "/api/account", [p](auto& ctx, Respond rs) { show_account(*p, ctx, std::move(rs)); });
  router.add(Verb::patch, "/api/account", [p](auto& ctx, Respond rs) { rename_account(*p, ctx, std::move(rs)); });
  router.add(Verb::post, "/api/account/join_code",
             [p](auto& ctx, Respond rs) { reset_join_code(*p, ctx, std::move(rs)); });
  router.add(Verb::put, "/api/account/custom_styles",
             [p](auto& ctx, Respond rs) { change_custom_styles(*p, ctx, std::move(rs)); });
  router.add(Verb::get, "/api/account/public", [p](auto& ctx, Respond rs) { public_account(*p, ctx, std::move(rs)); });
  router.add(Verb::get, "/account/custom_styles.css",
             [p](auto& ctx, Respond rs) { custom_styles(*p, ctx, std::move(rs)); });
  router.add(Verb::get, "/webmanifest", [p](auto& ctx, Respond rs) { web_manifest(*p, ctx, std::move(rs)); });
  router.add(Verb::get, "/qr_code/:data", [](auto& ctx, Respond rs) { qr_code(ctx, std::move(rs)); });
  router.add(Verb::get, "/join/:code", [p, r](auto& ctx, Respond rs) { join_page(*p, *r, ctx, std::move(rs)); });
}

}  // namespace hearth::server::api
