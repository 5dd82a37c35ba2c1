#pragma once
// One ActionText body (action_text_rich_texts.body) into what a MessagePosted carries: sanitized
// HTML, Campfire's plain text, and the mentioned user ids.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "migrate/plain_text.h"

namespace hearth::migrate {

struct ConvertedBody {
  // The body sanitized and auto-linked as the server does a posted one (core/html/sanitizer.h),
  // each mention attachment turned into Hearth's mention span (core/html/mention.h) with the
  // user's current name, so imported and new messages render alike. A mention of a user the
  // source no longer has is dropped, as Campfire's plain text drops it.
  std::string html;
  std::string plain_text;          // Message#plain_text_body (plain_text.h)
  std::vector<int64_t> mentions;   // user ids named by mention sgids, in order, once each
};

ConvertedBody convert_body(std::string_view action_text_html, const UserNames& names);

}  // namespace hearth::migrate
