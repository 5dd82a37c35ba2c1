#pragma once
// One HTTP/1.1 connection. Internal to server/ (it includes Asio and Beast): server.h does not.
//
// Lifecycle (every step runs on the connection's strand, so the session needs no lock):
//
//   (TLS only) handshaking ──▶ reading; a failed or slow (read timeout) handshake ─▶ closed
//
//   reading ──request──▶ handling ──Respond──▶ writing ──keep-alive──▶ reading
//      │                                          │
//      │ EOF / timeout / error                    └─ Connection: close, 400/413, or stopping ─▶ closed
//      │ stop() while reading (idle)  ─────────────────────────────────────────────────────────▶ closed
//      └─ malformed request → 400, body too large → 413, each then ─▶ writing ─▶ closed
//
// One request at a time: the next read starts only after the response is written, so there is
// exactly one write in flight and nothing to queue (HTTP/1.1 pipelined requests wait in the buffer).
// stop() while handling or writing lets the response finish and then closes (graceful shutdown);
// the server's stop() force-closes whatever is left when its deadline passes.
//
// Over TLS, a connection closed after a response (Connection: close, 400/413, stopping) first sends
// close_notify (async TLS shutdown, bounded by kTlsShutdownTimeout; force_close cuts it short); one
// closed while idle or on a read error just drops TCP, as there is nothing in flight to protect.
//
// Asynchronous handlers and shutdown (the gate): a handler may keep its Respond and call it from
// any thread, later. Every Respond holds a ticket in the server's AsyncGate, and only the gate
// holds the session for it. The server's stop() waits (bounded) for the tickets as it waits for
// connections, then closes the gate, which releases every session still held while the io_context
// is alive. A Respond called (or destroyed) after that is a no-op: it touches only the gate, which
// it co-owns, never the session, the io_context or the server.
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "server/client_address.h"
#include "server/http/router.h"

namespace boost::asio::ssl {
class context;
}

namespace hearth::server::http {

class Session;  // the connection's interface; the implementation, per stream type, is in session.cc

// Tickets for handlers still holding a Respond. Thread-safe.
class AsyncGate {
 public:
  // A ticket holding `session` until take(); nullopt once closed.
  std::optional<uint64_t> enter(std::shared_ptr<Session> session);
  // Runs `fn(session)` with the ticket's session and ends the ticket, under the gate's lock (so the
  // server cannot close the gate, and then destroy the io_context, while `fn` posts to it). Does
  // nothing when the ticket has already ended or the gate is closed.
  void take(uint64_t ticket, const std::function<void(const std::shared_ptr<Session>&)>& fn);
  // Closes the gate and returns the sessions still held (the caller destroys them).
  std::vector<std::shared_ptr<Session>> close();
  size_t pending() const;

 private:
  mutable std::mutex mu_;
  bool closed_ = false;                                            // guarded by mu_
  uint64_t next_ = 0;                                              // guarded by mu_
  std::unordered_map<uint64_t, std::shared_ptr<Session>> held_;    // guarded by mu_
};

// What every session of one server shares. Read-only after start, except the registry.
struct SessionShared {
  const Router* router = nullptr;
  TrustedProxies proxies;
  uint64_t max_body_bytes = 1 << 20;
  std::chrono::seconds read_timeout{30};
  // Set when the server speaks TLS (server/http/tls.h): every connection is then TLS.
  std::shared_ptr<boost::asio::ssl::context> tls;

  // Live sessions, for stop() and the connection limit.
  std::mutex mu;
  std::condition_variable all_closed;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;  // guarded by mu
  std::atomic<bool> stopping{false};
  // Co-owned by every Respond, so it outlives the server when a handler keeps one.
  std::shared_ptr<AsyncGate> gate = std::make_shared<AsyncGate>();
};

// One connection's handle for the server: its registry entry, the gate's tickets and stop(). The
// work is done by a class template over the stream type (plain TCP, or TLS over TCP) in session.cc,
// so that Asio's SSL headers stay out of this header.
class Session : public std::enable_shared_from_this<Session> {
 public:
  virtual ~Session();  // deregisters
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  virtual void stop() = 0;         // thread-safe: finish the response in flight (if any), then close
  virtual void force_close() = 0;  // thread-safe: close now

 protected:
  explicit Session(SessionShared& shared) : shared_(shared) {}
  void register_self();  // once, from start
  SessionShared& shared_;
};

// Starts a session on a freshly accepted socket: over TLS (handshake first, bounded by the read
// timeout) when `shared.tls` is set, plain HTTP otherwise.
void start_session(boost::asio::ip::tcp::socket socket, SessionShared& shared);

}  // namespace hearth::server::http
