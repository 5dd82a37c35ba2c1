// Web Push subscriptions over the API (CAMPFIRE.md 2.16, 2.3): keys checked before the sequencer,
// an identical triple touched rather than doubled, each user sees only their own, and signing out
// with the browser's endpoint removes that subscription only.
#include <gtest/gtest.h>

#include "api_world.h"
#include "server/push/base64url.h"

namespace hearth::testing {
namespace {

constexpr const char* kP256dh = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
constexpr const char* kAuth = "BTBZMqHH6r4Tts7J_aSIgg";

std::string subscription(const std::string& endpoint, const std::string& p256dh = kP256dh,
                         const std::string& auth = kAuth) {
  return R"({"push_subscription":{"endpoint":")" + endpoint + R"(","p256dh_key":")" + p256dh + R"(","auth_key":")" +
         auth + R"("}})";
}

class PushRoutesTest : public ApiWorld {
 protected:
  boost::json::array list(const Session& s) {
    auto res = as(&s, Verb::get, "/api/push_subscriptions");
    EXPECT_EQ(res.result_int(), 200u) << res.body();
    return body_of(res).at("push_subscriptions").as_array();
  }
};

TEST_F(PushRoutesTest, AnIdenticalTripleIsTouchedNotDoubled) {
  auto ada = first_run();
  auto first = as(&ada, Verb::post, "/api/push_subscriptions", subscription("https://push.example/a"));
  ASSERT_EQ(first.result_int(), 201u) << first.body();
  auto again = as(&ada, Verb::post, "/api/push_subscriptions", subscription("https://push.example/a"));
  ASSERT_EQ(again.result_int(), 201u);
  EXPECT_EQ(body_of(first).at("id"), body_of(again).at("id"));
  // New keys for the same endpoint are a new subscription, as in Campfire.
  auto other = as(&ada, Verb::post, "/api/push_subscriptions",
                  subscription("https://push.example/a", kP256dh, "AAAAAAAAAAAAAAAAAAAAAA"));
  ASSERT_EQ(other.result_int(), 201u);
  EXPECT_NE(body_of(first).at("id"), body_of(other).at("id"));
  auto subs = list(ada);
  ASSERT_EQ(subs.size(), 2u);
  EXPECT_EQ(subs[0].at("endpoint").as_string(), "https://push.example/a");
}

