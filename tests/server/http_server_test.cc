// A real server on 127.0.0.1 (port 0) and real Beast clients. Every test is bounded: each client
// operation expires after a few seconds, and every server is stopped by its fixture.
#include "server/server.h"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <chrono>
#include <fstream>
#include <future>
#include <mutex>
#include <thread>

#include "projections/data_dir.h"
#include "server/http/router.h"
#include "support/temp_dir.h"

namespace hearth::server {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;
using http::Request;
using http::Response;
using namespace std::chrono_literals;

// One client connection. Every operation is async with a deadline, run to completion here.
class Client {
 public:
  explicit Client(uint16_t port) : stream_(ioc_) {
    stream_.expires_after(5s);
    stream_.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port),
                          [this](beast::error_code ec) { ec_ = ec; });
    run();
  }
  beast::error_code error() const { return ec_; }

  Response request(Request req) {
    req.version(11);
    req.set(bhttp::field::host, "127.0.0.1");
    req.prepare_payload();
    stream_.expires_after(5s);
    bhttp::async_write(stream_, req, [this](beast::error_code ec, size_t) { ec_ = ec; });
    run();
    if (ec_) return Response{};
    return read(req.method() == bhttp::verb::head);
  }
  Response get(std::string target, std::vector<std::pair<std::string, std::string>> headers = {}) {
    Request req{bhttp::verb::get, target, 11};
    for (auto& [k, v] : headers) req.set(k, v);
    return request(std::move(req));
  }
  // Sends bytes as they are (malformed requests), then reads one response.
  Response raw(std::string bytes) {
    stream_.expires_after(5s);
    net::async_write(stream_, net::buffer(bytes), [this](beast::error_code ec, size_t) { ec_ = ec; });
    run();
    if (ec_) return Response{};
    return read();
  }
  Response read(bool head = false) {
    bhttp::response_parser<Response::body_type> parser;
    parser.skip(head);  // a response to HEAD announces a length but carries no body
    stream_.expires_after(5s);
    bhttp::async_read(stream_, buffer_, parser, [this](beast::error_code ec, size_t) { ec_ = ec; });
    run();
    return parser.release();
  }
  // True when the server closed the connection (EOF) within the deadline.
  bool closed_by_server() {
    char byte;
    stream_.expires_after(5s);
    stream_.async_read_some(net::buffer(&byte, 1), [this](beast::error_code ec, size_t) { ec_ = ec; });
    run();
    return ec_ == net::error::eof || ec_ == net::error::connection_reset;
  }

 private:
  void run() {
    ioc_.restart();
    ioc_.run();
  }
  net::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  beast::error_code ec_;
};

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_.path() / "web" / "assets");
    std::ofstream(dir_.file("web/index.html")) << "<!doctype html><title>Hearth</title>";
    std::ofstream(dir_.file("web/assets/app.0123abcd.js")) << "export const x = 1;";
    std::ofstream(dir_.file("secret.txt")) << "outside the web root";
    DataDir::Options options;
    options.verify_rest_in_background = false;
    auto data = DataDir::open(dir_.file("data"), options);
    ASSERT_TRUE(data.ok()) << data.error().to_string();
    data_ = std::move(*data);
    config_.port = 0;
    config_.web_root = dir_.file("web");
    config_.max_body_bytes = 1024;
    config_.shutdown_timeout_seconds = 5;
  }
  void TearDown() override {
    if (server_) server_->stop();
    server_.reset();
    if (data_) data_->sequencer().stop();
  }
  Server& start() {
    server_ = std::make_unique<Server>(config_, &data_->sequencer());
    add_routes(server_->router());
    auto s = server_->start();
    EXPECT_TRUE(s.ok()) << s.error().message;
    EXPECT_NE(server_->port(), 0);
    return *server_;
  }
  virtual void add_routes(http::Router&) {}
  uint16_t port() const { return server_->port(); }

  testing::TempDir dir_;
  std::unique_ptr<DataDir> data_;
  Config config_;
  std::unique_ptr<Server> server_;
};

std::string error_code_of(const Response& res) {
  auto at = res.body().find("\"code\":\"");
  if (at == std::string::npos) return "";
  auto start = at + 8;
  return res.body().substr(start, res.body().find('"', start) - start);
}

