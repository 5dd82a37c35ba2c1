#pragma once
// The HTTP server: a listener, a fixed pool of IO threads, one strand per connection
// (server/http/session.h). No Beast or Asio in this header: cli/main.cc and tests include it.
//
// With tls_cert and tls_key set, the one listener speaks only TLS (HTTPS and WSS): every connection
// handshakes first, and plain HTTP sent to that port is closed.
//
// Thread safety: router() before start() only; start(), stop() and the destructor from one thread
// (the owner); port() and connection_count() from any thread.
//
// Shutdown (STYLE 13) is a mechanism, in this order:
//   1. stop accepting (the acceptor closes; new connections are refused by the kernel), then run
//      the on_stop hooks (WebSocket connections close with 1001);
//   2. every idle connection closes; one with a request in flight finishes its response with
//      `Connection: close`, then closes;
//   3. wait for the connection count to reach zero, at most `shutdown_timeout_seconds`, then close
//      what is left;
//   4. stop the IO threads and join them.
// The caller then stops the sequencer (DataDir), which finishes its batch.
#include <cstdint>
#include <functional>
#include <memory>

#include "core/base/result.h"
#include "server/config.h"

namespace hearth {
class Sequencer;
}

namespace hearth::server {

namespace http {
class Router;
}

class Server {
 public:
  // `sequencer` answers /ready; it must outlive the server. nullptr: /ready says 503.
  Server(Config config, Sequencer* sequencer);
  ~Server();  // stop()s
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The routes: /up, /ready and static files are added by the constructor (the static catch-all
  // last, so routes added here come before it).
  http::Router& router();

  // Loads the TLS certificate and key (if set), binds and starts the IO threads. Errors: a TLS file
  // is unreadable, malformed or mismatched (the error names it); the address is unusable or the
  // port is taken.
  Status start();
  uint16_t port() const;  // the bound port (useful with port 0)
  size_t connection_count() const;
  void stop();  // graceful, bounded; idempotent

  // Runs in stop() right after the acceptor closes, while the IO threads still run: connections
  // taken over by WebSocket routes close there (they are not HTTP sessions). Before start().
  void on_stop(std::function<void()> hook);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// /ready: nullopt when the log is writable and the projections have applied everything committed;
// otherwise the reason, for the 503 body and the logs.
std::optional<std::string> not_ready_reason(const Sequencer* sequencer);

}  // namespace hearth::server
