// Search (CAMPFIRE.md 2.13; docs/api.md "Search"): the newest 100 messages in the searcher's
// rooms that match every word, and the user's recent searches.
//
// Campfire records a search with POST /searches and then shows GET /searches?q=. Hearth keeps the
// same split: GET /api/search only reads (a GET may be triggered cross-site, so it must not
// change anything), and the client records the query with POST /api/searches, which passes the
// CSRF and Origin checks like every other write.
#include "server/api/routes.h"

#include "projections/message_search.h"
#include "projections/search_query.h"
#include "server/api/context.h"
#include "server/api/request.h"
#include "server/http/router.h"

namespace hearth::server::api {
namespace {

// A query string value: '+' is a space (HTML forms, URLSearchParams), then %XX. A malformed
// escape is not an error: the raw text is searched as the user's words.
std::string query_text(std::string_view query) {
  auto raw = query_param(query, "q");
  if (!raw) return {};
  std::string plus(*raw);
  for (char& c : plus) {
    if (c == '+') c = ' ';
  }
  std::string decoded;
  return http::percent_decode(plus, decoded) ? decoded : plus;
}

void search(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto who = api.authenticate(ctx, respond, false);
  if (!who) return;
  unsigned version = ctx.request.version();
  SearchQuery q = build_search_query(query_text(ctx.query));
  json::array terms;
  for (const auto& t : q.terms) terms.emplace_back(t);  // what the client highlights
  json::array list;
  if (!q.empty()) {
    auto l = api.lease();
    if (!l.ok()) return respond(from_error(l.error(), version));
    auto hits = search_messages((*l)->db(), who->user, q);
    if (!hits.ok()) return respond(from_error(hits.error(), version));
    for (const SearchHit& h : *hits) {
      list.push_back(json::object{{"id", h.id.value},
                                  {"room_id", h.room.value},
                                  {"room_name", h.room_name},
                                  {"creator_id", h.creator.value},
                                  {"body_html", h.body_html},
                                  {"plain_text", h.plain_text},
                                  {"created_at_us", h.created_at_us}});
    }
  }
  respond(json_response(HS::ok, json::object{{"terms", std::move(terms)}, {"messages", std::move(list)}}, version));
}

void recent_searches(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto who = api.authenticate(ctx, respond, false);
  if (!who) return;
  unsigned version = ctx.request.version();
  auto l = api.lease();
  if (!l.ok()) return respond(from_error(l.error(), version));
  auto read = [&]() -> Result<json::array> {
    auto s = (*l)->db().prepare("SELECT query, updated_at_us FROM searches WHERE user_id = ? ORDER BY seq DESC");
    if (!s.ok()) return s.take_error();
    s->bind(1, who->user.value);
    json::array list;
    for (;;) {
      auto row = s->step();
      if (!row.ok()) return row.take_error();
      if (!*row) break;
      list.push_back(json::object{{"query", s->col_text(0)}, {"updated_at_us", s->col_int(1)}});
    }
    return list;
  };
  auto list = read();
  if (!list.ok()) return respond(from_error(list.error(), version));
  respond(json_response(HS::ok, json::object{{"searches", std::move(*list)}}, version));
}

void record_search(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto w = json_write(api, ctx, respond);
  if (!w) return;
  auto query = w->required_string("query", respond);
  if (!query) return;
  // The sequencer checks it (valid UTF-8, not blank, at most 1 KB) and trims it.
  api.answer_ack(CommandEnvelope{w->who.user, "", cmd::RecordSearch{std::move(*query)}}, HS::created, w->version,
                 std::move(respond));
}

void clear_searches(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto who = api.authenticate(ctx, respond, true);
  if (!who) return;
  api.answer_ack(CommandEnvelope{who->user, "", cmd::ClearSearches{}}, HS::ok, ctx.request.version(),
                 std::move(respond));
}

}  // namespace

void add_search_routes(http::Router& router, ApiContext& api) {
  using http::Verb;
  ApiContext* p = &api;
  router.add(Verb::get, "/api/search", [p](auto& ctx, Respond r) { search(*p, ctx, std::move(r)); });
  router.add(Verb::get, "/api/searches", [p](auto& ctx, Respond r) { recent_searches(*p, ctx, std::move(r)); });
  router.add(Verb::post, "/api/searches", [p](auto& ctx, Respond r) { record_search(*p, ctx, std::move(r)); });
  router.add(Verb::delete_, "/api/searches", [p](auto& ctx, Respond r) { clear_searches(*p, ctx, std::move(r)); });
}

}  // namespace hearth::server::api
