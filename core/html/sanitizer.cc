#include "core/html/sanitizer.h"

#include <algorithm>
#include <array>

#include "core/html/auto_link.h"
#include "core/html/link_preview.h"
#include "core/html/mention.h"

namespace hearth::html {
namespace {

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
constexpr const char* kNewTab = " target=\"_blank\" rel=\"noopener noreferrer\"";
// Real bodies settle in one or two passes; see the header for why there are passes at all.
constexpr int kMaxPasses = 4;

template <size_t N>
bool in(const std::array<std::string_view, N>& set, std::string_view v) {
  return std::find(set.begin(), set.end(), v) != set.end();
}

// The lower-case scheme of `url` as a browser reads it, "" for a relative URL. Browsers ignore
// leading spaces and controls, and tabs and newlines anywhere ("java\tscript:").
std::string url_scheme(std::string_view url) {
  std::string scheme;
  for (char c : url) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20) {
      if (scheme.empty() || c == '\t' || c == '\n' || c == '\r') continue;
      return "";  // a space before any ':' ends the would-be scheme: relative
    }
    if (c == ':') return scheme.empty() ? "?" : scheme;
    if (c == '/' || c == '?' || c == '#') return "";  // relative URL: no scheme
    scheme.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  }
  return "";
}

bool opens_in_new_tab(std::string_view href) {
  std::string s = url_scheme(href);
  return s == "http" || s == "https";
}

// One walk over a parsed body, writing what the rules keep.
class Pass {
 public:
  Pass(const SanitizeOptions& options, bool text_only) : options_(options), text_only_(text_only) {}
  std::string out;

  void kids(const GumboNode* n, int depth, bool may_link) {
    const GumboVector& c = children(n);
    for (unsigned i = 0; i < c.length; ++i) node(child(n, i), depth + 1, may_link);
  }

 private:
  void node(const GumboNode* n, int depth, bool may_link) {
    if (is_text(n)) return text(n->v.text.text, may_link);
    if (!is_element(n) || depth > kMaxHtmlDepth) return;  // comments, too-deep nesting
    std::string name = tag_name(n);
    if (in(kDroppedWithContent, name)) return;
    if (text_only_ || !in(kAllowedTags, name)) return kids(n, depth, may_link);  // unwrap: the text stays
    if (options_.replace) {
      if (auto markup = options_.replace(n)) {
        out += *markup;
        return;
      }
    }
    out += "<" + name;
    bool new_tab = false;
    const GumboVector& attrs = n->v.element.attributes;
    for (unsigned i = 0; i < attrs.length; ++i) {
      const auto* a = static_cast<const GumboAttribute*>(attrs.data[i]);
      std::string_view an = a->name;
      if (!allowed_attribute(name, an, a->value)) continue;
      if (in(kUrlAttributes, an) && !safe_url(a->value)) continue;
      if (name == "a" && an == "href") new_tab = opens_in_new_tab(a->value);
      out += " ";
      out += an;
      out += "=\"";
      escape_html(out, a->value, true);
      out += "\"";
    }
    if (new_tab) out += kNewTab;
    out += ">";
    // A void element, or a link preview: its data is in its attributes, and nothing inside it
    // may show or be searched (link_preview.h).
    if (in(kVoid, name)) return;
    if (is_link_preview(n)) {
      out += "</" + name + ">";
      return;
    }
    size_t content = out.size();
    kids(n, depth, may_link && name != "a" && name != "code" && name != "pre");
    // The parser drops a newline right after <pre>, so a body starting with one gets a second.
    if (name == "pre" && content < out.size() && out[content] == '\n') out.insert(content, 1, '\n');
    out += "</" + name + ">";
  }

  static bool allowed_attribute(std::string_view element, std::string_view name, const char* value) {
    if (in(kGlobalAttributes, name)) return true;
    if (element == "span" && name == "data-user-id") return parse_user_id(value).has_value();
    return element == "action-text-attachment" && in(kAttachmentAttributes, name);
  }

  void text(std::string_view s, bool may_link) {
    if (!options_.auto_link || !may_link || text_only_) return escape_html(out, s, false);
    size_t at = 0;
    for (UrlSpan u : find_urls(s)) {
      escape_html(out, s.substr(at, u.begin - at), false);
      std::string_view url = s.substr(u.begin, u.end - u.begin);
      out += "<a href=\"";
      escape_html(out, url, true);
      out += "\"";
      out += kNewTab;
      out += ">";
      escape_html(out, url, false);
      out += "</a>";
      at = u.end;
    }
    escape_html(out, s.substr(at), false);
  }

  const SanitizeOptions& options_;
  bool text_only_;
};

std::string one_pass(const GumboNode* root, const SanitizeOptions& options, bool text_only = false) {
  Pass p(options, text_only);
  p.kids(root, 0, true);
  return std::move(p.out);
}

// Re-sanitizes `html` until it sanitizes to itself; nullopt when it does not within kMaxPasses.
std::optional<std::string> settle(std::string html, const SanitizeOptions& options, std::string* text_only) {
  for (int i = 0; i < kMaxPasses; ++i) {
    HtmlFragment fragment(html);
    std::string next = one_pass(fragment.root(), options);
    if (next == html) {
      if (options.inspect) options.inspect(fragment.root());
      return html;
    }
    if (text_only && i + 1 == kMaxPasses) *text_only = one_pass(fragment.root(), options, true);
    html = std::move(next);
  }
  return std::nullopt;
}

}  // namespace

void escape_html(std::string& out, std::string_view s, bool attribute_value) {
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

bool safe_url(std::string_view url) {
  std::string s = url_scheme(url);
  return s.empty() || s == "http" || s == "https" || s == "mailto" || s == "tel";
}

std::string sanitize_body_html(std::string_view html, const SanitizeOptions& options) {
  std::string first;
  {
    HtmlFragment fragment(html);
    first = one_pass(fragment.root(), options);
  }
  std::string text;
  if (auto out = settle(std::move(first), options, &text)) return std::move(*out);
  // Markup that keeps changing under its own serialization is not worth keeping: its text is.
  if (auto out = settle(std::move(text), options, nullptr)) return std::move(*out);
  if (options.inspect) {
    HtmlFragment empty("");
    options.inspect(empty.root());
  }
  return {};
}

}  // namespace hearth::html
