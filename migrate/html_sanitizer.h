#pragma once
// The message-body sanitizer: Campfire's render-time allow-list (CAMPFIRE.md 2.11) applied once,
// before a body enters the log, so every reader of body_html gets safe markup. Kept free of
// import concerns so the server can sanitize posted bodies with the same function.
//
// Rules:
//  - elements on the allow-list are kept (a, abbr, acronym, address, b, big, blockquote, br, cite,
//    code, dd, del, dfn, div, dl, dt, em, h1-h6, hr, i, ins, kbd, li, ol, p, pre, samp, small,
//    span, strong, sub, sup, time, tt, ul, var, action-text-attachment, figure, figcaption);
//  - other elements are unwrapped (their children stay), except those whose content is code or
//    foreign markup (script, style, template, iframe, object, embed, noscript, svg, math, ...),
//    which are dropped with their content;
//  - attributes: an allow-list (href, title, class, cite, datetime, dir, lang, abbr; on
//    action-text-attachment also its descriptive attributes, but never its `content` HTML); no
//    event handlers, no style; URL attributes keep only http, https, mailto, tel and relative
//    URLs (so no javascript:, data:, vbscript:, even when obfuscated with tabs or case);
//  - output is serialized HTML5: text and attribute values escaped, void elements unclosed.
#include <string>
#include <string_view>

#include "migrate/html_dom.h"

namespace hearth {

std::string sanitize_body_html(std::string_view html);
// The same for a fragment the caller already parsed.
std::string sanitize_body_html(const GumboNode* root);

// True when `url` may stay in an href: http(s), mailto, tel, or relative.
bool safe_url(std::string_view url);

}  // namespace hearth
