// CSRF: per-session tokens from the server key, and the Origin / Sec-Fetch-Site rule for
// state-changing requests and WebSocket upgrades (RELIABILITY S4, S5).
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "core/base/clock.h"
#include "core/base/secret_hash.h"
#include "server/auth/csrf.h"

namespace hearth::auth {
namespace {

using std::nullopt;

std::array<uint8_t, kCsrfKeyBytes> key_from(uint64_t seed) {
  SeededRandom random(seed);
  return generate_csrf_key(random);
}

TEST(CsrfTest, TokenVerifiesForItsOwnSessionOnly) {
  CsrfKey key(key_from(1));
  std::string alice = secret_hash("alice-session-token");
  std::string bob = secret_hash("bob-session-token");
  std::string token = key.token_for(alice);
  EXPECT_EQ(token.size(), 43u);
  EXPECT_EQ(token, key.token_for(alice));  // derived, stable
  EXPECT_TRUE(key.verify(alice, token));
  EXPECT_FALSE(key.verify(bob, token));
  EXPECT_FALSE(key.verify(alice, key.token_for(bob)));
}

TEST(CsrfTest, AnotherServerKeyMakesAnotherToken) {
  CsrfKey a(key_from(1));
  CsrfKey b(key_from(2));
  std::string session = secret_hash("s");
  EXPECT_NE(a.token_for(session), b.token_for(session));
  EXPECT_FALSE(b.verify(session, a.token_for(session)));
}

TEST(CsrfTest, MissingTruncatedOrAlteredTokensAreRefused) {
  CsrfKey key(key_from(1));
  std::string session = secret_hash("s");
  std::string token = key.token_for(session);
  EXPECT_FALSE(key.verify(session, ""));
  EXPECT_FALSE(key.verify(session, token.substr(0, 42)));
  EXPECT_FALSE(key.verify(session, token + "A"));
  std::string altered = token;
  altered[10] = altered[10] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(key.verify(session, altered));
  EXPECT_FALSE(key.verify("", key.token_for("")));  // no session, no token
}

bool http(std::optional<std::string_view> origin, std::optional<std::string_view> site,
          std::string_view host = "chat.example.com", std::string_view scheme = "https") {
  return origin_allowed(origin, site, host, scheme, OriginCheck::kStateChangingHttp);
}

bool upgrade(std::optional<std::string_view> origin, std::string_view host = "chat.example.com",
             std::string_view scheme = "https") {
  return origin_allowed(origin, std::optional<std::string_view>("same-origin"), host, scheme,
                        OriginCheck::kWebSocketUpgrade);
}

TEST(OriginTest, SameOriginPostIsAllowed) {
  EXPECT_TRUE(http("https://chat.example.com", "same-origin"));
  EXPECT_TRUE(http("https://chat.example.com", nullopt));
  EXPECT_TRUE(http("HTTPS://Chat.Example.COM", nullopt));
  EXPECT_TRUE(http("https://chat.example.com:443", nullopt));
  EXPECT_TRUE(http("https://chat.example.com", nullopt, "chat.example.com:443"));
  EXPECT_TRUE(http("http://127.0.0.1:8080", nullopt, "127.0.0.1:8080", "http"));
  EXPECT_TRUE(http("http://[::1]:8080", nullopt, "[::1]:8080", "http"));
}

TEST(OriginTest, ForeignOriginPostIsRefused) {
  EXPECT_FALSE(http("https://evil.example", nullopt));
  EXPECT_FALSE(http("https://evil.example", "same-origin"));
  EXPECT_FALSE(http("http://chat.example.com", nullopt));       // scheme differs
  EXPECT_FALSE(http("https://chat.example.com:8443", nullopt));  // port differs
  EXPECT_FALSE(http("https://chat.example.com.evil.example", nullopt));
  EXPECT_FALSE(http("https://sub.chat.example.com", nullopt));
  EXPECT_FALSE(http("null", nullopt));
  EXPECT_FALSE(http("null", "same-origin"));
  EXPECT_FALSE(http("", nullopt));
  EXPECT_FALSE(http("https://chat.example.com/", nullopt));  // not a serialised origin
  EXPECT_FALSE(http("https://user@chat.example.com", nullopt));
  EXPECT_FALSE(http("https://chat.example.com https://evil.example", nullopt));
}

TEST(OriginTest, FetchMetadataDecidesWhenOriginIsAbsent) {
  EXPECT_TRUE(http(nullopt, "same-origin"));
  EXPECT_TRUE(http(nullopt, "none"));
  EXPECT_FALSE(http(nullopt, "same-site"));
  EXPECT_FALSE(http(nullopt, "cross-site"));
  EXPECT_FALSE(http(nullopt, "Same-Origin"));
  EXPECT_FALSE(http(nullopt, nullopt));
}

TEST(OriginTest, CrossSiteFetchMetadataWinsOverAMatchingOrigin) {
  EXPECT_FALSE(http("https://chat.example.com", "cross-site"));
  EXPECT_FALSE(http("https://chat.example.com", "same-site"));
}

TEST(OriginTest, WebSocketUpgradeNeedsItsOwnOrigin) {
  EXPECT_TRUE(upgrade("https://chat.example.com"));
  EXPECT_TRUE(upgrade("http://localhost:3000", "localhost:3000", "http"));
  EXPECT_TRUE(upgrade("https://chat.example.com", "chat.example.com", "wss"));
  EXPECT_FALSE(upgrade(nullopt));
  EXPECT_FALSE(upgrade("null"));
  EXPECT_FALSE(upgrade("https://evil.example"));
  EXPECT_FALSE(upgrade("https://chat.example.com:444"));  // differs only in port
  EXPECT_FALSE(upgrade("http://localhost:3001", "localhost:3000", "http"));
  // Sec-Fetch-Site cannot stand in for Origin on an upgrade.
  EXPECT_FALSE(origin_allowed(nullopt, std::optional<std::string_view>("same-origin"), "chat.example.com", "https",
                              OriginCheck::kWebSocketUpgrade));
}

TEST(OriginTest, MalformedHostNeverMatches) {
  EXPECT_FALSE(http("https://chat.example.com", nullopt, ""));
  EXPECT_FALSE(http("https://chat.example.com", nullopt, "chat.example.com:"));
  EXPECT_FALSE(http("https://chat.example.com:99999", nullopt, "chat.example.com:99999"));
  EXPECT_FALSE(http("https://[::1", nullopt, "[::1"));
  EXPECT_FALSE(http("https://chat.example.com", nullopt, "chat.example.com", "ftp"));
}

}  // namespace
}  // namespace hearth::auth
