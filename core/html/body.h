#pragma once
// A body a Hearth user wrote (the composer's HTML, a bot's text or HTML) as the server stores it:
// sanitized and auto-linked (sanitizer.h), with its plain text (plain_text.h; mentions as @Name,
// what search indexes) and the ids of its mention spans (mention.h), both read from the sanitized
// markup, so they say exactly what readers are shown.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hearth::html {

struct CleanBody {
  std::string html;
  std::string plain_text;
  std::vector<int64_t> mentions;  // in document order, once each
};

CleanBody clean_body(std::string_view html);

}  // namespace hearth::html
