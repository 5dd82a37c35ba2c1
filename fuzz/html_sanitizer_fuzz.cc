// libFuzzer target for the message-body policy (core/html/body.h): whatever HTML a user or bot
// posts, clean_body's output is safe by a check that does not trust the sanitizer's own tables,
// and stable:
//  - parsed again, it holds only allow-listed elements and attributes, no comment, no URL with a
//    scheme other than http, https, mailto or tel, target/rel only as the sanitizer writes them,
//    no link preview (core/html/link_preview.h) with anything inside it;
//  - it sanitizes to itself (what a browser re-parses is what was checked), and its plain text
//    and mentions come out the same the second time.
// tests/html/sanitizer_fuzz_corpus_test.cc includes this file with HEARTH_FUZZ_NO_MAIN defined and
// replays fuzz/corpus/html_sanitizer; tests/server/message_body_test.cc applies check_safe_body_html
// to what the server stored for every XSS vector.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "core/html/body.h"
#include "core/html/html_dom.h"
#include "core/html/sanitizer.h"

namespace hearth::fuzzing {

inline bool html_url_is_safe(std::string_view url) {
  // The URL Standard's reading, written independently of the sanitizer: leading C0 controls and
  // spaces are stripped, tabs and newlines removed anywhere; a scheme is an ASCII letter followed
  // by letters, digits, '+', '-' or '.', ended by ':'. Anything else is a relative URL.
  std::string s;
  for (char c : url) {
    if (c == '\t' || c == '\n' || c == '\r' || (s.empty() && static_cast<unsigned char>(c) <= 0x20)) continue;
    s.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  auto alpha = [](char c) { return c >= 'a' && c <= 'z'; };
  if (s.empty() || !alpha(s[0])) return true;
  size_t i = 1;
  while (i < s.size() && (alpha(s[i]) || (s[i] >= '0' && s[i] <= '9') || s[i] == '+' || s[i] == '-' || s[i] == '.')) ++i;
  if (i == s.size() || s[i] != ':') return true;
  std::string scheme = s.substr(0, i);
  return scheme == "http" || scheme == "https" || scheme == "mailto" || scheme == "tel";
}

inline const char* check_safe_node(const GumboNode* n, int depth) {
  static const std::set<std::string, std::less<>> kTags = {
      "a", "abbr", "acronym", "address", "b", "big", "blockquote", "br", "cite", "code", "dd", "del",
      "dfn", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "kbd",
      "li", "ol", "p", "pre", "samp", "small", "span", "strong", "sub", "sup", "time", "tt", "ul",
      "var", "action-text-attachment", "figure", "figcaption"};
  static const std::set<std::string, std::less<>> kAttributes = {"href", "title", "class", "cite",
                                                                 "datetime", "dir", "lang", "abbr"};
  static const std::set<std::string, std::less<>> kAttachment = {
      "sgid", "content-type", "url", "href", "filename", "filesize", "width", "height", "caption", "presentation"};
  if (n->type == GUMBO_NODE_COMMENT) return "a comment survived";
  if (!html::is_element(n)) return nullptr;
  if (depth > html::kMaxHtmlDepth + 1) return "nesting deeper than the sanitizer's cut";
  if (n->v.element.tag_namespace != GUMBO_NAMESPACE_HTML) return "a foreign (SVG/MathML) element survived";
  std::string tag = html::tag_name(n);
  if (!kTags.contains(tag)) return "an element outside the allow-list survived";
  const GumboVector& attrs = n->v.element.attributes;
  for (unsigned i = 0; i < attrs.length; ++i) {
    const auto* a = static_cast<const GumboAttribute*>(attrs.data[i]);
    std::string_view name = a->name, value = a->value;
    bool ok = kAttributes.contains(name) || (tag == "action-text-attachment" && kAttachment.contains(name)) ||
              (tag == "span" && name == "data-user-id" && !value.empty() &&
               value.find_first_not_of("0123456789") == std::string_view::npos) ||
              (tag == "a" && name == "target" && value == "_blank") ||
              (tag == "a" && name == "rel" && value == "noopener noreferrer");
    if (!ok) return "an attribute outside the allow-list survived";
    if ((name == "href" || name == "cite" || name == "url") && !html_url_is_safe(value)) return "an unsafe URL survived";
  }
  const GumboVector& c = html::children(n);
  if (tag == "action-text-attachment" && c.length > 0) {
    const char* type = html::attribute(n, "content-type");
    if (type && std::string_view(type) == "application/vnd.actiontext.opengraph-embed") {
      return "a link preview kept children";
    }
  }
  for (unsigned i = 0; i < c.length; ++i) {
    if (const char* broken = check_safe_node(html::child(n, i), depth + 1)) return broken;
  }
  return nullptr;
}

// nullptr when `body_html` is safe and stable, else which property it breaks.
inline const char* check_safe_body_html(std::string_view body_html) {
  {
    html::HtmlFragment fragment(body_html);
    const GumboVector& c = html::children(fragment.root());
    for (unsigned i = 0; i < c.length; ++i) {
      if (const char* broken = check_safe_node(html::child(fragment.root(), i), 1)) return broken;
    }
  }
  if (html::sanitize_body_html(body_html) != body_html) return "the output does not sanitize to itself";
  return nullptr;
}

inline const char* check_html_input(std::string_view input) {
  if (input.size() > 64 * 1024) return nullptr;  // a frame's bound; bigger bodies are refused anyway
  html::CleanBody once = html::clean_body(input);
  if (const char* broken = check_safe_body_html(once.html)) return broken;
  html::CleanBody twice = html::clean_body(once.html);
  if (twice.html != once.html) return "clean_body is not idempotent";
  if (twice.plain_text != once.plain_text) return "the plain text changed on a second pass";
  if (twice.mentions != once.mentions) return "the mentions changed on a second pass";
  return nullptr;
}

}  // namespace hearth::fuzzing

#ifndef HEARTH_FUZZ_NO_MAIN
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (const char* broken = hearth::fuzzing::check_html_input(input)) {
    std::fprintf(stderr, "html sanitizer property broken: %s\n", broken);
    std::abort();
  }
  return 0;
}
#endif
