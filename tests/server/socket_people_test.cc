// Administration on live sockets (CAMPFIRE.md 2.20, 2.21; RELIABILITY S2, S15): deactivating or
// banning someone closes their open sockets at once (4001) and their cookie opens no new one; a
// ban's removed messages reach the other people's open sockets live.
#include "socket_fixture.h"

namespace hearth::server {
namespace {

class SocketPeopleTest : public SocketTest {
 protected:
  // The admin's action as one HTTP call; its answer comes after commit.
  void administer(const Session& admin, Verb verb, const std::string& target) {
    auto res = call(port_, verb, target, "", admin.headers());
    ASSERT_EQ(res.result_int(), 200u) << target << " " << res.body();
  }
  static void wait_closed(WsClient& c) {
    for (int i = 0; i < 100 && !c.closed(); ++i) c.recv(100ms);
  }
  void expect_refused(const Session& s) {
    int status = 0;
    EXPECT_EQ(WsClient::connect(port_, {{"Origin", kOrigin}, {"Cookie", s.cookie}}, &status), nullptr);
    EXPECT_EQ(status, 401);
  }
};

TEST_F(SocketPeopleTest, DeactivationClosesEveryOpenSocketOfThePerson) {
  Session ada = first_run();
  Session bo = join(ada, "Bo");
  int64_t bo_id = user_id(bo);
  int64_t seq = bootstrap(bo).at("seq").as_int64();
  auto phone = open_socket(bo, seq);
  auto laptop = open_socket(bo, seq);
  auto ada_socket = open_socket(ada, seq);
  ASSERT_TRUE(phone && laptop && ada_socket);
  auto started = std::chrono::steady_clock::now();
  administer(ada, Verb::delete_, "/api/account/users/" + std::to_string(bo_id));
  wait_closed(*phone);
  wait_closed(*laptop);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1s) << "RELIABILITY S15: within a second";
  EXPECT_EQ(phone->close_code(), 4001);
  EXPECT_EQ(laptop->close_code(), 4001);
  expect_refused(bo);
  ada_socket->recv(300ms);
  EXPECT_FALSE(ada_socket->closed()) << "only his sockets close";
}

TEST_F(SocketPeopleTest, ABanClosesTheSocketAndItsRemovedMessagesVanishLiveForOthers) {
  Session ada = first_run();
  Session bo = join(ada, "Bo");
  int64_t bo_id = user_id(bo);
  int64_t room = all_talk(ada);
  post_http(bo, room, "first", "c-1");
  post_http(bo, room, "second", "c-2");
  int64_t seq = bootstrap(ada).at("seq").as_int64();
  auto bo_socket = open_socket(bo, seq);
  auto ada_socket = open_socket(ada, seq);
  ASSERT_TRUE(bo_socket && ada_socket);
  administer(ada, Verb::post, "/api/users/" + std::to_string(bo_id) + "/ban");
  wait_closed(*bo_socket);
  EXPECT_EQ(bo_socket->close_code(), 4001);
  expect_refused(bo);

  int removed = 0;
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (removed < 2 && std::chrono::steady_clock::now() < deadline) {
    auto frame = ada_socket->recv(200ms);
    if (!frame || frame->at("type") != "events") continue;
    for (auto& e : frame->at("events").as_array()) {
      if (e.at("type") == "MessageRemoved") ++removed;
    }
  }
  EXPECT_EQ(removed, 2) << "both of his messages leave the open page";
  EXPECT_FALSE(ada_socket->closed());
}

}  // namespace
}  // namespace hearth::server
