#include "migrate/html_sanitizer.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace hearth {
namespace {

using migrate::attribute;
using migrate::child;
using migrate::children;
using migrate::is_element;
using migrate::is_text;
using migrate::tag_name;

constexpr std::array<std::string_view, 44> kAllowedTags = {
    "a", "abbr", "acronym", "address", "b", "big", "blockquote", "br", "cite", "code", "dd", "del",
    "dfn", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "kbd",
    "li", "ol", "p", "pre", "samp", "small", "span", "strong", "sub", "sup", "time", "tt", "ul",
    "var", "action-text-attachment", "figure", "figcaption"};
// Their text is code or foreign markup, not prose: dropped whole rather than unwrapped.
constexpr std::array<std::string_view, 14> kDroppedWithContent = {
    "script", "style", "template", "iframe", "object", "embed", "noscript", "noembed", "noframes",
    "svg", "math", "textarea", "title", "xmp"};
constexpr std::array<std::string_view, 8> kGlobalAttributes = {"href", "title", "class", "cite",
                                                               "datetime", "dir", "lang", "abbr"};
constexpr std::array<std::string_view, 10> kAttachmentAttributes = {
    "sgid", "content-type", "url", "href", "filename", "filesize", "width", "height", "caption", "presentation"};
constexpr std::array<std::string_view, 3> kUrlAttributes = {"href", "cite", "url"};
constexpr std::array<std::string_view, 2> kVoid = {"br", "hr"};

template <size_t N>
bool in(const std::array<std::string_view, N>& set, std::string_view v) {
  return std::find(set.begin(), set.end(), v) != set.end();
}

void escape_into(std::string& out, std::string_view s, bool attribute_value) {
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"':
        if (attribute_value) {
          out += "&quot;";
          break;
        }
        out.push_back(c);
        break;
      default: out.push_back(c);
    }
  }
}

class Sanitizer {
 public:
  std::string out;

  void kids(const GumboNode* n, int depth) {
    const GumboVector& c = children(n);
    for (unsigned i = 0; i < c.length; ++i) node(child(n, i), depth + 1);
  }

 private:
  void node(const GumboNode* n, int depth) {
    if (is_text(n)) {
      escape_into(out, n->v.text.text, false);
      return;
    }
    if (!is_element(n) || depth > migrate::kMaxHtmlDepth) return;  // comments, too-deep nesting
    std::string name = tag_name(n);
    if (in(kDroppedWithContent, name)) return;
    if (!in(kAllowedTags, name)) {
      kids(n, depth);  // unwrap: the markup goes, the text stays
      return;
    }
    bool attachment = name == "action-text-attachment";
    out += "<" + name;
    const GumboVector& attrs = n->v.element.attributes;
    for (unsigned i = 0; i < attrs.length; ++i) {
      const auto* a = static_cast<const GumboAttribute*>(attrs.data[i]);
      std::string_view an = a->name;
      if (!in(kGlobalAttributes, an) && !(attachment && in(kAttachmentAttributes, an))) continue;
      if (in(kUrlAttributes, an) && !safe_url(a->value)) continue;
      out += " ";
      out += an;
      out += "=\"";
      escape_into(out, a->value, true);
      out += "\"";
    }
    out += ">";
    if (in(kVoid, name)) return;
    kids(n, depth);
    out += "</" + name + ">";
  }
};

}  // namespace

bool safe_url(std::string_view url) {
  // Browsers ignore leading spaces/controls and tabs/newlines inside a scheme ("java\tscript:").
  std::string scheme;
  for (char c : url) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20) {
      if (scheme.empty() || c == '\t' || c == '\n' || c == '\r') continue;
      return true;  // a space before any ':' ends the would-be scheme: relative
    }
    if (c == ':') {
      return scheme == "http" || scheme == "https" || scheme == "mailto" || scheme == "tel";
    }
    if (c == '/' || c == '?' || c == '#') return true;  // relative URL: no scheme
    scheme.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  }
  return true;
}

std::string sanitize_body_html(const GumboNode* root) {
  Sanitizer s;
  s.kids(root, 0);
  return std::move(s.out);
}

std::string sanitize_body_html(std::string_view html) {
  migrate::HtmlFragment fragment(html);
  return sanitize_body_html(fragment.root());
}

}  // namespace hearth
