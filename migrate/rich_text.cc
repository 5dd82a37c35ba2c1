#include "migrate/rich_text.h"

#include <algorithm>
#include <cstring>

#include "migrate/html_sanitizer.h"
#include "migrate/sgid.h"

namespace hearth::migrate {
namespace {

// Every mention id in document order, whether or not the user still exists: the importer decides
// which it can keep (mentions of a deleted user point at an id it may have kept as a placeholder).
void collect_mentions(const GumboNode* n, int depth, std::vector<int64_t>& out) {
  if (!is_element(n) || depth > kMaxHtmlDepth) return;
  if (tag_name(n) == "action-text-attachment") {
    const char* type = attribute(n, "content-type");
    const char* sgid = attribute(n, "sgid");
    if (type && sgid && std::strcmp(type, kMentionType) == 0) {
      auto id = user_id_from_sgid(sgid);
      if (id && std::find(out.begin(), out.end(), *id) == out.end()) out.push_back(*id);
    }
  }
  const GumboVector& c = children(n);
  for (unsigned i = 0; i < c.length; ++i) collect_mentions(child(n, i), depth + 1, out);
}

}  // namespace

ConvertedBody convert_body(std::string_view action_text_html, const UserNames& names) {
  HtmlFragment fragment(action_text_html);
  ConvertedBody out;
  out.html = sanitize_body_html(fragment.root());
  out.plain_text = plain_text_of(fragment.root(), names);
  const GumboVector& c = children(fragment.root());
  for (unsigned i = 0; i < c.length; ++i) collect_mentions(child(fragment.root(), i), 0, out.mentions);
  return out;
}

}  // namespace hearth::migrate
