#pragma once
// The fixture of the WebSocket tests (socket_test.cc, presence_test.cc): a real server on
// 127.0.0.1 (port 0) with a real data directory, people made over HTTP, sockets that say hello,
// and the log as the oracle of what each user's stream must carry (`replay explain`).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <chrono>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "chat_server.h"
#include "core/log/event_log.h"
#include "http_client.h"
#include "replay/explain.h"
#include "server/config.h"
#include "server/realtime/realtime.h"
#include "support/temp_dir.h"
#include "ws_client.h"

namespace hearth::server {

namespace json = boost::json;
using namespace std::chrono_literals;
using namespace testing;
using http::Verb;

class SocketTest : public ::testing::Test {
 protected:
  void SetUp() override { start(); }
  void TearDown() override { stop(); }

  void start() {
    std::filesystem::create_directories(dir_.path() / "web");
    realtime::Realtime::Options rt_options;
    rt_options.connection.checkpoint_delay = 20ms;
    configure(rt_options);
    Config config;
    config.port = 0;
    config.web_root = dir_.file("web");
    config.shutdown_timeout_seconds = 5;
    chat_.start(dir_.file("data"), config, rt_options);
    ASSERT_TRUE(chat_.server);
    port_ = chat_.server->port();
  }
  void stop() { chat_.stop(); }
  virtual void configure(realtime::Realtime::Options&) {}

  Session first_run() {
    auto res = call(port_, Verb::post, "/api/first_run", person("Ada", "ada@example.com"));
    EXPECT_EQ(res.result_int(), 201u) << res.body();
    return session_from(res).value_or(Session{});
  }
  json::value bootstrap(const Session& s) {
    auto res = call(port_, Verb::get, "/api/bootstrap", "", s.headers(false));
    EXPECT_EQ(res.result_int(), 200u) << res.body();
    return body_of(res);
  }
  Session join(const Session& admin, const std::string& name) {
    std::string code(bootstrap(admin).at("account").at("join_code").as_string());
    auto res = call(port_, Verb::post, "/api/join/" + code, person(name, name + "@example.com"));
    EXPECT_EQ(res.result_int(), 201u) << res.body();
    return session_from(res).value_or(Session{});
  }
  int64_t user_id(const Session& s) { return bootstrap(s).at("me").at("id").as_int64(); }
  int64_t all_talk(const Session& s) { return bootstrap(s).at("rooms").as_array().at(0).at("id").as_int64(); }

  int64_t post_http(const Session& s, int64_t room, const std::string& text, const std::string& client_id) {
    auto res = call(port_, Verb::post, "/api/rooms/" + std::to_string(room) + "/messages",
                    json::serialize(json::object{{"client_message_id", client_id}, {"body_html", text},
                                                 {"plain_text", text}}),
                    s.headers());
    EXPECT_EQ(res.result_int(), 201u) << res.body();
    return res.result_int() == 201 ? body_of(res).at("seq").as_int64() : 0;
  }

  // Opens a socket and says hello; the welcome is checked and consumed.
  std::unique_ptr<WsClient> open_socket(const Session& s, int64_t cursor) {
    auto c = WsClient::connect(port_, {{"Origin", kOrigin}, {"Cookie", s.cookie}});
    if (!c) return nullptr;
    c->send(json::value(json::object{{"type", "hello"}, {"cursor", cursor}}));
    auto welcome = c->recv_type("welcome");
    EXPECT_TRUE(welcome) << "no welcome";
    if (welcome) {
      EXPECT_EQ(welcome->at("cursor").as_int64(), cursor);
    }
    return c;
  }

  // Reads frames into `record` until it has reached `head` (checkpoints included) or `limit` passed.
  void drain(WsClient& c, StreamRecord& record, int64_t head, std::chrono::seconds limit = 10s) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (record.last < head && std::chrono::steady_clock::now() < deadline) {
      auto f = c.recv(200ms);
      if (f) record.feed(*f);
      if (c.closed() && !f) break;
    }
  }

  int64_t head() const { return chat_.data->sequencer().applied_seq().value; }

  // The oracle: every seq after `cursor` that `user`'s stream must carry, by `replay explain`.
  std::vector<int64_t> expected(int64_t user, int64_t cursor) {
    EventLog::Options o;
    o.read_only = true;
    auto log = EventLog::open(dir_.file("data") + "/log.sqlite3", o);
    EXPECT_TRUE(log.ok());
    if (!log.ok()) return {};
    std::ostringstream out;
    auto report = replay::explain_log(**log, UserId(user), Seq(cursor), out);
    EXPECT_TRUE(report.ok());
    std::vector<int64_t> seqs;
    std::istringstream lines(out.str());
    std::string line;
    while (std::getline(lines, line)) {
      std::istringstream words(line);
      std::string tag, type, verdict;
      int64_t seq = 0;
      if (words >> tag >> seq >> type >> verdict && tag == "seq" && verdict.rfind("visible", 0) == 0) {
        seqs.push_back(seq);
      }
    }
    return seqs;
  }

  TempDir dir_;
  ChatServer chat_;
  uint16_t port_ = 0;
};

}  // namespace hearth::server
