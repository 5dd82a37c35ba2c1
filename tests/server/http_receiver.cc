#include "http_receiver.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <cctype>

namespace hearth::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

struct HttpReceiver::Impl {
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  mutable std::mutex mu;
  mutable std::condition_variable cv;
  Handler handler;                      // guarded by mu
  std::vector<ReceivedRequest> seen;    // guarded by mu
  bool stopping = false;                // guarded by mu
  std::vector<std::thread> threads;     // guarded by mu (connections)
  std::vector<std::shared_ptr<tcp::socket>> sockets;  // guarded by mu
  std::thread accept_thread;

  void serve(std::shared_ptr<tcp::socket> socket) {
    beast::error_code ec;
    beast::flat_buffer buffer;
    while (true) {
      bhttp::request<bhttp::string_body> req;
      bhttp::read(*socket, buffer, req, ec);
      if (ec) return;
      ReceivedRequest r;
      r.method = std::string(req.method_string());
      r.target = std::string(req.target());
      for (const auto& f : req) {
        std::string name(f.name_string());
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        r.headers[name] = std::string(f.value());
      }
      r.body = req.body();
      r.at = std::chrono::steady_clock::now();
      Answer a;
      {
        std::unique_lock lock(mu);
        seen.push_back(r);
        cv.notify_all();
        Handler h = handler;
        lock.unlock();
        if (h) a = h(r);
        lock.lock();
        if (a.delay.count() > 0) cv.wait_for(lock, a.delay, [&] { return stopping; });
        if (stopping) return;
      }
      if (a.close_without_answer) return;
      bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(a.status), 11};
      if (!a.content_type.empty()) res.set(bhttp::field::content_type, a.content_type);
      res.body() = a.body;
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      bhttp::write(*socket, res, ec);
      if (ec || !req.keep_alive()) return;
    }
  }
};

HttpReceiver::HttpReceiver(Handler handler) : impl_(std::make_unique<Impl>()) {
  impl_->handler = std::move(handler);
  tcp::endpoint at(net::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(at.protocol());
  impl_->acceptor.set_option(net::socket_base::reuse_address(true));
  impl_->acceptor.bind(at);
  impl_->acceptor.listen();
  port_ = impl_->acceptor.local_endpoint().port();
  impl_->accept_thread = std::thread([i = impl_.get()] {
    while (true) {
      auto socket = std::make_shared<tcp::socket>(i->ioc);
      beast::error_code ec;
      i->acceptor.accept(*socket, ec);
      std::lock_guard lock(i->mu);
      if (i->stopping) return;
      if (ec) continue;
      i->sockets.push_back(socket);
      i->threads.emplace_back([i, socket] { i->serve(socket); });
    }
  });
}

HttpReceiver::~HttpReceiver() { stop(); }

std::string HttpReceiver::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void HttpReceiver::set_handler(Handler handler) {
  std::lock_guard lock(impl_->mu);
  impl_->handler = std::move(handler);
}

std::vector<ReceivedRequest> HttpReceiver::requests() const {
  std::lock_guard lock(impl_->mu);
  return impl_->seen;
}

bool HttpReceiver::wait_for(size_t n, std::chrono::milliseconds limit) const {
  std::unique_lock lock(impl_->mu);
  return impl_->cv.wait_for(lock, limit, [&] { return impl_->seen.size() >= n; });
}

void HttpReceiver::stop() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->stopping) return;
    impl_->stopping = true;
    for (auto& s : impl_->sockets) {
      beast::error_code ec;
      s->shutdown(tcp::socket::shutdown_both, ec);
    }
  }
  impl_->cv.notify_all();
  beast::error_code ec;
  impl_->acceptor.cancel(ec);
  // A blocking accept() is not reliably woken by cancel/close from another thread: connect once.
  {
    net::io_context ioc;
    tcp::socket poke(ioc);
    poke.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_), ec);
  }
  if (impl_->accept_thread.joinable()) impl_->accept_thread.join();
  impl_->acceptor.close(ec);  // later connections are refused, not left in the backlog
  {
    std::lock_guard lock(impl_->mu);
    threads.swap(impl_->threads);
  }
  for (auto& t : threads) t.join();
}

}  // namespace hearth::testing
