#pragma once
// One ActionText body (action_text_rich_texts.body) into what a MessagePosted carries: sanitized
// HTML, Campfire's plain text, and the mentioned user ids — one HTML5 parse for all three.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "migrate/plain_text.h"

namespace hearth::migrate {

struct ConvertedBody {
  std::string html;                // sanitize_body_html of the body
  std::string plain_text;          // Message#plain_text_body (plain_text.h)
  std::vector<int64_t> mentions;   // user ids named by mention sgids, in order, once each
};

ConvertedBody convert_body(std::string_view action_text_html, const UserNames& names);

}  // namespace hearth::migrate
