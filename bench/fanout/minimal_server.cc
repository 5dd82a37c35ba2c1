#include "bench/fanout/minimal_server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <algorithm>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

namespace hearth::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using Message = std::shared_ptr<const std::string>;

struct MinimalServer::Impl {
  struct Conn;

  Mode mode;
  int thread_count;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::vector<std::thread> io_threads;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  mutable std::mutex mu;
  std::vector<std::shared_ptr<Conn>> conns;  // guarded by mu

  Impl(Mode m, int threads) : mode(m), thread_count(threads), ioc(threads) {}

  struct Conn : std::enable_shared_from_this<Conn> {
    Impl& server;
    websocket::stream<beast::tcp_stream> ws;
    beast::flat_buffer in;
    std::mutex mu;              // queue and writing: push() runs on the sender's thread
    std::deque<Message> queue;  // guarded by mu
    bool writing = false;       // guarded by mu
    std::vector<Message> inflight;  // owned by the write in flight (this connection's strand)
    std::vector<asio::const_buffer> buffers;

    Conn(Impl& s, tcp::socket socket) : server(s), ws(std::move(socket)) {}

    void start() {
      ws.auto_fragment(false);
      ws.text(true);
      ws.async_accept([self = shared_from_this()](beast::error_code ec) {
        if (ec) return;
        {
          std::lock_guard lock(self->server.mu);
          self->server.conns.push_back(self);
        }
        self->read();
      });
    }

    void read() {
      ws.async_read(in, [self = shared_from_this()](beast::error_code ec, size_t) {
        if (ec) return self->server.forget(self.get());
        auto message = std::make_shared<const std::string>(beast::buffers_to_string(self->in.data()));
        self->in.consume(self->in.size());
        self->server.broadcast(message);
        self->read();
      });
    }

    // Any thread. Starts a write on the strand only when none is in flight; otherwise the message
    // waits for the write in flight to complete (and, joined, leaves with everything else queued).
    void push(const Message& m) {
      {
        std::lock_guard lock(mu);
        queue.push_back(m);
        if (writing) return;
        writing = true;
      }
      asio::post(ws.get_executor(), [self = shared_from_this()] { self->write(); });
    }

    void write() {
      {
        std::lock_guard lock(mu);
        if (server.mode == Mode::kJoined) {
          inflight.assign(std::make_move_iterator(queue.begin()), std::make_move_iterator(queue.end()));
          queue.clear();
        } else {
          inflight.push_back(std::move(queue.front()));
          queue.pop_front();
        }
      }
      buffers.clear();
      for (const Message& m : inflight) buffers.push_back(asio::buffer(*m));
      ws.async_write(buffers, [self = shared_from_this()](beast::error_code ec, size_t) {
        self->inflight.clear();
        if (ec) return;
        {
          std::lock_guard lock(self->mu);
          if (self->queue.empty()) {
            self->writing = false;
            return;
          }
        }
        self->write();
      });
    }
  };

  void broadcast(const Message& m) {
    std::lock_guard lock(mu);
    for (const auto& c : conns) c->push(m);
  }

  void forget(Conn* c) {
    std::lock_guard lock(mu);
    auto it = std::find_if(conns.begin(), conns.end(), [c](const auto& p) { return p.get() == c; });
    if (it != conns.end()) {
      std::swap(*it, conns.back());
      conns.pop_back();
    }
  }

  void accept() {
    // `this` outlives the IO threads: stop() joins them before the Impl goes.
    acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket s) {
      if (ec) return;
      s.set_option(tcp::no_delay(true));
      std::make_shared<Conn>(*this, std::move(s))->start();
      accept();
    });
  }
};

MinimalServer::MinimalServer(Mode mode, int threads) : impl_(std::make_unique<Impl>(mode, threads)) {}
MinimalServer::~MinimalServer() { stop(); }

uint16_t MinimalServer::start() {
  Impl& s = *impl_;
  tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
  s.acceptor.open(ep.protocol());
  s.acceptor.set_option(asio::socket_base::reuse_address(true));
  s.acceptor.bind(ep);
  s.acceptor.listen(asio::socket_base::max_listen_connections);
  s.work.emplace(s.ioc.get_executor());
  s.accept();
  for (int i = 0; i < s.thread_count; ++i) s.io_threads.emplace_back([&s] { s.ioc.run(); });
  return s.acceptor.local_endpoint().port();
}

void MinimalServer::stop() {
  Impl& s = *impl_;
  if (s.io_threads.empty()) return;
  s.work.reset();
  s.ioc.stop();
  for (auto& t : s.io_threads) t.join();
  s.io_threads.clear();
  std::lock_guard lock(s.mu);
  s.conns.clear();  // the pending handlers (and their connections) go with the io_context
}

size_t MinimalServer::connections() const {
  std::lock_guard lock(impl_->mu);
  return impl_->conns.size();
}

std::vector<pthread_t> MinimalServer::threads() const {
  std::vector<pthread_t> out;
  for (auto& t : impl_->io_threads) out.push_back(const_cast<std::thread&>(t).native_handle());
  return out;
}

}  // namespace hearth::bench
