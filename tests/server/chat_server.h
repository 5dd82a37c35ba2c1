#pragma once
// The whole of `hearth serve` inside a test: the data directory, the JSON API, the socket hub and
// the HTTP server (routes wired as server/serve.cc does), stopped in the same order as the real one.
#include <memory>
#include <optional>
#include <string>

#include "core/base/clock.h"
#include "projections/data_dir.h"
#include "server/api.h"
#include "server/config.h"
#include "server/outgoing/address_guard.h"
#include "server/realtime/realtime.h"
#include "server/server.h"
#include "server/webhooks/webhooks.h"

namespace hearth::testing {

struct ChatServer {
  ~ChatServer() { stop(); }
  // Data in `data_dir` (made if absent), the server as `config` says (port 0 for tests). A failure
  // is a gtest failure, and leaves `server` null.
  void start(const std::string& data_dir, const server::Config& config,
             const server::realtime::Realtime::Options& realtime_options);
  void stop();  // idempotent; start() may be called again after it

  // The API's clock (session-transfer expiry, the sign-in limiter); null: the system clock. Set
  // before start(); it must outlive the server.
  Clock* clock = nullptr;
  // The API's guard for requests to user-chosen URLs (server/outgoing/address_guard.h). Without a
  // resolver of the test's, names resolve through test_resolver(), never the system's DNS.
  server::outgoing::AddressGuard outgoing_guard;
  // Names under `.example` answer 93.184.216.34 (public: a push endpoint like
  // https://push.example/x is accepted; nothing in these tests delivers to it), "localtest.me"
  // answers 127.0.0.1 (as the real one does), every other name has no address.
  static server::outgoing::Resolver test_resolver();
  std::unique_ptr<DataDir> data;
  std::shared_ptr<server::Api> api;
  std::unique_ptr<server::realtime::Realtime> realtime;
  std::unique_ptr<server::Server> server;

  // Set before start() to run the webhooks consumer too (serve.cc always does; most tests need no
  // outgoing requests). Empty Deps fields are filled as serve.cc fills them.
  std::optional<server::webhooks::Options> webhooks_options;
  server::webhooks::Deps webhooks_deps;
  std::unique_ptr<server::consumers::Outbox> webhooks;
};

}  // namespace hearth::testing