TEST_F(PushRoutesTest, KeysThatCannotBeEncryptedForAreRefused) {
  auto ada = first_run();
  std::string off_curve = kP256dh;
  off_curve[30] = off_curve[30] == 'A' ? 'B' : 'A';
  for (const auto& body : {subscription("https://push.example/a", off_curve),
                           subscription("https://push.example/a", "not base64!"),
                           subscription("https://push.example/a", kP256dh, "c2hvcnQ"),
                           subscription("http://push.example/a"),
                           std::string(R"({"push_subscription":{"endpoint":"https://push.example/a"}})")}) {
    auto res = as(&ada, Verb::post, "/api/push_subscriptions", body);
    EXPECT_TRUE(res.result_int() == 400u || res.result_int() == 422u) << body << " → " << res.result_int();
  }
  EXPECT_TRUE(list(ada).empty());
}

// The outgoing guard at subscription time: only an https endpoint whose host is public, however
// the address is spelt and whatever the name resolves to (the test resolver: localtest.me is
// 127.0.0.1, *.example public, anything else nothing). Nothing refused is stored.
TEST_F(PushRoutesTest, AnEndpointThatIsNotAPublicHttpsHostIsRefused) {
  Session ada = first_run();
  for (const char* endpoint :
       {"http://push.example/a", "ftp://push.example/a", "https://127.0.0.1/push", "https://127.0.0.1:8443/push",
        "https://127.1/", "https://2130706433/", "https://0x7f000001/", "https://0177.0.0.1/", "https://127.0.0.1./",
        "https://0.0.0.0/", "https://[::1]/", "https://[::]/", "https://[::ffff:127.0.0.1]/",
        "https://[::ffff:7f00:1]/", "https://[::ffff:10.0.0.1]/", "https://[64:ff9b::7f00:1]/",
        "https://10.0.0.1/", "https://172.16.0.1/", "https://192.168.1.1/", "https://100.64.0.1/",
        "https://169.254.169.254/latest/meta-data/", "https://[fe80::1]/", "https://[fd00::1]/",
        "https://localtest.me/push", "https://a@push.example/", "https://push.example@127.0.0.1/",
        "https://nowhere.invalid/push", "https:push.example/a"}) {
    auto res = as(&ada, Verb::post, "/api/push_subscriptions", subscription(endpoint));
    EXPECT_EQ(res.result_int(), 422u) << endpoint << " " << res.body();
    EXPECT_EQ(error_code_of(res), "invalid") << endpoint;
  }
  EXPECT_TRUE(list(ada).empty());
  auto message = as(&ada, Verb::post, "/api/push_subscriptions", subscription("https://localtest.me/push"));
  EXPECT_NE(body_of(message).at("error").at("message").as_string().find("public"), std::string::npos) << message.body();
  EXPECT_EQ(as(&ada, Verb::post, "/api/push_subscriptions", subscription("https://push.example/a")).result_int(), 201u);
}

TEST_F(PushRoutesTest, EachUserSeesAndRemovesOnlyTheirOwn) {
  auto ada = first_run();
  auto bo = join(ada, "Bo");
  auto mine = as(&ada, Verb::post, "/api/push_subscriptions", subscription("https://push.example/ada"));
  ASSERT_EQ(mine.result_int(), 201u);
  std::string target = "/api/push_subscriptions/" + std::to_string(body_of(mine).at("id").as_int64());
  EXPECT_TRUE(list(bo).empty());
  EXPECT_EQ(as(&bo, Verb::delete_, target).result_int(), 404u);
  EXPECT_EQ(list(ada).size(), 1u);
  EXPECT_EQ(as(&ada, Verb::delete_, target).result_int(), 200u);
  EXPECT_TRUE(list(ada).empty());
}

TEST_F(PushRoutesTest, SigningOutRemovesTheBrowsersSubscriptionOnly) {
  auto ada = first_run();
  auto phone = as(&ada, Verb::post, "/api/push_subscriptions", subscription("https://push.example/phone?x=1"));
  auto laptop = as(&ada, Verb::post, "/api/push_subscriptions", subscription("https://push.example/laptop"));
  ASSERT_EQ(phone.result_int(), 201u);
  ASSERT_EQ(laptop.result_int(), 201u);
  auto out = as(&ada, Verb::delete_, "/api/session",
                R"({"push_subscription_endpoint":"https://push.example/phone?x=1"})");
  EXPECT_EQ(out.result_int(), 204u) << out.body();
  auto again = call(port_, Verb::post, "/api/session", R"({"email":"Ada@example.com","password":")" +
                                                           std::string(kPassword) + R"("})");
  ASSERT_EQ(again.result_int(), 200u) << again.body();
  auto back = session_from(again).value_or(Session{});
  auto subs = list(back);
  ASSERT_EQ(subs.size(), 1u);
  EXPECT_EQ(subs[0].at("endpoint").as_string(), "https://push.example/laptop");
  // The query form, as Campfire's sessions controller takes it.
  auto out2 = as(&back, Verb::delete_, "/api/session?push_subscription_endpoint=https%3A%2F%2Fpush.example%2Flaptop");
  EXPECT_EQ(out2.result_int(), 204u);
  auto third = session_from(call(port_, Verb::post, "/api/session", R"({"email":"Ada@example.com","password":")" +
                                                                        std::string(kPassword) + R"("})"))
                   .value_or(Session{});
  EXPECT_TRUE(list(third).empty());
}

TEST_F(PushRoutesTest, TheVapidPublicKeyIsAP256PointKeptAcrossRestarts) {
  auto ada = first_run();
  auto res = as(&ada, Verb::get, "/api/vapid_public_key");
  ASSERT_EQ(res.result_int(), 200u);
  std::string key(body_of(res).at("vapid_public_key").as_string());
  auto raw = server::push::from_base64url(key);
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->size(), 65u);
  EXPECT_EQ((*raw)[0], 4);
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "data" / "vapid.key"));
}

}  // namespace
}  // namespace hearth::testing
