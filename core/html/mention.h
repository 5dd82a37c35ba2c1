#pragma once
// Hearth's mention markup, the one element that names a user in a body (docs/api.md):
//
//   <span class="mention" data-user-id="7">@Alice</span>
//
// The composer inserts it, the importer turns Campfire's mention attachments into it, and the
// server reads the mentioned ids from it (so they are stored as ids in the event, never parsed
// from the text later). Its text is the name at the time of writing; plain text keeps it as "@Alice".
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/html/html_dom.h"

namespace hearth::html {

// The markup for a mention of user `id` called `name` (escaped; "@" prepended).
std::string mention_html(int64_t id, std::string_view name);

// The user id when `node` is a mention span: class exactly "mention" and a data-user-id that is
// a positive decimal number without leading zeros.
std::optional<int64_t> mention_id(const GumboNode* node);

// A data-user-id value as an id: "7" yes; "07", "-7", "7a", "", 20 digits no.
std::optional<int64_t> parse_user_id(std::string_view v);

}  // namespace hearth::html
