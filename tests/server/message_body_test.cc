// The body policy of server/message_commands.h over the real paths: HTTP posts and edits and the
// socket's post, against a real server on 127.0.0.1 — sanitized markup, auto-links, plain text
// and mentions derived on the server (whatever the client says), blank bodies refused; and every
// vector of tests/data/xss_vectors.txt posted over HTTP and stored safe.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "chat_server.h"
#include "core/html/mention.h"
#include "core/sqlite/db.h"
#include "http_client.h"
#include "support/temp_dir.h"
#include "ws_client.h"

#define HEARTH_FUZZ_NO_MAIN
#include "fuzz/html_sanitizer_fuzz.cc"

namespace hearth::server {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using namespace testing;
using http::Verb;

// The vectors of tests/data/xss_vectors.txt, placeholders expanded.
std::vector<std::string> xss_vectors() {
  std::ifstream in(std::string(HEARTH_SOURCE_DIR) + "/tests/data/xss_vectors.txt");
  std::vector<std::string> out;
  std::string line;
  const std::map<std::string, std::string> kPlaceholders = {
      {"{TAB}", "\t"}, {"{LF}", "\n"}, {"{CR}", "\r"}, {"{FF}", "\f"}, {"{NUL}", std::string(1, '\0')}};
  while (std::getline(in, line)) {
    if (line.empty() || line == "#" || line.starts_with("# ")) continue;
    for (const auto& [from, to] : kPlaceholders) {
      for (size_t at; (at = line.find(from)) != std::string::npos;) line.replace(at, from.size(), to);
    }
    out.push_back(line);
  }
  return out;
}

class MessageBodyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_.path() / "web");
    Config config;
    config.port = 0;
    config.web_root = dir_.file("web");
    config.shutdown_timeout_seconds = 5;
    chat_.start(dir_.file("data"), config, {});
    ASSERT_TRUE(chat_.server);
    port_ = chat_.server->port();
    auto res = call(port_, Verb::post, "/api/first_run", person("Ada", "ada@example.com"));
    ASSERT_EQ(res.result_int(), 201u) << res.body();
    ada_ = session_from(res).value_or(Session{});
    auto boot = body_of(call(port_, Verb::get, "/api/bootstrap", "", ada_.headers(false)));
    ada_id_ = boot.at("me").at("id").as_int64();
    room_ = boot.at("rooms").at(0).at("id").as_int64();
    std::string code(boot.at("account").at("join_code").as_string());
    auto joined = call(port_, Verb::post, "/api/join/" + code, person("Bo", "bo@example.com"));
    ASSERT_EQ(joined.result_int(), 201u) << joined.body();
    bo_ = session_from(joined).value_or(Session{});
    bo_id_ = body_of(call(port_, Verb::get, "/api/bootstrap", "", bo_.headers(false))).at("me").at("id").as_int64();
  }
  void TearDown() override { chat_.stop(); }

  std::string messages() { return "/api/rooms/" + std::to_string(room_) + "/messages"; }
  http::Response post(const json::object& body) {
    return call(port_, Verb::post, messages(), json::serialize(body), ada_.headers());
  }
  // Posts `html` and answers the new message's id (0 when refused).
  int64_t post_html(const std::string& html, const std::string& client_id) {
    auto res = post({{"client_message_id", client_id}, {"body_html", html}});
    return res.result_int() == 201 ? body_of(res).at("id").as_int64() : 0;
  }
  std::string column(int64_t id, const char* col) {
    auto db = sqlite::Db::open(dir_.file("data/state.sqlite3"), sqlite::Db::Mode::kReadOnly);
    EXPECT_TRUE(db.ok());
    auto s = db->prepare(std::string("SELECT ") + col + " FROM messages WHERE id = ?");
    EXPECT_TRUE(s.ok());
    s->bind(1, id);
    auto row = s->step();
    EXPECT_TRUE(row.ok() && *row) << "message " << id;
    return row.ok() && *row ? std::string(s->col_text(0)) : std::string();
  }
  std::vector<int64_t> mentions(int64_t id) {
    auto db = sqlite::Db::open(dir_.file("data/state.sqlite3"), sqlite::Db::Mode::kReadOnly);
    EXPECT_TRUE(db.ok());
    auto s = db->prepare("SELECT user_id FROM message_mentions WHERE message_id = ? ORDER BY user_id");
    EXPECT_TRUE(s.ok());
    if (!s.ok()) return {};
    s->bind(1, id);
    std::vector<int64_t> out;
    for (auto row = s->step(); row.ok() && *row; row = s->step()) out.push_back(s->col_int(0));
    return out;
  }

  TempDir dir_;
  ChatServer chat_;
  uint16_t port_ = 0;
  Session ada_, bo_;
  int64_t ada_id_ = 0, bo_id_ = 0, room_ = 0;
};

TEST_F(MessageBodyTest, PostedHtmlIsSanitizedNotEscaped) {
  int64_t id = post_html("<div><strong>bold</strong> <em>it</em> <del>gone</del><script>alert(1)</script>"
                         "<img src=x onerror=alert(1)></div><ul><li onclick=x()>one</li></ul>",
                         "c1");
  ASSERT_NE(id, 0);
  EXPECT_EQ(column(id, "body_html"),
            "<div><strong>bold</strong> <em>it</em> <del>gone</del></div><ul><li>one</li></ul>");
  EXPECT_EQ(column(id, "plain_text"), "bold it gone\n• one");
}

