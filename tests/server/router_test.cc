// Routing and static path resolution: pure functions, no sockets.
#include "server/http/router.h"

#include <gtest/gtest.h>

#include "server/http/static_files.h"

namespace hearth::server::http {
namespace {

Handler noop() {
  return [](RequestContext&, Respond) {};
}

TEST(RouterTest, LiteralsParamsAndWildcards) {
  Router r;
  r.add(Verb::get, "/up", noop());
  r.add(Verb::get, "/rooms/:room/messages", noop());
  r.add(Verb::post, "/rooms/:room/messages", noop());
  r.add(Verb::get, "/files/*rest", noop());

  EXPECT_EQ(r.match(Verb::get, "/up").kind, Router::Match::kFound);
  EXPECT_EQ(r.match(Verb::get, "/up/").kind, Router::Match::kNotFound);
  EXPECT_EQ(r.match(Verb::get, "/upx").kind, Router::Match::kNotFound);
  auto m = r.match(Verb::post, "/rooms/42/messages");
  ASSERT_EQ(m.kind, Router::Match::kFound);
  EXPECT_EQ(m.params.get("room"), "42");
  EXPECT_EQ(r.match(Verb::get, "/rooms//messages").kind, Router::Match::kNotFound);
  auto w = r.match(Verb::get, "/files/a/b.txt");
  ASSERT_EQ(w.kind, Router::Match::kFound);
  EXPECT_EQ(w.params.get("rest"), "a/b.txt");
  EXPECT_EQ(r.match(Verb::head, "/up").kind, Router::Match::kFound) << "GET routes answer HEAD";
}

TEST(RouterTest, WrongMethodIs405WithAllow) {
  Router r;
  r.add(Verb::get, "/rooms/:room/messages", noop());
  r.add(Verb::post, "/rooms/:room/messages", noop());
  auto m = r.match(Verb::delete_, "/rooms/1/messages");
  EXPECT_EQ(m.kind, Router::Match::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, HEAD, POST");
}

TEST(RouterTest, FallbackAnswersOnlyGetAndHead) {
  Router r;
  r.set_fallback(noop());
  EXPECT_EQ(r.match(Verb::get, "/anything").kind, Router::Match::kFound);
  EXPECT_EQ(r.match(Verb::head, "/anything").kind, Router::Match::kFound);
  EXPECT_EQ(r.match(Verb::post, "/anything").kind, Router::Match::kNotFound);
}

TEST(RouterTest, PercentDecodingRefusesMalformedEscapes) {
  std::string out;
  EXPECT_TRUE(percent_decode("a%20b%2F", out));
  EXPECT_EQ(out, "a b/");
  EXPECT_FALSE(percent_decode("%2", out));
  EXPECT_FALSE(percent_decode("%", out));
  EXPECT_FALSE(percent_decode("%zz", out));
}

TEST(StaticPathTest, TraversalIsRefusedInEveryEncoding) {
  for (std::string_view p : {"/../etc/passwd", "/a/../../x", "/%2e%2e/x", "/%2E%2E/x", "/a/%2e%2e/%2e%2e/x",
                             "/..%2fx", "/%2e%2e%2fx", "/.", "/a/./b", "/a%00.html", "/a\\..\\b", "/a%5c..%5cb",
                             "/%zz", "relative", "", "//etc/passwd/.."}) {
    EXPECT_FALSE(StaticFiles::resolve(p).has_value()) << p;
  }
}

TEST(StaticPathTest, PathsMapInsideTheRoot) {
  EXPECT_EQ(StaticFiles::resolve("/"), "index.html");
  EXPECT_EQ(StaticFiles::resolve("/app.js"), "app.js");
  EXPECT_EQ(StaticFiles::resolve("/docs/"), "docs/index.html");
  EXPECT_EQ(StaticFiles::resolve("//etc/passwd"), "etc/passwd") << "an absolute path stays under the root";
  EXPECT_EQ(StaticFiles::resolve("/a%20b.css"), "a b.css");
}

TEST(StaticPathTest, TypesAndHashedNames) {
  EXPECT_EQ(StaticFiles::content_type("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(StaticFiles::content_type("m/app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(StaticFiles::content_type("blob"), "application/octet-stream");
  EXPECT_TRUE(StaticFiles::is_hashed_name("assets/app.3f9a1c2e.js"));
  EXPECT_FALSE(StaticFiles::is_hashed_name("app.js"));
  EXPECT_FALSE(StaticFiles::is_hashed_name("index.html"));
  EXPECT_FALSE(StaticFiles::is_hashed_name("app.notahash.js"));
}

TEST(JsonErrorTest, ErrorsAreJsonWithStableCodeAndValidText) {
  auto res = error_response(Status::not_found, "not_found", "No \"x\"\n\xff");
  EXPECT_EQ(res.result(), Status::not_found);
  EXPECT_EQ(res[bhttp::field::content_type], "application/json");
  EXPECT_EQ(res.body(), R"({"error":{"code":"not_found","message":"No \"x\"\n\u00ff"}})");
}

}  // namespace
}  // namespace hearth::server::http
