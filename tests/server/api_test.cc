// The JSON API against a real server on 127.0.0.1 (port 0) with real Beast clients. Every client
// operation has a deadline; every fixture stops its server, the Api and the sequencer.
#include "server/api.h"

#include <crypt.h>
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include "core/base/clock.h"
#include "core/sqlite/db.h"
#include "projections/data_dir.h"
#include "server/http/router.h"
#include "server/server.h"
#include "http_client.h"
#include "support/temp_dir.h"

namespace hearth::server {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace json = boost::json;
using tcp = net::ip::tcp;
using http::Request;
using http::Response;
using namespace std::chrono_literals;
using namespace testing;

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_.path() / "web");
    DataDir::Options options;
    options.verify_rest_in_background = false;
    if (frozen_clock_) options.clock = &clock_;
    auto data = DataDir::open(dir_.file("data"), options);
    ASSERT_TRUE(data.ok()) << data.error().to_string();
    data_ = std::move(*data);
    Api::Options api_options;
    api_options.password_threads = 2;
    auto api = Api::open(dir_.file("data"), &data_->sequencer(), api_options);
    ASSERT_TRUE(api.ok()) << api.error().to_string();
    api_ = std::move(*api);
    Config config;
    config.port = 0;
    config.web_root = dir_.file("web");
    config.shutdown_timeout_seconds = 5;
    configure(config);
    server_ = std::make_unique<Server>(config, &data_->sequencer());
    api_->add_routes(server_->router());
    auto st = server_->start();
    ASSERT_TRUE(st.ok()) << st.error().message;
    port_ = server_->port();
  }
  void TearDown() override {
    if (server_) server_->stop();
    if (api_) api_->stop();
    if (data_) data_->sequencer().stop();
    server_.reset();
    api_.reset();
  }
  Session first_run(const std::string& email = "admin@example.com") {
    auto res = call(port_, bhttp::verb::post, "/api/first_run", person("Admin", email));
    EXPECT_EQ(res.result(), bhttp::status::created) << res.body();
    auto s = session_from(res);
    EXPECT_TRUE(s.has_value());
    return s.value_or(Session{});
  }
  json::value bootstrap(const Session& s) {
    auto res = call(port_, bhttp::verb::get, "/api/bootstrap", "", s.headers(false));
    EXPECT_EQ(res.result(), bhttp::status::ok) << res.body();
    return body_of(res);
  }
  sqlite::Db state() {
    auto db = sqlite::Db::open(dir_.file("data/state.sqlite3"), sqlite::Db::Mode::kReadOnly);
    EXPECT_TRUE(db.ok());
    return std::move(*db);
  }
  int64_t query(const std::string& sql) {
    auto v = state().query_int(sql);
    EXPECT_TRUE(v.ok());
    return v.ok() ? v->value_or(-1) : -1;
  }
  Response post_message(const Session& s, int64_t room, const std::string& client_id, const std::string& text) {
    return call(port_, bhttp::verb::post, "/api/rooms/" + std::to_string(room) + "/messages",
                json::serialize(json::object{{"client_message_id", client_id},
                                             {"body_html", "<p>" + text + "</p>"}}),
                s.headers());
  }

  virtual void configure(Config&) {}

  bool frozen_clock_ = false;
  ManualClock clock_{1'700'000'000'000'000, 0};  // every event at the same microsecond
  testing::TempDir dir_;
  std::unique_ptr<DataDir> data_;
  std::shared_ptr<Api> api_;
  std::unique_ptr<Server> server_;
  uint16_t port_ = 0;
};

