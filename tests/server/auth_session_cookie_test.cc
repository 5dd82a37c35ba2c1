// The session_token cookie: attributes a browser must see, and a Cookie parser that survives
// whatever arrives.
#include <gtest/gtest.h>

#include <string>

#include "core/base/clock.h"
#include "core/base/secret_hash.h"
#include "server/auth/session_cookie.h"

namespace hearth::auth {
namespace {

const std::string kToken = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";  // 43 alphanumerics

TEST(SessionCookieTest, SetCookieCarriesCampfiresAttributes) {
  EXPECT_EQ(session_cookie(kToken, false),
            "session_token=" + kToken + "; Path=/; Max-Age=630720000; HttpOnly; SameSite=Lax");
  EXPECT_EQ(session_cookie(kToken, true),
            "session_token=" + kToken + "; Path=/; Max-Age=630720000; HttpOnly; SameSite=Lax; Secure");
}

TEST(SessionCookieTest, ClearingCookieExpiresAtOnce) {
  std::string c = clearing_session_cookie(true);
  EXPECT_EQ(c.rfind("session_token=;", 0), 0u);
  EXPECT_NE(c.find("Max-Age=0"), std::string::npos);
  EXPECT_NE(c.find("Expires=Thu, 01 Jan 1970"), std::string::npos);
  EXPECT_NE(c.find("Secure"), std::string::npos);
  EXPECT_EQ(clearing_session_cookie(false).find("Secure"), std::string::npos);
}

TEST(SessionCookieTest, SecureOnlyOverTlsOrWhenATrustedProxySaysHttps) {
  EXPECT_TRUE(request_is_secure(true, false, ""));
  EXPECT_FALSE(request_is_secure(false, false, "https"));  // anyone can send the header
  EXPECT_TRUE(request_is_secure(false, true, "https"));
  EXPECT_TRUE(request_is_secure(false, true, " HTTPS , http"));
  EXPECT_FALSE(request_is_secure(false, true, "http, https"));
  EXPECT_FALSE(request_is_secure(false, true, ""));
}

TEST(SessionCookieTest, MintedTokensAreRecognised) {
  SeededRandom random(7);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(is_session_token(random_alphanumeric(random, kSessionTokenChars)));
  EXPECT_FALSE(is_session_token(kToken.substr(1)));
  EXPECT_FALSE(is_session_token(kToken + "a"));
  EXPECT_FALSE(is_session_token(kToken.substr(1) + "-"));
  EXPECT_FALSE(is_session_token(""));
}

TEST(SessionCookieTest, FindsTheCookieAmongOthersWithAnySpacing) {
  EXPECT_EQ(find_cookie("session_token=abc", "session_token"), "abc");
  EXPECT_EQ(find_cookie("a=1; session_token=abc; b=2", "session_token"), "abc");
  EXPECT_EQ(find_cookie("a=1;session_token=abc;b=2", "session_token"), "abc");
  EXPECT_EQ(find_cookie("  a=1 ;\tsession_token = abc  ; b=2", "session_token"), "abc");
  EXPECT_EQ(find_cookie("x_session_token=no; session_token=yes", "session_token"), "yes");
  EXPECT_EQ(find_cookie("a=1; b=2", "session_token"), std::nullopt);
  EXPECT_EQ(find_cookie("", "session_token"), std::nullopt);
}

TEST(SessionCookieTest, QuotedValueIsUnwrapped) {
  EXPECT_EQ(find_cookie("session_token=\"abc\"", "session_token"), "abc");
  EXPECT_EQ(find_cookie("session_token=\"", "session_token"), "\"");  // a lone quote stays
  EXPECT_EQ(find_cookie("session_token=\"\"", "session_token"), "");
}

TEST(SessionCookieTest, FirstDuplicateWins) {
  EXPECT_EQ(find_cookie("session_token=first; session_token=second", "session_token"), "first");
}

TEST(SessionCookieTest, GarbageIsSkippedNotFatal) {
  EXPECT_EQ(find_cookie(";;; =; garbage; ===; session_token=abc", "session_token"), "abc");
  EXPECT_EQ(find_cookie("session_token", "session_token"), std::nullopt);
  EXPECT_EQ(find_cookie("session_token=a=b", "session_token"), "a=b");
  EXPECT_EQ(find_cookie("Session_Token=abc", "session_token"), std::nullopt);  // names are case-sensitive
  EXPECT_EQ(find_cookie(std::string("session_token=a\0b", 17), "session_token"), std::string("a\0b", 3));
}

TEST(SessionCookieTest, HeaderLooksUpTheHashOfAWellFormedTokenOnly) {
  EXPECT_EQ(session_token_hash("theme=dark; session_token=" + kToken), secret_hash(kToken));
  EXPECT_EQ(session_token_hash("session_token=\"" + kToken + "\""), secret_hash(kToken));
  EXPECT_EQ(session_token_hash("session_token=short"), std::nullopt);
  EXPECT_EQ(session_token_hash("session_token=" + kToken.substr(0, 42) + "!"), std::nullopt);
  // First wins even when the first is malformed: a planted cookie cannot be skipped past.
  EXPECT_EQ(session_token_hash("session_token=bad; session_token=" + kToken), std::nullopt);
  EXPECT_EQ(session_token_hash(""), std::nullopt);
}

}  // namespace
}  // namespace hearth::auth
