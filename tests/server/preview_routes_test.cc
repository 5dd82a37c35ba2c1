// POST /api/unfurl_link (server/api/preview_routes.cc) on a real server: the route never fetches
// from this host (the server's fetcher has no test allowance, and nothing on the wire can give it
// one), answers 204 for anything it cannot preview, 400 for a missing or malformed url, and limits
// how many previews one person asks for. (Who may call it: authorization_matrix_test.cc.)
#include <gtest/gtest.h>

#include "api_world.h"
#include "test_origin.h"

namespace hearth::testing {
namespace {

using server::http::Verb;

class PreviewRoutesTest : public ApiWorld {};

TEST_F(PreviewRoutesTest, ALocalPageIsNeverFetchedWhateverTheSpelling) {
  Session ada = first_run();
  TestOrigin origin;
  origin.on("/", "200 OK", "text/html", "<meta property=og:title content=Secret>");
  std::string port = std::to_string(origin.port());
  for (std::string url : {origin.url("/"), "http://2130706433:" + port + "/", "http://0x7f.1:" + port + "/",
                          "http://[::ffff:127.0.0.1]:" + port + "/", "http://localhost:" + port + "/",
                          "http://a@127.0.0.1:" + port + "/"}) {
    boost::json::object body{{"url", url}};
    auto res = as(&ada, Verb::post, "/api/unfurl_link", boost::json::serialize(body));
    EXPECT_EQ(res.result_int(), 204u) << url << " " << res.body();
    EXPECT_TRUE(res.body().empty());
  }
  EXPECT_EQ(origin.connections(), 0);
}

TEST_F(PreviewRoutesTest, NothingToPreviewIs204AndABadRequestIs400) {
  Session ada = first_run();
  for (const char* body : {R"({"url":"file:///etc/passwd"})", R"({"url":"not a url"})",
                           R"j({"url":"javascript:alert(1)"})j"}) {
    EXPECT_EQ(as(&ada, Verb::post, "/api/unfurl_link", body).result_int(), 204u) << body;
  }
  std::string huge = R"({"url":"http://example.com/)" + std::string(3000, 'a') + R"("})";
  for (const std::string& body : {std::string(R"({})"), std::string(R"({"url":7})"), std::string(R"({"url":["x"]})"),
                                  std::string(R"({"url":"  "})"), std::string("[]"), std::string("{"), huge}) {
    EXPECT_EQ(as(&ada, Verb::post, "/api/unfurl_link", body).result_int(), 400u) << body;
  }
}

TEST_F(PreviewRoutesTest, OnePersonGetsThirtyPreviewsAMinute) {
  Session ada = first_run();
  Session bo = join(ada, "Bo");
  const char* body = R"({"url":"http://10.0.0.1/"})";
  for (int i = 0; i < 30; ++i) ASSERT_EQ(as(&ada, Verb::post, "/api/unfurl_link", body).result_int(), 204u) << i;
  auto refused = as(&ada, Verb::post, "/api/unfurl_link", body);
  EXPECT_EQ(refused.result_int(), 429u);
  EXPECT_EQ(error_code_of(refused), "too_many_requests");
  EXPECT_EQ(as(&bo, Verb::post, "/api/unfurl_link", body).result_int(), 204u);  // per person
}

TEST_F(PreviewRoutesTest, WithoutTheCsrfTokenItIsRefused) {
  Session ada = first_run();
  auto res = call(port_, Verb::post, "/api/unfurl_link", R"({"url":"https://example.com/"})", ada.headers(false));
  EXPECT_EQ(res.result_int(), 403u);
}

}  // namespace
}  // namespace hearth::testing