TEST_F(ApiTest, ConcurrentFirstRunsMakeExactlyOneAccount) {
  constexpr int kRuns = 20;
  std::vector<std::future<Response>> runs;
  for (int i = 0; i < kRuns; ++i) {
    runs.push_back(std::async(std::launch::async, [this, i] {
      return call(port_, bhttp::verb::post, "/api/first_run", person("Admin " + std::to_string(i),
                                                                     "a" + std::to_string(i) + "@example.com"));
    }));
  }
  int created = 0, conflicts = 0;
  for (auto& f : runs) {
    auto res = f.get();
    if (res.result() == bhttp::status::created) ++created;
    if (res.result() == bhttp::status::conflict && error_code_of(res) == "conflict") ++conflicts;
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(conflicts, kRuns - 1);
  EXPECT_EQ(query("SELECT COUNT(*) FROM users"), 1);
  EXPECT_EQ(query("SELECT COUNT(*) FROM account"), 1);
}

TEST_F(ApiTest, SessionCookieAttributesAndTheTokenNeverReachesTheLog) {
  auto res = call(port_, bhttp::verb::post, "/api/first_run", person("Admin", "admin@example.com"));
  ASSERT_EQ(res.result(), bhttp::status::created) << res.body();
  std::string set_cookie(res[bhttp::field::set_cookie]);
  EXPECT_EQ(set_cookie.rfind("session_token=", 0), 0u) << set_cookie;
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(set_cookie.find("SameSite=Lax"), std::string::npos);
  EXPECT_NE(set_cookie.find("Path=/"), std::string::npos);
  EXPECT_EQ(set_cookie.find("Secure"), std::string::npos) << "plain HTTP";
  auto spoofed = call(port_, bhttp::verb::post, "/api/session",
                      json::serialize(json::object{{"email", "admin@example.com"}, {"password", kPassword}}),
                      {{"Origin", kOrigin}, {"X-Forwarded-Proto", "https"}});
  ASSERT_EQ(spoofed.result(), bhttp::status::ok);
  EXPECT_EQ(std::string(spoofed[bhttp::field::set_cookie]).find("Secure"), std::string::npos)
      << "X-Forwarded-Proto from an untrusted peer is ignored";
  auto s = session_from(res);
  ASSERT_TRUE(s);
  std::string token = s->cookie.substr(std::string("session_token=").size());
  ASSERT_EQ(token.size(), 43u);
  auto signed_in = call(port_, bhttp::verb::post, "/api/session",
                        json::serialize(json::object{{"email", "admin@example.com"}, {"password", kPassword}}));
  ASSERT_EQ(signed_in.result(), bhttp::status::ok) << signed_in.body();
  auto second = session_from(signed_in);
  ASSERT_TRUE(second);
  std::string token2 = second->cookie.substr(std::string("session_token=").size());

  auto log = sqlite::Db::open(dir_.file("data/log.sqlite3"), sqlite::Db::Mode::kReadOnly);
  ASSERT_TRUE(log.ok());
  auto stmt = log->prepare("SELECT payload FROM events");
  ASSERT_TRUE(stmt.ok());
  int events = 0;
  for (;;) {
    auto row = stmt->step();
    ASSERT_TRUE(row.ok());
    if (!*row) break;
    ++events;
    auto blob = stmt->col_blob(0);
    std::string payload(blob.begin(), blob.end());
    EXPECT_EQ(payload.find(token), std::string::npos);
    EXPECT_EQ(payload.find(token2), std::string::npos);
    EXPECT_EQ(payload.find(kPassword), std::string::npos);
  }
  EXPECT_GT(events, 0);
}

TEST_F(ApiTest, SignInRefusesBadCredentialsAndSignOutEndsTheSession) {
  first_run();
  auto attempt = [&](const std::string& email, const std::string& password) {
    return call(port_, bhttp::verb::post, "/api/session",
                json::serialize(json::object{{"email", email}, {"password", password}}));
  };
  for (auto res : {attempt("admin@example.com", "wrong password"), attempt("nobody@example.com", kPassword)}) {
    EXPECT_EQ(res.result(), bhttp::status::unauthorized);
    EXPECT_EQ(error_code_of(res), "unauthorized");
    EXPECT_NE(res.body().find("Too many requests or unauthorized."), std::string::npos);
    EXPECT_TRUE(res[bhttp::field::set_cookie].empty());
  }
  EXPECT_EQ(call(port_, bhttp::verb::post, "/api/session", "not json").result(), bhttp::status::bad_request);
  auto ok = attempt("ADMIN@example.com", kPassword);
  ASSERT_EQ(ok.result(), bhttp::status::ok) << ok.body();
  auto s = session_from(ok);
  ASSERT_TRUE(s);
  EXPECT_EQ(bootstrap(*s).at("me").at("name").as_string(), "Admin");

  // Sign-out needs the CSRF token, then clears the cookie and kills the session server-side.
  auto no_token = call(port_, bhttp::verb::delete_, "/api/session", "", s->headers(false));
  EXPECT_EQ(no_token.result(), bhttp::status::forbidden);
  EXPECT_EQ(error_code_of(no_token), "csrf");
  auto out = call(port_, bhttp::verb::delete_, "/api/session", "", s->headers());
  EXPECT_EQ(out.result(), bhttp::status::no_content);
  EXPECT_NE(std::string(out[bhttp::field::set_cookie]).find("Max-Age=0"), std::string::npos)
      << out[bhttp::field::set_cookie];
  auto after = call(port_, bhttp::verb::get, "/api/bootstrap", "", s->headers(false));
  EXPECT_EQ(after.result(), bhttp::status::unauthorized);
}

TEST_F(ApiTest, SignInIsRateLimitedOnTheEleventhAttempt) {
  first_run();
  auto body = json::serialize(json::object{{"email", "admin@example.com"}, {"password", "wrong password"}});
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(call(port_, bhttp::verb::post, "/api/session", body).result(), bhttp::status::unauthorized) << i;
  }
  auto res = call(port_, bhttp::verb::post, "/api/session",
                  json::serialize(json::object{{"email", "admin@example.com"}, {"password", kPassword}}));
  EXPECT_EQ(res.result(), bhttp::status::too_many_requests);
  EXPECT_EQ(error_code_of(res), "too_many_requests");
  EXPECT_NE(res.body().find("Too many requests or unauthorized."), std::string::npos);
}

