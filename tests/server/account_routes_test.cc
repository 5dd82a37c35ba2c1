// The account over real HTTP (server/api/account_routes.cc, CAMPFIRE.md 2.2, 2.17, 2.26): its
// settings for everyone, the administrators' rename, join-link regeneration and custom CSS, and
// the public stylesheet, web manifest, QR code, help contact and join-page guard.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <fstream>

#include "api_world.h"
#include "core/base/base64url.h"

namespace hearth::testing {
namespace {

namespace json = boost::json;
using server::http::bhttp::field;

class AccountRoutesTest : public ApiWorld {
 protected:
  void SetUp() override {
    ApiWorld::SetUp();
    // The join page is the client's index.html, served by the static fallback.
    std::ofstream(dir_.path() / "web" / "index.html") << "<!doctype html><title>client</title>";
    ada_ = first_run("Ada");  // the administrator
    bo_ = join(ada_, "Bo");
  }

  json::value account(const Session& s) {
    auto res = as(&s, Verb::get, "/api/account");
    EXPECT_EQ(res.result_int(), 200u) << res.body();
    return body_of(res);
  }
  std::string code() { return std::string(account(ada_).at("join_code").as_string()); }
  unsigned rename(const Session& s, const std::string& name) {
    return as(&s, Verb::patch, "/api/account", json::serialize(json::object{{"name", name}})).result_int();
  }
  unsigned set_css(const Session& s, const std::string& css) {
    return as(&s, Verb::put, "/api/account/custom_styles", json::serialize(json::object{{"css", css}})).result_int();
  }
  server::http::Response get(const std::string& target, const Headers& headers = {}) {
    return call(port_, Verb::get, target, "", headers);
  }

