#pragma once
// ActionText's plain-text conversion (Rails 8.2 ActionText::PlainTextConversion plus Campfire's
// attachables), reproduced so that Hearth's plain_text equals Campfire's Message#plain_text_body:
//  - <div> ends in "\n"; <p>, <h1>, <ul>, <ol> end in "\n\n"; <br> is "\n"; trailing newlines of a
//    block's content are dropped first; nested lists start on a new line;
//  - <li> is "• text" or "N. text" (N its position among the parent's child nodes), indented two
//    spaces per enclosing list beyond the first;
//  - <blockquote> is wrapped in “ ”; <figcaption> in [ ];
//  - <script> and <style> give nothing;
//  - a mention gives "@" + the user's CURRENT name (itself read as HTML, as Rails re-parses the
//    replacement), a mention of a missing user gives nothing, a link preview gives nothing;
//  - &nbsp; stays U+00A0; the result loses its trailing newlines, nothing else is trimmed.
#include <cstdint>
#include <functional>
#include <string>

#include "migrate/html_dom.h"

namespace hearth::migrate {

// The current name of a user id, or nullptr when the source has no such user.
using UserNames = std::function<const std::string*(int64_t)>;

inline constexpr const char* kMentionType = "application/vnd.campfire.mention";
inline constexpr const char* kOpenGraphType = "application/vnd.actiontext.opengraph-embed";

std::string plain_text_of(const GumboNode* root, const UserNames& names);

// Ruby's String#chomp(""): every trailing "\n" (and "\r\n") removed.
void remove_trailing_newlines(std::string& s);

}  // namespace hearth::migrate
