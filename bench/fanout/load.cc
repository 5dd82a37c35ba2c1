#include "bench/fanout/load.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <deque>
#include <future>
#include <optional>
#include <thread>
#include <vector>

namespace hearth::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

struct Load::Impl {
  struct Client {
    std::string cookie;
    std::unique_ptr<websocket::stream<beast::tcp_stream>> ws;  // null while not connected
    beast::flat_buffer in;
    std::deque<std::string> out;
    bool writing = false;
    bool open = false;
    // Bumped by close(): handlers of an earlier connection see a different number and stop.
    uint64_t generation = 0;
  };

  Load& owner;
  Options options;
  asio::io_context ioc{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::vector<std::unique_ptr<Client>> clients;
  std::deque<int> waiting;  // connects beyond max_connecting
  int connecting = 0;
  std::thread thread;

  Impl(Load& o, Options opt) : owner(o), options(std::move(opt)) {
    work.emplace(ioc.get_executor());
    thread = std::thread([this] { ioc.run(); });
  }

  bool current(int i, uint64_t generation) const { return clients[i]->generation == generation; }

  void connect(int i) {
    if (connecting >= options.max_connecting) {
      waiting.push_back(i);
      return;
    }
    ++connecting;
    Client& c = *clients[i];
    c.ws = std::make_unique<websocket::stream<beast::tcp_stream>>(ioc);
    c.in.clear();
    c.out.clear();
    c.writing = false;
    uint64_t g = c.generation;
    auto& tcp_stream = beast::get_lowest_layer(*c.ws);
    tcp_stream.expires_after(std::chrono::seconds(30));
    tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), options.port);
    tcp_stream.async_connect(ep, [this, i, g](beast::error_code ec) {
      if (!current(i, g)) return connected(i, g, ec);
      Client& cl = *clients[i];
      if (!ec) {
        beast::get_lowest_layer(*cl.ws).socket().set_option(tcp::no_delay(true), ec);
        beast::get_lowest_layer(*cl.ws).expires_never();
        cl.ws->set_option(websocket::stream_base::decorator([this, i](websocket::request_type& req) {
          if (!clients[i]->cookie.empty()) req.set(beast::http::field::cookie, clients[i]->cookie);
          if (!options.origin.empty()) req.set(beast::http::field::origin, options.origin);
        }));
      }
      if (ec) return connected(i, g, ec);
      std::string host = "127.0.0.1:" + std::to_string(options.port);
      cl.ws->async_handshake(host, options.path, [this, i, g](beast::error_code ec2) { connected(i, g, ec2); });
    });
  }

  void connected(int i, uint64_t g, beast::error_code ec) {
    --connecting;
    while (connecting < options.max_connecting && !waiting.empty()) {
      int next = waiting.front();
      waiting.pop_front();
      connect(next);
    }
    if (!current(i, g)) return;
    Client& c = *clients[i];
    if (ec) {
      c.ws.reset();
      ++c.generation;
      if (owner.on_close) owner.on_close(i);
      return;
    }
    c.open = true;
    c.ws->text(true);
    if (owner.on_open) owner.on_open(i);
    if (current(i, g)) read(i, g);
  }

  void read(int i, uint64_t g) {
    Client& c = *clients[i];
    c.ws->async_read(c.in, [this, i, g](beast::error_code ec, size_t) {
      if (!current(i, g)) return;
      Client& cl = *clients[i];
      if (ec) {
        drop(i);
        if (owner.on_close) owner.on_close(i);
        return;
      }
      auto data = cl.in.cdata();
      if (owner.on_message) owner.on_message(i, std::string_view(static_cast<const char*>(data.data()), data.size()));
      if (!current(i, g)) return;
      cl.in.consume(cl.in.size());
      read(i, g);
    });
  }

  void send(int i, std::string text) {
    Client& c = *clients[i];
    if (!c.open) return;
    c.out.push_back(std::move(text));
    if (!c.writing) write(i);
  }

  void write(int i) {
    Client& c = *clients[i];
    c.writing = true;
    uint64_t g = c.generation;
    c.ws->async_write(asio::buffer(c.out.front()), [this, i, g](beast::error_code ec, size_t) {
      if (!current(i, g)) return;
      Client& cl = *clients[i];
      cl.out.pop_front();
      cl.writing = false;
      if (ec) return;  // the read fails too and reports the close
      if (!cl.out.empty()) write(i);
    });
  }

  // Forgets the connection: pending handlers see a new generation and do nothing.
  void drop(int i) {
    Client& c = *clients[i];
    ++c.generation;
    c.open = false;
    if (c.ws) {
      // An abortive close (RST): thousands of clients per run would otherwise leave as many
      // ports in TIME_WAIT for a minute, and a full run would run out of them.
      beast::error_code ignored;
      auto& socket = beast::get_lowest_layer(*c.ws).socket();
      socket.set_option(asio::socket_base::linger(true, 0), ignored);
      socket.close(ignored);
      c.ws.reset();
    }
  }
};

Load::Load(Options options) : impl_(std::make_unique<Impl>(*this, std::move(options))) {}

Load::~Load() {
  call([this] {
    for (int i = 0; i < size(); ++i) impl_->drop(i);
    impl_->waiting.clear();
  });
  impl_->work.reset();
  impl_->ioc.stop();
  impl_->thread.join();
}

int Load::add(std::string cookie) {
  impl_->clients.push_back(std::make_unique<Impl::Client>());
  impl_->clients.back()->cookie = std::move(cookie);
  return static_cast<int>(impl_->clients.size()) - 1;
}
int Load::size() const { return static_cast<int>(impl_->clients.size()); }
void Load::connect(int client) { impl_->connect(client); }
void Load::send(int client, std::string text) { impl_->send(client, std::move(text)); }
void Load::close(int client) { impl_->drop(client); }
void Load::set_port(uint16_t port) { impl_->options.port = port; }

void Load::call(const std::function<void()>& fn) {
  if (std::this_thread::get_id() == impl_->thread.get_id()) return fn();
  std::promise<void> done;
  asio::post(impl_->ioc, [&] {
    fn();
    done.set_value();
  });
  done.get_future().get();
}

namespace {
// Re-arms itself while tick() says so; its pending wait is what keeps it alive.
struct Ticker : std::enable_shared_from_this<Ticker> {
  Ticker(asio::io_context& ioc, std::chrono::microseconds p, std::function<bool()> t)
      : timer(ioc), period(p), tick(std::move(t)) {}
  asio::steady_timer timer;
  std::chrono::microseconds period;
  std::function<bool()> tick;
  void arm() {
    timer.expires_after(period);
    timer.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec && self->tick()) self->arm();
    });
  }
};
}  // namespace

void Load::every(std::chrono::microseconds period, std::function<bool()> tick) {
  auto ticker = std::make_shared<Ticker>(impl_->ioc, period, std::move(tick));
  asio::post(impl_->ioc, [ticker] { ticker->arm(); });
}

pthread_t Load::thread() const { return impl_->thread.native_handle(); }

}  // namespace hearth::bench
