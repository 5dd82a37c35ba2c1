// ActionText body -> Hearth body: Campfire's plain text, the sanitizer's allow-list, and sgid
// decoding, on small hand-written bodies (the fixture test checks the same on real ones).
#include <gtest/gtest.h>

#include <map>

#include "core/html/sanitizer.h"
#include "migrate/rails_time.h"
#include "migrate/rich_text.h"
#include "migrate/sgid.h"

namespace hearth::migrate {
namespace {

using html::safe_url;
using html::sanitize_body_html;

// {"_rails":{"data":"gid://campfire/User/7","pur":"attachable"}} and the pre-7.1 Marshal form
// naming user 1 (both from the shared fixture; the MACs are not checked).
constexpr const char* kSgid7 =
    "eyJfcmFpbHMiOnsiZGF0YSI6ImdpZDovL2NhbXBmaXJlL1VzZXIvNyIsInB1ciI6ImF0dGFjaGFibGUifX0=--e243c0b73689e88fdd8ddf7227486169f59d418c";
constexpr const char* kLegacySgid1 =
    "eyJfcmFpbHMiOnsibWVzc2FnZSI6IkJBaEpJaHBuYVdRNkx5OWpZVzF3Wm1seVpTOVZjMlZ5THpFR09nWkZWQT09IiwiZXhwIjpudWxsLCJwdXIiOiJhdHRhY2hhYmxlIn19--4677405bc1c04154929056f883c5021790e12e51";

std::string mention(const std::string& sgid) {
  return "<action-text-attachment sgid=\"" + sgid +
         "\" content-type=\"application/vnd.campfire.mention\" content=\"&lt;span&gt;Old Name&lt;/span&gt;\"></action-text-attachment>";
}

class BodyConversion : public ::testing::Test {
 protected:
  std::map<int64_t, std::string> names_{{1, "Ada Lovelace"}, {7, "Dmitri Ivanov"}, {8, "O'Brien <b>Tables</b> & Co"}};
  UserNames lookup_ = [this](int64_t id) -> const std::string* {
    auto it = names_.find(id);
    return it == names_.end() ? nullptr : &it->second;
  };
  std::string plain(const std::string& html) { return convert_body(html, lookup_).plain_text; }
};

TEST(Sgid, JsonFormNamesTheUser) { EXPECT_EQ(user_id_from_sgid(kSgid7), 7); }
TEST(Sgid, LegacyMarshalFormNamesTheUser) { EXPECT_EQ(user_id_from_sgid(kLegacySgid1), 1); }
TEST(Sgid, SignatureIsIgnored) {
  std::string s = kSgid7;
  EXPECT_EQ(user_id_from_sgid(s.substr(0, s.find("--")) + "--0000"), 7);
}
TEST(Sgid, GarbageAndNonUserGidsGiveNothing) {
  EXPECT_EQ(user_id_from_sgid(""), std::nullopt);
  EXPECT_EQ(user_id_from_sgid("!!!--x"), std::nullopt);
  // {"_rails":{"data":"gid://campfire/Room/7"}}
  EXPECT_EQ(user_id_from_sgid("eyJfcmFpbHMiOnsiZGF0YSI6ImdpZDovL2NhbXBmaXJlL1Jvb20vNyJ9fQ"), std::nullopt);
}
TEST(Sgid, UrlSafeAndStandardAlphabetsBothDecode) {
  EXPECT_EQ(decode_base64_any("-_8"), decode_base64_any("+/8"));
}

TEST(RailsTime, FractionIsOptionalAndMicrosecondsAreKept) {
  EXPECT_EQ(parse_rails_time("1970-01-01 00:00:01"), 1'000'000);
  EXPECT_EQ(parse_rails_time("2024-02-01 13:35:33.036024"), 1706794533036024);
  EXPECT_EQ(parse_rails_time("2024-02-01 13:35:33.5"), 1706794533500000);
  EXPECT_EQ(parse_rails_time("yesterday"), std::nullopt);
  EXPECT_EQ(parse_rails_time("2024-13-01 00:00:00"), std::nullopt);
}

TEST_F(BodyConversion, BlocksListsAndBreaksFollowActionTextPlainText) {
  EXPECT_EQ(plain("<div>Todo:</div><ol><li>one</li><li>two</li></ol>"), "Todo:\n1. one\n2. two");
  EXPECT_EQ(plain("<div>Todo:</div><ul><li>a</li><li>b</li></ul>"), "Todo:\n• a\n• b");
  EXPECT_EQ(plain("<h1>Release notes</h1><div>ok</div>"), "Release notes\n\nok");
  EXPECT_EQ(plain("<div>a<br>b</div><pre>x<br>y</pre>"), "a\nb\nx\ny");
  EXPECT_EQ(plain("<ul><li>a<ul><li>b</li></ul></li></ul>"), "• a\n  • b");
}

TEST_F(BodyConversion, BlockquoteIsCurlyQuotedAndNbspStays) {
  EXPECT_EQ(plain("<blockquote>hi there</blockquote>"), "“hi there”");
  EXPECT_EQ(plain("<div>x&nbsp;</div>"), "x\u00A0");
}

TEST_F(BodyConversion, ScriptAndStyleContentAreDroppedEscapedTextIsText) {
  EXPECT_EQ(plain("<style>body{display:none}</style>where did everything go?"), "where did everything go?");
  EXPECT_EQ(plain("<script>alert(1)</script>ok"), "ok");
  EXPECT_EQ(plain("<div>&lt;style&gt;x&lt;/style&gt;</div>"), "<style>x</style>");
}

TEST_F(BodyConversion, MentionsUseTheCurrentNameAndMissingUsersVanish) {
  auto b = convert_body("<div>Hi " + mention(kSgid7) + " and " + mention(kLegacySgid1) + "!</div>", lookup_);
  EXPECT_EQ(b.plain_text, "Hi @Dmitri Ivanov and @Ada Lovelace!");
  EXPECT_EQ(b.mentions, (std::vector<int64_t>{7, 1}));
  names_.erase(7);
  auto gone = convert_body("<div>" + mention(kSgid7) + " can you?</div>", lookup_);
  EXPECT_EQ(gone.plain_text, " can you?");
  EXPECT_EQ(gone.mentions, (std::vector<int64_t>{7})) << "the id is kept; the importer decides";
}

TEST_F(BodyConversion, MentionsBecomeHearthsMentionSpanWithTheCurrentName) {
  auto b = convert_body("<div>Hi " + mention(kSgid7) + ", see https://x.test</div>", lookup_);
  EXPECT_EQ(b.html,
            "<div>Hi <span class=\"mention\" data-user-id=\"7\">@Dmitri Ivanov</span>, see "
            "<a href=\"https://x.test\" target=\"_blank\" rel=\"noopener noreferrer\">https://x.test</a></div>")
      << "rendered like a message posted in Hearth, auto-link included";
  names_.erase(7);
  EXPECT_EQ(convert_body("<div>" + mention(kSgid7) + " can you?</div>", lookup_).html, "<div> can you?</div>");
  // {"_rails":{"data":"gid://campfire/User/8","pur":"attachable"}}
  std::string sgid8 = "eyJfcmFpbHMiOnsiZGF0YSI6ImdpZDovL2NhbXBmaXJlL1VzZXIvOCIsInB1ciI6ImF0dGFjaGFibGUifX0=--x";
  EXPECT_EQ(convert_body(mention(sgid8), lookup_).html,
            "<span class=\"mention\" data-user-id=\"8\">@O'Brien &lt;b&gt;Tables&lt;/b&gt; &amp; Co</span>");
}

TEST_F(BodyConversion, MarkupInANameIsReadAsHtmlLikeRailsDoes) {
  // {"_rails":{"data":"gid://campfire/User/8","pur":"attachable"}}
  std::string sgid8 = "eyJfcmFpbHMiOnsiZGF0YSI6ImdpZDovL2NhbXBmaXJlL1VzZXIvOCIsInB1ciI6ImF0dGFjaGFibGUifX0=--x";
  EXPECT_EQ(plain("<div>cc " + mention(sgid8) + "</div>"), "cc @O'Brien Tables & Co");
}

TEST_F(BodyConversion, LinkPreviewsHaveNoPlainText) {
  EXPECT_EQ(plain("<div><a href=\"https://x.test/\">https://x.test/</a><action-text-attachment "
                  "content-type=\"application/vnd.actiontext.opengraph-embed\" href=\"https://x.test/\" "
                  "filename=\"Title\" caption=\"Caption\"></action-text-attachment></div>"),
            "https://x.test/");
}

TEST(Sanitizer, ScriptsStylesAndEventHandlersAreRemoved) {
  EXPECT_EQ(sanitize_body_html("<img src=\"x\" onerror=\"alert(1)\"><script>document.title='p'</script>"), "");
  EXPECT_EQ(sanitize_body_html("<style>body{display:none}</style>where"), "where");
  EXPECT_EQ(sanitize_body_html("<div onclick=\"x()\" class=\"c\">hi</div>"), "<div class=\"c\">hi</div>");
  EXPECT_EQ(sanitize_body_html("<iframe src=\"https://evil\">x</iframe>ok"), "ok");
}

TEST(Sanitizer, UnknownTagsAreUnwrappedAllowedOnesKept) {
  EXPECT_EQ(sanitize_body_html("<b>bold</b> <u>u</u> <marquee>wheee</marquee>"), "<b>bold</b> u wheee");
  EXPECT_EQ(sanitize_body_html("<div>a<br>b</div><pre>c</pre><blockquote>d</blockquote>"),
            "<div>a<br>b</div><pre>c</pre><blockquote>d</blockquote>");
}

TEST(Sanitizer, OnlySafeUrlSchemesSurvive) {
  EXPECT_EQ(sanitize_body_html("<a href=\"javascript:alert(1)\">x</a>"), "<a>x</a>");
  EXPECT_EQ(sanitize_body_html("<a href=\"  JaVa\tScript:alert(1)\">x</a>"), "<a>x</a>");
  EXPECT_EQ(sanitize_body_html("<a href=\"data:text/html,hi\">x</a>"), "<a>x</a>");
  EXPECT_EQ(sanitize_body_html("<a href=\"https://ok.test/?a=1&amp;b=2\">x</a>"),
            "<a href=\"https://ok.test/?a=1&amp;b=2\" target=\"_blank\" rel=\"noopener noreferrer\">x</a>");
  EXPECT_EQ(sanitize_body_html("<a href=\"/rooms/1\">x</a>"), "<a href=\"/rooms/1\">x</a>");
  EXPECT_TRUE(safe_url("mailto:a@b.test"));
  EXPECT_FALSE(safe_url("vbscript:x"));
}

TEST(Sanitizer, MentionAttachmentsKeepTheirSgidButNotTheirContentHtml) {
  std::string out = sanitize_body_html(mention(kSgid7));
  EXPECT_NE(out.find("sgid=\""), std::string::npos);
  EXPECT_NE(out.find("content-type=\"application/vnd.campfire.mention\""), std::string::npos);
  EXPECT_EQ(out.find("content=\""), std::string::npos) << out;
}

TEST(Sanitizer, TextAndAttributesAreEscaped) {
  EXPECT_EQ(sanitize_body_html("<div title='a\"b'>1 &lt; 2 &amp; 3</div>"), "<div title=\"a&quot;b\">1 &lt; 2 &amp; 3</div>");
}

TEST(Sanitizer, DeepNestingDoesNotCrash) {
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += "<span>";
  deep += "x";
  std::string out = sanitize_body_html(deep);
  EXPECT_LT(out.size(), deep.size() * 2);
  std::map<int64_t, std::string> none;
  UserNames lookup = [&](int64_t) -> const std::string* { return nullptr; };
  EXPECT_NO_FATAL_FAILURE(convert_body(deep, lookup));
}

}  // namespace
}  // namespace hearth::migrate
