// Web Push subscriptions (CAMPFIRE.md 2.16; docs/api.md "Web Push"): the browser's push
// subscription is kept per user, and the server encrypts and sends each notification to it
// (server/push/). A user sees and changes only their own subscriptions.
//
// A subscription is checked here before the sequencer sees it: the p256dh key must be a P-256
// point and the auth secret 16 bytes, so delivery never meets a subscription it cannot encrypt
// for; and the endpoint must pass the outgoing guard (server/outgoing/address_guard.h) — an https
// URL whose host is public, every address it resolves to included — or any user could make the
// server POST to an internal host. Names are resolved on a small pool, never on the IO thread.
// (Delivery vets the endpoint again and pins the connection: server/push/push_consumer.h.) The
// sequencer checks the rest (lengths) and turns an identical triple into a touch of the existing
// subscription.
#include "core/commands/limits.h"
#include "core/sequencer/sequencer.h"
#include "server/api/context.h"
#include "server/api/request.h"
#include "server/api/routes.h"
#include "server/http/router.h"
#include "server/outgoing/address_guard.h"
#include "server/push/base64url.h"
#include "server/push/message_encryption.h"
#include "server/push/p256.h"
#include "server/work_pool.h"

namespace hearth::server::api {
namespace {

// Endpoint lookups: a subscription is made once per browser, so two threads and a short queue.
struct EndpointVetting {
  ~EndpointVetting() { pool.stop(); }
  WorkPool pool{2, 32};
};
constexpr std::chrono::milliseconds kLookupTimeout{5000};

std::string user_agent(const Request& req) {
  std::string agent(header(req, "User-Agent").value_or(""));
  if (agent.size() > limits::kUserAgentBytes) {
    agent.resize(limits::kUserAgentBytes);
    while (!agent.empty() && (static_cast<unsigned char>(agent.back()) & 0xC0) == 0x80) agent.pop_back();
    if (!agent.empty() && static_cast<unsigned char>(agent.back()) >= 0xC0) agent.pop_back();
  }
  return agent;
}

// Campfire's body is {"push_subscription": {endpoint, p256dh_key, auth_key}}; the bare object is
// taken too.
void add_subscription(ApiContext& api, EndpointVetting& vetting, http::RequestContext& ctx, Respond respond) {
  auto w = json_write(api, ctx, respond);
  if (!w) return;
  unsigned version = w->version;
  const json::object* fields = &w->body;
  if (auto* inner = w->body.if_contains("push_subscription"); inner != nullptr && inner->is_object()) {
    fields = &inner->get_object();
  }
  auto endpoint = get_string(*fields, "endpoint");
  auto p256dh = get_string(*fields, "p256dh_key");
  auto auth = get_string(*fields, "auth_key");
  if (!endpoint || !p256dh || !auth) {
    return respond(bad_request("endpoint, p256dh_key and auth_key are required", version));
  }
  auto point = push::from_base64url(*p256dh);
  if (!point || !push::P256Key::from_public(*point)) {
    return respond(from_error(invalid("p256dh_key is not a base64url P-256 public key"), version));
  }
  auto secret = push::from_base64url(*auth);
  if (!secret || secret->size() != push::kAuthSecretBytes) {
    return respond(from_error(invalid("auth_key is not a base64url 16-byte secret"), version));
  }
  auto target = outgoing::parse_target_url(*endpoint);
  if (!target || !target->https) {
    return respond(from_error(invalid("endpoint must be an https URL"), version));
  }
  CommandEnvelope command{w->who.user, "",
                          cmd::AddPushSubscription{std::move(*endpoint), std::move(*p256dh), std::move(*auth),
                                                   user_agent(ctx.request)}};
  auto shared_respond = std::make_shared<Respond>(std::move(respond));
  bool queued = vetting.pool.submit([&api, target = std::move(*target), command = std::move(command), shared_respond,
                                     version]() mutable {
    outgoing::Vetted vetted = api.outgoing_guard().vet(target, kLookupTimeout);
    if (vetted.verdict == outgoing::Vetted::Verdict::refused) {
      return (*shared_respond)(
          from_error(invalid("endpoint must be a public host: " + vetted.detail), version));
    }
    if (vetted.verdict != outgoing::Vetted::Verdict::ok) {
      return (*shared_respond)(from_error(invalid("endpoint's host has no address"), version));
    }
    api.answer_ack(std::move(command), HS::created, version, std::move(*shared_respond));
  });
  if (!queued) (*shared_respond)(error(HS::service_unavailable, "busy", "Too many subscriptions at once", version));
}

void list_subscriptions(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto who = api.authenticate(ctx, respond, false);
  if (!who) return;
  unsigned version = ctx.request.version();
  auto l = api.lease();
  if (!l.ok()) return respond(from_error(l.error(), version));
  auto read = [&]() -> Result<json::array> {
    auto s = (*l)->db().prepare(
        "SELECT id, endpoint, user_agent, created_at_us, updated_at_us FROM push_subscriptions WHERE user_id = ? ORDER BY id");
    if (!s.ok()) return s.take_error();
    s->bind(1, who->user.value);
    json::array list;
    for (;;) {
      auto row = s->step();
      if (!row.ok()) return row.take_error();
      if (!*row) break;
      list.push_back(json::object{{"id", s->col_int(0)},
                                  {"endpoint", s->col_text(1)},
                                  {"user_agent", s->col_text(2)},
                                  {"created_at_us", s->col_int(3)},
                                  {"updated_at_us", s->col_int(4)}});
    }
    return list;
  };
  auto list = read();
  if (!list.ok()) return respond(from_error(list.error(), version));
  respond(json_response(HS::ok, json::object{{"push_subscriptions", std::move(*list)}}, version));
}

void remove_subscription(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto who = api.authenticate(ctx, respond, true);
  if (!who) return;
  unsigned version = ctx.request.version();
  auto id = to_int(ctx.params.get("id"));
  if (!id) return respond(error(HS::not_found, "not_found", "No such subscription", version));
  // Someone else's subscription is "not found" (the sequencer's answer).
  api.answer_ack(CommandEnvelope{who->user, "", cmd::RemovePushSubscription{PushSubscriptionId(*id)}}, HS::ok,
                 version, std::move(respond));
}

// What the browser passes to pushManager.subscribe() as applicationServerKey (Campfire puts it in
// a `vapid-public-key` meta tag).
void vapid_public_key(ApiContext& api, const std::string& key, http::RequestContext& ctx, Respond respond) {
  auto who = api.authenticate(ctx, respond, false);
  if (!who) return;
  respond(json_response(HS::ok, json::object{{"vapid_public_key", key}}, ctx.request.version()));
}

}  // namespace

void remove_push_endpoint(ApiContext& api, UserId user, std::string_view endpoint) {
  if (endpoint.empty()) return;
  std::vector<int64_t> ids;
  if (auto l = api.lease(); l.ok()) {
    auto s = (*l)->db().prepare("SELECT id FROM push_subscriptions WHERE user_id = ? AND endpoint = ?");
    if (!s.ok()) return;
    s->bind(1, user.value).bind(2, endpoint);
    for (auto row = s->step(); row.ok() && *row; row = s->step()) ids.push_back(s->col_int(0));
  }
  // Fire and forget: the sequencer takes commands in the order they are submitted, so these are
  // decided before the sign-out submitted next; a subscription already gone is simply not found.
  for (int64_t id : ids) {
    api.sequencer().submit(CommandEnvelope{user, "", cmd::RemovePushSubscription{PushSubscriptionId(id)}},
                           [](Outcome) {});
  }
}

void add_push_routes(http::Router& router, ApiContext& api, std::string vapid_key) {
  using http::Verb;
  ApiContext* p = &api;
  auto vetting = std::make_shared<EndpointVetting>();
  router.add(Verb::get, "/api/push_subscriptions",
             [p](auto& ctx, Respond r) { list_subscriptions(*p, ctx, std::move(r)); });
  router.add(Verb::post, "/api/push_subscriptions",
             [p, vetting](auto& ctx, Respond r) { add_subscription(*p, *vetting, ctx, std::move(r)); });
  router.add(Verb::delete_, "/api/push_subscriptions/:id",
             [p](auto& ctx, Respond r) { remove_subscription(*p, ctx, std::move(r)); });
  router.add(Verb::get, "/api/vapid_public_key",
             [p, key = std::move(vapid_key)](auto& ctx, Respond r) { vapid_public_key(*p, key, ctx, std::move(r)); });
}

}  // namespace hearth::server::api
