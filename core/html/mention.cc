#include "core/html/mention.h"

#include <cstring>

#include "core/html/sanitizer.h"

namespace hearth::html {

std::string mention_html(int64_t id, std::string_view name) {
  std::string out = "<span class=\"mention\" data-user-id=\"" + std::to_string(id) + "\">@";
  escape_html(out, name, false);
  out += "</span>";
  return out;
}

std::optional<int64_t> parse_user_id(std::string_view v) {
  if (v.empty() || v.size() > 18 || v[0] == '0') return std::nullopt;
  int64_t id = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return std::nullopt;
    id = id * 10 + (c - '0');
  }
  return id;
}

std::optional<int64_t> mention_id(const GumboNode* node) {
  if (!is_element(node) || node->v.element.tag != GUMBO_TAG_SPAN) return std::nullopt;
  const char* cls = attribute(node, "class");
  const char* id = attribute(node, "data-user-id");
  if (!cls || !id || std::strcmp(cls, "mention") != 0) return std::nullopt;
  return parse_user_id(id);
}

}  // namespace hearth::html
