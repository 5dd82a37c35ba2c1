#include "server/server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/http/field.hpp>

#include <thread>
#include <vector>

#include "core/sequencer/sequencer.h"
#include "server/http/router.h"
#include "server/http/session.h"
#include "server/http/static_files.h"
#include "server/http/tls.h"

namespace hearth::server {

namespace net = boost::asio;
using tcp = net::ip::tcp;

std::optional<std::string> not_ready_reason(const Sequencer* sequencer) {
  if (sequencer == nullptr) return "no data directory is open";
  if (auto health = sequencer->health()) return "the log refuses writes: " + health->message;
  auto committed = sequencer->committed_seq().value;
  auto applied = sequencer->applied_seq().value;
  if (applied != committed) {
    return "projections are behind the log: applied " + std::to_string(applied) + " of " +
           std::to_string(committed);
  }
  return std::nullopt;
}

struct Server::Impl {
  Config config;
  Sequencer* sequencer;
  http::Router router;
  http::StaticFiles static_files;
  // `shared` outlives `ioc`: sessions still queued in the io_context deregister from it when the
  // io_context destroys them.
  http::SessionShared shared;
  net::io_context ioc;
  tcp::acceptor acceptor{net::make_strand(ioc)};
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::vector<std::thread> threads;
  std::atomic<uint16_t> port{0};
  bool started = false;
  bool stopped = false;
  std::vector<std::function<void()>> stop_hooks;

  Impl(Config c, Sequencer* s)
      : config(std::move(c)), sequencer(s), static_files(config.web_root), ioc(config.io_threads) {}

  void accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](boost::system::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor.is_open()) return;  // stop()
      if (ec) {
        // EMFILE and friends: log, and keep accepting (the condition is usually transient).
        spdlog::warn("accept failed: {}", ec.message());
      } else {
        size_t live;
        {
          std::lock_guard lock(shared.mu);
          live = shared.sessions.size();
        }
        if (live >= static_cast<size_t>(config.max_connections)) {
          spdlog::warn("connection limit ({}) reached; closing a new connection", config.max_connections);
          boost::system::error_code ignored;
          socket.close(ignored);
        } else {
          // Replies and live frames are small writes that must leave at once: with Nagle's
          // algorithm they waited for the peer's delayed ACK (~40 ms; bench/fanout measured the
          // socket's post-to-ack p50 at 50 ms before, 8 ms after).
          boost::system::error_code ignored;
          socket.set_option(tcp::no_delay(true), ignored);
          http::start_session(std::move(socket), shared);
        }
      }
      accept();
    });
  }

  void add_builtin_routes() {
    router.add_sync(http::Verb::get, "/up", [](http::RequestContext& ctx) {
      http::Response res{http::Status::ok, ctx.request.version()};
      res.set(http::bhttp::field::content_type, "text/plain; charset=utf-8");
      res.set(http::bhttp::field::cache_control, "no-store");
      res.body() = "ok\n";
      res.prepare_payload();
      return res;
    });
    router.add_sync(http::Verb::get, "/ready", [this](http::RequestContext& ctx) {
      if (auto reason = not_ready_reason(sequencer)) {
        return http::error_response(http::Status::service_unavailable, "not_ready", *reason, ctx.request.version());
      }
      http::Response res{http::Status::ok, ctx.request.version()};
      res.set(http::bhttp::field::content_type, "text/plain; charset=utf-8");
      res.set(http::bhttp::field::cache_control, "no-store");
      res.body() = "ready\n";
      res.prepare_payload();
      return res;
    });
    router.set_fallback([this](http::RequestContext& ctx, http::Respond respond) {
      respond(static_files.serve(ctx.request, ctx.path));
    });
  }
};

Server::Server(Config config, Sequencer* sequencer) : impl_(std::make_unique<Impl>(std::move(config), sequencer)) {
  impl_->add_builtin_routes();
}

Server::~Server() { stop(); }

http::Router& Server::router() { return impl_->router; }

