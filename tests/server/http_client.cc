#include "http_client.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <chrono>

namespace hearth::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace json = boost::json;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

namespace {
// No answer: status 0 (no server sends it) and what went wrong as the body.
server::http::Response no_answer(std::string_view step, const beast::error_code& ec) {
  server::http::Response res;
  res.result(0);
  res.body() = std::string(step) + ": " + ec.message();
  return res;
}

// One request on a connected `stream` (TLS done, if any), run on `ioc` to completion. A body is
// JSON unless `headers` name another Content-Type (multipart uploads).
template <class Stream>
server::http::Response exchange(net::io_context& ioc, Stream& stream, server::http::Verb verb,
                                const std::string& target, const std::string& body, const Headers& headers) {
  beast::error_code ec;
  server::http::Request req{verb, target, 11};
  req.set(bhttp::field::host, "127.0.0.1");
  for (auto& [k, v] : headers) req.set(k, v);
  if (!body.empty() && req[bhttp::field::content_type].empty()) req.set(bhttp::field::content_type, "application/json");
  req.body() = body;
  req.prepare_payload();
  beast::get_lowest_layer(stream).expires_after(30s);  // sign-ins wait for the password pool
  server::http::Response res;
  beast::flat_buffer buffer;
  bhttp::async_write(stream, req, [&](beast::error_code e, size_t) {
    ec = e;
    if (!e) bhttp::async_read(stream, buffer, res, [&](beast::error_code e2, size_t) { ec = e2; });
  });
  ioc.restart();
  ioc.run();
  if (ec) return no_answer("exchange", ec);
  return res;
}

beast::error_code connect(net::io_context& ioc, beast::tcp_stream& stream, uint16_t port) {
  beast::error_code ec;
  stream.expires_after(10s);
  stream.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), [&](beast::error_code e) { ec = e; });
  ioc.run();
  return ec;
}

// Fails the running test when `res` is no answer, naming the request.
server::http::Response answered(server::http::Response res, uint16_t port, server::http::Verb verb,
                                const std::string& target) {
  if (res.result_int() == 0) {
    ADD_FAILURE() << "no answer to " << bhttp::to_string(verb) << " " << target << " on port " << port << " ("
                  << res.body() << ")";
  }
  return res;
}
}  // namespace

server::http::Response try_call(uint16_t port, server::http::Verb verb, const std::string& target,
                                const std::string& body, const Headers& headers) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  if (auto ec = connect(ioc, stream, port)) return no_answer("connect", ec);
  return exchange(ioc, stream, verb, target, body, headers);
}

server::http::Response call(uint16_t port, server::http::Verb verb, const std::string& target, const std::string& body,
                    const Headers& headers) {
  return answered(try_call(port, verb, target, body, headers), port, verb, target);
}

server::http::Response call_tls(uint16_t port, const std::string& trusted_pem, server::http::Verb verb,
                                const std::string& target, const std::string& body, const Headers& headers) {
  net::io_context ioc;
  net::ssl::context ctx(net::ssl::context::tls_client);
  ctx.add_certificate_authority(net::buffer(trusted_pem));
  ctx.set_verify_mode(net::ssl::verify_peer);
  ctx.set_verify_callback(net::ssl::host_name_verification("127.0.0.1"));
  beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
  if (auto ec = connect(ioc, beast::get_lowest_layer(stream), port)) {
    return answered(no_answer("connect", ec), port, verb, target);
  }
  beast::error_code ec;
  stream.async_handshake(net::ssl::stream_base::client, [&](beast::error_code e) { ec = e; });
  ioc.restart();
  ioc.run();
  if (ec) return answered(no_answer("TLS handshake", ec), port, verb, target);
  return answered(exchange(ioc, stream, verb, target, body, headers), port, verb, target);
}

std::string error_code_of(const server::http::Response& res) {
  boost::system::error_code ec;
  auto v = json::parse(res.body(), ec);
  if (ec || !v.is_object() || !v.as_object().contains("error")) return "";
  return std::string(v.at("error").at("code").as_string());
}

json::value body_of(const server::http::Response& res) {
  boost::system::error_code ec;
  auto v = json::parse(res.body(), ec);
  return ec ? json::value() : v;
}

Headers Session::headers(bool with_csrf) const {
  Headers h{{"Origin", kOrigin}, {"Cookie", cookie}};
  if (with_csrf) h.emplace_back("X-CSRF-Token", csrf);
  return h;
}

std::optional<Session> session_from(const server::http::Response& res) {
  std::string set_cookie(res[bhttp::field::set_cookie]);
  auto end = set_cookie.find(';');
  auto body = body_of(res);
  if (set_cookie.empty() || !body.is_object() || !body.as_object().contains("csrf_token")) return std::nullopt;
  return Session{set_cookie.substr(0, end), std::string(body.at("csrf_token").as_string())};
}

std::string person(const std::string& name, const std::string& email, const std::string& password) {
  return json::serialize(json::object{{"name", name}, {"email", email}, {"password", password}});
}

}  // namespace hearth::testing
