#pragma once
// The message-body sanitizer: Campfire's render-time allow-list (CAMPFIRE.md 2.11) applied once,
// before a body enters the log, so every reader of body_html gets safe markup. Used by the server
// for posted and edited bodies and by the importer for Campfire's.
//
// Rules:
//  - elements on the allow-list are kept (a, abbr, acronym, address, b, big, blockquote, br, cite,
//    code, dd, del, dfn, div, dl, dt, em, h1-h6, hr, i, ins, kbd, li, ol, p, pre, samp, small,
//    span, strong, sub, sup, time, tt, ul, var, action-text-attachment, figure, figcaption);
//  - other elements are unwrapped (their children stay), except those whose content is code or
//    foreign markup (script, style, template, iframe, object, embed, noscript, svg, math, ...),
//    which are dropped with their content; comments are dropped;
//  - attributes: an allow-list (href, title, class, cite, datetime, dir, lang, abbr; on a span
//    also data-user-id when it is a plain positive number — the mention, mention.h; on
//    action-text-attachment also its descriptive attributes, but never its `content` HTML); no
//    event handlers, no style; URL attributes keep only http, https, mailto, tel and relative
//    URLs (so no javascript:, data:, vbscript:, even when obfuscated with entities, tabs or case);
//  - a link preview (link_preview.h) keeps its attributes and loses its children;
//  - a link to an http(s) URL opens in a new tab: target="_blank" rel="noopener noreferrer" are
//    set by the sanitizer (never taken from the input);
//  - with auto_link, bare http(s) URLs in text (auto_link.h) become such links, except inside an
//    <a>, <code> or <pre>;
//  - output is serialized HTML5: text and attribute values escaped, void elements unclosed.
//
// Idempotent: sanitizing the output again gives the output. Re-parsing serialized HTML does not
// always give the same tree (an <hr> left inside a <p> by unwrapping a table, an <a> in an <a>),
// and a browser re-parses what it is given, so a tree that does not survive its own serialization
// could turn into markup this sanitizer never saw (mutation XSS). The output is therefore
// re-parsed and re-sanitized until it is stable; a body that does not settle within a few passes
// is reduced to its text.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/html/html_dom.h"

namespace hearth::html {

struct SanitizeOptions {
  bool auto_link = true;
  // Called for every element the allow-list keeps, before its attributes are filtered; a value
  // replaces the element and its children. It is emitted as it is, so it must be markup this sanitizer keeps unchanged
  // (the importer puts mention_html in place of Campfire's mention attachments).
  std::function<std::optional<std::string>(const GumboNode* element)> replace;
  // Called with the parsed tree of the final output (its plain text and mentions are read from it).
  std::function<void(const GumboNode* root)> inspect;
};

std::string sanitize_body_html(std::string_view html, const SanitizeOptions& options = {});

// True when `url` may stay in an href: http(s), mailto, tel, or relative.
bool safe_url(std::string_view url);

// Appends `s` escaped for HTML text (& < >) or, with `attribute_value`, a double-quoted value (also ").
void escape_html(std::string& out, std::string_view s, bool attribute_value);

}  // namespace hearth::html
