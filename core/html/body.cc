#include "core/html/body.h"

#include <algorithm>

#include "core/html/mention.h"
#include "core/html/plain_text.h"
#include "core/html/sanitizer.h"

namespace hearth::html {
namespace {

void collect_mentions(const GumboNode* n, int depth, std::vector<int64_t>& out) {
  if (!is_element(n) || depth > kMaxHtmlDepth) return;
  if (auto id = mention_id(n); id && std::find(out.begin(), out.end(), *id) == out.end()) out.push_back(*id);
  const GumboVector& c = children(n);
  for (unsigned i = 0; i < c.length; ++i) collect_mentions(child(n, i), depth + 1, out);
}

}  // namespace

CleanBody clean_body(std::string_view html) {
  CleanBody body;
  SanitizeOptions options;
  options.inspect = [&body](const GumboNode* root) {
    body.plain_text = plain_text_of(root);
    const GumboVector& c = children(root);
    for (unsigned i = 0; i < c.length; ++i) collect_mentions(child(root, i), 0, body.mentions);
  };
  body.html = sanitize_body_html(html, options);
  return body;
}

}  // namespace hearth::html
