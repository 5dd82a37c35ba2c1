// `hearth serve` speaking TLS itself (tls_cert / tls_key): a real server on 127.0.0.1 (port 0) with
// a certificate made for the test run, real Beast TLS clients that trust only that certificate.
// HTTPS and WSS share the one listener; plain HTTP there is closed. Every client operation has a
// deadline.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <boost/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "chat_server.h"
#include "http_client.h"
#include "support/temp_dir.h"
#include "test_certificate.h"

namespace hearth::server {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace json = boost::json;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;
using namespace testing;
using http::Verb;

// A WSS client: TCP, TLS (trusting `pem` for 127.0.0.1), then the WebSocket handshake on /socket.
class WssClient {
 public:
  WssClient(uint16_t port, const std::string& pem, const Headers& headers)
      : ctx_(net::ssl::context::tls_client), ws_(ioc_, ctx_) {
    ctx_.add_certificate_authority(net::buffer(pem));
    ctx_.set_verify_mode(net::ssl::verify_peer);
    ctx_.set_verify_callback(net::ssl::host_name_verification("127.0.0.1"));
    auto& tcp_layer = beast::get_lowest_layer(ws_);
    tcp_layer.expires_after(10s);
    bool ok = run([&](auto done) {
      tcp_layer.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), done);
    });
    ok = ok && run([&](auto done) { ws_.next_layer().async_handshake(net::ssl::stream_base::client, done); });
    if (!ok) return;
    tcp_layer.expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    ws_.set_option(websocket::stream_base::decorator([headers](websocket::request_type& req) {
      for (auto& [k, v] : headers) req.set(k, v);
    }));
    connected_ = run([&](auto done) {
      ws_.async_handshake(response_, "127.0.0.1:" + std::to_string(port), "/socket", done);
    });
  }
  bool connected() const { return connected_; }
  unsigned status() const { return response_.result_int(); }

  bool send(const json::value& v) {
    std::string text = json::serialize(v);
    return run([&](auto done) { ws_.async_write(net::buffer(text), done); });
  }
  // The next message; nullopt at the deadline or once closed (then close_code() tells why).
  std::optional<json::value> recv(std::chrono::milliseconds timeout = 10s) {
    buffer_.consume(buffer_.size());
    if (!run([&](auto done) { ws_.async_read(buffer_, done); }, timeout)) return std::nullopt;
    return json::parse(beast::buffers_to_string(buffer_.data()));
  }
  int close_code() const { return ws_.reason().code; }

 private:
  // Starts one operation and runs the context until it completes or the deadline passes; true when
  // it completed without error.
  template <class Start>
  bool run(Start start, std::chrono::milliseconds timeout = 10s) {
    bool finished = false;
    beast::error_code ec;
    start([&](beast::error_code e, auto&&...) {
      ec = e;
      finished = true;
    });
    ioc_.restart();
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!finished && std::chrono::steady_clock::now() < deadline) ioc_.run_one_until(deadline);
    return finished && !ec;
  }

  net::io_context ioc_;
  net::ssl::context ctx_;
  websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws_;
  websocket::response_type response_;
  beast::flat_buffer buffer_;
  bool connected_ = false;
};

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_.path() / "web");
    cert_ = make_test_certificate(dir_.path().string());
    chat_.start(dir_.file("data"), config(), {});
    ASSERT_TRUE(chat_.server);
    port_ = chat_.server->port();
    origin_ = "https://127.0.0.1:" + std::to_string(port_);
  }
  Config config() const {
    Config c;
    c.port = 0;
    c.web_root = dir_.file("web");
    c.shutdown_timeout_seconds = kShutdownSeconds;
    c.tls_cert = cert_.cert_file;
    c.tls_key = cert_.key_file;
    return c;
  }
  Headers same_origin() const { return {{"Host", "127.0.0.1:" + std::to_string(port_)}, {"Origin", origin_}}; }

  static constexpr int kShutdownSeconds = 3;
  TempDir dir_;
  TestCertificate cert_;
  ChatServer chat_;
  uint16_t port_ = 0;
  std::string origin_;
};

