#include "migrate/plain_text.h"

#include <cstring>

#include "core/html/plain_text.h"
#include "migrate/sgid.h"

namespace hearth::migrate {

std::optional<int64_t> mentioned_user(const GumboNode* n) {
  if (html::tag_name(n) != "action-text-attachment") return std::nullopt;
  const char* type = html::attribute(n, "content-type");
  const char* sgid = html::attribute(n, "sgid");
  if (!type || !sgid || std::strcmp(type, kMentionType) != 0) return std::nullopt;
  return user_id_from_sgid(sgid);
}

std::string plain_text_of(const GumboNode* root, const UserNames& names) {
  return html::plain_text_of(root, [&names](const GumboNode* n) -> std::optional<std::string> {
    if (html::tag_name(n) != "action-text-attachment") return std::nullopt;
    const char* type = html::attribute(n, "content-type");
    if (type && std::strcmp(type, kMentionType) == 0) {
      auto id = mentioned_user(n);
      const std::string* name = id ? names(*id) : nullptr;
      if (!name) return std::string();
      // Rails replaces the attachment with "@name" parsed as HTML, so markup in a name is read.
      std::string mention = "@" + *name;
      if (mention.find_first_of("<&") == std::string::npos) return mention;
      html::HtmlFragment parsed(mention);
      return html::plain_text_of(parsed.root());
    }
    // Any other attachable: its caption in brackets, as ActionText prints unknown attachments.
    const char* caption = html::attribute(n, "caption");
    return caption && *caption ? std::string("[") + caption + "]" : std::string();
  });
}

}  // namespace hearth::migrate
