#pragma once
// A link preview in a message body: Campfire's OpenGraph embed (CAMPFIRE.md 1.5), an attachment
// element with only attributes,
//
//   <action-text-attachment content-type="application/vnd.actiontext.opengraph-embed"
//       href="PAGE URL" url="IMAGE URL" filename="TITLE" caption="DESCRIPTION"></action-text-attachment>
//
// The composer appends one for a URL it unfurled (POST /api/unfurl_link) that is still in the
// message when it is sent; imported Campfire bodies carry the same. It is data, not markup: the
// sanitizer keeps it with its attributes but never its children (its text is in attributes, so
// nothing inside it can show or be searched), its plain text is empty, and the client draws the
// card from the attributes as text (web/views/message_body.js). The image URL is kept but never
// loaded by the client: the page's CSP keeps img-src to this server.
#include <string>
#include <string_view>

#include "core/html/html_dom.h"

namespace hearth::html {

inline constexpr const char* kLinkPreviewType = "application/vnd.actiontext.opengraph-embed";

// True for an action-text-attachment element whose content-type is kLinkPreviewType.
bool is_link_preview(const GumboNode* node);

// The markup of a preview of `href` (escaped attribute values; an empty image or caption is left
// out).
std::string link_preview_html(std::string_view href, std::string_view title, std::string_view caption,
                              std::string_view image);

}  // namespace hearth::html