TEST_F(ApiTest, CrossOriginAndMissingOriginAreRefused) {
  auto evil = call(port_, bhttp::verb::post, "/api/first_run", person("A", "a@example.com"),
                   {{"Origin", "http://evil.example"}});
  EXPECT_EQ(evil.result(), bhttp::status::forbidden);
  EXPECT_EQ(error_code_of(evil), "csrf");
  auto none = call(port_, bhttp::verb::post, "/api/first_run", person("A", "a@example.com"), {});
  EXPECT_EQ(none.result(), bhttp::status::forbidden);
  auto cross_site = call(port_, bhttp::verb::post, "/api/first_run", person("A", "a@example.com"),
                         {{"Sec-Fetch-Site", "cross-site"}});
  EXPECT_EQ(cross_site.result(), bhttp::status::forbidden);
  EXPECT_EQ(query("SELECT COUNT(*) FROM users"), 0);

  auto s = first_run();
  auto room = bootstrap(s).at("rooms").at(0).at("id").as_int64();
  Headers foreign = s.headers();
  foreign[0].second = "http://evil.example";
  auto res = call(port_, bhttp::verb::post, "/api/rooms/" + std::to_string(room) + "/messages",
                  R"({"client_message_id":"c1","body_html":"x","plain_text":"x"})", foreign);
  EXPECT_EQ(res.result(), bhttp::status::forbidden);
  EXPECT_EQ(error_code_of(res), "csrf");
  Headers wrong_token = s.headers();
  wrong_token.back().second = std::string(43, 'A');
  res = call(port_, bhttp::verb::post, "/api/rooms/" + std::to_string(room) + "/messages",
             R"({"client_message_id":"c1","body_html":"x","plain_text":"x"})", wrong_token);
  EXPECT_EQ(res.result(), bhttp::status::forbidden);
  EXPECT_EQ(query("SELECT COUNT(*) FROM messages"), 0);
}

TEST_F(ApiTest, BootstrapShowsMeAccountRoomsAndTheSeqItReflects) {
  EXPECT_EQ(call(port_, bhttp::verb::get, "/api/bootstrap", "", {}).result(), bhttp::status::unauthorized);
  EXPECT_EQ(call(port_, bhttp::verb::get, "/api/bootstrap", "", {{"Cookie", "session_token=" + std::string(43, 'x')}})
                .result(),
            bhttp::status::unauthorized);
  auto s = first_run();
  auto b = bootstrap(s);
  EXPECT_EQ(b.at("me").at("email").as_string(), "admin@example.com");
  EXPECT_EQ(b.at("account").at("join_code").as_string().size(), 14u);
  ASSERT_EQ(b.at("rooms").as_array().size(), 1u);
  EXPECT_EQ(b.at("rooms").at(0).at("kind").as_string(), "open");
  EXPECT_EQ(b.at("rooms").at(0).at("name").as_string(), "All Talk");
  EXPECT_TRUE(b.at("rooms").at(0).at("involvement").is_string());
  EXPECT_EQ(b.at("seq").as_int64(), data_->sequencer().applied_seq().value);
  EXPECT_EQ(b.at("csrf_token").as_string(), s.csrf);
}

TEST_F(ApiTest, FirstRunStateSaysWhetherSetupIsStillOpen) {
  auto before = call(port_, bhttp::verb::get, "/api/first_run", "", {});
  ASSERT_EQ(before.result(), bhttp::status::ok) << before.body();
  EXPECT_TRUE(body_of(before).at("available").as_bool());
  first_run();
  EXPECT_FALSE(body_of(call(port_, bhttp::verb::get, "/api/first_run", "", {})).at("available").as_bool());
}

