#pragma once
// What a link preview shows of an HTML page: its OpenGraph title, description and image
// (CAMPFIRE.md 2.11), with the page's <title> and <meta name="description"> as fallbacks. The
// page is untrusted: parsed with gumbo (the HTML5 algorithm, as a browser would), walked without
// recursion and only so far, and every value comes out as valid UTF-8 text with whitespace
// collapsed, controls removed and a bounded length. Values are text, not markup: whoever shows
// them escapes them (the preview card in a body is an attribute, core/html/sanitizer.h).
#include <string>
#include <string_view>

namespace hearth::server::previews {

struct PageMetadata {
  std::string title;
  std::string description;
  std::string image;  // as written in the page (may be relative); the fetcher resolves and checks it

  bool empty() const { return title.empty() && description.empty(); }
};

inline constexpr size_t kMaxTitleBytes = 300;
inline constexpr size_t kMaxDescriptionBytes = 1000;
inline constexpr size_t kMaxImageUrlBytes = 2048;

PageMetadata parse_page_metadata(std::string_view html);

// `s` as one line of valid UTF-8 (invalid bytes become U+FFFD, C0/C1 controls and runs of
// whitespace one space), trimmed, cut at a character boundary to at most `max_bytes`.
std::string clean_text(std::string_view s, size_t max_bytes);

}  // namespace hearth::server::previews
