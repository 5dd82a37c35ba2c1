#include "migrate/rich_text.h"

#include <algorithm>

#include "core/html/mention.h"
#include "core/html/sanitizer.h"

namespace hearth::migrate {
namespace {

// Every mention id in document order, whether or not the user still exists: the importer decides
// which it can keep (mentions of a deleted user point at an id it may have kept as a placeholder).
void collect_mentions(const GumboNode* n, int depth, std::vector<int64_t>& out) {
  if (!html::is_element(n) || depth > html::kMaxHtmlDepth) return;
  if (auto id = mentioned_user(n); id && std::find(out.begin(), out.end(), *id) == out.end()) out.push_back(*id);
  const GumboVector& c = html::children(n);
  for (unsigned i = 0; i < c.length; ++i) collect_mentions(html::child(n, i), depth + 1, out);
}

}  // namespace

ConvertedBody convert_body(std::string_view action_text_html, const UserNames& names) {
  ConvertedBody out;
  {
    html::HtmlFragment fragment(action_text_html);
    out.plain_text = plain_text_of(fragment.root(), names);
    const GumboVector& c = html::children(fragment.root());
    for (unsigned i = 0; i < c.length; ++i) collect_mentions(html::child(fragment.root(), i), 0, out.mentions);
  }
  html::SanitizeOptions options;
  options.replace = [&names](const GumboNode* n) -> std::optional<std::string> {
    auto id = mentioned_user(n);
    if (!id) return std::nullopt;
    const std::string* name = names(*id);
    return name ? html::mention_html(*id, *name) : std::string();
  };
  out.html = html::sanitize_body_html(action_text_html, options);
  return out;
}

}  // namespace hearth::migrate
