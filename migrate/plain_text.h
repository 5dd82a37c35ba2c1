#pragma once
// Campfire's Message#plain_text_body: ActionText's plain-text conversion (core/html/plain_text.h)
// plus Campfire's attachables:
//  - a mention gives "@" + the user's CURRENT name (itself read as HTML, as Rails re-parses the
//    replacement), a mention of a missing user gives nothing;
//  - a link preview gives nothing (core/html/link_preview.h); any other attachment its caption in [ ].
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/html/html_dom.h"

namespace hearth::migrate {

// The current name of a user id, or nullptr when the source has no such user.
using UserNames = std::function<const std::string*(int64_t)>;

inline constexpr const char* kMentionType = "application/vnd.campfire.mention";

std::string plain_text_of(const GumboNode* root, const UserNames& names);

// The user id a mention attachment names, or nullopt for any other element.
std::optional<int64_t> mentioned_user(const GumboNode* element);

}  // namespace hearth::migrate
