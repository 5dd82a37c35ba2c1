// Profiles and administration over HTTP (CAMPFIRE.md 2.3 session transfer, 2.18–2.21): a real
// server on 127.0.0.1 with 127.0.0.1 as its trusted proxy, so a test can come from a public
// address with X-Forwarded-For (core records only public addresses in a ban, as Campfire does).
#include <atomic>

#include "api_world.h"
#include "core/base/clock.h"
#include "support/bot_commands.h"

namespace hearth::testing {
namespace {

namespace json = boost::json;

constexpr const char* kBoAddress = "203.0.113.7";
constexpr const char* kOtherAddress = "198.51.100.20";

class SettableClock final : public Clock {
 public:
  int64_t now_us() override { return now.load(); }
  std::atomic<int64_t> now{1'800'000'000'000'000};
};

class PeopleRoutesTest : public ApiWorld {
 protected:
  void SetUp() override {
    chat_.clock = &clock_;
    ApiWorld::SetUp();
    ada_ = first_run("Ada");
    ada_id_ = user_id(ada_);
  }
  void configure(server::Config& config) override { config.trusted_proxies = {"127.0.0.1"}; }

  static Headers from(const std::string& address, Headers h) {
    h.emplace_back("X-Forwarded-For", address);
    return h;
  }
  // Bo joins from a public address, so his session records it.
  Session join_from(const std::string& name, const std::string& address) {
    std::string code(bootstrap(ada_).at("account").at("join_code").as_string());
    auto res = call(port_, Verb::post, "/api/join/" + code, person(name, name + "@example.com"),
                    from(address, {{"Origin", kOrigin}}));
    EXPECT_EQ(res.result_int(), 201u) << res.body();
    return session_from(res).value_or(Session{});
  }
  server::http::Response sign_in(const std::string& email, const std::string& password,
                                 const std::string& address = kOtherAddress) {
    return call(port_, Verb::post, "/api/session",
                json::serialize(json::object{{"email", email}, {"password", password}}),
                from(address, {{"Origin", kOrigin}}));
  }
  json::value get(const Session& s, const std::string& target, unsigned expect = 200) {
    auto res = as(&s, Verb::get, target);
    EXPECT_EQ(res.result_int(), expect) << target << " " << res.body();
    return res.result_int() == 200 ? body_of(res) : json::value();
  }
  std::string transfer_token_of(const Session& s, int64_t user) {
    auto link = get(s, "/api/users/" + std::to_string(user) + "/transfer");
    std::string path(link.at("path").as_string());
    EXPECT_EQ(path.rfind("/session/transfers/", 0), 0u) << path;
    return path.substr(std::string("/session/transfers/").size());
  }
  server::http::Response use_transfer(const std::string& token, const std::string& address = kOtherAddress) {
    return call(port_, Verb::put, "/api/session/transfers/" + token, "", from(address, {{"Origin", kOrigin}}));
  }
  int64_t post(const Session& s, const std::string& text) {
    int64_t room = bootstrap(s).at("rooms").at(0).at("id").as_int64();
    auto res = as(&s, Verb::post, "/api/rooms/" + std::to_string(room) + "/messages",
                  json::serialize(json::object{{"client_message_id", "c-" + text}, {"body_html", text}}));
    EXPECT_EQ(res.result_int(), 201u) << res.body();
    return res.result_int() == 201 ? body_of(res).at("id").as_int64() : 0;
  }

