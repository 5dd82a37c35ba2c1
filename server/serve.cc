#include "server/serve.h"

#include <pthread.h>
#include <signal.h>

#include <memory>

#include <spdlog/spdlog.h>

#include "projections/data_dir.h"
#include "server/api.h"
#include "server/logging.h"
#include "server/metrics.h"
#include "server/outgoing/address_guard.h"
#include "server/push/push_consumer.h"
#include "server/realtime/realtime.h"
#include "server/server.h"
#include "server/webhooks/webhooks.h"

namespace hearth::server {

int run_serve(const Config& config) {
  setup_logging(config.log_json);
  // SIGTERM/SIGINT are blocked in every thread (threads inherit the mask, so this comes before the
  // first one starts) and taken synchronously by sigwait() below: no async-signal-safety puzzle,
  // and shutdown runs as ordinary code on the main thread.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  DataDir::Options options;
  options.durability = config.durability;
  auto data = DataDir::open(config.data_dir, options);
  if (!data.ok()) {
    spdlog::error("cannot open data directory {}: {}", config.data_dir, data.error().to_string());
    return 2;
  }
  if (!(*data)->upgrade_note().empty()) spdlog::warn("{}", (*data)->upgrade_note());
  // Requests to user-chosen URLs reach public addresses only; a test run may name one loopback
  // origin of its own (config.h test_outgoing_origin).
  outgoing::AddressGuard guard;
  if (!config.test_outgoing_origin.empty()) guard.test_allowance = outgoing::parse_test_allowance(config.test_outgoing_origin);
  Api::Options api_options;
  api_options.max_upload_bytes = config.max_upload_bytes;
  api_options.outgoing_guard = guard;
  auto api = Api::open(config.data_dir, &(*data)->sequencer(), api_options);
  if (!api.ok()) {
    spdlog::error("cannot start the API: {}", api.error().to_string());
    return 2;
  }
  auto realtime = realtime::Realtime::open(config.data_dir, (*data)->sequencer(), **api, {});
  if (!realtime.ok()) {
    spdlog::error("cannot start the WebSocket hub: {}", realtime.error().to_string());
    return 2;
  }
  // Web Push (server/push/): a log consumer with its own outbox; the presence registry says who is
  // connected to a room and so needs no notification.
  push::PushConsumer::Options push_options;
  push_options.ca_file = config.push_ca_file;
  push_options.guard = guard;
  auto web_push = push::open_push_outbox(config.data_dir, (*data)->sequencer(), (*api)->presence(),
                                         std::move(push_options));
  if (!web_push.ok()) {
    spdlog::error("cannot start Web Push: {}", web_push.error().to_string());
    return 2;
  }
  // Webhooks to bots: a consumer of the log with its own cursor and outbox file (webhooks.h).
  webhooks::Deps webhook_deps;
  webhook_deps.bot_key = webhooks::vault_bot_key(config.data_dir, (*api)->bot_keys());
  webhook_deps.store_file = webhooks::api_store_file(**api);
  auto webhooks = webhooks::open(config.data_dir, (*data)->sequencer(), webhook_deps, webhooks::Options{});
  if (!webhooks.ok()) {
    spdlog::error("cannot start webhooks: {}", webhooks.error().to_string());
    return 2;
  }
  Server server(config, &(*data)->sequencer());
  (*api)->add_routes(server.router());
  (*realtime)->add_routes(server.router());
  server.on_stop([rt = realtime->get()] { rt->stop(); });
  if (auto started = server.start(); !started.ok()) {
    spdlog::error("cannot serve: {}", started.error().message);
    return 2;
  }
  spdlog::info("Hearth is serving {} on {}://{}:{}/ (data {}, durability {}, {} IO threads)", config.web_root,
               config.tls_cert.empty() ? "http" : "https", url_host(config.listen_address), server.port(),
               config.data_dir, durability_name(config.durability), config.io_threads);
  // After the server, so that its sources exist; closed last, so that a scrape can watch the
  // shutdown drain. Its listener takes up to 2 s to close (civetweb polls in 2 s quanta).
  std::unique_ptr<Metrics> metrics;
  if (config.metrics_port != 0) {
    Metrics::Sources sources{&(*data)->sequencer(), &server, &(*realtime)->stats(), {}};
    sources.outboxes.push_back(&(*web_push)->stats());
    sources.outboxes.push_back(&(*webhooks)->stats());
    auto started = Metrics::start(config.metrics_address, config.metrics_port, sources);
    if (!started.ok()) {
      spdlog::error("cannot serve metrics: {}", started.error().message);
      return 2;
    }
    metrics = std::move(*started);
    spdlog::info("metrics on {}", metrics->url());
  }

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  spdlog::info("{}: shutting down (stop accepting, finish in-flight requests, then the sequencer)",
               signal_number == SIGTERM ? "SIGTERM" : "SIGINT");
  server.stop();
  (*api)->stop();                // password jobs still queued are dropped (their connections are gone)
  (*web_push)->stop();             // deliveries in flight finish; the rest wait in the outbox
  (*webhooks)->stop();             // deliveries in flight finish (7 s at most); the rest wait on disk
  (*data)->sequencer().stop();  // finishes the batch in flight
  metrics.reset();
  spdlog::info("stopped");
  return 0;
}

}  // namespace hearth::server