TEST_F(ApiTest, BootstrapNamesEveryActivePersonWithTheirRole) {
  auto admin = first_run();
  std::string code(bootstrap(admin).at("account").at("join_code").as_string());
  auto joined = call(port_, bhttp::verb::post, "/api/join/" + code, person("Bo <b>", "bo@example.com"));
  ASSERT_EQ(joined.result(), bhttp::status::created) << joined.body();
  auto bo = session_from(joined);
  ASSERT_TRUE(bo);
  auto users = bootstrap(*bo).at("users").as_array();
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0].at("name").as_string(), "Admin");
  EXPECT_EQ(users[0].at("role").as_string(), "administrator");
  EXPECT_EQ(users[1].at("name").as_string(), "Bo <b>") << "names travel as data, not markup";
  EXPECT_EQ(users[1].at("role").as_string(), "member");
  EXPECT_FALSE(users[1].as_object().contains("email")) << "other people's emails stay private";
  EXPECT_EQ(users[1].at("id").as_int64(), bootstrap(*bo).at("me").at("id").as_int64());
}

TEST_F(ApiTest, JoinWithTheCodeRefusesWrongCodesAndTakenEmails) {
  auto admin = first_run();
  std::string code(bootstrap(admin).at("account").at("join_code").as_string());
  auto wrong = call(port_, bhttp::verb::post, "/api/join/AAAA-BBBB-CCCC", person("Bo", "bo@example.com"));
  EXPECT_EQ(wrong.result(), bhttp::status::not_found) << wrong.body();
  auto joined = call(port_, bhttp::verb::post, "/api/join/" + code, person("Bo", "bo@example.com"));
  ASSERT_EQ(joined.result(), bhttp::status::created) << joined.body();
  auto bo = session_from(joined);
  ASSERT_TRUE(bo);
  auto b = bootstrap(*bo);
  EXPECT_EQ(b.at("me").at("name").as_string(), "Bo");
  EXPECT_EQ(b.at("rooms").as_array().size(), 1u) << "joined the open rooms";
  auto taken = call(port_, bhttp::verb::post, "/api/join/" + code, person("Bo 2", "bo@example.com"));
  EXPECT_EQ(taken.result(), bhttp::status::conflict) << taken.body();
  auto weak = call(port_, bhttp::verb::post, "/api/join/" + code, person("Cy", "cy@example.com", "short"));
  EXPECT_EQ(weak.result(), bhttp::status::unprocessable_entity);
}

