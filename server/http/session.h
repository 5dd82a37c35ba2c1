#pragma once
// One HTTP/1.1 connection. Internal to server/ (it includes Asio and Beast): server.h does not.
//
// Lifecycle (every step runs on the connection's strand, so the session needs no lock):
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
// Asynchronous handlers and shutdown (the gate): a handler may keep its Respond and call it from
// any thread, later. Every Respond holds a ticket in the server's AsyncGate, and only the gate
// holds the session for it. The server's stop() waits (bounded) for the tickets as it waits for
// connections, then closes the gate, which releases every session still held while the io_context
// is alive. A Respond called (or destroyed) after that is a no-op: it touches only the gate, which
// it co-owns, never the session, the io_context or the server.
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>

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

namespace hearth::server::http {

class Session;

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

  // Live sessions, for stop() and the connection limit.
  std::mutex mu;
  std::condition_variable all_closed;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;  // guarded by mu
  std::atomic<bool> stopping{false};
  // Co-owned by every Respond, so it outlives the server when a handler keeps one.
  std::shared_ptr<AsyncGate> gate = std::make_shared<AsyncGate>();
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(boost::asio::ip::tcp::socket socket, SessionShared& shared);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start();  // registers, then reads; call once
  void stop();   // thread-safe: finish the response in flight (if any), then close
  void force_close();  // thread-safe: close now

 private:
  enum class State { kReading, kHandling, kWriting, kClosed };
  void read();
  void on_read(boost::beast::error_code ec);
  void handle(Request request);
  void hand_over(Request request, std::string client_address, bool secure, UpgradeConsumer consumer);
  void write(Response response, bool keep_alive);
  void on_write(bool keep_alive, boost::beast::error_code ec);
  void close();

  boost::beast::tcp_stream stream_;
  // A copy, because `stream_` moves away on a WebSocket hand-over while stop() may still post.
  boost::beast::tcp_stream::executor_type executor_;
  SessionShared& shared_;
  boost::beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::shared_ptr<Response> writing_;  // kept alive until its write completes
  std::string peer_;
  State state_ = State::kReading;
  bool stop_requested_ = false;
};

}  // namespace hearth::server::http
