#pragma once
// A real server (ChatServer, port 0) with an administrator and one member, for the search tests:
// rooms and bulk messages are set up through the sequencer itself (the same commands the routes
// submit), searching goes through HTTP.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "chat_server.h"
#include "core/html/sanitizer.h"
#include "http_client.h"
#include "server/message_commands.h"
#include "support/temp_dir.h"

namespace hearth::testing {

class SearchFixture : public ::testing::Test {
 protected:
  using Verb = server::http::Verb;

  void SetUp() override {
    std::filesystem::create_directories(dir_.path() / "web");
    server::Config config;
    config.port = 0;
    config.web_root = dir_.file("web");
    config.shutdown_timeout_seconds = 5;
    chat_.start(dir_.file("data"), config, server::realtime::Realtime::Options{});
    ASSERT_TRUE(chat_.server);
    port_ = chat_.server->port();
    auto res = call(port_, Verb::post, "/api/first_run", person("Ada", "ada@example.com"));
    ASSERT_EQ(res.result_int(), 201u) << res.body();
    ada_ = session_from(res).value_or(Session{});
    auto boot = get(ada_, "/api/bootstrap");
    ada_id_ = UserId(boot.at("me").at("id").as_int64());
    all_talk_ = RoomId(boot.at("rooms").as_array().at(0).at("id").as_int64());
    std::string code(boot.at("account").at("join_code").as_string());
    auto joined = call(port_, Verb::post, "/api/join/" + code, person("Bob", "bob@example.com"));
    ASSERT_EQ(joined.result_int(), 201u) << joined.body();
    bob_ = session_from(joined).value_or(Session{});
    bob_id_ = UserId(get(bob_, "/api/bootstrap").at("me").at("id").as_int64());
    secret_ = RoomId(execute(ada_id_, cmd::CreateClosedRoom{"Secret", {ada_id_}}));
  }
  void TearDown() override { chat_.stop(); }

  // The command's Ack id; a rejected command fails the test.
  int64_t execute(UserId actor, Command command, std::string command_id = "") {
    auto o = chat_.data->sequencer().execute(CommandEnvelope{actor, std::move(command_id), std::move(command)});
    EXPECT_TRUE(o.ok()) << o.error().to_string();
    return o.ok() ? o->id : 0;
  }
  int64_t post(UserId actor, RoomId room, const std::string& text) {
    std::string html;
    html::escape_html(html, text, false);  // the text as a body; its plain text is itself
    return execute(actor, cmd::PostMessage{room, std::move(html), text, {}, std::nullopt, {}},
                   "c" + std::to_string(++client_ids_));
  }

  boost::json::value get(const Session& s, const std::string& target) {
    auto res = call(port_, Verb::get, target, "", s.headers(false));
    EXPECT_EQ(res.result_int(), 200u) << target << ": " << res.body();
    return body_of(res);
  }
  // The messages a search answers, checking it answered 200 with a list.
  boost::json::array search(const Session& s, const std::string& encoded_query) {
    auto res = call(port_, Verb::get, "/api/search?q=" + encoded_query, "", s.headers(false));
    EXPECT_EQ(res.result_int(), 200u) << encoded_query << ": " << res.body();
    auto body = body_of(res);
    if (!body.is_object() || !body.as_object().contains("messages")) return {};
    return body.at("messages").as_array();
  }
  static std::vector<int64_t> ids(const boost::json::array& messages) {
    std::vector<int64_t> out;
    for (const auto& m : messages) out.push_back(m.at("id").as_int64());
    return out;
  }
  static std::set<int64_t> rooms(const boost::json::array& messages) {
    std::set<int64_t> out;
    for (const auto& m : messages) out.insert(m.at("room_id").as_int64());
    return out;
  }

  TempDir dir_;
  ChatServer chat_;
  uint16_t port_ = 0;
  Session ada_, bob_;
  UserId ada_id_, bob_id_;
  RoomId all_talk_, secret_;
  int client_ids_ = 0;
};

// %XX for every byte that is not unreserved, so any bytes (NUL, invalid UTF-8) reach the server.
inline std::string url_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace hearth::testing
