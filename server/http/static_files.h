#pragma once
// Static files for the browser client (web/), with validators and caching rules:
//  - ETag: strong, "xxh3-128 of the content" in hex; If-None-Match (any listed tag, or *) → 304.
//  - Cache-Control: files named with a content hash (`name.<8+ hex digits>.ext`, e.g.
//    app.3f9a1c2e.js) never change under that name: `public, max-age=31536000, immutable`.
//    Everything else, index.html first, is `no-cache`: the browser may keep it but revalidates
//    each time, which costs a 304 and guarantees a deploy is seen on the next load.
//  - Content-Type from the extension; unknown is application/octet-stream, with nosniff.
// Paths are decoded once and refused (404, never a read outside the root) when a segment is "." or
// "..", or when they contain a NUL, a backslash or a malformed %-escape. A symlink leading out of
// the root is refused too (the canonical path must stay under the canonical root).
//
// Files are read on each request (the client is small; an in-memory cache keyed by mtime comes
// with the real client).
#include <optional>
#include <string>
#include <string_view>

#include "server/http/types.h"

namespace hearth::server::http {

// The validators, shared with responses generated per request (the account's stylesheet and web
// manifest, server/api/account_routes.cc): a strong ETag of the content, and whether an
// If-None-Match header lists it.
std::string etag_of(std::string_view content);
bool none_match_hits(std::string_view if_none_match, std::string_view etag);

class StaticFiles {
 public:
  explicit StaticFiles(std::string root);

  // The safe relative path for a request path ("/" → "index.html"), or nullopt: refused.
  static std::optional<std::string> resolve(std::string_view raw_path);
  static std::string_view content_type(std::string_view file_name);
  static bool is_hashed_name(std::string_view file_name);

  // The browser client's own pages (/rooms/3, /join/CODE, /session/new, /first_run, /profile, /search, /account,
  // /account/bots, /account/people, /users/7): they are
  // index.html, which reads the path itself. A fixed list, so that any other unknown path stays
  // a 404 rather than a page.
  static bool is_client_route(std::string_view raw_path);

  // GET/HEAD of `raw_path` (still percent-encoded); a client route gets index.html.
  Response serve(const Request& request, std::string_view raw_path) const;

 private:
  std::string root_;
};

}  // namespace hearth::server::http