TEST_F(ApiTest, MessagesPostPageEditRemoveAndAuthorization) {
  auto admin = first_run();
  int64_t room = bootstrap(admin).at("rooms").at(0).at("id").as_int64();
  std::string rooms = "/api/rooms/" + std::to_string(room) + "/messages";
  EXPECT_EQ(call(port_, bhttp::verb::get, rooms, "", {}).result(), bhttp::status::unauthorized);

  std::vector<int64_t> ids;
  for (int i = 0; i < 45; ++i) {
    auto res = post_message(admin, room, "client-" + std::to_string(i), "hello &lt;" + std::to_string(i) + "&gt;");
    ASSERT_EQ(res.result(), bhttp::status::created) << res.body();
    ids.push_back(body_of(res).at("id").as_int64());
    EXPECT_GT(body_of(res).at("seq").as_int64(), 0);
  }
  auto again = post_message(admin, room, "client-3", "hello &lt;3&gt;");
  ASSERT_EQ(again.result(), bhttp::status::created);
  EXPECT_EQ(body_of(again).at("id").as_int64(), ids[3]) << "same client_message_id, same message (I6)";
  EXPECT_EQ(query("SELECT COUNT(*) FROM messages"), 45);

  auto last = body_of(call(port_, bhttp::verb::get, rooms, "", admin.headers(false)));
  auto& page = last.at("messages").as_array();
  ASSERT_EQ(page.size(), 40u);
  EXPECT_EQ(page.front().at("id").as_int64(), ids[5]);
  EXPECT_EQ(page.back().at("id").as_int64(), ids[44]);
  EXPECT_EQ(page.back().at("plain_text").as_string(), "hello <44>");
  EXPECT_EQ(page.back().at("body_html").as_string(), "<p>hello &lt;44&gt;</p>") << "sanitized, formatting kept";
  auto older = body_of(call(port_, bhttp::verb::get, rooms + "?before=" + std::to_string(ids[5]), "",
                            admin.headers(false)));
  ASSERT_EQ(older.at("messages").as_array().size(), 5u);
  EXPECT_EQ(older.at("messages").at(0).at("id").as_int64(), ids[0]);
  auto newer = body_of(call(port_, bhttp::verb::get, rooms + "?after=" + std::to_string(ids[0]), "",
                            admin.headers(false)));
  ASSERT_EQ(newer.at("messages").as_array().size(), 40u);
  EXPECT_EQ(newer.at("messages").at(0).at("id").as_int64(), ids[1]);
  EXPECT_EQ(newer.at("messages").at(39).at("id").as_int64(), ids[40]);

  // A second person: a member of the open room, not of a closed one.
  std::string code(bootstrap(admin).at("account").at("join_code").as_string());
  auto bo = session_from(call(port_, bhttp::verb::post, "/api/join/" + code, person("Bo", "bo@example.com")));
  ASSERT_TRUE(bo);
  int64_t admin_id = bootstrap(admin).at("me").at("id").as_int64();
  auto closed = data_->sequencer().execute(
      CommandEnvelope{UserId(admin_id), "", cmd::CreateClosedRoom{"Secret", {UserId(admin_id)}}});
  ASSERT_TRUE(closed.ok());
  std::string secret = "/api/rooms/" + std::to_string(closed->id) + "/messages";
  EXPECT_EQ(call(port_, bhttp::verb::get, secret, "", bo->headers(false)).result(), bhttp::status::not_found);
  EXPECT_EQ(post_message(*bo, closed->id, "b1", "hi").result(), bhttp::status::not_found);
  EXPECT_EQ(call(port_, bhttp::verb::get, "/api/rooms/999/messages", "", admin.headers(false)).result(),
            bhttp::status::not_found);

  std::string edit_body = R"({"body_html":"<b>edited</b>"})";
  auto forbidden = call(port_, bhttp::verb::patch, rooms + "/" + std::to_string(ids[0]), edit_body, bo->headers());
  EXPECT_EQ(forbidden.result(), bhttp::status::forbidden) << forbidden.body();
  auto edited = call(port_, bhttp::verb::patch, rooms + "/" + std::to_string(ids[0]), edit_body, admin.headers());
  EXPECT_EQ(edited.result(), bhttp::status::ok) << edited.body();
  auto removed = call(port_, bhttp::verb::delete_, rooms + "/" + std::to_string(ids[1]), "", admin.headers());
  EXPECT_EQ(removed.result(), bhttp::status::ok) << removed.body();
  auto gone = call(port_, bhttp::verb::patch, rooms + "/" + std::to_string(ids[1]), edit_body, admin.headers());
  EXPECT_EQ(gone.result(), bhttp::status::not_found);
  auto bad = call(port_, bhttp::verb::post, rooms, R"({"client_message_id":"x"})", admin.headers());
  EXPECT_EQ(bad.result(), bhttp::status::bad_request);
  auto blank = call(port_, bhttp::verb::post, rooms,
                    R"({"client_message_id":"blank","body_html":"","plain_text":""})", admin.headers());
  EXPECT_EQ(blank.result(), bhttp::status::unprocessable_entity) << blank.body();
}

TEST_F(ApiTest, ImportedBcryptUserSignsInAndIsRehashed) {
  auto admin = first_run();
  int64_t id = bootstrap(admin).at("me").at("id").as_int64();
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  ASSERT_NE(crypt_gensalt_rn("$2a$", 4, nullptr, 0, setting, sizeof setting), nullptr);
  crypt_data data{};
  const char* digest = crypt_r(kPassword, setting, &data);
  ASSERT_NE(digest, nullptr);
  ASSERT_EQ(std::string(digest).rfind("$2a$", 0), 0u) << digest;
  auto changed = data_->sequencer().execute(CommandEnvelope{kSystemActor, "", cmd::ChangePassword{UserId(id), digest, SessionId(), /*rehash=*/true}});
  ASSERT_TRUE(changed.ok()) << changed.error().message;

  auto res = call(port_, bhttp::verb::post, "/api/session",
                  json::serialize(json::object{{"email", "admin@example.com"}, {"password", kPassword}}));
  ASSERT_EQ(res.result(), bhttp::status::ok) << res.body();
  auto db = state();
  auto stmt = db.prepare("SELECT password_digest FROM users WHERE id = ?");
  ASSERT_TRUE(stmt.ok());
  stmt->bind(1, id);
  ASSERT_TRUE(*stmt->step());
  EXPECT_EQ(std::string(stmt->col_text(0)).rfind("$argon2id$", 0), 0u) << stmt->col_text(0);
  // And the new digest works.
  auto again = call(port_, bhttp::verb::post, "/api/session",
                    json::serialize(json::object{{"email", "admin@example.com"}, {"password", kPassword}}));
  EXPECT_EQ(again.result(), bhttp::status::ok);
}

