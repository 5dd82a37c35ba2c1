// core/html: the body sanitizer's allow-list, auto-linking, the mention markup, plain text, and
// the idempotence the browser's re-parse relies on. (The importer's Campfire-specific conversion
// is tested in tests/migrate/body_conversion_test.cc; posting over HTTP in tests/server.)
#include <gtest/gtest.h>

#include "core/html/auto_link.h"
#include "core/html/body.h"
#include "core/html/link_preview.h"
#include "core/html/mention.h"
#include "core/html/sanitizer.h"

namespace hearth::html {
namespace {

constexpr const char* kNewTab = " target=\"_blank\" rel=\"noopener noreferrer\"";

std::string link(const std::string& url) {
  return "<a href=\"" + url + "\"" + kNewTab + ">" + url + "</a>";
}
std::string clean(std::string_view html) { return sanitize_body_html(html); }

TEST(Sanitizer, ComposerMarkupIsKeptAsItIs) {
  for (const char* html : {"<div><strong>b</strong> <em>i</em> <del>s</del></div>", "<ul><li>a</li><li>b</li></ul>",
                           "<ol><li>1</li></ol>", "<blockquote>q</blockquote>", "<pre>x = 1\n  y</pre>",
                           "<div>a<br>b</div>", "<p>para</p>", "<h1>big</h1>"}) {
    EXPECT_EQ(clean(html), html);
  }
}

TEST(Sanitizer, ScriptsHandlersAndForeignMarkupGo) {
  EXPECT_EQ(clean("<img src=x onerror=alert(1)>hi"), "hi");
  EXPECT_EQ(clean("<script>alert(1)</script>ok"), "ok");
  EXPECT_EQ(clean("<svg><script>alert(1)</script></svg>ok"), "ok");
  EXPECT_EQ(clean("<math><mi>x</mi></math>ok"), "ok");
  EXPECT_EQ(clean("<div onclick=\"x()\" style=\"color:red\" class=\"c\">hi</div>"), "<div class=\"c\">hi</div>");
  EXPECT_EQ(clean("<template><b>t</b></template><noscript>n</noscript>ok"), "ok");
  EXPECT_EQ(clean("<form action=\"https://evil\"><button formaction=x>go</button></form>"), "go");
  EXPECT_EQ(clean("<!-- c --><b>x</b>"), "<b>x</b>");
}

TEST(Sanitizer, OnlySafeUrlsStayAndHttpLinksOpenInANewTab) {
  EXPECT_EQ(clean("<a href=\"javascript:alert(1)\">x</a>"), "<a>x</a>");
  EXPECT_EQ(clean("<a href=\"&#106;avascript:alert(1)\">x</a>"), "<a>x</a>");
  EXPECT_EQ(clean("<a href=\" java\tscript:x\">x</a>"), "<a>x</a>");
  EXPECT_EQ(clean("<a href=\"data:text/html,x\">x</a>"), "<a>x</a>");
  EXPECT_EQ(clean("<a href=\"VBScript:x\">x</a>"), "<a>x</a>");
  EXPECT_EQ(clean("<a href=\"https://ok.test/\" target=\"_self\" rel=\"opener\">x</a>"),
            std::string("<a href=\"https://ok.test/\"") + kNewTab + ">x</a>");
  EXPECT_EQ(clean("<a href=\"/rooms/1/@2\">permalink</a>"), "<a href=\"/rooms/1/@2\">permalink</a>")
      << "in-app links stay in the tab";
  EXPECT_EQ(clean("<a href=\"mailto:a@b.test\">m</a>"), "<a href=\"mailto:a@b.test\">m</a>");
  EXPECT_EQ(clean("<blockquote cite=\"javascript:x\">q</blockquote>"), "<blockquote>q</blockquote>");
}

TEST(Sanitizer, BareUrlsAreLinkedOutsideLinksAndCode) {
  EXPECT_EQ(clean("see https://example.com/a?b=1&c=2."), "see " + link("https://example.com/a?b=1&amp;c=2") + ".");
  EXPECT_EQ(clean("<div>(http://x.test/wiki/Pipe_(Unix))</div>"),
            "<div>(" + link("http://x.test/wiki/Pipe_(Unix)") + ")</div>");
  std::string linked = "<a href=\"https://a.test/\"" + std::string(kNewTab) + ">https://a.test/</a>";
  EXPECT_EQ(clean(linked), linked);
  EXPECT_EQ(clean("<code>https://a.test/</code>"), "<code>https://a.test/</code>");
  EXPECT_EQ(clean("<pre>curl https://a.test/</pre>"), "<pre>curl https://a.test/</pre>");
  EXPECT_EQ(clean("<a href=\"/x\"><b>https://a.test/</b></a>"), "<a href=\"/x\"><b>https://a.test/</b></a>");
  EXPECT_EQ(clean("javascript:alert(1) ftp://x.test xhttps://x.test"), "javascript:alert(1) ftp://x.test xhttps://x.test");
  EXPECT_EQ(clean("HTTPS://X.TEST"), link("HTTPS://X.TEST"));
  EXPECT_EQ(clean("https:// nothing"), "https:// nothing");
}

TEST(AutoLink, UrlsEndAtSpacesQuotesAndSentencePunctuation) {
  std::string_view t = "a https://x.test/p, and \"http://y.test\" and https://z.test/?q=1!";
  auto urls = find_urls(t);
  ASSERT_EQ(urls.size(), 3u);
  EXPECT_EQ(t.substr(urls[0].begin, urls[0].end - urls[0].begin), "https://x.test/p");
  EXPECT_EQ(t.substr(urls[1].begin, urls[1].end - urls[1].begin), "http://y.test");
  EXPECT_EQ(t.substr(urls[2].begin, urls[2].end - urls[2].begin), "https://z.test/?q=1");
  EXPECT_TRUE(find_urls("no links here: http:/x.test, https://").empty());
}

TEST(Sanitizer, MentionSpanKeepsItsUserIdOnlyWhenItIsAnId) {
  std::string m = mention_html(7, "Alice <A> & Co");
  EXPECT_EQ(m, "<span class=\"mention\" data-user-id=\"7\">@Alice &lt;A&gt; &amp; Co</span>");
  EXPECT_EQ(clean(m), m);
  EXPECT_EQ(clean("<span class=\"mention\" data-user-id=\"07\">@x</span>"), "<span class=\"mention\">@x</span>");
  EXPECT_EQ(clean("<span class=\"mention\" data-user-id=\"7 \">@x</span>"), "<span class=\"mention\">@x</span>");
  EXPECT_EQ(clean("<div data-user-id=\"7\" data-x=\"1\">x</div>"), "<div>x</div>") << "only on a span";
}

TEST(Sanitizer, TextAndAttributesAreEscaped) {
  EXPECT_EQ(clean("<div title='a\"b&lt;'>1 &lt; 2 &amp; 3 &gt; 0</div>"),
            "<div title=\"a&quot;b&lt;\">1 &lt; 2 &amp; 3 &gt; 0</div>");
}

TEST(Sanitizer, APreStartingWithANewlineKeepsIt) {
  EXPECT_EQ(clean("<pre>\n\nx</pre>"), "<pre>\n\nx</pre>") << "the parser ate one newline; it is written back";
  EXPECT_EQ(clean(clean("<pre>\n\nx</pre>")), clean("<pre>\n\nx</pre>"));
}

// Trees that serialize to markup which parses differently: the output must still be stable.
TEST(Sanitizer, OutputSanitizesToItselfEvenForMisnestedMarkup) {
  for (const char* html : {
           "<p><table><tr><td><hr>x</td></tr></table></p>",
           "<a href=\"/1\"><table><tr><td><a href=\"/2\">x</a></td></tr></table></a>",
           "<p><table><td><p>in</p></td></table>after</p>",
           "<h1><table><td><h2>x</h2></td></table></h1>",
           "<li><table><td><li>x</li></td></table></li>",
           "<pre><u>\nx</u></pre>",
           "<table><tr><td>a</td></tr>b<tr><td>c</td></tr></table>",
           "<b><p>x</b>y</p>",
           "<dl><dt>a<dd>b<dt><table><td><dd>c</td></table></dl>",
           "<select><option><b>x</b></option></select>",
           "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
           "<svg></p><style><a id=\"</style><img src=1 onerror=alert(1)>\">",
       }) {
    std::string once = clean(html);
    EXPECT_EQ(clean(once), once) << html;
    EXPECT_EQ(once.find("<img"), std::string::npos) << html;
  }
}

TEST(Sanitizer, DeepNestingIsCutNotCrashed) {
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += "<span>";
  deep += "x";
  std::string out = clean(deep);
  EXPECT_LT(out.size(), deep.size() * 2);
  EXPECT_EQ(clean(out), out);
}

TEST(CleanBody, PlainTextAndMentionsComeFromTheSanitizedMarkup) {
  CleanBody b = clean_body("<div>Hi " + mention_html(7, "Alice") + " and " + mention_html(3, "Bo") + " and " +
                           mention_html(7, "Alice") + "!</div><ul><li>one</li></ul><script>@Eve</script>");
  EXPECT_EQ(b.plain_text, "Hi @Alice and @Bo and @Alice!\n• one");
  EXPECT_EQ(b.mentions, (std::vector<int64_t>{7, 3}));
  EXPECT_EQ(clean_body("<span data-user-id=\"9\">@x</span><span class=\"mention\">@y</span>").mentions.size(), 0u)
      << "a mention is the span with both the class and the id";
  EXPECT_EQ(clean_body("/play bell").plain_text, "/play bell");
  EXPECT_EQ(clean_body("<img src=x onerror=alert(1)>").html, "");
  EXPECT_EQ(clean_body("a https://x.test").plain_text, "a https://x.test");
}

TEST(LinkPreview, AComposerPreviewIsKeptAsItIs) {
  std::string preview = link_preview_html("https://example.com/a?b=1&c=2", "Title \"quoted\" <b>", "About it",
                                          "https://example.com/card.png");
  EXPECT_EQ(preview,
            "<action-text-attachment content-type=\"application/vnd.actiontext.opengraph-embed\" "
            "href=\"https://example.com/a?b=1&amp;c=2\" url=\"https://example.com/card.png\" "
            "filename=\"Title &quot;quoted&quot; &lt;b&gt;\" caption=\"About it\"></action-text-attachment>");
  std::string body = "<div>" + link("https://example.com/") + "</div>" + preview;
  EXPECT_EQ(clean(body), body);
}

TEST(LinkPreview, ItsChildrenGoAndItHasNoPlainText) {
  std::string open = "<action-text-attachment content-type=\"application/vnd.actiontext.opengraph-embed\" "
                     "href=\"https://x.test/\" filename=\"T\">";
  EXPECT_EQ(clean(open + "<strong>hidden</strong> text</action-text-attachment>"),
            open + "</action-text-attachment>");
  CleanBody b = clean_body("<div>see https://x.test/</div>" + open + "inside</action-text-attachment>");
  EXPECT_EQ(b.plain_text, "see https://x.test/");
  EXPECT_EQ(clean_body(open + "</action-text-attachment>").plain_text, "");
  // Another attachment type keeps its children as before (the mention attachments the importer reads).
  EXPECT_EQ(clean("<action-text-attachment content-type=\"x/y\">kept</action-text-attachment>"),
            "<action-text-attachment content-type=\"x/y\">kept</action-text-attachment>");
}

TEST(LinkPreview, UnsafeUrlsInAPreviewAreDropped) {
  EXPECT_EQ(clean("<action-text-attachment content-type=\"application/vnd.actiontext.opengraph-embed\" "
                  "href=\"javascript:alert(1)\" url=\"data:image/svg+xml,x\" filename=\"t\" "
                  "onclick=\"x()\" content=\"&lt;img src=x onerror=alert(1)&gt;\"></action-text-attachment>"),
            "<action-text-attachment content-type=\"application/vnd.actiontext.opengraph-embed\" filename=\"t\">"
            "</action-text-attachment>");
}

}  // namespace
}  // namespace hearth::html
