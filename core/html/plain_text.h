#pragma once
// ActionText's plain-text conversion (Rails 8.2 ActionText::PlainTextConversion), which is what
// Campfire indexes for search and shows in notifications:
//  - <div> ends in "\n"; <p>, <h1>, <ul>, <ol> end in "\n\n"; <br> is "\n"; trailing newlines of a
//    block's content are dropped first; nested lists start on a new line;
//  - <li> is "• text" or "N. text" (N its position among the parent's child nodes), indented two
//    spaces per enclosing list beyond the first;
//  - <blockquote> is wrapped in “ ”; <figcaption> in [ ];
//  - <script> and <style> give nothing, nor does a link preview (link_preview.h; CAMPFIRE.md 1.5);
//    every other element gives its children's text (so
//    Hearth's mention span gives its "@Name");
//  - &nbsp; stays U+00A0; the result loses its trailing newlines, nothing else is trimmed.
// Elements with a meaning of their own (ActionText attachments, for the importer) are handed to
// an optional callback first.
#include <functional>
#include <optional>
#include <string>

#include "core/html/html_dom.h"

namespace hearth::html {

// The text an element stands for, or nullopt to convert it by the rules above.
using ElementText = std::function<std::optional<std::string>(const GumboNode* element)>;

std::string plain_text_of(const GumboNode* root, const ElementText& special = {});

// Ruby's String#chomp(""): every trailing "\n" (and "\r\n") removed.
void remove_trailing_newlines(std::string& s);

}  // namespace hearth::html