TEST_F(TlsTest, HttpsUpAnswersOk) {
  auto res = call_tls(port_, cert_.cert_pem, Verb::get, "/up");
  EXPECT_EQ(res.result_int(), 200u);
  EXPECT_EQ(res.body(), "ok\n");

  // Connection: close ends with the TLS close_notify exchange, which the client's close completes
  // at once (the server does not sit out its shutdown timeout).
  res = call_tls(port_, cert_.cert_pem, Verb::get, "/up", "", {{"Connection", "close"}});
  EXPECT_EQ(res.result_int(), 200u);
  EXPECT_FALSE(res.keep_alive());
  auto deadline = std::chrono::steady_clock::now() + 2s;
  while (chat_.server->connection_count() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_EQ(chat_.server->connection_count(), 0u);
}

TEST_F(TlsTest, FirstRunCookieIsSecureAndWssSaysWelcome) {
  auto res = call_tls(port_, cert_.cert_pem, Verb::post, "/api/first_run", person("Ada", "ada@example.com"),
                      same_origin());
  ASSERT_EQ(res.result_int(), 201u) << res.body();
  std::string set_cookie(res[http::bhttp::field::set_cookie]);
  EXPECT_NE(set_cookie.find("; Secure"), std::string::npos) << set_cookie;
  auto session = session_from(res);
  ASSERT_TRUE(session);

  // The expected Origin is https over TLS: an http one is refused before the handshake.
  WssClient wrong(port_, cert_.cert_pem, {{"Origin", "http://127.0.0.1:" + std::to_string(port_)},
                                          {"Cookie", session->cookie}});
  EXPECT_FALSE(wrong.connected());
  EXPECT_EQ(wrong.status(), 403u);

  WssClient ws(port_, cert_.cert_pem, {{"Origin", origin_}, {"Cookie", session->cookie}});
  ASSERT_TRUE(ws.connected()) << ws.status();
  ASSERT_TRUE(ws.send(json::object{{"type", "hello"}, {"cursor", 0}}));
  auto welcome = ws.recv();
  ASSERT_TRUE(welcome);
  EXPECT_EQ(welcome->at("type").as_string(), "welcome") << json::serialize(*welcome);
}

TEST_F(TlsTest, PlainHttpToTheTlsPortIsClosed) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(10s);
  beast::error_code ec;
  stream.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_), [&](beast::error_code e) { ec = e; });
  ioc.run();
  ASSERT_FALSE(ec);
  std::string request = "GET /up HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  std::string received;
  net::async_write(stream, net::buffer(request), [&](beast::error_code e, size_t) {
    ec = e;
    if (e) return;
    // Whatever the server says (at most a TLS alert), then the end of the connection.
    net::async_read(stream, net::dynamic_buffer(received), [&](beast::error_code e2, size_t) { ec = e2; });
  });
  ioc.restart();
  ioc.run();
  EXPECT_TRUE(ec == net::error::eof || ec == net::error::connection_reset) << ec.message();
  EXPECT_EQ(received.find("HTTP/1.1"), std::string::npos) << received;
  // The server is none the worse for it.
  EXPECT_EQ(call_tls(port_, cert_.cert_pem, Verb::get, "/up").result_int(), 200u);
}

TEST_F(TlsTest, AnUnreadableOrWrongCertificateFailsStartNamingTheFile) {
  auto start_with = [&](const std::string& cert, const std::string& key) {
    Config c = config();
    c.tls_cert = cert;
    c.tls_key = key;
    Server server(c, &chat_.data->sequencer());
    auto st = server.start();
    EXPECT_FALSE(st.ok());
    return st.ok() ? std::string() : st.error().message;
  };
  std::string missing = dir_.file("missing.pem");
  auto message = start_with(missing, cert_.key_file);
  EXPECT_NE(message.find("tls_cert " + missing), std::string::npos) << message;

  std::string garbage = dir_.file("garbage.pem");
  std::ofstream(garbage) << "not a certificate\n";
  message = start_with(garbage, cert_.key_file);
  EXPECT_NE(message.find("tls_cert " + garbage), std::string::npos) << message;

  message = start_with(cert_.cert_file, garbage);
  EXPECT_NE(message.find("tls_key " + garbage), std::string::npos) << message;

  // A key that is not the certificate's.
  auto other = make_test_certificate((dir_.path() / "web").string());
  message = start_with(cert_.cert_file, other.key_file);
  EXPECT_NE(message.find("tls_key " + other.key_file), std::string::npos) << message;
}

TEST_F(TlsTest, StopWithTlsClientsConnectedIsBounded) {
  auto res = call_tls(port_, cert_.cert_pem, Verb::post, "/api/first_run", person("Ada", "ada@example.com"),
                      same_origin());
  ASSERT_EQ(res.result_int(), 201u) << res.body();
  auto session = session_from(res);
  ASSERT_TRUE(session);
  WssClient ws(port_, cert_.cert_pem, {{"Origin", origin_}, {"Cookie", session->cookie}});
  ASSERT_TRUE(ws.connected());
  ASSERT_TRUE(ws.send(json::object{{"type", "hello"}, {"cursor", 0}}));
  ASSERT_TRUE(ws.recv());

  // A client that connected and never starts the TLS handshake, and one mid-handshake would look
  // the same to the server: both must not hold stop() up.
  net::io_context ioc;
  tcp::socket silent(ioc);
  silent.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));

  auto began = std::chrono::steady_clock::now();
  std::thread stopper([this] { chat_.server->stop(); });
  while (ws.recv()) {
  }
  stopper.join();
  auto took = std::chrono::steady_clock::now() - began;
  EXPECT_LT(took, std::chrono::seconds(kShutdownSeconds) + 2s);
  EXPECT_EQ(ws.close_code(), 1001);
  EXPECT_EQ(chat_.server->connection_count(), 0u);
}

}  // namespace
}  // namespace hearth::server
