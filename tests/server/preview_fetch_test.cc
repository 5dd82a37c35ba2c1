// The link-preview fetcher's own rules besides the SSRF guard (ssrf_guard_test.cc): a local page's
// OpenGraph tags come back; only text/html is read; the body is cut off past the size limit; the
// whole fetch ends at the time limit, however slowly the page trickles in. The page is the test's
// origin on 127.0.0.1, allowed as the fetcher's test origin.
#include <gtest/gtest.h>

#include <poll.h>
#include <sys/socket.h>

#include <chrono>
#include <string>
#include <thread>

#include "server/previews/fetcher.h"
#include "server/previews/page_metadata.h"
#include "test_origin.h"

namespace hearth::server::previews {
namespace {

using hearth::testing::TestOrigin;
using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

PreviewFetcher fetcher_for(const TestOrigin& origin, FetchLimits limits = {}) {
  PreviewFetcher::Options o;
  o.guard.resolver = [](const std::string&, milliseconds) { return std::vector<outgoing::IpAddress>{}; };
  o.guard.test_allowance = outgoing::TestAllowance{outgoing::ipv4(127, 0, 0, 1), origin.port()};
  o.limits = limits;
  return PreviewFetcher(std::move(o));
}

constexpr const char* kPage = R"(<!doctype html><html><head>
<title>Fallback title</title>
<meta property="og:title" content="Hearth &amp; home">
<meta property="og:description" content="  A   warm
place to talk.  ">
<meta property="og:image" content="/images/card.png">
</head><body><p>hello</p></body></html>)";

TEST(PreviewFetchTest, TheOpenGraphTagsOfALocalPageAreRead) {
  TestOrigin origin;
  origin.on("/page", "200 OK", "text/html; charset=utf-8", kPage);
  auto f = fetcher_for(origin);
  FetchResult r = f.fetch(origin.url("/page#section"));
  ASSERT_EQ(r.outcome, Outcome::ok) << r.detail;
  EXPECT_EQ(r.url, origin.url("/page"));  // the fragment is never sent
  PageMetadata meta = parse_page_metadata(r.body);
  EXPECT_EQ(meta.title, "Hearth & home");
  EXPECT_EQ(meta.description, "A warm place to talk.");
  EXPECT_EQ(meta.image, "/images/card.png");
  // Resolved against the page; a loopback image is not one a preview may name.
  EXPECT_EQ(resolve_reference("https://example.com/a/b", meta.image), "https://example.com/images/card.png");
  EXPECT_EQ(resolve_reference(r.url, meta.image), "");
  EXPECT_EQ(resolve_reference("https://example.com/", "javascript:alert(1)"), "");
  EXPECT_EQ(resolve_reference("https://example.com/", "http://169.254.169.254/x.png"), "");
}

TEST(PreviewFetchTest, TheTitleElementAndDescriptionMetaAreFallbacks) {
  PageMetadata meta = parse_page_metadata(
      "<html><head><TITLE>Plain\tpage</TITLE><meta name=\"Description\" content=\"About it\"></head></html>");
  EXPECT_EQ(meta.title, "Plain page");
  EXPECT_EQ(meta.description, "About it");
  EXPECT_TRUE(parse_page_metadata("<p>no head at all</p>").empty());
  EXPECT_TRUE(parse_page_metadata("").empty());
}

TEST(PreviewFetchTest, ValuesAreBoundedValidUtf8Text) {
  std::string long_title(5000, 'x');
  PageMetadata meta = parse_page_metadata("<meta property=og:title content=\"" + long_title +
                                          "\"><meta property=og:description content=\"bad \xff\xfe\t bytes\n\">");
  EXPECT_EQ(meta.title.size(), kMaxTitleBytes);
  EXPECT_EQ(meta.description, "bad \xEF\xBF\xBD\xEF\xBF\xBD bytes");
  EXPECT_EQ(clean_text("\xC3\xA9\xC3\xA9", 3), "\xC3\xA9");  // never half a character
  EXPECT_EQ(clean_text("\x01 a\x7f\xC2\x85" "b\xC2\xA0 ", 100), "a b");  // C0, DEL, C1 and no-break space
}

TEST(PreviewFetchTest, OnlyHtmlIsRead) {
  TestOrigin origin;
  origin.on("/json", "200 OK", "application/json", R"({"title":"x"})");
  origin.on("/png", "200 OK", "image/png", "\x89PNG....");
  origin.on("/none", [](int fd) {
    TestOrigin::send_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
  });
  origin.on("/xhtml-ish", "200 OK", "text/htmlx", "<title>x</title>");
  origin.on("/upper", "200 OK", "TEXT/HTML; charset=UTF-8", "<title>x</title>");
  origin.on("/missing", "404 Not Found", "text/html", "<title>Not found</title>");
  auto f = fetcher_for(origin);
  for (const char* path : {"/json", "/png", "/none", "/xhtml-ish"}) {
    EXPECT_EQ(f.fetch(origin.url(path)).outcome, Outcome::wrong_type) << path;
  }
  EXPECT_EQ(f.fetch(origin.url("/upper")).outcome, Outcome::ok);
  EXPECT_EQ(f.fetch(origin.url("/missing")).outcome, Outcome::failed);
}

TEST(PreviewFetchTest, TheDefaultLimitsAreFiveSecondsAndFiveMegabytes) {
  FetchLimits limits;
  EXPECT_EQ(limits.total, milliseconds(5000));
  EXPECT_EQ(limits.max_bytes, 5u * 1024 * 1024);
  EXPECT_EQ(kMaxRedirects, 10);
}

TEST(PreviewFetchTest, ABodyPastTheSizeLimitIsRefused) {
  TestOrigin origin;
  std::string big = "<title>big</title>" + std::string(5 * 1024 * 1024 + 1, 'x');
  origin.on("/declared", "200 OK", "text/html", big);  // Content-Length says so up front
  origin.on("/streamed", [&big](int fd) {             // no length: counted as it arrives
    TestOrigin::send_all(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n" + big);
  });
  std::string fits = "<title>fits</title>" + std::string(1024 * 1024, 'x');
  origin.on("/fits", "200 OK", "text/html", fits);
  auto f = fetcher_for(origin);
  EXPECT_EQ(f.fetch(origin.url("/declared")).outcome, Outcome::too_large);
  EXPECT_EQ(f.fetch(origin.url("/streamed")).outcome, Outcome::too_large);
  FetchResult ok = f.fetch(origin.url("/fits"));
  ASSERT_EQ(ok.outcome, Outcome::ok);
  EXPECT_EQ(ok.body.size(), fits.size());
}

TEST(PreviewFetchTest, ASlowPageEndsAtTheTimeLimit) {
  TestOrigin origin;
  // Headers at once, then a byte every 50 ms for up to 10 s: never idle, never done.
  origin.on("/slow", [](int fd) {
    TestOrigin::send_all(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<title>");
    for (int i = 0; i < 200; ++i) {
      std::this_thread::sleep_for(milliseconds(50));
      if (::send(fd, "x", 1, MSG_NOSIGNAL) != 1) return;
    }
  });
  auto f = fetcher_for(origin, FetchLimits{5 * 1024 * 1024, milliseconds(800)});
  auto start = SteadyClock::now();
  FetchResult r = f.fetch(origin.url("/slow"));
  auto took = SteadyClock::now() - start;
  EXPECT_EQ(r.outcome, Outcome::timed_out) << r.detail;
  EXPECT_LT(took, milliseconds(2000));
  EXPECT_GE(took, milliseconds(700));
}

TEST(PreviewFetchTest, StopAbortsAFetchInFlight) {
  TestOrigin origin;
  origin.on("/slow", [](int fd) {
    TestOrigin::send_all(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<title>");
    for (int i = 0; i < 100; ++i) {
      std::this_thread::sleep_for(milliseconds(50));
      if (::send(fd, "x", 1, MSG_NOSIGNAL) != 1) return;
    }
  });
  auto f = fetcher_for(origin);
  std::thread stopper([&f] {
    std::this_thread::sleep_for(milliseconds(300));
    f.stop();
  });
  auto start = SteadyClock::now();
  FetchResult r = f.fetch(origin.url("/slow"));
  stopper.join();
  EXPECT_NE(r.outcome, Outcome::ok);
  EXPECT_LT(SteadyClock::now() - start, milliseconds(2500));
}

}  // namespace
}  // namespace hearth::server::previews
