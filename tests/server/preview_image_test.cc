// GET /api/link_preview_image (server/api/preview_image_routes.cc) on a real server, against a
// local origin that the test's guard allowance lets stand for a public host (one port of
// 127.0.0.1, nothing else): a PNG comes back as a WebP thumbnail the server encoded, at most 600
// pixels a side, with nosniff, a sandboxing CSP and a private cache header, and is fetched once;
// anything that is not one of the four image formats by its bytes (HTML, SVG, a PNG in name only),
// or is too large, is 404; a private target is 404 and never connected to; a caller who is not
// signed in gets 401 and causes no fetch. (Who may call it: authorization_matrix_test.cc.)
#include <gtest/gtest.h>

#include <cctype>
#include <fstream>

#include "api_world.h"
#include "files_fixture.h"
#include "server/files/images.h"
#include "server/outgoing/address_guard.h"
#include "support/temp_dir.h"
#include "test_origin.h"

namespace hearth::testing {
namespace {

using server::http::bhttp::field;

std::string percent_encoded(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

class PreviewImageTest : public ApiWorld {
 protected:
  void configure(server::Config&) override {
    chat_.outgoing_guard.test_allowance = server::outgoing::TestAllowance{server::outgoing::ipv4(127, 0, 0, 1),
                                                                          origin_.port()};
  }
  server::http::Response image(const Session* s, const std::string& url) {
    return as(s, Verb::get, "/api/link_preview_image?url=" + percent_encoded(url));
  }
  // A square PNG of `side` pixels, made from the tiny one by the server's own image code.
  std::string png_of_side(uint32_t side) {
    auto path = tmp_.file("tiny.png");
    std::ofstream(path, std::ios::binary) << tiny_png();
    auto png = server::files::square_png(path, server::files::ImageKind::kPng, side);
    EXPECT_TRUE(png.ok());
    return png.ok() ? *png : std::string();
  }
  server::files::ImageSize size_of_webp(const std::string& bytes) {
    auto path = tmp_.file("answer.webp");
    std::ofstream(path, std::ios::binary) << bytes;
    auto size = server::files::probe_image(path, server::files::ImageKind::kWebp);
    EXPECT_TRUE(size.ok());
    return size.ok() ? *size : server::files::ImageSize{};
  }

  TestOrigin origin_;
  TempDir tmp_;
};

TEST_F(PreviewImageTest, APngIsServedAsAWebpThumbnailOfAtMost600PixelsFetchedOnce) {
  Session ada = first_run();
  origin_.on("/card.png", "200 OK", "image/png", png_of_side(1000));
  auto res = image(&ada, origin_.url("/card.png"));
  ASSERT_EQ(res.result_int(), 200u) << res.body();
  EXPECT_EQ(res[field::content_type], "image/webp");
  EXPECT_EQ(res["X-Content-Type-Options"], "nosniff");
  EXPECT_NE(std::string(res["Content-Security-Policy"]).find("sandbox"), std::string::npos);
  EXPECT_EQ(res[field::cache_control], "private, max-age=86400");
  const std::string& body = res.body();
  ASSERT_GE(body.size(), 12u);
  EXPECT_EQ(body.substr(0, 4), "RIFF");
  EXPECT_EQ(body.substr(8, 4), "WEBP");
  auto size = size_of_webp(body);
  EXPECT_EQ(size.width, 600u);
  EXPECT_EQ(size.height, 600u);
  // Shown again: from the cache, not fetched again.
  auto again = image(&ada, origin_.url("/card.png"));
  EXPECT_EQ(again.result_int(), 200u);
  EXPECT_EQ(again.body(), body);
  EXPECT_EQ(origin_.connections(), 1);
  // A small image is never enlarged.
  origin_.on("/tiny.png", "200 OK", "image/png", tiny_png());
  auto tiny = image(&ada, origin_.url("/tiny.png"));
  ASSERT_EQ(tiny.result_int(), 200u);
  EXPECT_EQ(size_of_webp(tiny.body()).width, 2u);
}

TEST_F(PreviewImageTest, WhatIsNotAnImageByItsBytesOrIsTooLargeIs404) {
  Session ada = first_run();
  origin_.on("/page.html", "200 OK", "text/html", "<html><title>x</title></html>");
  origin_.on("/pic.svg", "200 OK", "image/svg+xml",
             "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>");
  origin_.on("/fake.png", "200 OK", "image/png", "<html><script>alert(1)</script></html>");
  origin_.on("/huge.png", "200 OK", "image/png", tiny_png() + std::string(6u << 20, '\0'));
  for (const char* path : {"/page.html", "/pic.svg", "/fake.png", "/huge.png", "/missing.png"}) {
    auto res = image(&ada, origin_.url(path));
    EXPECT_EQ(res.result_int(), 404u) << path;
    EXPECT_EQ(error_code_of(res), "not_found") << path;
  }
}

TEST_F(PreviewImageTest, APrivateTargetIs404AndNeverConnected) {
  Session ada = first_run();
  TestOrigin inside;  // another port of 127.0.0.1: not the allowed one
  inside.on("/secret.png", "200 OK", "image/png", tiny_png());
  origin_.on("/to-inside.png", "302 Found", "text/html", "", "Location: " + inside.url("/secret.png") + "\r\n");
  std::string port = std::to_string(inside.port());
  for (const std::string& url : {inside.url("/secret.png"), "http://2130706433:" + port + "/secret.png",
                                 "http://[::ffff:127.0.0.1]:" + port + "/secret.png",
                                 "http://localtest.me:" + port + "/secret.png", origin_.url("/to-inside.png"),
                                 std::string("http://10.0.0.1/a.png"), std::string("http://169.254.169.254/a.png"),
                                 std::string("file:///etc/passwd")}) {
    EXPECT_EQ(image(&ada, url).result_int(), 404u) << url;
  }
  EXPECT_EQ(inside.connections(), 0);
}

TEST_F(PreviewImageTest, OnlySignedInPeopleMayAskAndAMalformedAskIs400) {
  Session ada = first_run();
  origin_.on("/card.png", "200 OK", "image/png", tiny_png());
  EXPECT_EQ(image(nullptr, origin_.url("/card.png")).result_int(), 401u);
  EXPECT_EQ(origin_.connections(), 0);
  EXPECT_EQ(as(&ada, Verb::get, "/api/link_preview_image").result_int(), 400u);
  EXPECT_EQ(as(&ada, Verb::get, "/api/link_preview_image?url=").result_int(), 400u);
  EXPECT_EQ(as(&ada, Verb::get, "/api/link_preview_image?url=%zz").result_int(), 400u);
  EXPECT_EQ(image(&ada, "http://example.com/" + std::string(3000, 'a')).result_int(), 400u);
}

}  // namespace
}  // namespace hearth::testing