TEST_F(MessageBodyTest, BareUrlsAreLinkedOutsideCodeAndLinks) {
  int64_t id = post_html("see https://example.com/x?a=1&amp;b=2. <code>http://not.linked</code>", "c1");
  ASSERT_NE(id, 0);
  EXPECT_EQ(column(id, "body_html"),
            "see <a href=\"https://example.com/x?a=1&amp;b=2\" target=\"_blank\" rel=\"noopener noreferrer\">"
            "https://example.com/x?a=1&amp;b=2</a>. <code>http://not.linked</code>");
  EXPECT_EQ(column(id, "plain_text"), "see https://example.com/x?a=1&b=2. http://not.linked");
}

TEST_F(MessageBodyTest, PlainTextAndMentionsAreTheServersNotTheClients) {
  std::string html = "<div>hey " + html::mention_html(bo_id_, "Bo") + " and " + html::mention_html(999, "Ghost") +
                     "</div>";
  auto res = post({{"client_message_id", "m1"},
                   {"body_html", html},
                   {"plain_text", "something else entirely"},
                   {"mentions", json::array{ada_id_}}});
  ASSERT_EQ(res.result_int(), 201u) << res.body();
  int64_t id = body_of(res).at("id").as_int64();
  EXPECT_EQ(column(id, "plain_text"), "hey @Bo and @Ghost");
  EXPECT_EQ(mentions(id), std::vector<int64_t>{bo_id_}) << "999 is no member; the client's list is ignored";
  EXPECT_EQ(column(id, "body_html"), html);
}

TEST_F(MessageBodyTest, EditsGetTheSamePolicy) {
  int64_t id = post_html("first", "c1");
  ASSERT_NE(id, 0);
  auto res = call(port_, Verb::patch, messages() + "/" + std::to_string(id),
                  json::serialize(json::object{{"body_html", "<b onclick=x>now</b> " + html::mention_html(bo_id_, "Bo") +
                                                                  " https://x.test"}}),
                  ada_.headers());
  ASSERT_EQ(res.result_int(), 200u) << res.body();
  EXPECT_EQ(column(id, "body_html"), "<b>now</b> " + html::mention_html(bo_id_, "Bo") +
                                         " <a href=\"https://x.test\" target=\"_blank\" rel=\"noopener noreferrer\">"
                                         "https://x.test</a>");
  EXPECT_EQ(column(id, "plain_text"), "now @Bo https://x.test");
  EXPECT_EQ(mentions(id), std::vector<int64_t>{bo_id_});
}

TEST_F(MessageBodyTest, BodiesWithNothingToReadAreRefused) {
  for (const char* html : {"", "   ", "<img src=x onerror=alert(1)>", "<div><br></div>", "<script>x</script>", "<!-- -->"}) {
    auto res = post({{"client_message_id", std::string("blank-") + html}, {"body_html", html}});
    EXPECT_EQ(res.result_int(), 422u) << html << " " << res.body();
    EXPECT_EQ(error_code_of(res), "invalid") << html;
  }
}

TEST_F(MessageBodyTest, PlayIsOrdinaryText) {
  int64_t id = post_html("/play tada", "p1");
  ASSERT_NE(id, 0);
  EXPECT_EQ(column(id, "body_html"), "/play tada");
  EXPECT_EQ(column(id, "plain_text"), "/play tada");
}

TEST_F(MessageBodyTest, TheSocketPathSanitizesToo) {
  auto ws = WsClient::connect(port_, {{"Origin", kOrigin}, {"Cookie", ada_.cookie}});
  ASSERT_TRUE(ws);
  ASSERT_TRUE(ws->send(json::value(json::object{{"type", "hello"}, {"cursor", 0}})));
  ASSERT_TRUE(ws->recv_type("welcome"));
  ASSERT_TRUE(ws->send(json::value(json::object{{"type", "post"},
                                                {"id", "s1"},
                                                {"room_id", room_},
                                                {"body_html", "<i>x</i><svg onload=alert(1)></svg> " +
                                                                  html::mention_html(bo_id_, "Bo")},
                                                {"plain_text", "lies"}})));
  auto ack = ws->recv_type("ack");
  ASSERT_TRUE(ack) << "no ack";
  int64_t id = ack->at("result_id").as_int64();
  EXPECT_EQ(column(id, "body_html"), "<i>x</i> " + html::mention_html(bo_id_, "Bo"));
  EXPECT_EQ(column(id, "plain_text"), "x @Bo");
  EXPECT_EQ(mentions(id), std::vector<int64_t>{bo_id_});
}

TEST_F(MessageBodyTest, EveryXssVectorIsStoredSafe) {
  auto vectors = xss_vectors();
  ASSERT_GE(vectors.size(), 200u);
  std::set<std::string> distinct(vectors.begin(), vectors.end());
  EXPECT_EQ(distinct.size(), vectors.size()) << "the vectors are distinct";
  int stored = 0;
  for (size_t i = 0; i < vectors.size(); ++i) {
    SCOPED_TRACE(vectors[i]);
    auto res = post({{"client_message_id", "x" + std::to_string(i)}, {"body_html", vectors[i]}});
    if (res.result_int() == 422) continue;  // nothing readable was left
    ASSERT_EQ(res.result_int(), 201u) << res.body();
    std::string html = column(body_of(res).at("id").as_int64(), "body_html");
    const char* broken = fuzzing::check_safe_body_html(html);
    EXPECT_EQ(broken, nullptr) << (broken ? broken : "") << "\nstored: " << html;
    ++stored;
  }
  EXPECT_GT(stored, 150) << "most vectors keep some text";
}

}  // namespace
}  // namespace hearth::server