  SettableClock clock_;
  Session ada_;
  int64_t ada_id_ = 0;
};

TEST_F(PeopleRoutesTest, EditingTheProfileChangesNameEmailAndBioAndKeepsABlankPassword) {
  Session bo = join_from("Bo", kBoAddress);
  auto res = as(&bo, Verb::patch, "/api/profile",
                R"({"name":"Bo Diddley","email":"Bo@Example.com","bio":"guitar","password":""})");
  ASSERT_EQ(res.result_int(), 200u) << res.body();
  auto me = bootstrap(bo).at("me");
  EXPECT_EQ(me.at("name"), "Bo Diddley");
  EXPECT_EQ(me.at("email"), "Bo@Example.com");
  EXPECT_EQ(me.at("bio"), "guitar");
  EXPECT_EQ(sign_in("Bo@Example.com", kPassword).result_int(), 200u) << "a blank password leaves it as it was";

  // Absent fields stay as they are.
  ASSERT_EQ(as(&bo, Verb::patch, "/api/profile", R"({"bio":"bass"})").result_int(), 200u);
  EXPECT_EQ(bootstrap(bo).at("me").at("name"), "Bo Diddley");
  EXPECT_EQ(bootstrap(bo).at("me").at("bio"), "bass");
}

TEST_F(PeopleRoutesTest, EmailsAreUniqueCaseSensitivelyAndBiosAreAtMost200Characters) {
  Session bo = join_from("Bo", kBoAddress);
  EXPECT_EQ(as(&bo, Verb::patch, "/api/profile", R"({"email":"Ada@example.com"})").result_int(), 409u);
  EXPECT_EQ(as(&bo, Verb::patch, "/api/profile", R"({"email":"ADA@example.com"})").result_int(), 200u)
      << "Campfire's unique index is binary: another case is another address";
  std::string bio(200, 'x');
  EXPECT_EQ(as(&bo, Verb::patch, "/api/profile", json::serialize(json::object{{"bio", bio}})).result_int(), 200u);
  EXPECT_EQ(as(&bo, Verb::patch, "/api/profile", json::serialize(json::object{{"bio", bio + "y"}})).result_int(),
            422u);
  EXPECT_EQ(as(&bo, Verb::patch, "/api/profile", R"({"name":""})").result_int(), 422u);
  EXPECT_EQ(as(&bo, Verb::patch, "/api/profile", R"({"name":7})").result_int(), 400u);
}

TEST_F(PeopleRoutesTest, ANewPasswordReplacesTheOldOneAndARefusedProfileChangesNone) {
  Session bo = join_from("Bo", kBoAddress);
  ASSERT_EQ(as(&bo, Verb::patch, "/api/profile", R"({"password":"a much newer secret"})").result_int(), 200u);
  EXPECT_EQ(sign_in("Bo@example.com", kPassword).result_int(), 401u);
  EXPECT_EQ(sign_in("Bo@example.com", "a much newer secret").result_int(), 200u);
  // A taken email refuses the whole edit: the password stays.
  EXPECT_EQ(as(&bo, Verb::patch, "/api/profile", R"({"email":"Ada@example.com","password":"yet another secret"})")
                .result_int(),
            409u);
  EXPECT_EQ(sign_in("Bo@example.com", "a much newer secret").result_int(), 200u);
  EXPECT_EQ(as(&bo, Verb::patch, "/api/profile", R"({"password":"short"})").result_int(), 422u);
}

TEST_F(PeopleRoutesTest, APublicProfileShowsAdministratorsMoreAndSaysWhenSomeoneIsGone) {
  Session bo = join_from("Bo", kBoAddress);
  int64_t bo_id = user_id(bo);
  ASSERT_EQ(as(&bo, Verb::patch, "/api/profile", R"({"bio":"guitar"})").result_int(), 200u);
  auto seen_by_ada = get(ada_, "/api/users/" + std::to_string(bo_id));
  EXPECT_EQ(seen_by_ada.at("name"), "Bo");
  EXPECT_EQ(seen_by_ada.at("bio"), "guitar");
  EXPECT_EQ(seen_by_ada.at("role"), "member");
  EXPECT_EQ(seen_by_ada.at("active"), true);
  // No picture uploaded: the URL serves the initials (as bootstrap's).
  EXPECT_EQ(seen_by_ada.at("avatar_url").as_string(), "/api/users/" + std::to_string(bo_id) + "/avatar?v=0");
  EXPECT_EQ(seen_by_ada.at("email"), "Bo@example.com");
  EXPECT_EQ(seen_by_ada.at("banned"), false);
  EXPECT_TRUE(seen_by_ada.as_object().contains("transfer_path"));

  auto seen_by_bo = get(bo, "/api/users/" + std::to_string(ada_id_));
  EXPECT_EQ(seen_by_bo.at("role"), "administrator");
  EXPECT_FALSE(seen_by_bo.as_object().contains("email")) << "only administrators see emails";
  EXPECT_FALSE(seen_by_bo.as_object().contains("transfer_path"));
  EXPECT_FALSE(seen_by_bo.as_object().contains("banned"));
  EXPECT_TRUE(get(bo, "/api/users/" + std::to_string(bo_id)).as_object().contains("transfer_path"))
      << "everyone has their own link";
  get(bo, "/api/users/999", 404);

  ASSERT_EQ(as(&ada_, Verb::delete_, "/api/account/users/" + std::to_string(bo_id)).result_int(), 200u);
  EXPECT_EQ(get(ada_, "/api/users/" + std::to_string(bo_id)).at("active"), false);
}

TEST_F(PeopleRoutesTest, ATransferLinkStartsASessionAsItsUserInAnotherBrowser) {
  Session bo = join_from("Bo", kBoAddress);
  int64_t bo_id = user_id(bo);
  std::string token = transfer_token_of(bo, bo_id);
  auto res = use_transfer(token);
  ASSERT_EQ(res.result_int(), 200u) << res.body();
  auto fresh = session_from(res);
  ASSERT_TRUE(fresh);
  EXPECT_NE(fresh->cookie, bo.cookie);
  EXPECT_EQ(user_id(*fresh), bo_id);
  EXPECT_EQ(use_transfer(token).result_int(), 200u) << "a link works until it expires, as Campfire's";

  // Only administrators get someone else's link: Campfire's password recovery.
  Session cy = join_from("Cy", kOtherAddress);
  EXPECT_EQ(as(&cy, Verb::get, "/api/users/" + std::to_string(bo_id) + "/transfer").result_int(), 403u);
  std::string by_ada = transfer_token_of(ada_, bo_id);
  auto recovered = use_transfer(by_ada);
  ASSERT_EQ(recovered.result_int(), 200u);
  EXPECT_EQ(user_id(*session_from(recovered)), bo_id);
}

TEST_F(PeopleRoutesTest, ExpiredTamperedAndCrossOriginTransfersAreRefused) {
  Session bo = join_from("Bo", kBoAddress);
  int64_t bo_id = user_id(bo);
  std::string token = transfer_token_of(bo, bo_id);
  std::string tampered = token;
  tampered[3] = tampered[3] == 'A' ? 'B' : 'A';
  EXPECT_EQ(use_transfer(tampered).result_int(), 400u);
  EXPECT_EQ(use_transfer("nonsense").result_int(), 400u);
  EXPECT_EQ(call(port_, Verb::put, "/api/session/transfers/" + token, "", {{"Origin", "http://evil.example"}})
                .result_int(),
            403u);

  clock_.now += (4LL * 3600 - 1) * 1'000'000;
  EXPECT_EQ(use_transfer(token).result_int(), 200u) << "one second before it expires";
  clock_.now += 1'000'000;
  auto expired = use_transfer(token);
  EXPECT_EQ(expired.result_int(), 400u);
  EXPECT_FALSE(session_from(expired));
}

TEST_F(PeopleRoutesTest, TransferLinksOfDeactivatedAndBannedPeopleAreRefused) {
  Session bo = join_from("Bo", kBoAddress);
  Session cy = join_from("Cy", kOtherAddress);
  std::string bo_token = transfer_token_of(ada_, user_id(bo));
  std::string cy_token = transfer_token_of(ada_, user_id(cy));
  ASSERT_EQ(as(&ada_, Verb::post, "/api/users/" + std::to_string(user_id(bo)) + "/ban").result_int(), 200u);
  ASSERT_EQ(as(&ada_, Verb::delete_, "/api/account/users/" + std::to_string(user_id(cy))).result_int(), 200u);
  EXPECT_EQ(use_transfer(bo_token, "192.0.2.1").result_int(), 400u);
  EXPECT_EQ(use_transfer(cy_token).result_int(), 400u);
}

TEST_F(PeopleRoutesTest, ThePeopleListPutsAdministratorsFirstAndShowsTheBannedOnlyToThem) {
  Session zed = join_from("Zed", kOtherAddress);
  Session bo = join_from("Bo", kBoAddress);
  Session al = join_from("al", kOtherAddress);
  ASSERT_EQ(as(&ada_, Verb::patch, "/api/account/users/" + std::to_string(user_id(zed)), R"({"role":"administrator"})")
                .result_int(),
            200u);
  ASSERT_EQ(as(&ada_, Verb::post, "/api/users/" + std::to_string(user_id(bo)) + "/ban").result_int(), 200u);
  ASSERT_TRUE(execute(ada_id_, create_bot_command("Robo")).ok());
  auto names = [](const json::value& list) {
    std::vector<std::string> out;
    for (auto& u : list.at("users").as_array()) out.emplace_back(u.at("name").as_string());
    return out;
  };
  auto for_admin = get(ada_, "/api/account/users");
  EXPECT_EQ(names(for_admin), (std::vector<std::string>{"Ada", "Zed", "al", "Bo"}));
  EXPECT_EQ(for_admin.at("users").at(3).at("status"), "banned");
  EXPECT_TRUE(for_admin.at("next_page").is_null());
  auto for_member = get(al, "/api/account/users");
  EXPECT_EQ(names(for_member), (std::vector<std::string>{"Ada", "Zed", "al"}));
  EXPECT_FALSE(for_member.at("users").at(0).as_object().contains("email"));
  EXPECT_EQ(get(ada_, "/api/account/users?page=2").at("users").as_array().size(), 0u);
  EXPECT_EQ(as(&ada_, Verb::get, "/api/account/users?page=0").result_int(), 400u);
}

TEST_F(PeopleRoutesTest, PromotingAndDemotingIsForAdministratorsAndNeverForBots) {
  Session bo = join_from("Bo", kBoAddress);
  std::string bo_path = "/api/account/users/" + std::to_string(user_id(bo));
  EXPECT_EQ(as(&bo, Verb::patch, "/api/account/users/" + std::to_string(ada_id_), R"({"role":"member"})").result_int(),
            403u);
  ASSERT_EQ(as(&ada_, Verb::patch, bo_path, R"({"role":"administrator"})").result_int(), 200u);
  EXPECT_EQ(bootstrap(bo).at("me").at("role"), "administrator");
  ASSERT_EQ(as(&ada_, Verb::patch, bo_path, R"({"role":"member"})").result_int(), 200u);
  EXPECT_EQ(bootstrap(bo).at("me").at("role"), "member");
  EXPECT_EQ(as(&ada_, Verb::patch, bo_path, R"({"role":"bot"})").result_int(), 400u);
  auto bot = execute(ada_id_, create_bot_command("Robo"));
  ASSERT_TRUE(bot.ok());
  EXPECT_EQ(as(&ada_, Verb::patch, "/api/account/users/" + std::to_string(bot->id), R"({"role":"administrator"})")
                .result_int(),
            422u);
}

TEST_F(PeopleRoutesTest, DeactivationEndsSessionsRewritesTheEmailAndFreesItForANewSignup) {
  Session bo = join_from("Bo", kBoAddress);
  int64_t bo_id = user_id(bo);
  EXPECT_EQ(as(&bo, Verb::delete_, "/api/account/users/" + std::to_string(ada_id_)).result_int(), 403u);
  ASSERT_EQ(as(&ada_, Verb::delete_, "/api/account/users/" + std::to_string(bo_id)).result_int(), 200u);
  EXPECT_EQ(as(&bo, Verb::get, "/api/bootstrap").result_int(), 401u) << "his session no longer works";
  EXPECT_EQ(sign_in("Bo@example.com", kPassword).result_int(), 401u);
  auto gone = get(ada_, "/api/users/" + std::to_string(bo_id));
  std::string email(gone.at("email").as_string());
  EXPECT_EQ(email.rfind("Bo-deactivated-", 0), 0u) << email;
  EXPECT_NE(email.find("@example.com"), std::string::npos) << email;
  join_from("Bo", kOtherAddress);  // the address is free again
  EXPECT_EQ(as(&ada_, Verb::delete_, "/api/account/users/" + std::to_string(bo_id)).result_int(), 409u);
}

TEST_F(PeopleRoutesTest, ABanEndsSessionsRemovesMessagesAndRefusesWritesFromTheAddress) {
  Session bo = join_from("Bo", kBoAddress);
  int64_t bo_id = user_id(bo);
  int64_t message = post(bo, "hello");
  int64_t room = bootstrap(ada_).at("rooms").at(0).at("id").as_int64();
  EXPECT_EQ(as(&bo, Verb::post, "/api/users/" + std::to_string(ada_id_) + "/ban").result_int(), 403u);
  EXPECT_EQ(as(&ada_, Verb::post, "/api/users/" + std::to_string(ada_id_) + "/ban").result_int(), 422u);
  ASSERT_EQ(as(&ada_, Verb::post, "/api/users/" + std::to_string(bo_id) + "/ban").result_int(), 200u);

  EXPECT_EQ(as(&bo, Verb::get, "/api/bootstrap").result_int(), 401u);
  auto page = get(ada_, "/api/rooms/" + std::to_string(room) + "/messages");
  for (auto& m : page.at("messages").as_array()) EXPECT_NE(m.at("id").as_int64(), message);
  EXPECT_EQ(get(ada_, "/api/users/" + std::to_string(bo_id)).at("banned"), true);

  // Any write from his address is 429, whoever signs in; reads still work.
  EXPECT_EQ(sign_in("Ada@example.com", kPassword, kBoAddress).result_int(), 429u);
  EXPECT_EQ(sign_in("Ada@example.com", kPassword, "::ffff:203.0.113.7").result_int(), 429u)
      << "the same address in its IPv6 form";
  auto ada_from_there = call(port_, Verb::post, "/api/searches", R"({"query":"x"})",
                             from(kBoAddress, ada_.headers()));
  EXPECT_EQ(ada_from_there.result_int(), 429u);
  EXPECT_EQ(call(port_, Verb::get, "/api/bootstrap", "", from(kBoAddress, ada_.headers(false))).result_int(), 200u);
  EXPECT_EQ(sign_in("Ada@example.com", kPassword, kOtherAddress).result_int(), 200u);

  // Unbanned: the address may write again (his messages stay deleted).
  ASSERT_EQ(as(&ada_, Verb::delete_, "/api/users/" + std::to_string(bo_id) + "/ban").result_int(), 200u);
  EXPECT_EQ(sign_in("Bo@example.com", kPassword, kBoAddress).result_int(), 200u);
  EXPECT_EQ(as(&ada_, Verb::delete_, "/api/users/" + std::to_string(bo_id) + "/ban").result_int(), 409u);
}

TEST_F(PeopleRoutesTest, ABanStillRefusesWritesAfterARestart) {
  Session bo = join_from("Bo", kBoAddress);
  ASSERT_EQ(as(&ada_, Verb::post, "/api/users/" + std::to_string(user_id(bo)) + "/ban").result_int(), 200u);
  chat_.stop();
  ApiWorld::SetUp();  // the same data directory, a new server
  EXPECT_EQ(sign_in("Ada@example.com", kPassword, kBoAddress).result_int(), 429u);
  EXPECT_EQ(sign_in("Ada@example.com", kPassword, kOtherAddress).result_int(), 200u);
}

}  // namespace
}  // namespace hearth::testing
