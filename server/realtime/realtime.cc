#include "server/realtime/realtime.h"

#include <spdlog/spdlog.h>

#include <thread>

#include "core/sequencer/sequencer.h"
#include "server/api.h"
#include "server/http/router.h"
#include "server/realtime/connection.h"

namespace hearth::server::realtime {

Result<std::unique_ptr<Realtime>> Realtime::open(const std::string& data_dir, Sequencer& sequencer, Api& api,
                                                 Options options) {
  // Everything applied so far is in the log; the hub publishes what comes after.
  auto hub = std::make_shared<Hub>(sequencer.applied_seq(), Hub::Options{options.window_events, options.window_bytes});
  sequencer.add_listener([hub](const Batch& batch) { hub->publish(batch); });
  auto shared = std::make_shared<Shared>(sequencer, hub, api.presence(), data_dir + "/log.sqlite3",
                                         data_dir + "/state.sqlite3", options.connection);
  // Open one reader now, so a data directory the server cannot read fails at start-up, not at the
  // first hello.
  if (auto lease = shared->readers.acquire(); !lease.ok()) return lease.take_error();
  return std::unique_ptr<Realtime>(new Realtime(std::move(shared), api));
}

Realtime::~Realtime() { stop(std::chrono::milliseconds(0)); }

void Realtime::add_routes(http::Router& router) {
  router.add(http::Verb::get, "/socket", [shared = shared_, api = &api_](http::RequestContext& ctx, http::Respond respond) {
    if (!ctx.take_over) {
      auto res = http::error_response(http::Status::upgrade_required, "upgrade_required",
                                      "GET /socket is a WebSocket endpoint", ctx.request.version());
      res.set(http::bhttp::field::upgrade, "websocket");
      respond(std::move(res));
      return;
    }
    auto who = api->authenticate_socket(ctx, respond);
    if (!who) return;
    ctx.take_over([shared, who = *who](std::shared_ptr<http::Upgrade> upgrade) {
      start_connection(std::move(upgrade), who.user, who.session, shared);
    });
  });
}

void Realtime::stop(std::chrono::milliseconds limit) {
  Hub& hub = *shared_->hub;
  hub.stop();
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (hub.attached() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  shared_->gate->close();
}

size_t Realtime::connections() const { return shared_->hub->attached(); }

const HubStats& Realtime::stats() const { return shared_->hub->stats(); }

}  // namespace hearth::server::realtime
