#pragma once
// A real server on 127.0.0.1 (port 0) over a fresh data directory, with the steps most API tests
// begin with: set up, let people join, read bootstrap, call a route as someone. Rooms and other
// set-up that is not under test may go straight to the sequencer (`execute`).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <filesystem>
#include <string>

#include "chat_server.h"
#include "core/sequencer/sequencer.h"
#include "server/api.h"
#include "server/auth/bot_key_vault.h"
#include "http_client.h"
#include "support/temp_dir.h"

namespace hearth::testing {

class ApiWorld : public ::testing::Test {
 protected:
  using Verb = server::http::Verb;

  void SetUp() override {
    std::filesystem::create_directories(dir_.path() / "web");
    server::Config config;
    config.port = 0;
    config.web_root = dir_.file("web");
    config.shutdown_timeout_seconds = 5;
    configure(config);
    chat_.start(dir_.file("data"), config, server::realtime::Realtime::Options{});
    ASSERT_TRUE(chat_.server);
    port_ = chat_.server->port();
  }
  void TearDown() override { chat_.stop(); }
  // A test's own settings (limits, trusted proxies...), before the server starts.
  virtual void configure(server::Config&) {}

  Session first_run(const std::string& name = "Ada") {
    auto res = call(port_, Verb::post, "/api/first_run", person(name, name + "@example.com"));
    EXPECT_EQ(res.result_int(), 201u) << res.body();
    return session_from(res).value_or(Session{});
  }
  boost::json::value bootstrap(const Session& s) {
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

  // A request as `s` (with its CSRF token), or anonymous when `s` is null.
  server::http::Response as(const Session* s, Verb verb, const std::string& target, const std::string& body = "") {
    return call(port_, verb, target, body, s ? s->headers() : Headers{{"Origin", kOrigin}});
  }
  Outcome execute(int64_t actor, Command command) {
    return chat_.data->sequencer().execute(CommandEnvelope{UserId(actor), "", std::move(command)});
  }
  // A bot created by `admin` with a token minted and sealed by the server's vault, as the bots
  // page does; its key `<id>-<token>`, or "" on failure.
  std::string create_bot(int64_t admin, const std::string& name, const std::string& webhook_url = "") {
    SystemRandom random;
    auto minted = chat_.api->bot_keys().mint(random);
    auto made = execute(admin, cmd::CreateBot{name, webhook_url, minted.token_hash, minted.token_sealed});
    EXPECT_TRUE(made.ok()) << (made.ok() ? "" : made.error().to_string());
    return made.ok() ? std::to_string(made->id) + "-" + minted.token : "";
  }

  TempDir dir_;
  ChatServer chat_;
  uint16_t port_ = 0;
};

}  // namespace hearth::testing
