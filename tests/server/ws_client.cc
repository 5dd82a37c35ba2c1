#include "ws_client.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <boost/json.hpp>

namespace hearth::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace json = boost::json;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

struct WsClient::Impl {
  net::io_context ioc;
  websocket::stream<beast::tcp_stream> ws{ioc};
  beast::flat_buffer buffer;
  std::deque<std::string> inbox;
  bool closed = false;
  int close_code = 0;

  void read_loop() {
    ws.async_read(buffer, [this](beast::error_code ec, size_t) {
      if (ec) {
        closed = true;
        close_code = ws.reason().code;
        return;
      }
      inbox.push_back(beast::buffers_to_string(buffer.data()));
      buffer.consume(buffer.size());
      read_loop();
    });
  }
};

std::unique_ptr<WsClient> WsClient::connect(uint16_t port, const Headers& headers, int* status,
                                            const std::string& target) {
  auto impl = std::make_unique<Impl>();
  if (status) *status = 0;
  beast::error_code ec;
  auto& lowest = beast::get_lowest_layer(impl->ws);
  lowest.expires_after(10s);
  lowest.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), [&](beast::error_code e) { ec = e; });
  impl->ioc.run();
  if (ec) return nullptr;
  lowest.expires_never();
  impl->ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
  impl->ws.set_option(websocket::stream_base::decorator([headers](websocket::request_type& req) {
    for (auto& [k, v] : headers) req.set(k, v);
  }));
  websocket::response_type res;
  bool done = false;
  impl->ws.async_handshake(res, "127.0.0.1", target, [&](beast::error_code e) {
    ec = e;
    done = true;
  });
  impl->ioc.restart();
  // Until the handshake answers (the stream's own timers would keep a plain run() going).
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!done && std::chrono::steady_clock::now() < deadline) impl->ioc.run_one_until(deadline);
  if (status) *status = static_cast<int>(res.result_int());
  if (ec || res.result_int() != 101) return nullptr;
  impl->ioc.restart();
  impl->read_loop();
  return std::unique_ptr<WsClient>(new WsClient(std::move(impl)));
}

WsClient::WsClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WsClient::~WsClient() { drop(); }

bool WsClient::send(const std::string& text) {
  if (impl_->closed) return false;
  beast::error_code ec = net::error::would_block;
  impl_->ws.async_write(net::buffer(text), [&](beast::error_code e, size_t) { ec = e; });
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (ec == net::error::would_block && std::chrono::steady_clock::now() < deadline) {
    impl_->ioc.run_one_until(deadline);
  }
  return !ec;
}

bool WsClient::send(const json::value& v) { return send(json::serialize(v)); }

std::optional<json::value> WsClient::recv(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (impl_->inbox.empty() && !impl_->closed && std::chrono::steady_clock::now() < deadline) {
    impl_->ioc.run_one_until(deadline);
  }
  if (impl_->inbox.empty()) return std::nullopt;
  std::string text = std::move(impl_->inbox.front());
  impl_->inbox.pop_front();
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec) return json::value(json::object{{"type", "unparsable"}, {"text", text}});
  return v;
}

std::optional<json::value> WsClient::recv_type(const std::string& type, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::deque<std::string> others;
  std::optional<json::value> found;
  while (std::chrono::steady_clock::now() < deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    auto v = recv(left);
    if (!v) break;
    if (v->is_object() && v->as_object().contains("type") && v->at("type").as_string() == type) {
      found = std::move(v);
      break;
    }
    others.push_back(json::serialize(*v));
  }
  for (auto it = others.rbegin(); it != others.rend(); ++it) impl_->inbox.push_front(std::move(*it));
  return found;
}

bool WsClient::closed() const { return impl_->closed; }
int WsClient::close_code() const { return impl_->close_code; }

void WsClient::drop() {
  if (!impl_) return;
  beast::error_code ignored;
  auto& sock = beast::get_lowest_layer(impl_->ws).socket();
  if (sock.is_open()) {
    sock.shutdown(tcp::socket::shutdown_both, ignored);
    sock.close(ignored);
  }
  impl_->ioc.restart();
  impl_->ioc.poll();  // let the read handler see the close
  impl_->closed = true;
}

void StreamRecord::feed(const json::value& frame) {
  if (!frame.is_object() || !frame.as_object().contains("type")) {
    errors.push_back("not a frame: " + json::serialize(frame));
    return;
  }
  auto type = frame.at("type").as_string();
  if (type != "events" && type != "checkpoint") return;
  int64_t prev = frame.at("prev").as_int64(), seq = frame.at("seq").as_int64();
  if (prev != last) {
    errors.push_back("prev " + std::to_string(prev) + " != last " + std::to_string(last));
    return;
  }
  if (seq < prev) errors.push_back("seq " + std::to_string(seq) + " < prev " + std::to_string(prev));
  if (type == "events") {
    int64_t before = prev;
    for (const auto& e : frame.at("events").as_array()) {
      int64_t s = e.at("seq").as_int64();
      if (s <= before || s > seq) errors.push_back("event seq " + std::to_string(s) + " out of (" +
                                                   std::to_string(before) + ", " + std::to_string(seq) + "]");
      before = s;
      seqs.push_back(s);
    }
    if (frame.at("events").as_array().empty()) errors.push_back("empty events frame");
  }
  last = seq;
}

}  // namespace hearth::testing
