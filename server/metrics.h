#pragma once
// /metrics: the Prometheus text format on a listener of its own (Config::metrics_address and
// metrics_port), apart from the public one so that a reverse proxy never exposes it by accident.
//
// Nothing is counted twice: the counters live where the work happens, as plain atomics
// (SequencerStats in core/, realtime::HubStats in the hub), and each scrape reads them and builds
// the text then. A server no one scrapes pays only for the atomics.
//
// No Prometheus, Beast or Asio in this header (serve.cc and the tests include it).
//
// Thread safety: start() and the destructor from the owner's thread; scrapes run on the
// listener's own threads and only read the sources.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/base/result.h"

namespace hearth {
class Sequencer;
}

namespace hearth::server {

class Server;
namespace realtime {
struct HubStats;
}
namespace consumers {
struct OutboxStats;
}

class Metrics {
 public:
  // What each scrape reads. Every source given must outlive the Metrics; one left null has its
  // metrics left out of the page (absent, rather than a zero that would look like a fact).
  struct Sources {
    const Sequencer* sequencer = nullptr;
    const Server* server = nullptr;           // HTTP connections
    const realtime::HubStats* hub = nullptr;  // WebSocket connections and deliveries
    std::vector<const consumers::OutboxStats*> outboxes;  // log consumers (webhooks, push), by name
  };

  // Listens on address:port (port 0: any free port; port() says which) and serves GET /metrics.
  // Errors: the address is unusable or the port is taken.
  static Result<std::unique_ptr<Metrics>> start(const std::string& address, uint16_t port, Sources sources);
  ~Metrics();  // closes the listener; a scrape in progress finishes first
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  uint16_t port() const;
  std::string url() const;  // http://address:port/metrics, for the start-up log line

 private:
  struct Impl;
  explicit Metrics(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hearth::server
