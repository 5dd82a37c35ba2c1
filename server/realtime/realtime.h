#pragma once
// The WebSocket side of `hearth serve` (docs/protocol.md): the `/socket` route, the hub that fans
// committed events out to connections, and their shutdown. No Beast or Asio in this header.
//
// Wiring (server/serve.cc):
//   auto rt = Realtime::open(data_dir, sequencer, api, {});   // before the server starts: it adds
//   rt->add_routes(server.router());                          //   the sequencer's listener
//   server.on_stop([&] { rt->stop(); });                       // graceful: close 1001
//
// Lifetime: the sequencer keeps the hub (its listener) alive; connections keep what they use.
// stop() must run while the server's IO threads are still running (Server::on_stop does that).
#include <chrono>
#include <memory>
#include <string>

#include "core/base/result.h"
#include "server/realtime/hub_stats.h"

namespace hearth {
class Sequencer;
}

namespace hearth::server {
class Api;
namespace http {
class Router;
}
}  // namespace hearth::server

namespace hearth::server::realtime {

struct ConnectionOptions {
  size_t max_frame_events = 512;         // events in one WebSocket message
  size_t max_frame_bytes = 1u << 20;     // bytes of event JSON in one message (one event may exceed it)
  size_t max_examined_per_turn = 8192;   // events judged before yielding the IO thread
  size_t log_chunk_events = 1024;        // events per catch-up read from the log
  size_t max_replies = 64;               // queued acks/pongs/typing; past it the connection closes 1008
  size_t max_commands_in_flight = 256;   // submitted, not yet answered; past it: rejected "busy"
  int64_t max_resume_events = 5'000'000; // a cursor further behind gets `reset`
  int64_t checkpoint_events = 4096;      // invisible events that make a checkpoint due at once
  std::chrono::milliseconds checkpoint_delay{1000};  // otherwise at most this late
  std::chrono::seconds idle_timeout{30};             // silence before a ping; as long again to answer it
  std::chrono::seconds handshake_timeout{10};
};

struct Shared;  // realtime.cc

class Realtime {
 public:
  struct Options {
    ConnectionOptions connection;
    size_t window_events = 32'768;
    size_t window_bytes = 32u << 20;
  };
  // `sequencer` must not have accepted commands yet (its listeners are added here).
  static Result<std::unique_ptr<Realtime>> open(const std::string& data_dir, Sequencer& sequencer, Api& api,
                                                Options options);
  ~Realtime();
  Realtime(const Realtime&) = delete;
  Realtime& operator=(const Realtime&) = delete;

  void add_routes(http::Router& router);

  // Closes every connection with 1001 and waits (at most `limit`) for them to go; then answers to
  // commands still in flight are dropped (their clients resume and resend). Idempotent.
  void stop(std::chrono::milliseconds limit = std::chrono::seconds(5));

  size_t connections() const;
  const HubStats& stats() const;

 private:
  Realtime(std::shared_ptr<Shared> shared, Api& api) : shared_(std::move(shared)), api_(api) {}
  std::shared_ptr<Shared> shared_;
  Api& api_;
};

}  // namespace hearth::server::realtime
