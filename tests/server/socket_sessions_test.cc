// A person's other sessions on live sockets (RELIABILITY S2): a new password and "sign out
// everywhere else" close every other socket of the person at once (4001), their cookies get 401
// and open no new socket, while the session that asked stays signed in and its socket keeps
// receiving. The rehash of a bcrypt digest at sign-in ends nothing: the password did not change.
#include <crypt.h>

#include "socket_fixture.h"

namespace hearth::server {
namespace {

class SocketSessionsTest : public SocketTest {
 protected:
  // Another browser of the same person: a fresh sign-in, so a session of its own.
  Session sign_in(const std::string& email, const std::string& password = kPassword) {
    auto res = call(port_, Verb::post, "/api/session",
                    json::serialize(json::object{{"email", email}, {"password", password}}));
    EXPECT_EQ(res.result_int(), 200u) << res.body();
    return session_from(res).value_or(Session{});
  }
  static void wait_closed(WsClient& c) {
    for (int i = 0; i < 100 && !c.closed(); ++i) c.recv(100ms);
  }
  unsigned bootstrap_status(const Session& s) {
    return call(port_, Verb::get, "/api/bootstrap", "", s.headers(false)).result_int();
  }
  void expect_refused(const Session& s) {
    int status = 0;
    EXPECT_EQ(WsClient::connect(port_, {{"Origin", kOrigin}, {"Cookie", s.cookie}}, &status), nullptr);
    EXPECT_EQ(status, 401);
  }
  // True when `c` gets the events frame with the message `text` within 5 s (and stays open).
  static bool receives_message(WsClient& c, const std::string& text) {
    auto deadline = std::chrono::steady_clock::now() + 5s;
    while (std::chrono::steady_clock::now() < deadline && !c.closed()) {
      auto frame = c.recv(200ms);
      if (!frame || frame->at("type") != "events") continue;
      for (auto& e : frame->at("events").as_array()) {
        if (e.at("type") == "MessagePosted" && json::serialize(e).find(text) != std::string::npos) return true;
      }
    }
    return false;
  }

  // The person's two browsers, each with an open socket, and someone else's.
  void two_browsers() {
    ada_ = first_run();
    laptop_ = join(ada_, "Bo");
    phone_ = sign_in("Bo@example.com");
    room_ = all_talk(ada_);
    int64_t seq = bootstrap(ada_).at("seq").as_int64();
    laptop_socket_ = open_socket(laptop_, seq);
    phone_socket_ = open_socket(phone_, seq);
    ada_socket_ = open_socket(ada_, seq);
    ASSERT_TRUE(laptop_socket_ && phone_socket_ && ada_socket_);
  }
  // The phone is out, within a second of `done` (when the change committed); the laptop and Ada
  // are in and keep receiving.
  void expect_only_the_phone_signed_out(std::chrono::steady_clock::time_point done) {
    wait_closed(*phone_socket_);
    EXPECT_LT(std::chrono::steady_clock::now() - done, 1s) << "RELIABILITY S2: within a second";
    EXPECT_EQ(phone_socket_->close_code(), 4001);
    EXPECT_EQ(bootstrap_status(phone_), 401u);
    expect_refused(phone_);

    EXPECT_EQ(bootstrap_status(laptop_), 200u);
    post_http(ada_, room_, "still here?", "c-after");
    EXPECT_TRUE(receives_message(*laptop_socket_, "still here?")) << "the session that asked keeps receiving";
    EXPECT_TRUE(receives_message(*ada_socket_, "still here?"));
    EXPECT_FALSE(laptop_socket_->closed());
    EXPECT_FALSE(ada_socket_->closed());
    EXPECT_EQ(bootstrap_status(ada_), 200u);
  }