  Session ada_, bo_;
};

TEST_F(AccountRoutesTest, EverySignedInUserSeesTheAccountAndItsJoinLink) {
  auto mine = account(ada_), theirs = account(bo_);
  EXPECT_EQ(mine.at("name").as_string(), "Campfire");
  EXPECT_EQ(mine.at("join_code"), theirs.at("join_code"));  // members too (2.2)
  EXPECT_EQ(theirs.at("join_path").as_string(), "/join/" + std::string(mine.at("join_code").as_string()));
  EXPECT_EQ(theirs.at("restrict_room_creation").as_bool(), false);
  EXPECT_EQ(theirs.at("custom_css").as_string(), "");
  EXPECT_EQ(as(nullptr, Verb::get, "/api/account").result_int(), 401u);
}

TEST_F(AccountRoutesTest, OnlyAdministratorsRenameTheAccount) {
  EXPECT_EQ(rename(bo_, "Bo's"), 403u);
  EXPECT_EQ(rename(ada_, "   "), 422u);
  EXPECT_EQ(rename(ada_, std::string(256, 'x')), 422u);
  EXPECT_EQ(as(&ada_, Verb::patch, "/api/account", R"({"title":"x"})").result_int(), 400u);
  EXPECT_EQ(account(bo_).at("name").as_string(), "Campfire");
  EXPECT_EQ(rename(ada_, "Hearthside"), 200u);
  EXPECT_EQ(account(bo_).at("name").as_string(), "Hearthside");
  EXPECT_EQ(bootstrap(bo_).at("account").at("name").as_string(), "Hearthside");
}

TEST_F(AccountRoutesTest, RegeneratingTheJoinCodeKillsTheOldLinkAtOnce) {
  std::string old = code();
  EXPECT_EQ(get("/join/" + old).result_int(), 200u);
  EXPECT_EQ(get("/join/" + old).body(), "<!doctype html><title>client</title>");
  EXPECT_EQ(as(&bo_, Verb::post, "/api/account/join_code").result_int(), 403u);
  EXPECT_EQ(code(), old);

  EXPECT_EQ(as(&ada_, Verb::post, "/api/account/join_code").result_int(), 200u);
  std::string fresh = code();
  EXPECT_NE(fresh, old);
  EXPECT_EQ(fresh.size(), 14u);  // XXXX-XXXX-XXXX
  auto dead = get("/join/" + old);
  EXPECT_EQ(dead.result_int(), 404u);
  EXPECT_NE(dead.body().find("not valid"), std::string::npos);
  EXPECT_EQ(dead[field::content_type], "text/html; charset=utf-8");
  EXPECT_NE(dead["Content-Security-Policy"].find("default-src 'none'"), std::string::npos);
  EXPECT_EQ(call(port_, Verb::post, "/api/join/" + old, person("Cy", "cy@example.com")).result_int(), 404u);
  EXPECT_EQ(get("/join/" + fresh).result_int(), 200u);
  EXPECT_EQ(call(port_, Verb::post, "/api/join/" + fresh, person("Cy", "cy@example.com")).result_int(), 201u);
  EXPECT_EQ(get("/join/not-a-code").result_int(), 404u);
  EXPECT_EQ(get("/join/%zz").result_int(), 404u);
}

TEST_F(AccountRoutesTest, TheQrCodeIsAPublicSvgCachedForAYear) {
  std::string url = "http://127.0.0.1/join/" + code();
  auto res = get("/qr_code/" + base64url_encode(url));
  ASSERT_EQ(res.result_int(), 200u) << res.body();
  EXPECT_EQ(res[field::content_type], "image/svg+xml");
  EXPECT_EQ(res[field::cache_control], "public, max-age=31536000, immutable");
  EXPECT_EQ(res["X-Content-Type-Options"], "nosniff");
  EXPECT_TRUE(res.body().starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  // The top-left finder pattern's first row: 7 dark modules after the 4-module quiet zone.
  EXPECT_NE(res.body().find("d=\"M4 4h7v1h-7z"), std::string::npos);
  EXPECT_EQ(res.body().find("<script"), std::string::npos);
  // The same text is the same picture; another text another.
  EXPECT_EQ(get("/qr_code/" + base64url_encode(url)).body(), res.body());
  EXPECT_NE(get("/qr_code/" + base64url_encode(url + "x")).body(), res.body());
}

TEST_F(AccountRoutesTest, TheQrCodeRefusesOverlongOrMalformedPaths) {
  EXPECT_EQ(get("/qr_code/" + base64url_encode(std::string(1024, 'a'))).result_int(), 200u);
  auto too_long = get("/qr_code/" + base64url_encode(std::string(1025, 'a')));
  EXPECT_EQ(too_long.result_int(), 414u);
  EXPECT_EQ(error_code_of(too_long), "too_long");
  EXPECT_EQ(get("/qr_code/aGk=").result_int(), 400u);                           // padded
  EXPECT_EQ(get("/qr_code/aGl").result_int(), 400u);                            // not canonical
  EXPECT_EQ(get("/qr_code/a+b").result_int(), 400u);                            // standard alphabet
  EXPECT_EQ(get("/qr_code/" + base64url_encode("\xff\xfe")).result_int(), 400u);  // not UTF-8
  EXPECT_EQ(error_code_of(get("/qr_code/%41%41")), "bad_request");             // escapes are not decoded
}

TEST_F(AccountRoutesTest, CustomStylesAreAdministratorsOnlyAndServedToEveryPage) {
  EXPECT_EQ(set_css(bo_, "body { color: red }"), 403u);
  EXPECT_EQ(set_css(ada_, std::string(64 * 1024 + 1, ' ')), 422u);
  EXPECT_EQ(as(&ada_, Verb::put, "/api/account/custom_styles", R"({"css":3})").result_int(), 400u);

  auto empty = get("/account/custom_styles.css");  // anonymous: the sign-in page links it too
  EXPECT_EQ(empty.result_int(), 200u);
  EXPECT_EQ(empty.body(), "");

  EXPECT_EQ(set_css(ada_, "body { background: rgb(1, 2, 3) }"), 200u);
  auto css = get("/account/custom_styles.css");
  ASSERT_EQ(css.result_int(), 200u);
  EXPECT_EQ(css.body(), "body { background: rgb(1, 2, 3) }");
  EXPECT_EQ(css[field::content_type], "text/css; charset=utf-8");
  EXPECT_EQ(css[field::cache_control], "no-cache");
  EXPECT_EQ(css["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(account(bo_).at("custom_css").as_string(), "body { background: rgb(1, 2, 3) }");

  // Revalidation: unchanged is 304; after a change the old validator no longer matches.
  std::string etag(css[field::etag]);
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(get("/account/custom_styles.css", {{"If-None-Match", etag}}).result_int(), 304u);
  EXPECT_EQ(set_css(ada_, "body { background: rgb(4, 5, 6) }"), 200u);
  auto changed = get("/account/custom_styles.css", {{"If-None-Match", etag}});
  EXPECT_EQ(changed.result_int(), 200u);
  EXPECT_EQ(changed.body(), "body { background: rgb(4, 5, 6) }");
  EXPECT_EQ(set_css(ada_, ""), 200u);  // empty clears
  EXPECT_EQ(get("/account/custom_styles.css").body(), "");
}

TEST_F(AccountRoutesTest, TheWebManifestIsNamedAfterTheAccount) {
  auto res = get("/webmanifest");
  ASSERT_EQ(res.result_int(), 200u);
  EXPECT_EQ(res[field::content_type], "application/manifest+json");
  auto m = body_of(res);
  EXPECT_EQ(m.at("name").as_string(), "Campfire");
  EXPECT_EQ(m.at("display").as_string(), "standalone");
  EXPECT_EQ(m.at("start_url").as_string(), "/");
  EXPECT_EQ(m.at("icons").at(0).at("src").as_string(), "/account/logo?size=small");
  EXPECT_EQ(m.at("icons").at(0).at("sizes").as_string(), "192x192");
  EXPECT_EQ(m.at("icons").at(1).at("src").as_string(), "/account/logo");
  EXPECT_EQ(m.at("icons").at(1).at("sizes").as_string(), "512x512");
  EXPECT_EQ(m.at("shortcuts").at(0).at("name").as_string(), "New chat room");
  EXPECT_EQ(m.at("shortcuts").at(1).at("name").as_string(), "My profile");
  ASSERT_EQ(rename(ada_, "Hearthside"), 200u);
  EXPECT_EQ(body_of(get("/webmanifest")).at("name").as_string(), "Hearthside");
}

TEST_F(AccountRoutesTest, TheSignInPageLearnsTheFirstAdministratorsEmail) {
  auto res = get("/api/account/public");
  ASSERT_EQ(res.result_int(), 200u);
  EXPECT_EQ(body_of(res).at("name").as_string(), "Campfire");
  EXPECT_EQ(body_of(res).at("help_email").as_string(), "Ada@example.com");
}

// Before first run there is no account: the public resources still answer, with defaults.
class AccountBeforeSetupTest : public ApiWorld {};

TEST_F(AccountBeforeSetupTest, PublicResourcesAnswerBeforeFirstRun) {
  auto pub = call(port_, Verb::get, "/api/account/public", "", {});
  ASSERT_EQ(pub.result_int(), 200u);
  EXPECT_TRUE(body_of(pub).at("help_email").is_null());
  EXPECT_EQ(call(port_, Verb::get, "/account/custom_styles.css", "", {}).result_int(), 200u);
  EXPECT_EQ(body_of(call(port_, Verb::get, "/webmanifest", "", {})).at("name").as_string(), "Hearth");
  EXPECT_EQ(call(port_, Verb::get, "/join/AAAA-BBBB-CCCC", "", {}).result_int(), 404u);
}

}  // namespace
}  // namespace hearth::testing
