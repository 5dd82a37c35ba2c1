#include "server/previews/page_metadata.h"

#include <gumbo.h>

#include <cstring>
#include <utility>
#include <vector>

#include "core/base/text.h"

namespace hearth::server::previews {
namespace {

// A page's metadata is in its <head>; parsing stops there when the page says where it ends, so a
// 5 MB body costs a search, not a parse. (A page without "</head" is parsed whole.)
std::string_view head_of(std::string_view html) {
  static constexpr std::string_view kEnd = "</head";
  for (size_t i = 0; i + kEnd.size() <= html.size(); ++i) {
    size_t j = 0;
    while (j < kEnd.size() && (html[i + j] | 0x20) == (kEnd[j] | 0x20)) ++j;  // ASCII case fold
    if (j == kEnd.size()) return html.substr(0, i);
  }
  return html;
}

// Bytes parsed at most: gumbo's worst cases grow faster than linearly with hostile markup, and
// the metadata of real pages sits in their first few kilobytes.
constexpr size_t kMaxParsedBytes = 512 * 1024;

// Elements visited at most: real heads have tens; a hostile page cannot make the walk long.
constexpr size_t kMaxNodes = 100'000;

const char* attr(const GumboNode* n, const char* name) {
  const GumboAttribute* a = gumbo_get_attribute(&n->v.element.attributes, name);
  return a ? a->value : nullptr;
}

bool iequals(const char* a, const char* b) {
  for (; *a && *b; ++a, ++b) {
    char x = *a, y = *b;
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (x != y) return false;
  }
  return *a == *b;
}

struct Found {
  std::string og_title, og_description, og_image, title, description;

  void meta(const GumboNode* n) {
    const char* key = attr(n, "property");
    if (!key) key = attr(n, "name");
    const char* content = attr(n, "content");
    if (!key || !content) return;
    auto keep = [content](std::string& slot) {
      if (slot.empty()) slot = content;
    };
    if (iequals(key, "og:title")) keep(og_title);
    else if (iequals(key, "og:description")) keep(og_description);
    else if (iequals(key, "og:image") || iequals(key, "og:image:url")) keep(og_image);
    else if (iequals(key, "description")) keep(description);
  }

  void title_element(const GumboNode* n) {
    if (!title.empty()) return;
    const GumboVector& kids = n->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i) {
      const auto* k = static_cast<const GumboNode*>(kids.data[i]);
      if (k->type == GUMBO_NODE_TEXT || k->type == GUMBO_NODE_WHITESPACE) title += k->v.text.text;
    }
  }
};

}  // namespace

std::string clean_text(std::string_view s, size_t max_bytes) {
  std::string out;
  bool space = false;
  for (size_t i = 0; i < s.size();) {
    auto u = static_cast<unsigned char>(s[i]);
    size_t n = utf8_sequence_length(s, i);
    std::string_view ch = n ? s.substr(i, n) : std::string_view("\xEF\xBF\xBD");
    i += n ? n : 1;
    bool c0 = n == 1 && (u < 0x20 || u == 0x7f);
    bool c1 = n == 2 && u == 0xC2 && static_cast<unsigned char>(ch[1]) < 0xA0;
    bool blank = (n == 1 && u == ' ') || c0 || c1 || ch == "\xC2\xA0";
    if (blank) {
      space = !out.empty();
      continue;
    }
    size_t need = ch.size() + (space ? 1 : 0);
    if (out.size() + need > max_bytes) break;
    if (space) out.push_back(' ');
    space = false;
    out += ch;
  }
  return out;
}

PageMetadata parse_page_metadata(std::string_view html) {
  html = head_of(html.substr(0, kMaxParsedBytes));
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // real pages are full of parse errors; collecting them is waste
  GumboOutput* output = gumbo_parse_with_options(&options, html.data(), html.size());
  Found found;
  std::vector<const GumboNode*> stack{output->root};
  size_t visited = 0;
  while (!stack.empty() && ++visited <= kMaxNodes) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (n->type != GUMBO_NODE_ELEMENT) continue;
    if (n->v.element.tag == GUMBO_TAG_META) found.meta(n);
    else if (n->v.element.tag == GUMBO_TAG_TITLE && n->v.element.tag_namespace == GUMBO_NAMESPACE_HTML) found.title_element(n);
    const GumboVector& kids = n->v.element.children;
    // Pushed last-first, so the walk is in document order and the first of a kind wins.
    for (unsigned i = kids.length; i > 0; --i) stack.push_back(static_cast<const GumboNode*>(kids.data[i - 1]));
  }
  gumbo_destroy_output(&options, output);
  PageMetadata out;
  out.title = clean_text(found.og_title.empty() ? found.title : found.og_title, kMaxTitleBytes);
  out.description =
      clean_text(found.og_description.empty() ? found.description : found.og_description, kMaxDescriptionBytes);
  std::string image = clean_text(found.og_image, kMaxImageUrlBytes + 1);
  if (image.size() <= kMaxImageUrlBytes) out.image = std::move(image);
  return out;
}

}  // namespace hearth::server::previews