  Session ada_, laptop_, phone_;
  int64_t room_ = 0;
  std::unique_ptr<WsClient> laptop_socket_, phone_socket_, ada_socket_;
};

TEST_F(SocketSessionsTest, ANewPasswordSignsOutEveryOtherBrowserAndKeepsThisOne) {
  two_browsers();
  auto res = call(port_, Verb::patch, "/api/profile", R"({"password":"a much newer secret"})", laptop_.headers());
  ASSERT_EQ(res.result_int(), 200u) << res.body();
  expect_only_the_phone_signed_out(std::chrono::steady_clock::now());
  // The new password signs in; the old one does not.
  EXPECT_EQ(call(port_, Verb::post, "/api/session",
                 json::serialize(json::object{{"email", "Bo@example.com"}, {"password", kPassword}}))
                .result_int(),
            401u);
  sign_in("Bo@example.com", "a much newer secret");
}

TEST_F(SocketSessionsTest, SigningOutEverywhereElseClosesTheOtherSocketsAndKeepsThisOne) {
  two_browsers();
  auto res = call(port_, Verb::delete_, "/api/session/others", "", laptop_.headers());
  ASSERT_EQ(res.result_int(), 200u) << res.body();
  EXPECT_GT(body_of(res).at("seq").as_int64(), 0);
  expect_only_the_phone_signed_out(std::chrono::steady_clock::now());
  sign_in("Bo@example.com");  // the password is unchanged
}

TEST_F(SocketSessionsTest, SigningOutEverywhereElseNeedsTheCsrfTokenAndASession) {
  two_browsers();
  EXPECT_EQ(call(port_, Verb::delete_, "/api/session/others", "", laptop_.headers(false)).result_int(), 403u);
  EXPECT_EQ(call(port_, Verb::delete_, "/api/session/others").result_int(), 401u);
  phone_socket_->recv(300ms);
  EXPECT_FALSE(phone_socket_->closed()) << "a refused request ends nothing";
  EXPECT_EQ(bootstrap_status(phone_), 200u);
}

// A socket upgraded before its session ended but saying hello after, with a cursor already past
// the SessionEnded (the stream would never pass it): refused at the hello, and a post sent on it
// after that reaches nobody.
TEST_F(SocketSessionsTest, AHelloAfterTheSessionEndedIsRefused) {
  two_browsers();
  auto late = WsClient::connect(port_, {{"Origin", kOrigin}, {"Cookie", phone_.cookie}});
  ASSERT_TRUE(late);
  auto res = call(port_, Verb::delete_, "/api/session/others", "", laptop_.headers());
  ASSERT_EQ(res.result_int(), 200u) << res.body();
  int64_t head_now = body_of(res).at("seq").as_int64();
  late->send(json::value(json::object{{"type", "hello"}, {"cursor", head_now}}));
  late->send(json::value(json::object{{"type", "post"}, {"id", "late-1"}, {"room_id", room_},
                                      {"body_html", "from a dead session"}}));
  bool welcomed = false;
  for (int i = 0; i < 100 && !late->closed(); ++i) {
    auto frame = late->recv(100ms);
    if (frame && frame->at("type") == "welcome") welcomed = true;
  }
  EXPECT_EQ(late->close_code(), 4001);
  EXPECT_FALSE(welcomed);
  post_http(ada_, room_, "after the late hello", "c-late");
  auto texts = call(port_, Verb::get, "/api/rooms/" + std::to_string(room_) + "/messages", "", ada_.headers(false));
  EXPECT_EQ(texts.body().find("from a dead session"), std::string::npos) << "nothing was posted in its name";
}

TEST_F(SocketSessionsTest, TheRehashAtSignInEndsNoSession) {
  two_browsers();
  // Bo's digest as an import leaves it: bcrypt (planted as the system's rehash, which ends nothing).
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  ASSERT_NE(crypt_gensalt_rn("$2a$", 4, nullptr, 0, setting, sizeof setting), nullptr);
  crypt_data data{};
  const char* digest = crypt_r(kPassword, setting, &data);
  ASSERT_NE(digest, nullptr);
  UserId bo(user_id(laptop_));
  auto planted = chat_.data->sequencer().execute(
      CommandEnvelope{kSystemActor, "", cmd::ChangePassword{bo, digest, SessionId(), /*rehash=*/true}});
  ASSERT_TRUE(planted.ok()) << planted.error().message;

  Session tablet = sign_in("Bo@example.com");  // verifies against bcrypt, rehashes to argon2id
  ASSERT_EQ(bootstrap_status(tablet), 200u);
  std::string now_digest;
  {
    auto db = sqlite::Db::open(dir_.file("data") + "/state.sqlite3", sqlite::Db::Mode::kReadOnly);
    ASSERT_TRUE(db.ok());
    auto s = db->prepare("SELECT password_digest FROM users WHERE id = ?");
    ASSERT_TRUE(s.ok());
    s->bind(1, bo.value);
    ASSERT_TRUE(*s->step());
    now_digest = std::string(s->col_text(0));
  }
  EXPECT_EQ(now_digest.rfind("$argon2id$", 0), 0u) << "the rehash happened: " << now_digest;

  post_http(ada_, room_, "after the rehash", "c-rehash");
  EXPECT_TRUE(receives_message(*laptop_socket_, "after the rehash"));
  EXPECT_TRUE(receives_message(*phone_socket_, "after the rehash"));
  EXPECT_FALSE(laptop_socket_->closed());
  EXPECT_FALSE(phone_socket_->closed());
  EXPECT_EQ(bootstrap_status(laptop_), 200u);
  EXPECT_EQ(bootstrap_status(phone_), 200u);
}

}  // namespace
}  // namespace hearth::server