Status Server::start() {
  Impl& s = *impl_;
  if (s.started) return invalid("the server was already started");
  auto proxies = TrustedProxies::parse(s.config.trusted_proxies);
  if (!proxies.ok()) return proxies.take_error();
  s.shared.router = &s.router;
  s.shared.proxies = std::move(*proxies);
  s.shared.max_body_bytes = s.config.max_body_bytes;
  s.shared.read_timeout = std::chrono::seconds(s.config.read_timeout_seconds);
  if (s.config.tls_cert.empty() != s.config.tls_key.empty()) {
    return invalid("tls_cert and tls_key must be set together");
  }
  if (!s.config.tls_cert.empty()) {
    auto tls = http::load_tls_context(s.config.tls_cert, s.config.tls_key);
    if (!tls.ok()) return tls.take_error();
    s.shared.tls = std::move(*tls);
  }

  boost::system::error_code ec;
  auto address = net::ip::make_address(s.config.listen_address, ec);
  if (ec) return invalid("listen_address '" + s.config.listen_address + "': " + ec.message());
  tcp::endpoint endpoint{address, s.config.port};
  std::string where = s.config.listen_address + ":" + std::to_string(s.config.port);
  if (s.acceptor.open(endpoint.protocol(), ec); ec) return Error{ErrorCode::kIo, "open " + where + ": " + ec.message()};
  if (s.acceptor.set_option(net::socket_base::reuse_address(true), ec); ec) {
    return Error{ErrorCode::kIo, "SO_REUSEADDR " + where + ": " + ec.message()};
  }
  if (s.acceptor.bind(endpoint, ec); ec) return Error{ErrorCode::kIo, "bind " + where + ": " + ec.message()};
  if (s.acceptor.listen(net::socket_base::max_listen_connections, ec); ec) {
    return Error{ErrorCode::kIo, "listen " + where + ": " + ec.message()};
  }
  s.port = s.acceptor.local_endpoint().port();
  s.started = true;
  s.work.emplace(s.ioc.get_executor());
  net::post(s.acceptor.get_executor(), [&s] { s.accept(); });
  for (int i = 0; i < s.config.io_threads; ++i) {
    s.threads.emplace_back([&s] { s.ioc.run(); });
  }
  return ok_status();
}

uint16_t Server::port() const { return impl_->port.load(); }

void Server::on_stop(std::function<void()> hook) { impl_->stop_hooks.push_back(std::move(hook)); }

size_t Server::connection_count() const {
  std::lock_guard lock(impl_->shared.mu);
  return impl_->shared.sessions.size();
}

void Server::stop() {
  Impl& s = *impl_;
  if (!s.started || s.stopped) return;
  s.stopped = true;
  s.shared.stopping = true;
  net::post(s.acceptor.get_executor(), [&s] {
    boost::system::error_code ignored;
    s.acceptor.close(ignored);
  });

  for (auto& hook : s.stop_hooks) hook();

  auto each_session = [&s](auto fn) {
    std::vector<std::shared_ptr<http::Session>> live;
    {
      std::lock_guard lock(s.shared.mu);
      for (auto& [ptr, weak] : s.shared.sessions) {
        if (auto p = weak.lock()) live.push_back(std::move(p));
      }
    }
    for (auto& p : live) fn(*p);  // outside the lock: a session's destructor takes it
  };
  auto wait_all_closed = [&s](std::chrono::milliseconds limit) {
    std::unique_lock lock(s.shared.mu);
    return s.shared.all_closed.wait_for(lock, limit, [&s] { return s.shared.sessions.empty(); });
  };

  each_session([](http::Session& session) { session.stop(); });
  if (!wait_all_closed(std::chrono::seconds(s.config.shutdown_timeout_seconds))) {
    spdlog::warn("shutdown: closing connections still busy after {} s", s.config.shutdown_timeout_seconds);
    each_session([](http::Session& session) { session.force_close(); });
    (void)wait_all_closed(std::chrono::seconds(1));
  }
  // Handlers still holding a Respond: from now on it is a no-op, and the sessions it held go
  // while the io_context is alive (session.h, "the gate").
  if (auto held = s.shared.gate->close(); !held.empty()) {
    spdlog::warn("shutdown: {} asynchronous handler(s) never answered", held.size());
    for (auto& session : held) session->force_close();
  }
  s.work.reset();
  s.ioc.stop();
  for (auto& t : s.threads) t.join();
  s.threads.clear();
}

}  // namespace hearth::server