class TrustedProxyApiTest : public ApiTest {
 protected:
  void configure(Config& config) override { config.trusted_proxies = {"127.0.0.1"}; }
};

TEST_F(TrustedProxyApiTest, HttpsBehindATrustedProxyGetsASecureCookieAndAnHttpsOrigin) {
  auto http_origin = call(port_, bhttp::verb::post, "/api/first_run", person("Admin", "admin@example.com"),
                          {{"Origin", "http://127.0.0.1"}, {"X-Forwarded-Proto", "https"}});
  EXPECT_EQ(http_origin.result(), bhttp::status::forbidden) << "the browser is on https";
  auto res = call(port_, bhttp::verb::post, "/api/first_run", person("Admin", "admin@example.com"),
                  {{"Origin", "https://127.0.0.1"}, {"X-Forwarded-Proto", "https"}});
  ASSERT_EQ(res.result(), bhttp::status::created) << res.body();
  EXPECT_NE(std::string(res[bhttp::field::set_cookie]).find("Secure"), std::string::npos);
}

class FrozenClockApiTest : public ApiTest {
 protected:
  void SetUp() override {
    frozen_clock_ = true;
    ApiTest::SetUp();
  }
};

TEST_F(FrozenClockApiTest, EqualTimestampsNeverSkipAMessage) {
  auto admin = first_run();
  int64_t room = bootstrap(admin).at("rooms").at(0).at("id").as_int64();
  std::vector<int64_t> ids;
  for (int i = 0; i < 90; ++i) {
    auto res = post_message(admin, room, "c" + std::to_string(i), "m" + std::to_string(i));
    ASSERT_EQ(res.result(), bhttp::status::created) << res.body();
    ids.push_back(body_of(res).at("id").as_int64());
  }
  EXPECT_EQ(query("SELECT COUNT(DISTINCT created_at_us) FROM messages"), 1);
  std::string rooms = "/api/rooms/" + std::to_string(room) + "/messages";
  // Walk backwards from the newest page, then forwards from the oldest message: every id once.
  std::vector<int64_t> backwards;
  auto page = body_of(call(port_, bhttp::verb::get, rooms, "", admin.headers(false)));
  for (;;) {
    auto& list = page.at("messages").as_array();
    if (list.empty()) break;
    std::vector<int64_t> these;
    for (auto& m : list) these.push_back(m.at("id").as_int64());
    backwards.insert(backwards.begin(), these.begin(), these.end());
    page = body_of(call(port_, bhttp::verb::get, rooms + "?before=" + std::to_string(these.front()), "",
                        admin.headers(false)));
  }
  EXPECT_EQ(backwards, ids);
  std::vector<int64_t> forwards{ids.front()};
  for (;;) {
    page = body_of(call(port_, bhttp::verb::get, rooms + "?after=" + std::to_string(forwards.back()), "",
                        admin.headers(false)));
    auto& list = page.at("messages").as_array();
    if (list.empty()) break;
    for (auto& m : list) forwards.push_back(m.at("id").as_int64());
  }
  EXPECT_EQ(forwards, ids);
}

TEST_F(ApiTest, StoppingWithSignInsInFlightIsSafe) {
  first_run();
  std::vector<std::future<Response>> attempts;
  for (int i = 0; i < 8; ++i) {
    attempts.push_back(std::async(std::launch::async, [this] {
      return try_call(port_, bhttp::verb::post, "/api/session",
                      json::serialize(json::object{{"email", "admin@example.com"}, {"password", kPassword}}));
    }));
  }
  std::this_thread::sleep_for(50ms);
  server_->stop();  // bounded: the queued jobs are still waiting for the pool
  api_->stop();     // drops what is queued; the running jobs finish and submit
  data_->sequencer().stop();
  server_.reset();
  api_.reset();
  for (auto& a : attempts) {
    auto res = a.get();  // answered, or the connection was closed (status 0): never a crash
    EXPECT_TRUE(res.result() == bhttp::status::ok || res.result_int() == 0 ||
                res.result() == bhttp::status::service_unavailable)
        << res.result_int();
  }
}

}  // namespace
}  // namespace hearth::server
