// The test client itself: a request nobody answers must fail the test that made it, or every
// "expect 200" in these tests could pass against a server that is not there.
#include "http_client.h"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace hearth::testing {
namespace {

using Verb = server::http::Verb;

// A port that was just free: bound, then released.
uint16_t closed_port() {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

TEST(HttpClient, ARequestNobodyAnswersFailsTheTestNamingIt) {
  uint16_t port = closed_port();
  server::http::Response res;
  EXPECT_NONFATAL_FAILURE(res = call(port, Verb::get, "/up"), "no answer to GET /up on port " + std::to_string(port));
  EXPECT_EQ(res.result_int(), 0u);
  EXPECT_NE(res.body().find("connect"), std::string::npos) << res.body();
}

TEST(HttpClient, TryCallReportsNoAnswerWithoutFailing) {
  auto res = try_call(closed_port(), Verb::post, "/api/session", "{}");
  EXPECT_EQ(res.result_int(), 0u);
  EXPECT_FALSE(res.body().empty());
}

}  // namespace
}  // namespace hearth::testing