TEST_F(HttpServerTest, UpAnswersOk) {
  start();
  Client c(port());
  auto res = c.get("/up");
  EXPECT_EQ(res.result(), bhttp::status::ok);
  EXPECT_EQ(res.body(), "ok\n");
}

TEST_F(HttpServerTest, ReadyAfterOpenAndNotReadyAfterHalt) {
  start();
  Client c(port());
  auto ready = c.get("/ready");
  EXPECT_EQ(ready.result(), bhttp::status::ok) << ready.body();
  data_->sequencer().halt(Error{ErrorCode::kCorruption, "checksum mismatch at seq 7"});
  auto halted = c.get("/ready");
  EXPECT_EQ(halted.result(), bhttp::status::service_unavailable);
  EXPECT_EQ(error_code_of(halted), "not_ready");
  EXPECT_NE(halted.body().find("seq 7"), std::string::npos) << halted.body();
}

TEST_F(HttpServerTest, StaticFilesCarryStrongEtagAndAnswer304) {
  start();
  Client c(port());
  auto index = c.get("/");
  ASSERT_EQ(index.result(), bhttp::status::ok);
  EXPECT_EQ(index.body(), "<!doctype html><title>Hearth</title>");
  EXPECT_EQ(index[bhttp::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(index[bhttp::field::cache_control], "no-cache");
  std::string etag(index[bhttp::field::etag]);
  ASSERT_EQ(etag.size(), 34u);
  EXPECT_EQ(etag.front(), '"') << "strong: no W/ prefix";

  auto again = c.get("/index.html", {{"If-None-Match", etag}});
  EXPECT_EQ(again.result(), bhttp::status::not_modified);
  EXPECT_TRUE(again.body().empty());
  EXPECT_EQ(again[bhttp::field::etag], etag);
  EXPECT_EQ(c.get("/", {{"If-None-Match", "\"other\""}}).result(), bhttp::status::ok);

  auto asset = c.get("/assets/app.0123abcd.js");
  EXPECT_EQ(asset[bhttp::field::content_type], "text/javascript; charset=utf-8");
  EXPECT_EQ(asset[bhttp::field::cache_control], "public, max-age=31536000, immutable");

  Request head{bhttp::verb::head, "/", 11};
  auto h = c.request(head);
  EXPECT_EQ(h.result(), bhttp::status::ok);
  EXPECT_EQ(h[bhttp::field::content_length], "36");
}

TEST_F(HttpServerTest, TraversalIsRefused) {
  start();
  for (const std::string& target : std::vector<std::string>{"/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/assets/../../secret.txt",
                             "//" + dir_.file("secret.txt"), "/index.html%00", "/..%5csecret.txt"}) {
    Client c(port());
    auto res = c.raw("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(res.result(), bhttp::status::not_found) << target;
    EXPECT_EQ(res.body().find("outside"), std::string::npos) << target;
  }
  // An absolute-form target is not a path at all.
  Client c(port());
  auto absolute = c.raw("GET /etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(absolute.result(), bhttp::status::not_found);
}

TEST_F(HttpServerTest, ClientRoutesAreIndexHtmlAndOtherUnknownPathsStay404) {
  start();
  Client c(port());
  for (std::string target : {"/rooms/3", "/join/AbCd-1234-xYz9", "/session/new", "/first_run", "/rooms", "/profile", "/search"}) {
    auto res = c.get(target);
    EXPECT_EQ(res.result(), bhttp::status::ok) << target;
    EXPECT_EQ(res.body(), "<!doctype html><title>Hearth</title>") << target;
    EXPECT_EQ(res[bhttp::field::content_type], "text/html; charset=utf-8") << target;
  }
  for (std::string target : {"/nope", "/roomsx", "/api/nope", "/join.js"}) {
    EXPECT_EQ(c.get(target).result(), bhttp::status::not_found) << target;
  }
}

TEST_F(HttpServerTest, UnknownRouteIsJson404) {
  start();
  Client c(port());
  Request post{bhttp::verb::post, "/api/nope", 11};
  auto res = c.request(post);
  EXPECT_EQ(res.result(), bhttp::status::not_found);
  EXPECT_EQ(res[bhttp::field::content_type], "application/json");
  EXPECT_EQ(error_code_of(res), "not_found");
  EXPECT_EQ(res.body(), R"({"error":{"code":"not_found","message":"No route for /api/nope"}})");
  auto wrong_method = c.request(Request{bhttp::verb::delete_, "/up", 11});
  EXPECT_EQ(wrong_method.result(), bhttp::status::method_not_allowed);
  EXPECT_EQ(wrong_method[bhttp::field::allow], "GET, HEAD");
}

TEST_F(HttpServerTest, MalformedRequestsGet400AndTheConnectionCloses) {
  start();
  for (std::string bad : {std::string("GARBAGE\r\n\r\n"), std::string("GET / HTTP/9.9\r\n\r\n"),
                          std::string("GET / HTTP/1.1\r\nBad Header\r\n\r\n"),
                          std::string("GET / HTTP/1.1\r\nContent-Length: nope\r\n\r\n"),
                          std::string("\0\0\0\0\r\n\r\n", 8),
                          // past the 64 KB header limit (server/http/session.cc)
                          std::string("GET / HTTP/1.1\r\nHost: x\r\nX: ") + std::string(100000, 'a') + "\r\n\r\n"}) {
    Client c(port());
    auto res = c.raw(bad);
    EXPECT_EQ(res.result(), bhttp::status::bad_request) << bad.substr(0, 40);
    EXPECT_EQ(error_code_of(res), "bad_request");
    EXPECT_TRUE(c.closed_by_server());
  }
  Client after(port());
  EXPECT_EQ(after.get("/up").result(), bhttp::status::ok) << "the server is still serving";
}

TEST_F(HttpServerTest, BodyOverTheLimitIs413) {
  start();
  Client c(port());
  Request big{bhttp::verb::post, "/up", 11};
  big.body() = std::string(2000, 'x');
  auto res = c.request(big);
  EXPECT_EQ(res.result(), bhttp::status::payload_too_large);
  EXPECT_EQ(error_code_of(res), "payload_too_large");
  // Announced but never sent: refused from the header alone.
  Client d(port());
  auto announced = d.raw("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n");
  EXPECT_EQ(announced.result(), bhttp::status::payload_too_large);
}

TEST_F(HttpServerTest, ManyKeepAliveConnectionsThenStop) {
  Server& server = start();
  constexpr int kClients = 40;
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<Client>(port()));
    for (int j = 0; j < 3; ++j) {
      ASSERT_EQ(clients.back()->get("/up").result(), bhttp::status::ok);
    }
  }
  EXPECT_EQ(server.connection_count(), static_cast<size_t>(kClients));
  auto started = std::chrono::steady_clock::now();
  server.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s) << "idle connections close at once";
  EXPECT_EQ(server.connection_count(), 0u);
  for (auto& c : clients) EXPECT_TRUE(c->closed_by_server());
  Client late(port());
  EXPECT_TRUE(late.error()) << "no longer accepting";
}

class SlowRouteTest : public HttpServerTest {
 protected:
  void add_routes(http::Router& router) override {
    // Answers from another thread after a delay, as a handler waiting for a commit will.
    router.add(http::Verb::get, "/slow", [this](http::RequestContext& ctx, http::Respond respond) {
      unsigned version = ctx.request.version();
      entered_.set_value();
      worker_ = std::thread([respond = std::move(respond), version]() mutable {
        std::this_thread::sleep_for(300ms);
        Response res{bhttp::status::ok, version};
        res.body() = "done";
        res.prepare_payload();
        respond(std::move(res));
      });
    });
    router.add_sync(http::Verb::get, "/whoami", [](http::RequestContext& ctx) {
      Response res{bhttp::status::ok, ctx.request.version()};
      res.body() = ctx.client_address;
      res.prepare_payload();
      return res;
    });
  }
  void TearDown() override {
    if (worker_.joinable()) worker_.join();
    HttpServerTest::TearDown();
  }
  std::promise<void> entered_;
  std::thread worker_;
};

TEST_F(SlowRouteTest, StopLetsTheRequestInFlightFinish) {
  Server& server = start();
  Client idle(port());
  ASSERT_EQ(idle.get("/up").result(), bhttp::status::ok);
  auto slow = std::async(std::launch::async, [p = port()] {
    Client c(p);
    auto res = c.get("/slow");
    return std::make_pair(res, c.closed_by_server());
  });
  entered_.get_future().wait();
  server.stop();  // returns once the slow response is written
  auto [res, closed] = slow.get();
  EXPECT_EQ(res.result(), bhttp::status::ok);
  EXPECT_EQ(res.body(), "done");
  EXPECT_FALSE(res.keep_alive()) << "Connection: close while shutting down";
  EXPECT_TRUE(closed);
  EXPECT_TRUE(idle.closed_by_server());
}

TEST_F(SlowRouteTest, ForwardedForIsHonouredOnlyFromTrustedProxies) {
  start();
  {
    Client c(port());
    EXPECT_EQ(c.get("/whoami", {{"X-Forwarded-For", "198.51.100.7"}}).body(), "127.0.0.1")
        << "no trusted proxies: the header is ignored";
  }
  server_->stop();
  server_.reset();
  config_.trusted_proxies = {"127.0.0.1"};
  start();
  Client c(port());
  EXPECT_EQ(c.get("/whoami", {{"X-Forwarded-For", "6.6.6.6, 198.51.100.7"}}).body(), "198.51.100.7");
  EXPECT_EQ(c.get("/whoami").body(), "127.0.0.1");
}

// A handler that keeps its Respond and never answers (or answers after the server is gone).
class KeptRespondTest : public HttpServerTest {
 protected:
  void add_routes(http::Router& router) override {
    router.add(http::Verb::get, "/keep", [this](http::RequestContext&, http::Respond respond) {
      std::lock_guard lock(mu_);
      kept_ = std::move(respond);
      entered_.set_value();
    });
    router.add(http::Verb::get, "/drop", [](http::RequestContext&, http::Respond) {});
  }
  std::mutex mu_;
  http::Respond kept_;
  std::promise<void> entered_;
};

TEST_F(KeptRespondTest, StopIsBoundedAndALateRespondIsANoOp) {
  config_.shutdown_timeout_seconds = 1;
  Server& server = start();
  auto client = std::async(std::launch::async, [p = port()] {
    Client c(p);
    auto res = c.get("/keep");
    return c.error();
  });
  entered_.get_future().wait();
  EXPECT_EQ(server.connection_count(), 1u);
  auto started = std::chrono::steady_clock::now();
  server.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 4s) << "bounded by shutdown_timeout_seconds";
  EXPECT_TRUE(client.get()) << "the connection was closed without a response";
  server_.reset();  // the Server, its io_context and its sessions are gone
  http::Respond late;
  {
    std::lock_guard lock(mu_);
    late = std::move(kept_);
  }
  ASSERT_TRUE(late);
  Response res{bhttp::status::ok, 11};
  res.body() = "too late";
  late(std::move(res));  // must not touch freed memory (the ASan build checks)
  late = nullptr;        // nor must its destruction
}

TEST_F(KeptRespondTest, ARespondDroppedUnansweredClosesTheConnection) {
  Server& server = start();
  Client c(port());
  auto res = c.get("/drop");
  EXPECT_TRUE(c.error()) << "no response, the connection closes";
  for (int i = 0; i < 200 && server.connection_count() != 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(server.connection_count(), 0u);
  Client after(port());
  EXPECT_EQ(after.get("/up").result(), bhttp::status::ok);
}

TEST_F(KeptRespondTest, ARespondCalledDuringStopIsWritten) {
  config_.shutdown_timeout_seconds = 5;
  Server& server = start();
  auto client = std::async(std::launch::async, [p = port()] {
    Client c(p);
    return c.get("/keep");
  });
  entered_.get_future().wait();
  std::thread answer([this] {
    std::this_thread::sleep_for(200ms);
    std::lock_guard lock(mu_);
    Response res{bhttp::status::ok, 11};
    res.body() = "answered";
    res.prepare_payload();
    kept_(std::move(res));
  });
  server.stop();  // waits for the answer
  answer.join();
  auto res = client.get();
  EXPECT_EQ(res.result(), bhttp::status::ok);
  EXPECT_EQ(res.body(), "answered");
}

}  // namespace
}  // namespace hearth::server
